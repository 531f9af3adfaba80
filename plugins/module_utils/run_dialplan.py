# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``dialplan_harden``, shared with ``pbx_harden``: its options, the audit of
the dialplan (:mod:`harden_dialplan_audit`) and, when asked, the chan_sip guest context fix
(:mod:`harden_dialplan`), each changed file written once."""

from __future__ import annotations

import functools
import os

from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    read_config,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    EDIT_OPTIONS,
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan import (
    CONTROL,
    DROPIN,
    FixRefused,
    plan_guest_fix,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan_audit import (
    Policy,
    argument_spec,
    audit_host,
)

MIN_DISA_LENGTH = 4

ARGUMENT_SPEC = dict(
    argument_spec(),
    config_dir=dict(type="path", required=True),
    fix_guest_context=dict(type="bool", default=False),
    guest_context=dict(type="str", default="pbx-guest-reject"),
    freepbx=dict(type="bool", default=False),
    **EDIT_OPTIONS,
)


def _plan(module, fixing):
    """``(audit result, GuestFix or None)``; fails the module on what must stop it."""
    params = module.params
    load = functools.lru_cache(maxsize=None)(functools.partial(read_config, params["config_dir"]))
    policy = Policy(params)
    if fixing:
        policy.closed = list(policy.closed) + ["sip_guest"]
    try:
        audit = audit_host(params["config_dir"], policy, load)
        fix = plan_guest_fix(params["config_dir"], params["guest_context"], load("sip.conf"),
                             audit["sip_general_context_users"], params["freepbx"],
                             dialplan_cfg=load("extensions.conf")) if fixing else None
    except FixRefused as exc:
        module.fail_json(msg=to_native(exc))
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    return audit, fix


def _appended_line_only(entry, appended_to):
    """The diff ``entry``, showing only the ``#tryinclude`` line when it is that of the file the
    line was appended to (a dialplan may hold DISA passcodes and dial strings with
    credentials, which the config engine does not mask)."""
    if appended_to is None or entry["after_header"] != shown(appended_to):
        return entry
    header = "%s (the line appended at its end)" % shown(appended_to)
    return dict(entry, before="", after="#tryinclude %s\n" % DROPIN, before_header=header,
                after_header=header)


def run(module):
    """The module's result; fails ``module`` on bad inputs, a refused fix or a tree Asterisk would
    refuse."""
    params = module.params
    if params["disa_min_length"] < MIN_DISA_LENGTH:
        module.fail_json(msg="disa_min_length must be at least %d (got %d)"
                         % (MIN_DISA_LENGTH, params["disa_min_length"]))
    extensions = os.path.join(params["config_dir"], "extensions.conf")
    if not os.path.isfile(extensions):
        module.fail_json(msg="%s not found: is config_dir right?" % shown(extensions))
    fixing = (params["fix_guest_context"] and "sip" in params["channels"]
              and CONTROL in params["controls"])
    audit, fix = _plan(module, fixing)
    diffs, backups, execs, files, reload, actions = [], [], [], [], [], []
    if fix is not None:
        diffs, backups, execs = apply_plans(module, fix.trees, ".dialplan_harden.")
        diffs = [_appended_line_only(entry, fix.appended_to) for entry in diffs]
        files = [change.path for _cfg, plan in fix.trees for change in plan.changes]
        reload, actions = fix.reload, fix.actions
        if fix.attributes_differ:
            diffs.append(fix.attributes_diff())
        if fix.attributes_due:
            files.insert(0, fix.dropin.path)
            actions = ["%s: owner, group and mode" % shown(fix.dropin.path)] + actions
            if not module.check_mode:
                try:
                    fix.dropin.set_attributes(*fix.owner)
                except (FixRefused, OSError) as exc:
                    module.fail_json(msg="cannot set the owner and mode of %s: %s"
                                     % (shown(fix.dropin.path), shown(to_native(exc))),
                                     backup_files=backups)
    return dict(audit, changed=bool(files), changed_files=files, diff=diffs,
                backup_files=backups, reload=reload, exec_directives=execs,
                msg="; ".join(actions) if actions else "unchanged")
