# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.secrets_rotate``: in check mode, the prediction module
``pbx_harden`` made of this write in the run that found the weak credentials (``preview``, its
secrets area's ``rotation_preview``) answers without a round trip to the host, when it was made
for the same configuration directory, credentials and PINs; otherwise the module runs."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

# What names a credential, in the task's credentials and in the prediction.
CREDENTIAL_KEYS = ("config", "section", "section_type", "option")


def _names(credentials):
    return sorted(tuple(str(item.get(key) or "") for key in CREDENTIAL_KEYS)
                  for item in credentials or [])


def covers(preview, args):
    """Whether ``preview`` predicts the write of ``args`` (the task's options): the same
    configuration directory, credentials and mailboxes (the values do not matter: a prediction
    shows none)."""
    return (preview.get("config_dir") == args.get("config_dir")
            and _names(preview.get("credentials")) == _names(args.get("credentials"))
            and sorted(preview.get("pins") or []) == sorted(args.get("pins") or {}))


class ActionModule(ActionBase):
    """The prediction in check mode when it covers the task; otherwise the module's own run."""

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        preview = args.pop("preview", None)
        if self._task.check_mode and preview and covers(preview, args):
            result.update(preview["result"])
            return result
        result.update(self._execute_module(module_args=args, task_vars=task_vars))
        return result
