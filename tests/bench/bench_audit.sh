#!/usr/bin/env bash
# Benchmark: the compliance audit (playbooks/audit.yml) against `ansible -m ping` on the same
# fleet of stock PBX containers, same forks, same run. Prints both wall times and the ratio
# (goal: audit <= 1.5 x ping). A benchmark that prints numbers, not a test.
#
#   tests/bench/bench_audit.sh              # 20 containers of pbxsec/asterisk16:latest
#   N=40 FORKS=20 IMAGE=pbxsec/asterisk22:latest tests/bench/bench_audit.sh
#   STRATEGY=free tests/bench/bench_audit.sh  # another strategy plugin (default: linear)
#   ROUNDS=5 tests/bench/bench_audit.sh        # ping and audit alternate 5 times (default 3);
#                                              # the ratio is the median of the 5 rounds' ratios
#
# It also counts the hosts in the audit's fleet report: a strategy under which the play's
# run_once report task does not wait for every host (free) leaves hosts out.
# The fleet (pbxsec-bench-<run>-<i>, --network none, docker exec) comes from fleet.sh.

set -euo pipefail
# shellcheck source=tests/bench/fleet.sh
. "$(dirname "${BASH_SOURCE[0]}")/fleet.sh"

ROUNDS="${ROUNDS:-3}"
fleet_start audit
load_before=$(load)
# One warm-up of each, so neither pays for first-time caches (interpreter discovery, bytecode).
elapsed warmup-ping ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping >/dev/null
elapsed warmup-audit ansible-playbook -i inventory.json -f "$FORKS" pbxsec.hardening.audit \
    -e pbx_audit_fail=false -e "pbx_report_dir=$WORK/warmup-reports" >/dev/null
# Ping and audit alternate ROUNDS times (default 3). Each round's audit is divided by the ping
# just before it, and the ratio printed is the median of those: a load that drifts during the
# run (this machine's ping alone spreads by a third) falls on both halves of a round alike.
pings=() audits=() ratios=()
for round in $(seq 1 "$ROUNDS"); do
    pings+=("$(elapsed "ping-$round" ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping)")
    audits+=("$(elapsed "audit-$round" ansible-playbook -i inventory.json -f "$FORKS" pbxsec.hardening.audit \
        -e pbx_audit_fail=false -e "pbx_report_dir=$WORK/reports")")
    ratios+=("$(echo "${audits[-1]} / ${pings[-1]}" | bc -l)")
done
ping=$(median "${pings[@]}")
audit=$(median "${audits[@]}")
printf 'hosts=%d forks=%d strategy=%s image=%s rounds=%d\n' "$N" "$FORKS" "$STRATEGY" "$IMAGE" "$ROUNDS"
printf 'load before: %s, after: %s\n' "$load_before" "$(load)"
printf 'ping  wall, each round: %s s\n' "${pings[*]}"
printf 'audit wall, each round: %s s\n' "${audits[*]}"
printf 'ratio, each round: %s\n' "$(printf '%.2f ' "${ratios[@]}")"
printf 'ping  wall: %6.2f s median (%.2f s per host, controller CPU %s s in round 1)\n' "$ping" \
    "$(echo "$ping / $N" | bc -l)" "$(cpu ping-1)"
printf 'audit wall: %6.2f s median (%.2f s per host, controller CPU %s s in round 1; reports: %s)\n' "$audit" \
    "$(echo "$audit / $N" | bc -l)" "$(cpu audit-1)" "$(find "$WORK/reports" -mindepth 1 -maxdepth 1 -printf '%f ')"
printf 'hosts in the fleet report: %d of %d\n' "$(find "$WORK/reports/hosts" -name '*.json' | wc -l)" "$N"
printf 'ratio of the medians: %.2f\n' "$(echo "$audit / $ping" | bc -l)"
printf 'ratio audit/ping: %.2f, median of the rounds (goal <= 1.50)\n' "$(median "${ratios[@]}")"
