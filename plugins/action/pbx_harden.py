# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.pbx_harden``: refuses, on the controller, the options that must
not reach the PBX, then runs the module. AnsibleModule logs a module's options on the PBX
(syslog, the journal) when it starts, masking only the options its argument spec marks no_log;
the areas' options are plain dicts, so PINs given inside ``voicemail`` (its module's ``pins``)
would be logged there. They belong in ``voicemail_pins``, which is no_log."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

# Per area, the options of its own module that pbx_harden takes elsewhere.
REFUSED = {"voicemail": {"pins": "voicemail_pins"}}


class ActionModule(ActionBase):
    """Refuse the options above before the module is sent; otherwise the module's own run."""

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        refused = ["%s.%s (give it as %s)" % (area, option, instead)
                   for area, options in REFUSED.items()
                   for option, instead in options.items()
                   if option in (self._task.args.get(area) or {})]
        if refused:
            result.update(failed=True, msg="nothing was sent to the host: %s"
                                           % "; ".join(refused))
            return result
        result.update(self._execute_module(task_vars=task_vars))
        return result
