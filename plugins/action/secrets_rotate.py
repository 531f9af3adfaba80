# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.secrets_rotate``: in check mode, the prediction module
``pbx_harden`` made of this write in the run that found the weak credentials (``preview``, its
secrets area's ``rotation_preview``) answers without a round trip to the host, when it was made
for the same configuration directory, credentials and PINs and the module would take the task's
options as the prediction assumed (``strict``, no ``backup``, PINs its policy accepts);
otherwise the module runs."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import EDIT_OPTIONS
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    PIN_POLICY_OPTIONS,
    new_pins,
    pin_policy_problem,
)

# What names a credential, in the task's credentials and in the prediction.
CREDENTIAL_KEYS = ("config", "section", "section_type", "option")
# What a prediction may answer: the keys of the module's result.
RESULT_KEYS = ("changed", "files", "diff", "backup_files", "reload", "msg")
# The options the prediction assumed, as the module reads them.
ASSUMED_SPEC = dict(
    pins=dict(type="dict", default={}, no_log=True),
    pin_policy=dict(type="dict", default={}, options=PIN_POLICY_OPTIONS),
    **EDIT_OPTIONS,
)


def _names(credentials):
    return sorted(tuple(str(item.get(key) or "") for key in CREDENTIAL_KEYS)
                  for item in credentials or [] if isinstance(item, dict))


def _as_assumed(args):
    """Whether the module would run ``args`` as the prediction did: strict, no backup, and every
    new PIN accepted by the policy (the module refuses the whole write otherwise)."""
    checked = ArgumentSpecValidator(ASSUMED_SPEC).validate(
        dict((key, args[key]) for key in ASSUMED_SPEC if key in args))
    if checked.error_messages:
        return False
    params = checked.validated_parameters
    if not params["strict"] or params["backup"] or pin_policy_problem(params["pin_policy"]):
        return False
    try:
        new_pins(params["pins"], params["pin_policy"])
    except ValueError:
        return False
    return True


def covers(preview, args):
    """Whether ``preview`` predicts the write of ``args`` (the task's options): the same
    configuration directory, credentials and mailboxes (the values do not matter: a prediction
    shows none), options the module takes as the prediction assumed, and a result to answer."""
    return (isinstance(preview, dict) and isinstance(preview.get("result"), dict)
            and preview.get("config_dir") == args.get("config_dir")
            and _names(preview.get("credentials")) == _names(args.get("credentials"))
            and sorted(preview.get("pins") or []) == sorted(args.get("pins") or {})
            and _as_assumed(args))


class ActionModule(ActionBase):
    """The prediction in check mode when it covers the task; otherwise the module's own run."""

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        preview = args.pop("preview", None)
        if self._task.check_mode and preview and covers(preview, args):
            result.update((key, preview["result"][key]) for key in RESULT_KEYS
                          if key in preview["result"])
            return result
        result.update(self._execute_module(module_args=args, task_vars=task_vars))
        return result
