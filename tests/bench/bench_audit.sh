#!/usr/bin/env bash
# Benchmark: the compliance audit (playbooks/audit.yml) against `ansible -m ping` on the same
# fleet of stock PBX containers, same forks, same run. Prints both wall times and the ratio
# (goal: audit <= 1.5 x ping). A benchmark that prints numbers, not a test.
#
#   tests/bench/bench_audit.sh              # 20 containers of pbxsec/asterisk16:latest
#   N=40 FORKS=20 IMAGE=pbxsec/asterisk22:latest tests/bench/bench_audit.sh
#
# Containers are named pbxsec-bench-<run>-<i>, run with --network none, reached through
# `docker exec` (community.docker.docker) and removed at the end, also on failure or Ctrl-C.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
N="${N:-20}"
FORKS="${FORKS:-$N}"
IMAGE="${IMAGE:-pbxsec/asterisk16:latest}"
VENV="${VENV:-$ROOT/.venv}"
RUN="pbxsec-bench-$(date +%s)-$$"
WORK="$(mktemp -d)"

export PATH="$VENV/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$ROOT/.cache/collections"
export ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_LOCAL_TEMP="$WORK/ansible-local"

cleanup() {
    docker ps -aq --filter "name=^${RUN}-" | xargs -r docker rm -f -v >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "bench: starting $N containers of $IMAGE ($RUN-*)"
for i in $(seq 1 "$N"); do
    docker run -d --network none --name "$RUN-$i" "$IMAGE" /usr/local/sbin/pbxsec-init >/dev/null
done
for i in $(seq 1 "$N"); do
    for _try in $(seq 1 180); do
        if docker exec "$RUN-$i" asterisk -rx "core waitfullybooted" 2>/dev/null | grep -q "fully booted"; then
            break
        fi
        sleep 0.5
    done
done

"$VENV/bin/python" "$ROOT/tests/bench/bench_inventory.py" "$RUN" "$N" > "$WORK/inventory.json"

elapsed() {   # elapsed <label> <command...>: run it, print and return wall seconds
    local start end
    start=$(date +%s.%N)
    "${@:2}" > "$WORK/$1.log" 2>&1 || { echo "bench: $1 failed, see below"; tail -30 "$WORK/$1.log"; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

cd "$WORK"
# One warm-up of each, so neither pays for first-time caches (interpreter discovery, bytecode).
elapsed warmup-ping ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping >/dev/null
elapsed warmup-audit ansible-playbook -i inventory.json -f "$FORKS" pbxsec.hardening.audit \
    -e pbx_audit_fail=false -e "pbx_report_dir=$WORK/reports" >/dev/null
ping=$(elapsed ping ansible all -i inventory.json -f "$FORKS" -m ansible.builtin.ping)
audit=$(elapsed audit ansible-playbook -i inventory.json -f "$FORKS" pbxsec.hardening.audit \
    -e pbx_audit_fail=false -e "pbx_report_dir=$WORK/reports")
printf 'hosts=%d forks=%d image=%s\n' "$N" "$FORKS" "$IMAGE"
printf 'ping  wall: %6.2f s\n' "$ping"
printf 'audit wall: %6.2f s (reports: %s)\n' "$audit" "$(find "$WORK/reports" -mindepth 1 -maxdepth 1 -printf '%f ')"
printf 'ratio audit/ping: %.2f (goal <= 1.50)\n' "$(echo "$audit / $ping" | bc -l)"
