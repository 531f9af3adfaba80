# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Print the JSON inventory of a benchmark fleet: ``bench_inventory.py <prefix> <n> [audit|harden]``.

Hosts ``<prefix>-1`` .. ``<prefix>-<n>`` in group ``pbx``, reached through ``docker exec``;
the audit gets the test-bed provider network (TEST-NET-2). ``harden`` uses the group variables
of the harden playbook's integration test (``HARDEN_VARS`` of tests/integration/fleet.py), so
that the benchmark hardens what that test proves: firewall and fail2ban off (the containers
have no NET_ADMIN), loopback trusted, weak secrets rotated into the store next to the
inventory, the provider trunk's credential waived, the guest context fixed."""

import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def harden_vars():
    path = os.path.join(HERE, "..", "integration", "fleet.py")
    spec = importlib.util.spec_from_file_location("fleet", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.HARDEN_VARS


def main():
    prefix, count = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "audit"
    if mode not in ("audit", "harden"):
        sys.exit("bench_inventory.py: mode must be audit or harden, not %r" % mode)
    hosts = dict(("%s-%d" % (prefix, i), {}) for i in range(1, count + 1))
    group_vars = {
        "ansible_connection": "community.docker.docker",
        "ansible_python_interpreter": "/usr/bin/python3",
        "pbx_become": False,
        "pbx_provider_networks": ["198.51.100.0/24"],
    }
    if mode == "harden":      # the test's variables, with the interpreter named as for the audit
        group_vars = dict(harden_vars(), **group_vars)
    print(json.dumps({"pbx": {"hosts": hosts, "vars": group_vars}}, indent=2))


if __name__ == "__main__":
    main()
