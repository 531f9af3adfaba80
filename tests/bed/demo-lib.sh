# shellcheck shell=bash
# shellcheck disable=SC2154  # workdir: set by demo.sh before it calls these
# Helpers of tests/bed/demo.sh (sourced): the fleet, the attacks and their verdicts.
# Every attack runs in an attacker container against a demo PBX's address on that attacker's own
# Docker test network: no traffic leaves the test bed.

# The test networks (RFC 2544 block; molecule/network uses 198.18.0-1.0/24 and TEST-NET-2).
declare -A net_prefix=([provider]=198.18.20 [internet]=198.18.21 [lan]=198.18.22)
nets=(provider internet lan)
declare -A image=([pbxsec-demo-a16]=pbxsec/asterisk16:latest
                  [pbxsec-demo-a22]=pbxsec/asterisk22-site:latest
                  [pbxsec-demo-fpbx]=pbxsec/freepbx16:latest)
hosts=(pbxsec-demo-a16 pbxsec-demo-a22 pbxsec-demo-fpbx)
# Last octet of each PBX on every network; the attackers are .10.
declare -A octet=([pbxsec-demo-a16]=16 [pbxsec-demo-a22]=22 [pbxsec-demo-fpbx]=30)
# SIP ports (FreePBX: PJSIP on 5060, chan_sip on 5160), and the account the LAN brute-forcer
# guesses at (port user).
declare -A sip_ports=([pbxsec-demo-a16]="5060" [pbxsec-demo-a22]="5060"
                      [pbxsec-demo-fpbx]="5060 5160")
declare -A brute_target=([pbxsec-demo-a16]="5060 100" [pbxsec-demo-a22]="5060 100"
                         [pbxsec-demo-fpbx]="5160 7001")
maxretry=5          # pbx_fail2ban_maxretry's default

say() { printf '\n\033[1m==> %s\033[0m  (%ss)\n' "$*" "$SECONDS"; }

address() { echo "${net_prefix[$2]}.${octet[$1]}"; }   # address HOST NETWORK

start_fleet() {
    local net host args
    for net in "${nets[@]}"; do
        docker network create --subnet "${net_prefix[$net]}.0/24" \
            --gateway "${net_prefix[$net]}.1" "pbxsec-demo-$net" >/dev/null
    done
    for host in "${hosts[@]}"; do
        # NET_ADMIN: the firewall and fail2ban roles load nftables rules in the container.
        docker run -d --name "$host" --hostname "$host" --cap-add NET_ADMIN \
            --network pbxsec-demo-provider --ip "$(address "$host" provider)" \
            "${image[$host]}" >/dev/null
        for net in internet lan; do
            docker network connect --ip "$(address "$host" "$net")" "pbxsec-demo-$net" "$host"
        done
    done
    for net in "${nets[@]}"; do
        args=(-v "$PWD/tests/tools:/opt/pbxsec-tools:ro" -v "$PWD/molecule/network/tools:/opt/pbxsec-net:ro")
        docker run -d --name "pbxsec-demo-$net" --network "pbxsec-demo-$net" \
            --ip "${net_prefix[$net]}.10" "${args[@]}" pbxsec/attacker:latest >/dev/null
    done
    for host in "${hosts[@]}"; do
        docker exec "$host" sh -c 'for i in $(seq 60); do
            asterisk -rx "core waitfullybooted" 2>/dev/null | grep -q "fully booted" && exit 0
            sleep 1; done; exit 1' || { echo "$host: Asterisk did not boot" >&2; return 1; }
        # Test bed only, what a real Debian host has: sid's Release file on the test bed's mirror
        # is past its Valid-Until; no sshd, so Debian's sshd jail would keep fail2ban from starting.
        docker exec "$host" sh -c 'mkdir -p /etc/fail2ban/jail.d &&
            printf "[sshd]\nenabled = false\n" >/etc/fail2ban/jail.d/zz-pbxsec-testbed.local &&
            echo "Acquire::Check-Valid-Until \"false\";" >/etc/apt/apt.conf.d/99pbxsec-testbed'
    done
}

remove_fleet() {
    local net
    docker rm -f "${hosts[@]}" "${nets[@]/#/pbxsec-demo-}" >/dev/null 2>&1 || true
    for net in "${nets[@]}"; do
        docker network rm "pbxsec-demo-$net" >/dev/null 2>&1 || true
    done
}

attacker() { local net=$1; shift; docker exec -i "pbxsec-demo-$net" "$@"; }

# invite HOST: anonymous INVITE to an international number from the provider network, on each
# SIP port. "got in" when one port let it into the dialplan, "refused" when every port answered
# 401/403 only.
invite() {
    local host=$1 port verdict worst=refused
    for port in ${sip_ports[$host]}; do
        verdict=$(attacker provider python3 /opt/pbxsec-tools/sip_probe.py \
                  "$(address "$host" provider)" --port "$port" --to 0044201234567 --timeout 4 |
                  python3 -c '
import json, sys
codes = json.load(sys.stdin)["responses"]
print("refused" if codes and set(codes) <= {401, 403} else "got in" if codes else "no answer")')
        printf '    INVITE from the provider to %s:%s: %s\n' "$host" "$port" "$verdict"
        case $verdict in "got in") worst="got in" ;; "no answer") [ "$worst" = "got in" ] || worst="no answer" ;; esac
    done
    echo "$worst" >"$workdir/$phase.$host.invite"
}

# internet HOST: SIP OPTIONS from the Internet network to each SIP port: "answer" when one port
# answered, "silence" when none did.
internet() {
    local host=$1 port result overall=silence
    for port in ${sip_ports[$host]}; do
        result=$(attacker internet python3 /opt/pbxsec-net/net_probe.py sip \
                 "$(address "$host" internet)" --port "$port" --timeout 2 |
                 python3 -c 'import json, sys; print(json.load(sys.stdin)["result"])')
        printf '    OPTIONS from the Internet to %s:%s: %s\n' "$host" "$port" "$result"
        [ "$result" = answer ] && overall=answer
    done
    echo "$overall" >"$workdir/$phase.$host.internet"
}

# in_set HOST SET ADDRESS: is ADDRESS in the pbxsec table's SET on HOST? grep reads the whole
# listing (no -q): under pipefail, a grep that quits at the first match can make `docker exec`
# fail on its next write, and the pipeline with it, however the set looks.
in_set() {
    docker exec "$1" nft list set inet pbxsec "$2" 2>/dev/null | grep -F "$3" >/dev/null
}

banned() {   # banned HOST NETWORK: is that network's attacker in the pbxsec table's banned4 set?
    in_set "$1" banned4 "${net_prefix[$2]}.10"
}

# failed_register HOST NETWORK: one REGISTER with a wrong secret from that network's attacker;
# the SIP codes it got (empty: no answer).
failed_register() {
    local port user
    read -r port user <<<"${brute_target[$1]}"
    # sip_register.py exits 1 when the registration is refused: the expected answer here
    { echo not-the-secret | attacker "$2" python3 /opt/pbxsec-tools/sip_register.py \
        "$(address "$1" "$2")" "$user" --port "$port" --timeout 2 || true; } |
        python3 -c 'import json, sys; print(" ".join(str(c) for c in json.load(sys.stdin)["responses"] if c))'
}

# brute_force HOST NETWORK: wrong REGISTERs from that network until the host bans it (at most
# maxretry + 1). Banned means: the address is in the nft set, and then nothing answers it.
brute_force() {
    local host=$1 net=$2 attempts=0 answered=0 codes fail2ban=0 deadline
    docker exec "$host" nft list table inet pbxsec >/dev/null 2>&1 && fail2ban=1
    while [ $attempts -le $maxretry ] && ! banned "$host" "$net"; do
        codes=$(failed_register "$host" "$net")
        attempts=$((attempts + 1))
        [ -n "$codes" ] || break
        answered=$((answered + 1))
        # fail2ban reads the log a moment after Asterisk writes it
        deadline=$((SECONDS + 3))
        while [ $fail2ban = 1 ] && [ $SECONDS -lt $deadline ] && ! banned "$host" "$net"; do
            sleep 0.2
        done
    done
    printf '    wrong REGISTERs from the %s (%s.10): %d sent, %d answered (last: %s)\n' \
        "$net" "${net_prefix[$net]}" "$attempts" "$answered" "${codes:-no answer}"
    deadline=$((SECONDS + 5))       # a loaded machine: the ban may land a moment later
    while [ $fail2ban = 1 ] && [ $SECONDS -lt $deadline ] && ! banned "$host" "$net"; do
        sleep 0.2
    done
    if ! banned "$host" "$net"; then
        printf '    not banned\n'
        echo "$net: not banned" >"$workdir/$phase.$host.brute"
        return
    fi
    codes=$(failed_register "$host" "$net")
    printf '    banned: in nft set inet pbxsec banned4; fail2ban jail asterisk bans %s; one more REGISTER: %s\n' \
        "$(docker exec "$host" fail2ban-client status asterisk | sed -n 's/.*Banned IP list:[[:space:]]*//p')" \
        "${codes:-no answer}"
    if [ -z "$codes" ]; then echo "$net: banned after $answered" >"$workdir/$phase.$host.brute"
    else echo "$net: in the set, still answered" >"$workdir/$phase.$host.brute"; fi
}

# attack PHASE NETWORK: the three attacks against every PBX (the PBXs in parallel), the brute
# force from NETWORK; the output per host.
attack() {
    local host
    phase=$1
    for host in "${hosts[@]}"; do
        { invite "$host"; internet "$host"; brute_force "$host" "$2"; } >"$workdir/$phase.$host.log" 2>&1 &
    done
    wait
    for host in "${hosts[@]}"; do
        printf '  %s\n' "$host"
        cat "$workdir/$phase.$host.log"
    done
}

# The outside-in probe of every audit (PBX-PRB-001..003): from the Internet's attacker
# (pbxsec-demo-internet, in the demo inventory), to each PBX's address on the Internet network,
# where that attacker reaches it (pbx_probe_address; the probe goes to no other address).
probe_vars() {
    local host addresses=""
    for host in "${hosts[@]}"; do
        addresses+="${addresses:+, }\"$host\": \"$(address "$host" internet)\""
    done
    printf '{"pbx_probe": true, "pbx_probe_host": "pbxsec-demo-internet", %s, %s}' \
        "\"pbxsec_demo_probe_addresses\": {$addresses}" \
        '"pbx_probe_address": "{{ pbxsec_demo_probe_addresses[inventory_hostname] }}"'
}

# audit NAME: playbooks/audit.yml with the probe from the Internet into reports/demo-NAME (a
# non-compliant fleet is the expected answer before hardening, not an error of the demo); prints
# the counts and the probe's verdicts per host and writes them for the summary. Returns 1 when
# NAME is "after" and a control is neither pass, waived nor n/a, or the probe did not run.
audit() {
    local dir="$PWD/reports/demo-$1" baseline=()
    [ "$1" = after ] && baseline=(-e "pbx_audit_baseline=$PWD/reports/demo-before/fleet.json")
    rm -rf "$dir"
    mkdir -p "$dir"
    ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.audit "${baseline[@]}" \
        -e "$(probe_vars)" -e "pbx_report_dir=$dir" -e pbx_audit_fail=false \
        >"$workdir/audit-$1.log" 2>&1 || { cat "$workdir/audit-$1.log"; return 1; }
    mv "$workdir/audit-$1.log" "$dir/ansible.log"
    python3 - "$dir/fleet.json" "$workdir" "$1" <<'PY'
import json, sys
fleet, workdir, name = json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2], sys.argv[3]
bad = 0
PROBE = ("PBX-PRB-001", "PBX-PRB-002", "PBX-PRB-003")
SHORT = {"not_applicable": "n/a"}
QUIET = ("OPTIONS: ", "anonymous INVITE: ", "REGISTER: ")     # a port that gave no answer
for host in fleet["hosts"]:
    s = host["summary"]
    counts = "%d pass, %d fail, %d manual, %d error, %d waived" % (
        s["pass"], s["fail"], s["manual"], s["error"], s["waived"])
    print("  %-18s %-13s %s" % (host["name"], host["status"], counts))
    open("%s/%s.%s.audit" % (workdir, name, host["name"]), "w", encoding="utf-8").write(
        "%d fail %d manual %d waived" % (s["fail"] + s["error"], s["manual"], s["waived"]))
    p = host.get("pressure") or {}
    pressure = "%s failed auth, %s unknown users, %s bans (24 h)" % (
        p.get("failed_auth", "?"), p.get("unknown_user", "?"), p.get("bans", "?")) \
        if p.get("status") == "counted" else "unknown"
    open("%s/%s.%s.pressure" % (workdir, name, host["name"]), "w", encoding="utf-8").write(pressure)
    # The probe's verdicts, PBX-PRB-001 002 003; "not run" when the audit judged them itself.
    by_id = dict((control["id"], control) for control in host["controls"])
    probed = [by_id.get(control) for control in PROBE]
    if all(probed) and not any(item["message"].startswith("probe not run")
                               for control in probed for item in control["findings"]):
        probe = " ".join(SHORT.get(control["status"], control["status"]) for control in probed)
    else:
        probe, bad = "not run", bad + 1
    print("  %-18s probe from the Internet (PRB-001 002 003): %s" % ("", probe))
    for control in probed:
        if control and control["status"] in ("fail", "error"):
            for item in control["findings"]:
                if not item["message"].split(": ", 1)[-1].startswith(QUIET):
                    print("    %s %s %s: %s" % (control["id"], control["status"], item["object"],
                                                item["message"]))
    open("%s/%s.%s.probe" % (workdir, name, host["name"]), "w", encoding="utf-8").write(probe)
    for control in host["controls"]:
        if control["status"] not in ("pass", "waived", "not_applicable"):
            bad += 1
            if name == "after":
                print("    %s %s: %s" % (control["id"], control["status"], "; ".join(
                    f["message"] for f in control.get("findings", []))))
drift = fleet.get("drift") or {}
if drift.get("baseline"):
    print("  drift against %s: %d regression(s), %d improvement(s)" % (
        drift["baseline"]["file"], len(drift["regressions"]), len(drift["improvements"])))
sys.exit(1 if bad and name == "after" else 0)
PY
}

# drift HOST: a regression on HOST (guests allowed again in sip.conf, chan_sip reloaded), audited
# (with the probe, as the other audits) against the after-hardening report with
# pbx_audit_fail=regressions: the run must fail on it, and fleet.json and junit.xml must name it.
# Writes "PBX-SIP-001 pass -> fail" (or what it saw).
drift() {
    local host=$1 dir="$PWD/reports/demo-drift" rc=0
    docker exec "$host" sh -c "sed -i 's/^allowguest *= *no/allowguest=yes/' /etc/asterisk/sip.conf &&
        asterisk -rx 'sip reload' >/dev/null"
    rm -rf "$dir"
    mkdir -p "$dir"
    ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.audit -e "$(probe_vars)" \
        -e "pbx_audit_baseline=$PWD/reports/demo-after/fleet.json" -e "pbx_report_dir=$dir" \
        -e pbx_audit_fail=regressions >"$dir/ansible.log" 2>&1 || rc=$?
    python3 - "$dir" "$host" "$rc" "$workdir" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
folder, host, rc, workdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fleet = json.load(open(folder + "/fleet.json", encoding="utf-8"))
drift = fleet["drift"]
for other in fleet["hosts"]:
    changes = ["%s %s -> %s" % (r["control"], r["before"], r["after"])
               for r in drift["regressions"] if r["host"] == other["name"]]
    open("%s/after.%s.drift" % (workdir, other["name"]), "w", encoding="utf-8").write(
        "regression: " + ", ".join(changes) if changes else "no regression")
found = [r for r in drift["regressions"] if r["host"] == host]
junit = ET.parse(folder + "/junit.xml").getroot()
suite = [s for s in junit.iter("testsuite") if s.get("name") == "drift"]
seen = ", ".join("%s %s -> %s" % (r["control"], r["before"], r["after"]) for r in found) or "none"
print("  %s: regressions %s; audit exit code %d (pbx_audit_fail=regressions); junit drift suite: %s"
      % (host, seen, rc, "yes" if suite else "no"))
sys.exit(0 if rc != 0 and any(r["control"] == "PBX-SIP-001" for r in found) and suite else 1)
PY
}

# shared_bans SOURCE: an Internet scanner and the provider's address banned on SOURCE only (by
# hand, as fail2ban would after a scan), then pbxsec.hardening.share_bans: every other PBX must
# hold the scanner in its shared4 set and never the provider; a second run must change nothing.
shared_bans() {
    local source=$1 scanner=${net_prefix[internet]}.10 provider=${net_prefix[provider]}.10
    local host log="$PWD/reports/demo-share-bans.log" status=0 result
    for address in "$scanner" "$provider"; do
        docker exec "$source" fail2ban-client set asterisk banip "$address" >/dev/null
    done
    ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.share_bans >"$log" 2>&1 ||
        { cat "$log"; return 1; }
    for host in "${hosts[@]}"; do
        [ "$host" = "$source" ] && continue
        result="not shared"   # "shared from SOURCE" when the scanner is in shared4
        if in_set "$host" shared4 "$scanner"; then
            result="shared from ${source#pbxsec-demo-}"
        fi
        if in_set "$host" shared4 "$provider"; then
            result="$result, PROVIDER SHARED"
            status=1
        fi
        [ "$result" = "shared from ${source#pbxsec-demo-}" ] || status=1
        printf '    %s: scanner %s %s; provider %s never shared\n' "$host" "$scanner" "$result" "$provider"
        echo "$result" >"$workdir/after.$host.shared"
    done
    echo "banned here, shared" >"$workdir/after.$source.shared"
    ansible-playbook -i "$workdir/inventory.yml" pbxsec.hardening.share_bans >"$log.again" 2>&1 ||
        { cat "$log.again"; return 1; }
    if sed -n '/^PLAY RECAP/,$p' "$log.again" | grep 'changed=[1-9]' >/dev/null; then
        echo "    second run changed something"; status=1
    else
        echo "    second run: nothing changed"
    fi
    cat "$log.again" >>"$log" && rm -f "$log.again"
    return $status
}
