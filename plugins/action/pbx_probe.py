# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.pbx_probe``: probes go only to hosts of the inventory.  The
controller looks ``host`` up in the inventory, takes the address the inventory gives it
(``pbx_probe_address``, else ``ansible_host``, else its name) and refuses any other ``address``;
then the module runs where the task runs (the controller or the delegated ``pbx_probe_host``)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

ADDRESS_VARIABLES = ("pbx_probe_address", "ansible_host")


def inventory_address(host, variables):
    """The address the inventory gives ``host``: the first of :data:`ADDRESS_VARIABLES` set in
    its ``variables``, else its name."""
    for name in ADDRESS_VARIABLES:
        value = variables.get(name)
        if value:
            return str(value)
    return host


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        host = args.get("host")
        hostvars = task_vars["hostvars"]
        if not isinstance(host, str) or host not in hostvars:
            result.update(failed=True, msg="host must name a host of the inventory; probes go "
                          "only to inventory hosts")
            return result
        allowed = inventory_address(host, hostvars[host])
        if args.get("address") not in (None, "", allowed):
            result.update(failed=True, msg="refused: %s is not the address the inventory gives "
                          "%s (pbx_probe_address, ansible_host or its name: %s)"
                          % (args["address"], host, allowed))
            return result
        args["address"] = allowed
        result.update(self._execute_module(module_name="pbxsec.hardening.pbx_probe",
                                           module_args=args, task_vars=task_vars))
        return result
