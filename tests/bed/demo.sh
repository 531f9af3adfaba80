#!/usr/bin/env bash
# `make demo`: a small containerised fleet, audited and attacked before and after hardening.
#   1. start stock Asterisk 16, the typical-site Asterisk 22 and the FreePBX-layout host on three
#      test networks (provider, Internet, office LAN), with one attacker on each
#   2. audit the fleet (playbooks/audit.yml) with the outside-in probe from the Internet's
#      attacker (PBX-PRB-001..003: OPTIONS answered, anonymous INVITE into the dialplan, REGISTER
#      enumeration): reports in reports/demo-before/
#   3. attack: an anonymous INVITE to an international number from the provider network (it gets
#      into the dialplan), SIP OPTIONS from the Internet (answered), wrong REGISTERs from the
#      Internet (all answered, nobody bans)
#   4. run playbooks/harden.yml against the fleet, firewall and fail2ban included
#   5. attack again: the INVITE is refused (401/403), the Internet gets no reply, and a
#      brute-forcer on the office LAN (trusted for SIP) is banned after maxretry wrong REGISTERs
#   6. audit again, probe included: reports in reports/demo-after/ (drift against demo-before,
#      attack pressure); every control, the probe's too, must pass, be waived or not apply
#   7. share bans: a scanner banned on the Asterisk 16 host is loaded into every other PBX's
#      shared4 set (pbxsec.hardening.share_bans); the provider's address never is
#   8. drift: guests allowed again on the Asterisk 16 host; the audit with
#      pbx_audit_fail=regressions fails on that regression alone and names it
# Exits non-zero when any of these does not happen. Containers and networks (pbxsec-demo-*) are
# removed at the end; keep them with PBXSEC_DEMO_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/bed/demo-lib.sh
. tests/bed/demo-lib.sh

workdir=$(mktemp -d)
phase=

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
    [ "${PBXSEC_DEMO_KEEP:-0}" = 1 ] || remove_fleet
    rm -rf "$workdir"
}
trap cleanup EXIT

say "Starting the fleet: Asterisk 16, Asterisk 22 (site), FreePBX 16 layout; attackers on the provider, Internet and LAN networks"
remove_fleet
start_fleet
for host in "${hosts[@]}"; do
    printf '  %-18s %-30s provider %s, Internet %s, LAN %s\n' "$host" "${image[$host]}" \
        "$(address "$host" provider)" "$(address "$host" internet)" "$(address "$host" lan)"
done
if docker exec pbxsec-demo-fpbx test -e /var/www/html/admin/modules/firewall/module.xml; then
    echo "  pbxsec-demo-fpbx has FreePBX's Firewall module (a stand-in that filters nothing):" \
         "pbx_firewall_freepbx_firewall: coexist adds the pbxsec table beside it"
fi
cp tests/bed/demo/inventory.yml "$workdir/inventory.yml"

say "Audit before hardening: ansible-playbook pbxsec.hardening.audit, probed from the Internet (pbx_probe_host=pbxsec-demo-internet)"
audit before
printf '  report: %s/reports/demo-before/report.html\n' "$PWD"

say "Attacks before hardening"
attack before internet

say "Hardening the fleet: ansible-playbook pbxsec.hardening.harden (log: reports/demo-harden.log)"
harden_rc=0
ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.harden 2>&1 |
    tee reports/demo-harden.log |
    awk '/^TASK \[pbxsec\.hardening\./ { split($2, r, "[[.]"); if (r[4] != role) {
             role = r[4]; printf "  role %s\n", role; fflush() } }
         /^PLAY RECAP/ { recap = 1 } recap && NF { print "  " $0 }' || harden_rc=$?

say "Attacks after hardening"
attack after lan

say "Audit after hardening, probed from the Internet again"
audit_rc=0
audit after || audit_rc=$?

say "Fleet-wide bans: ansible-playbook pbxsec.hardening.share_bans (log: reports/demo-share-bans.log)"
bans_rc=0
shared_bans pbxsec-demo-a16 || bans_rc=$?

say "Drift: guests allowed again on pbxsec-demo-a16, audited against demo-after (reports/demo-drift)"
drift_rc=0
drift pbxsec-demo-a16 || drift_rc=$?

say "Summary"
status=$((harden_rc || audit_rc || bans_rc || drift_rc))
row='  %-17s| %-26s| %-26s| %-33s| %-18s| %-18s| %s\n'
# shellcheck disable=SC2059  # the format is $row
printf "$row" HOST "AUDIT before" "AUDIT after" "PROBE PRB-001 002 003 (Internet)" \
    "INVITE (provider)" "SIP from Internet" "BRUTE FORCE"
r() { cat "$workdir/$1.$host.$2" 2>/dev/null || echo "?"; }   # r PHASE WHAT, of $host
for host in "${hosts[@]}"; do
    # shellcheck disable=SC2059
    printf "$row" "$host" "$(r before audit)" "$(r after audit)" \
        "$(r before probe) -> $(r after probe)" \
        "$(r before invite) -> $(r after invite)" "$(r before internet) -> $(r after internet)" \
        "$(r before brute) -> $(r after brute)"
    # The probe: a stock PBX answers the Internet's OPTIONS and lets its INVITE in (PRB-001, 002
    # fail); hardened, every PRB control passes or does not apply (n/a).
    [[ "$(r before probe)" = "fail fail "* ]] && [[ "$(r after probe)" =~ ^((pass|n/a)( |$)){3}$ ]] &&
        [ "$(r before invite)" = "got in" ] && [ "$(r after invite)" = refused ] &&
        [ "$(r before internet)" = answer ] && [ "$(r after internet)" = silence ] &&
        [[ "$(r before brute)" = *"not banned"* ]] && [[ "$(r after brute)" = *"banned after"* ]] ||
        status=1
done
printf '\n  %-17s| %-50s| %-20s| %s\n' HOST "ATTACK PRESSURE (after)" "SHARED BAN" "DRIFT"
for host in "${hosts[@]}"; do
    printf '  %-17s| %-50s| %-20s| %s\n' "$host" "$(r after pressure)" "$(r after shared)" \
        "$(r after drift)"
done
printf '\n  HTML reports: %s/reports/demo-before/report.html\n' "$PWD"
printf '                %s/reports/demo-after/report.html (drift against demo-before)\n' "$PWD"
printf '                %s/reports/demo-drift/report.html (the regression first)\n' "$PWD"
printf '  beside each: fleet.json, hosts/*.json, junit.xml, ansible.log; harden log: %s/reports/demo-harden.log\n' "$PWD"
if [ $status = 0 ]; then
    printf '\n  Every attack stopped; every control passes or is waived (%ss).\n' "$SECONDS"
else
    printf '\n  FAILED: see the table and the logs above (%ss).\n' "$SECONDS"
fi
exit $status
