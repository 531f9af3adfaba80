#!/usr/bin/env bash
# Run ansible-lint (production profile, see .ansible-lint) over pbxsec.hardening, offline.
#
#   tests/sanity/run-lint.sh                        # the whole repo
#   tests/sanity/run-lint.sh roles/sip              # extra arguments go to ansible-lint
#   VENV=/path/to/venv tests/sanity/run-lint.sh     # another tool venv (default: <repo>/.venv)
#
# Offline means: `--offline` (also `offline: true` in .ansible-lint) so ansible-lint installs no
# requirements.yml from Galaxy, refreshes no JSON schemas and asks GitHub for no newer release;
# ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1 says the same for the schemas. ANSIBLE_LINT_NODEPS is left off on
# purpose: it would stop ansible-lint from resolving modules and roles, and hide real errors.
# The collections the content uses come from PyPI's `ansible` package in the venv, and
# pbxsec.hardening itself from this work tree, linked into .cache/collections (as the Makefile does).

set -euo pipefail

PYTHON_VERSION=3.11
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
VENV="${VENV:-$ROOT/.venv}"
COLLECTIONS="$ROOT/.cache/collections"

log() { printf 'run-lint: %s\n' "$*"; }

# --- tool venv (pins in requirements-dev.txt), made from PyPI when missing ----------------------
if [ ! -x "$VENV/bin/ansible-lint" ] && [ -x "$ROOT/tests/bed/ensure-venv.sh" ]; then
    log "no ansible-lint in $VENV: installing requirements-dev.txt (PyPI)"
    "$ROOT/tests/bed/ensure-venv.sh" "$VENV" "$ROOT/requirements-dev.txt"
fi
if [ ! -x "$VENV/bin/ansible-lint" ]; then
    log "no ansible-lint in $VENV: installing requirements-dev.txt (PyPI)"
    "python$PYTHON_VERSION" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt"
fi

# --- pbxsec.hardening as a collection ansible can find ------------------------------------------
read -r NAMESPACE NAME < <("$VENV/bin/python" - "$ROOT/galaxy.yml" <<'EOF'
import sys, yaml
meta = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
print(meta['namespace'], meta['name'])
EOF
)
LINK="$COLLECTIONS/ansible_collections/$NAMESPACE/$NAME"
if [ "$(readlink "$LINK" 2>/dev/null)" != "$ROOT" ]; then
    mkdir -p "$(dirname "$LINK")"
    ln -sfn "$ROOT" "$LINK"
fi

# --- environment --------------------------------------------------------------------------------
export PATH="$VENV/bin:$PATH"                 # ansible-lint warns when its own venv is not on PATH
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" # plus sys.path, where the `ansible` package's collections are
export ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1
# A HOME of its own: an installed copy of this collection in ~/.ansible/collections (say, an
# older release) would otherwise be linted instead of the work tree.
export HOME="$ROOT/.cache/lint-home"
mkdir -p "$HOME"
export ANSIBLE_LINT_NODEPS=0
export NO_COLOR=1 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
unset FORCE_COLOR

cd "$ROOT"
log "$("$VENV/bin/ansible-lint" --nocolor --offline --version 2>/dev/null | head -n1)"
set +e
"$VENV/bin/ansible-lint" --offline --nocolor --config-file "$ROOT/.ansible-lint" "$@"
rc=$?
set -e
if [ "$rc" = 0 ]; then log "PASSED"; else log "FAILED (ansible-lint exit status $rc)"; fi
exit "$rc"
