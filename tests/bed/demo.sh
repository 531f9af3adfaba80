#!/usr/bin/env bash
# `make demo`: a small containerised fleet, audited and attacked before and after hardening.
#   1. start stock Asterisk 16 and the typical-site Asterisk 22, plus the attacker
#   2. audit the fleet (playbooks/audit.yml): reports in reports/demo-before/
#   3. send each an anonymous INVITE to an international number: it gets into the dialplan
#   4. run playbooks/harden.yml against the fleet
#   5. send the same INVITE again: now it is refused (401/403)
#   6. audit again: reports in reports/demo-after/
# Containers are removed at the end; keep them with PBXSEC_DEMO_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

network=pbxsec-demo
attacker=pbxsec-demo-attacker
declare -A fleet=([pbxsec-demo-a16]=pbxsec/asterisk16:latest [pbxsec-demo-a22]=pbxsec/asterisk22-site:latest)
hosts=(pbxsec-demo-a16 pbxsec-demo-a22)
workdir=$(mktemp -d)
declare -A before after

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# shellcheck disable=SC2317  # called from the EXIT trap
remove_fleet() {
    docker rm -f "${hosts[@]}" "$attacker" >/dev/null 2>&1 || true
    docker network rm "$network" >/dev/null 2>&1 || true
}

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
    [ "${PBXSEC_DEMO_KEEP:-0}" = 1 ] || remove_fleet
    rm -rf "$workdir"
}
trap cleanup EXIT

probe() {
    docker exec "$attacker" python3 /opt/pbxsec-tools/sip_probe.py "$1" --to 0044201234567
}

verdict() {
    python3 -c '
import json, sys
r = json.loads(sys.argv[1])
codes = r["responses"]
if codes and set(codes) <= {401, 403}:
    print("REFUSED   responses %s" % codes)
elif codes:
    print("GOT IN    responses %s (the call reached the dialplan)" % codes)
else:
    print("NO ANSWER")' "$1"
}

say "Starting the fleet: stock Asterisk 16, typical-site Asterisk 22, attacker"
remove_fleet
docker network create "$network" >/dev/null
for host in "${hosts[@]}"; do
    docker run -d --name "$host" --hostname "$host" --network "$network" "${fleet[$host]}" >/dev/null
done
docker run -d --name "$attacker" --network "$network" \
    -v "$PWD/tests/tools:/opt/pbxsec-tools:ro" pbxsec/attacker:latest >/dev/null
for host in "${hosts[@]}"; do
    for _ in $(seq 30); do
        docker exec "$host" asterisk -rx "core show uptime" >/dev/null 2>&1 && break
        sleep 1
    done
done

# audit NAME: run playbooks/audit.yml into reports/demo-NAME (a non-compliant fleet is the
# expected answer before hardening, not an error of the demo) and print its counts per host.
audit() {
    local dir="$PWD/reports/demo-$1"
    rm -rf "$dir"
    ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.audit \
        -e "pbx_report_dir=$dir" -e pbx_audit_fail=false >"$workdir/audit-$1.log" 2>&1 ||
        { cat "$workdir/audit-$1.log"; return 1; }
    python3 - "$dir/fleet.json" <<'PY'
import json, sys
fleet = json.load(open(sys.argv[1], encoding="utf-8"))
for host in fleet["hosts"]:
    counts = ", ".join("%s %d" % (status, count)
                       for status, count in sorted(host["summary"].items()) if count)
    print("  %-18s %-13s %s" % (host["name"], host["status"], counts))
PY
    printf '  report: %s/report.html (fleet.json, hosts/*.json and junit.xml beside it)\n' "$dir"
}

# The demo's containers have no NET_ADMIN (the firewall and fail2ban roles are shown by
# molecule/network); weak secrets and PINs are rotated into $workdir/pbx-secrets; the typical
# site's own dialplan findings (its trunk context reaches from-internal) are waived.
cat >"$workdir/inventory.yml" <<INVENTORY
pbx:
  hosts:
$(printf '    %s: {}\n' "${hosts[@]}")
  vars:
    ansible_connection: community.docker.docker
    ansible_python_interpreter: auto_silent
    pbx_become: false
    # Test networks, as in the tests: TEST-NET-2 stands in for the provider (Kiwi VoIP's
    # 27.111.14.0/24 is the default); the site trunk contacts loopback, a trusted network here.
    pbx_provider_networks: ["198.51.100.0/24"]
    pbx_trusted_networks: ["127.0.0.1/32"]
    pbx_firewall_enabled: false
    pbx_fail2ban_enabled: false
    pbx_secrets_rotate: true
    pbx_secrets_object_waivers: {kiwi-trunk: provider credential, kiwi-trunk-auth: provider credential}
    pbx_dialplan_fix_guest_context: true
    pbx_waivers: {PBX-DP-002: "site dialplan, the integrator's", PBX-VM-006: "site dialplan, the integrator's"}
INVENTORY

say "Audit before hardening: ansible-playbook pbxsec.hardening.audit"
audit before

say "Attack before hardening: anonymous INVITE to 0044201234567 (an international number)"
for host in "${hosts[@]}"; do
    before[$host]=$(verdict "$(probe "$host")")
    printf '  %-18s %s\n' "$host" "${before[$host]}"
done

say "Hardening the fleet: ansible-playbook pbxsec.hardening.harden"
ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.harden

say "Attack after hardening: the same INVITE"
for host in "${hosts[@]}"; do
    after[$host]=$(verdict "$(probe "$host")")
    printf '  %-18s %s\n' "$host" "${after[$host]}"
done

say "Audit after hardening"
audit after

say "Summary"
printf '  %-18s %-52s %s\n' HOST BEFORE AFTER
status=0
for host in "${hosts[@]}"; do
    printf '  %-18s %-52s %s\n' "$host" "${before[$host]}" "${after[$host]}"
    case ${after[$host]} in REFUSED*) ;; *) status=1 ;; esac
done
exit $status
