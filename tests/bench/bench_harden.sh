#!/usr/bin/env bash
# Benchmark: the harden playbook (playbooks/harden.yml) on a fleet of stock PBX containers, in
# the order an operator runs it: `--check --diff` on the fresh fleet, the real run, then a second
# run that must change nothing (idempotence). Prints the wall time of each, per host and as a
# ratio to an `ansible -m ping` of the same fleet in the same run, the controller's CPU time,
# the changed count and the tasks executed per host (ok + skipped + failed) from the PLAY RECAP.
# First, the floor: the same playbook with every role off (its argument checks, the discovery of
# Asterisk, the verdict and the tasks the off roles skip), what harden costs before any role works.
# A benchmark that prints numbers, not a test; it stops when a run fails or the second run
# changes anything.
#
#   tests/bench/bench_harden.sh             # 20 containers of pbxsec/asterisk16:latest
#   N=50 FORKS=25 STRATEGY=free tests/bench/bench_harden.sh
#   RUNS="real" N=50 tests/bench/bench_harden.sh    # only some of: floor check real second
#
# The fleet (pbxsec-bench-<run>-<i>, --network none, docker exec) comes from fleet.sh. The
# firewall and fail2ban roles are off (no NET_ADMIN in these containers): see bench_inventory.py.

set -euo pipefail
# shellcheck source=tests/bench/fleet.sh
. "$(dirname "${BASH_SOURCE[0]}")/fleet.sh"

RUNS="${RUNS:-floor check real second}"
ROLES_OFF='{"pbx_sip_enabled": false, "pbx_dialplan_enabled": false, "pbx_manager_enabled": false,
  "pbx_secrets_enabled": false, "pbx_voicemail_enabled": false}'
declare -A ARGS=([floor]="--check" [check]="--check --diff" [real]="" [second]="")

changed() {   # changed <label>: the sum of changed= over the PLAY RECAP of $WORK/<label>.log
    awk '/^PLAY RECAP/ {recap = 1; next} recap && /changed=/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, kv, "="); sum += kv[2] } }
        END { print sum + 0 }' "$WORK/$1.log"
}

tasks() {   # tasks <label>: tasks executed per host (ok, which counts changed ones, + skipped +
            # failed) over the PLAY RECAP of $WORK/<label>.log, averaged over the hosts
    awk '/^PLAY RECAP/ {recap = 1; next} recap && /ok=/ { hosts++
        for (i = 1; i <= NF; i++) if ($i ~ /^(ok|skipped|failed)=/) { split($i, kv, "="); sum += kv[2] } }
        END { printf "%.0f", hosts ? sum / hosts : 0 }' "$WORK/$1.log"
}

fleet_start harden
load_before=$(load)
# The ping warm-up pays for first-time caches (bytecode); harden itself cannot be warmed up
# without changing the fleet, so its first run is what an operator's first run costs.
elapsed warmup-ping ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping >/dev/null
ping=$(elapsed ping ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping)
printf 'hosts=%d forks=%d strategy=%s image=%s\n' "$N" "$FORKS" "$STRATEGY" "$IMAGE"
printf 'ping          wall: %7.2f s (%.2f s per host, controller CPU %s s)\n' "$ping" \
    "$(echo "$ping / $N" | bc -l)" "$(cpu ping)"
for run in floor check real second; do
    [[ " $RUNS " == *" $run "* ]] || continue
    extra=()
    [ "$run" = floor ] && extra=(-e "$ROLES_OFF")
    # shellcheck disable=SC2086 # ARGS holds words
    wall=$(elapsed "$run" ansible-playbook -i inventory.json -f "$FORKS" pbxsec.hardening.harden ${ARGS[$run]} "${extra[@]}")
    printf 'harden %-6s wall: %7.2f s (%.2f s per host, %.1fx ping, controller CPU %s s, changed=%d, tasks per host=%d, %s)\n' \
        "$run" "$wall" "$(echo "$wall / $N" | bc -l)" "$(echo "$wall / $ping" | bc -l)" \
        "$(cpu "$run")" "$(changed "$run")" "$(tasks "$run")" "$(date -u +%H:%M:%S)"
    if [ "$run" = second ] && [ "$(changed second)" != 0 ]; then
        echo "bench: the second run changed $(changed second) things, it is not idempotent" >&2
        exit 1
    fi
done
printf 'load before: %s, after: %s\n' "$load_before" "$(load)"
