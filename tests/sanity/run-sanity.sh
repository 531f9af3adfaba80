#!/usr/bin/env bash
# Run `ansible-test sanity` on pbxsec.hardening, offline (PyPI and Debian's apt mirrors only).
#
#   tests/sanity/run-sanity.sh                      # every sanity test ansible-test 2.19 has
#   tests/sanity/run-sanity.sh --test pylint        # extra arguments go to ansible-test sanity
#   VENV=/path/to/venv tests/sanity/run-sanity.sh   # another tool venv (default: <repo>/.venv)
#   SANITY_WORK=/path tests/sanity/run-sanity.sh    # another work copy (default: <repo>/.cache/sanity)
#
# What it does, in order:
#   1. Makes sure the tool venv (pins in requirements-dev.txt) and the OS bits exist: git, ensurepip
#      (python3.11-venv) and shellcheck come from apt when missing; the venv from PyPI when missing
#      (through tests/bed/ensure-venv.sh, as `make venv` does, when that script is there).
#   2. Drops a stand-in for pip's get-pip.py into ansible-test's bootstrap cache
#      (~/.ansible/test/cache/get_pip_<pip version>.py). ansible-test bootstraps pip into every venv it
#      builds by downloading get-pip.py from ci-files.testing.ansible.com, which is not reachable here;
#      the stand-in does the same job from `ensurepip` plus PyPI.
#   3. Copies the collection's files (git ls-files --cached --others --exclude-standard: works before
#      the first commit and leaves out what .gitignore ignores) into
#      .cache/sanity/ansible_collections/<namespace>/<name>, a real directory as ansible-test requires,
#      keeping that copy's tests/output/ (it holds the --venv controller venv) between runs, and makes
#      the copy a git work tree of its own so ansible-test lists exactly the copied files.
#   4. Runs `ansible-test sanity --venv --requirements --python 3.11` there and exits with its status.
#
# Tests skipped on purpose (SKIP_TESTS below), each because it needs a download that cannot be had
# offline. Keep this list minimal: nothing is skipped today.
#   (none)
# Tests that ansible-test itself skips when their tool is absent: pslint (needs PowerShell, which is
# neither on PyPI nor in Debian; it only matters once the collection has .ps1/.psm1 files).

set -euo pipefail

PYTHON_VERSION=3.11
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
VENV="${VENV:-$ROOT/.venv}"
WORK="${SANITY_WORK:-$ROOT/.cache/sanity}"

# "name|reason" pairs; each becomes `--skip-test name` and a printed line.
SKIP_TESTS=()

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
export DEBIAN_FRONTEND=noninteractive
# The Makefile exports these to point at .cache/collections (a symlink to the work tree); ansible-test
# must see only its own copy of the collection, so it gets neither.
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS PYTHONPATH

# ansible-test warns when en_US.UTF-8 is missing (it then uses C.UTF-8, which is fine here).
if locale -a 2>/dev/null | grep -qix 'en_US.utf8'; then export LC_ALL=en_US.UTF-8; fi

log() { printf 'run-sanity: %s\n' "$*"; }

APT_UPDATED=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        log "cannot install $* (no apt-get); install it by hand"
        return 1
    fi
    local out rc=0
    out="$(mktemp)"
    {
        if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; fi &&
            apt-get install -y -qq --no-install-recommends "$@"
    } >"$out" 2>&1 || rc=$?
    APT_UPDATED=1
    if [ "$rc" != 0 ]; then cat "$out" >&2; fi
    rm -f "$out"
    return "$rc"
}

# --- 1. tools -----------------------------------------------------------------------------------
command -v git >/dev/null 2>&1 || { log "installing git (apt)"; apt_install git; }

if [ ! -x "$VENV/bin/ansible-test" ]; then
    log "no tool venv at $VENV: creating it from requirements-dev.txt (PyPI)"
    if [ -x "$ROOT/tests/bed/ensure-venv.sh" ]; then
        "$ROOT/tests/bed/ensure-venv.sh" "$VENV" "$ROOT/requirements-dev.txt"
    fi
fi
if [ ! -x "$VENV/bin/ansible-test" ]; then
    PY="$(command -v "python$PYTHON_VERSION" || true)"
    if [ -z "$PY" ]; then
        log "installing python$PYTHON_VERSION (apt)"
        apt_install "python$PYTHON_VERSION" "python$PYTHON_VERSION-venv"
        PY="$(command -v "python$PYTHON_VERSION")"
    fi
    "$PY" -c 'import ensurepip' 2>/dev/null || apt_install "python$PYTHON_VERSION-venv"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q -r "$ROOT/requirements-dev.txt"
fi
export PATH="$VENV/bin:$PATH"
PY="$VENV/bin/python"

# The stand-in get-pip needs ensurepip in the interpreter ansible-test builds its venvs from
# (the same stdlib as the tool venv's). Debian ships it in pythonX.Y-venv.
if ! "$PY" -c 'import ensurepip' 2>/dev/null; then
    log "installing python$PYTHON_VERSION-venv (apt) for ensurepip"
    apt_install "python$PYTHON_VERSION-venv"
fi

# The shellcheck sanity test needs the shellcheck binary (the repo has shell scripts); Debian packages it.
if ! command -v shellcheck >/dev/null 2>&1; then
    log "installing shellcheck (apt) for the shellcheck sanity test"
    apt_install shellcheck || log "WARNING: no shellcheck: ansible-test will skip its shellcheck test"
fi

# --- 2. get-pip stand-in ------------------------------------------------------------------------
# ansible-test pins the pip it bootstraps per Python version (get_venv_packages); ask it which.
PIP_VERSION="$("$PY" - "$PYTHON_VERSION" <<'EOF'
import sys, types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))['pip'])
EOF
)"
CACHE_DIR="$HOME/.ansible/test/cache"
GET_PIP="$CACHE_DIR/get_pip_${PIP_VERSION//./_}.py"
MARKER='# pbxsec.hardening offline stand-in for get-pip.py'
STANDIN="$(cat <<EOF
$MARKER (written by tests/sanity/run-sanity.sh)
# ansible-test runs this as get-pip.py: "python get_pip_X_Y.py [pip install args...] [--no-setuptools] [--no-wheel]"
# in a venv made with --without-pip. Same result without ci-files.testing.ansible.com: the interpreter's
# own ensurepip, then pip install (from PyPI) of what ansible-test asked for.
import subprocess
import sys

NO_FLAGS = {'--no-setuptools': 'setuptools', '--no-wheel': 'wheel'}
args = [arg for arg in sys.argv[1:] if arg not in NO_FLAGS]
unwanted = [NO_FLAGS[arg] for arg in sys.argv[1:] if arg in NO_FLAGS]
quiet = ['--disable-pip-version-check', '-q']

subprocess.run([sys.executable, '-m', 'ensurepip', '--default-pip'], check=True, stdout=subprocess.DEVNULL)
subprocess.run([sys.executable, '-m', 'pip', 'install', *quiet, *args], check=True)

# get-pip.py --no-setuptools / --no-wheel would not have installed these; ensurepip may have (3.11 bundles setuptools).
remove = [name for name in unwanted
          if subprocess.run([sys.executable, '-m', 'pip', 'show', *quiet, name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0]
if remove:
    subprocess.run([sys.executable, '-m', 'pip', 'uninstall', '-y', *quiet, *remove], check=True)
EOF
)"
mkdir -p "$CACHE_DIR"
if [ ! -e "$GET_PIP" ] || { head -n1 "$GET_PIP" | grep -qF "$MARKER" && [ "$(cat "$GET_PIP")" != "$STANDIN" ]; }; then
    printf '%s\n' "$STANDIN" > "$GET_PIP"
    log "wrote get-pip stand-in for pip $PIP_VERSION: $GET_PIP"
fi

# --- 3. copy of the collection ------------------------------------------------------------------
read -r NAMESPACE NAME < <("$PY" - "$ROOT/galaxy.yml" <<'EOF'
import sys, yaml
meta = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
print(meta['namespace'], meta['name'])
EOF
)
DEST="$WORK/ansible_collections/$NAMESPACE/$NAME"
log "copying the collection's files to $DEST"
mkdir -p "$DEST"
KEEP="$WORK/.tests-output.keep"
rm -rf "$KEEP"
[ -d "$DEST/tests/output" ] && mv "$DEST/tests/output" "$KEEP"
rm -rf "$DEST"
mkdir -p "$DEST/tests"
[ -d "$KEEP" ] && mv "$KEEP" "$DEST/tests/output"

(
    cd "$ROOT"
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' file; do
            case "$file" in .cache | .cache/* | .venv | .venv/* | tests/output/*) continue ;; esac
            # --cached also lists files deleted from the work tree but not from the index
            if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\0' "$file"; fi
        done |
        tar --null --no-recursion -T - -cf -
) | tar -C "$DEST" -xf -

# ansible-test lists a collection's files with git when it finds a .git directory in or above it, and
# the one above (this repo's) ignores .cache/: it would see no files at all. A repo of the copy's own
# (no commit needed: ansible-test also lists untracked files) makes it see exactly the copied files.
git -C "$DEST" init -q
printf 'tests/output/\n' >> "$DEST/.git/info/exclude"

# --- 4. ansible-test ----------------------------------------------------------------------------
SKIP_ARGS=()
for entry in "${SKIP_TESTS[@]+"${SKIP_TESTS[@]}"}"; do
    log "SKIPPED sanity test '${entry%%|*}': ${entry#*|}"
    SKIP_ARGS+=(--skip-test "${entry%%|*}")
done

# ansible-test runs pip with a scrubbed environment (no PIP_* variables get through), so pip's
# per-package chatter is filtered here instead; pip's errors and everything else pass through.
# SANITY_VERBOSE=1 shows it all.
PIP_CHATTER="^(WARNING: Location '.*' is ignored: |Looking in (indexes|links): |Collecting |  Downloading |  Using cached |Processing /|Requirement already satisfied|Installing collected packages: |Successfully installed |     [^ ]+ [0-9.]+/[0-9.]+ [kMG]?B )"
filter() {
    if [ "${SANITY_VERBOSE:-0}" = 1 ]; then cat; else grep --line-buffered -Ev "$PIP_CHATTER" || true; fi
}

cd "$DEST"
log "ansible-test $("$VENV/bin/ansible-test" --version 2>/dev/null | awk '{print $NF}') sanity in $DEST"
set +e
"$VENV/bin/ansible-test" sanity --venv --requirements --python "$PYTHON_VERSION" --color no \
    "${SKIP_ARGS[@]+"${SKIP_ARGS[@]}"}" "$@" 2>&1 | filter
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ]; then
    log "PASSED"
else
    log "FAILED (ansible-test exit status $rc); results: $DEST/tests/output/"
fi
exit "$rc"
