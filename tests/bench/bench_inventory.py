# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Print the JSON inventory of a benchmark fleet: ``bench_inventory.py <prefix> <n>``.

Hosts ``<prefix>-1`` .. ``<prefix>-<n>`` in group ``pbx``, reached through ``docker exec``;
the audit gets the test-bed provider network (TEST-NET-2)."""

import json
import sys


def main():
    prefix, count = sys.argv[1], int(sys.argv[2])
    hosts = dict(("%s-%d" % (prefix, i), {}) for i in range(1, count + 1))
    print(json.dumps({"pbx": {"hosts": hosts, "vars": {
        "ansible_connection": "community.docker.docker",
        "ansible_python_interpreter": "/usr/bin/python3",
        "pbx_become": False,
        "pbx_provider_networks": ["198.51.100.0/24"],
    }}}, indent=2))


if __name__ == "__main__":
    main()
