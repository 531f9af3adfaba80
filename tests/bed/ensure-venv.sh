#!/usr/bin/env bash
# Create the project's venv and install the pinned tool chain into it.
# Usage: ensure-venv.sh VENV_DIR REQUIREMENTS_FILE
set -euo pipefail
venv=$1 requirements=$2

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian's python3 keeps venv support in a separate package.
    [ "$(id -u)" = 0 ] || { echo "python3-venv is missing; install it (apt-get install python3-venv)" >&2; exit 1; }
    apt-get -q update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -q -y install python3-venv >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
