# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How ``pbx_harden`` runs another module's run (an area, the discovery, the preview of a
rotation) inside its own process: with that run's own options and check mode, its failure an
exception."""

from __future__ import annotations


class AreaFailed(Exception):
    """An area's module would have failed with ``result`` (its fail_json arguments)."""

    def __init__(self, result):
        super().__init__(result.get("msg", ""))
        self.result = result


class AreaModule:
    """What a run (an area, the discovery, the prediction) uses of AnsibleModule: its own options
    and check mode; fail_json raises AreaFailed; the rest (warn, no_log_values, selinux,
    run_command...) is the real module's."""

    def __init__(self, module, params, check_mode):
        self._module = module
        self.params = params
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise AreaFailed(kwargs)

    def __getattr__(self, name):
        return getattr(self._module, name)
