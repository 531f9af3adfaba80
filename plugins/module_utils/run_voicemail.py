# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``asterisk_voicemail``, shared with ``pbx_harden``: its options and one
plan of voicemail.conf (:mod:`astconf_voicemail`), written once, PINs never shown."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    is_credential,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    diff_entry,
    EDIT_OPTIONS,
    fail_on_config_error,
    refuse_errors,
    refuse_outside,
    warn_about_tree,
    write_changes,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    PIN_POLICY_OPTIONS,
    mailboxes,
    new_pins,
    pin_policy_problem,
    weak_pins,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_redact import redact
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_voicemail import plan_voicemail

ARGUMENT_SPEC = dict(
    path=dict(type="path", required=True),
    config_dir=dict(type="path"),
    general=dict(type="dict", default={}),
    general_min=dict(type="dict", default={}),
    general_max=dict(type="dict", default={}),
    mailbox_options_absent=dict(type="list", elements="str", default=[]),
    mailbox_options=dict(type="dict", default={}),
    mailbox_options_add=dict(type="bool", default=False),
    pins=dict(type="dict", default={}, no_log=True),
    pin_policy=dict(type="dict", default={}, options=PIN_POLICY_OPTIONS),
    **EDIT_OPTIONS,
)


def _strings(module, name, mapping, allow_none):
    out = {}
    for key, value in (mapping or {}).items():
        if value is None:
            if not allow_none:
                module.fail_json(msg="%s: %s needs a value" % (name, key))
            out[str(key)] = None
        elif isinstance(value, bool):
            module.fail_json(msg="%s: quote the value of %s (V(\"yes\")/V(\"no\")), YAML turned it "
                             "into a boolean" % (name, key))
        else:
            out[str(key)] = str(value)
    return out


def _bounds(module, name, mapping):
    out = {}
    for key, value in (mapping or {}).items():
        try:
            out[str(key)] = int(value)
        except (TypeError, ValueError):
            module.fail_json(msg="%s: %s must be an integer" % (name, key))
    return out


def _hide_credentials(module, *mappings):
    """Keep the credential values the task sets (C(authpassword)...) out of every output."""
    for mapping in mappings:
        for name, value in mapping.items():
            if value and is_credential("voicemail", name):
                module.no_log_values.add(value)


def run(module):
    """The module's result; fails ``module`` on bad inputs or a tree Asterisk would refuse."""
    params = module.params
    general = _strings(module, "general", params["general"], True)
    mailbox_options = _strings(module, "mailbox_options", params["mailbox_options"], False)
    _hide_credentials(module, general, mailbox_options)
    general_min = _bounds(module, "general_min", params["general_min"])
    general_max = _bounds(module, "general_max", params["general_max"])
    policy = params["pin_policy"] or {}
    problem = pin_policy_problem(policy)
    if problem:
        module.fail_json(msg=problem)
    try:
        pins = new_pins(params["pins"], policy)
    except ValueError as exc:
        module.fail_json(msg="pins: %s" % exc)

    try:
        cfg = load_config(params["path"], params["config_dir"])
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    refuse_errors(module, cfg, params["strict"])
    try:
        plan = plan_voicemail(cfg, general=general, general_min=general_min,
                              general_max=general_max,
                              mailbox_options_absent=params["mailbox_options_absent"],
                              mailbox_options=mailbox_options,
                              add_missing=params["mailbox_options_add"], pins=pins)
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)

    refuse_outside(module, plan.changes)
    exec_directives = warn_about_tree(module, cfg)

    diffs = []
    for change in plan.changes:
        before = "" if change.before is None else \
            redact(change.before, "voicemail", cfg, change.key)
        after = redact(change.after, "voicemail", plan.new_config, change.key)
        diffs.append(diff_entry(change, before, after))

    backup_files = []
    if plan.changed and not module.check_mode:
        backup_files = write_changes(module, plan.changes, params["backup"],
                                     ".asterisk_voicemail.")

    return dict(
        changed=plan.changed,
        files=[change.path for change in plan.changes],
        diff=diffs,
        backup_files=backup_files,
        general_before=plan.general_before,
        general_after=plan.general_after,
        mailbox_changes=plan.mailbox_changes,
        mailboxes=len(mailboxes(plan.new_config)),
        weak_pins=weak_pins(plan.new_config, policy),
        exec_directives=exec_directives,
        msg="; ".join(plan.actions) if plan.actions else "unchanged",
    )
