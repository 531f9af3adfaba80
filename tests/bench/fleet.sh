# Shared by the benchmarks (source it, do not run it): a fleet of N stock PBX containers named
# pbxsec-bench-<run>-<i>, run with --network none and reached through `docker exec`
# (community.docker.docker), removed at the end, also on failure or Ctrl-C. Sets ROOT, N, FORKS,
# IMAGE, STRATEGY (the strategy plugin, default linear), VENV, RUN, WORK and the Ansible environment; defines fleet_start (which waits for the CPUs to settle), elapsed, cpu, median and load.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
N="${N:-20}"
FORKS="${FORKS:-$N}"
IMAGE="${IMAGE:-pbxsec/asterisk16:latest}"
STRATEGY="${STRATEGY:-linear}"
VENV="${VENV:-$ROOT/.venv}"
RUN="pbxsec-bench-$(date +%s)-$$"
WORK="$(mktemp -d)"

export PATH="$VENV/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$ROOT/.cache/collections"
export ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_LOCAL_TEMP="$WORK/ansible-local" ANSIBLE_STRATEGY="$STRATEGY"

cleanup() {
    docker ps -aq --filter "name=^${RUN}-" | xargs -r docker rm -f -v >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

fleet_start() {   # fleet_start <audit|harden>: start the containers, write $WORK/inventory.json
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
    settle
    "$VENV/bin/python" "$ROOT/tests/bench/bench_inventory.py" "$RUN" "$N" "$1" > "$WORK/inventory.json"
    cd "$WORK" || exit 1
}

busy() {   # busy: per cent of all CPUs busy over the next second
    local before after
    before=$(awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
    sleep 1
    after=$(awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
    echo "$before $after" | awk '{ used = $3 - $1; idle = $4 - $2; print int(100 * used / (used + idle + 0.001)) }'
}

settle() {   # settle: wait (at most 2 min) until the booted fleet leaves the CPUs idle (< 10 %
             # busy), so that no measured run shares them with Asterisk finishing its start-up
    local _try
    for _try in $(seq 1 120); do
        [ "$(busy)" -lt 10 ] && return
    done
    echo "bench: the machine is still busy after 2 min; measuring anyway" >&2
}

elapsed() {   # elapsed <label> <command...>: run it (log in $WORK/<label>.log), print wall seconds
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$WORK/$1.cpu" "${@:2}" > "$WORK/$1.log" 2>&1 ||
        { echo "bench: $1 failed, see below" >&2; tail -30 "$WORK/$1.log" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

cpu() {   # cpu <label>: user + system CPU seconds of the controller side of that run (Ansible,
          # its forks, the docker CLI), not of the PBX side (the modules run in the containers)
    awk '{ printf "%.1f", $1 + $2 }' "$WORK/$1.cpu"
}

median() {   # median <number...>: the middle one (the lower middle of an even count)
    printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"
}

load() {   # load: the 1-minute load average and the CPU count, for the record
    printf '%s (cpus=%s)' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
}
