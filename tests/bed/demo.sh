#!/usr/bin/env bash
# `make demo`: a small containerised fleet, attacked before and after hardening.
#   1. start stock Asterisk 16 and the typical-site Asterisk 22, plus the attacker
#   2. send each an anonymous INVITE to an international number: it gets into the dialplan
#   3. run playbooks/harden.yml against the fleet
#   4. send the same INVITE again: now it is refused (401/403)
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

say "Attack before hardening: anonymous INVITE to 0044201234567 (an international number)"
for host in "${hosts[@]}"; do
    before[$host]=$(verdict "$(probe "$host")")
    printf '  %-18s %s\n' "$host" "${before[$host]}"
done

say "Hardening the fleet: ansible-playbook pbxsec.hardening.harden"
printf '[pbx]\n%s\n%s\n\n[pbx:vars]\nansible_connection=community.docker.docker\npbx_become=false\nansible_python_interpreter=auto_silent\n' \
    "${hosts[@]}" >"$workdir/inventory.ini"
ansible-playbook -i "$workdir/inventory.ini" pbxsec.hardening.harden

say "Attack after hardening: the same INVITE"
for host in "${hosts[@]}"; do
    after[$host]=$(verdict "$(probe "$host")")
    printf '  %-18s %s\n' "$host" "${after[$host]}"
done

say "Summary"
printf '  %-18s %-52s %s\n' HOST BEFORE AFTER
status=0
for host in "${hosts[@]}"; do
    printf '  %-18s %-52s %s\n' "$host" "${before[$host]}" "${after[$host]}"
    case ${after[$host]} in REFUSED*) ;; *) status=1 ;; esac
done
exit $status
