# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``manager_harden``, shared with ``pbx_harden``: its options and one call
that plans manager.conf and http.conf (:mod:`harden_manager`, :mod:`harden_manager_acl`), closes
the configuration files (:mod:`file_modes`) and writes each changed file once."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_options
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    EDIT_OPTIONS,
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    network_problems,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.file_modes import (
    FileModesError,
    close_trees,
    modes_diff,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import describe
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_manager import (
    AMI_CONTROLS,
    HTTP_CONTROL,
    general_flags,
    http_settings,
    manager_settings,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_manager_acl import (
    CONTROL as ACL_CONTROL,
    plan_acl,
)

ROOTS = ("manager.conf", "http.conf")
RELOADS = {"manager.conf": "manager", "http.conf": "http"}
FILES_CONTROL = "PBX-FS-001"

ARGUMENT_SPEC = dict(
    config_dir=dict(type="path", required=True),
    controls=dict(type="list", elements="str", required=True),
    management_networks=dict(type="raw", default=[]),
    disable_ami=dict(type="bool", default=False),
    http_enabled=dict(type="bool", default=False),
    freepbx=dict(type="bool", default=False),
    freepbx_ami_user=dict(type="str", default=""),
    keys_dir=dict(type="path", default="/var/lib/asterisk/keys"),
    group=dict(type="str", default="asterisk"),
    **EDIT_OPTIONS,
)


def _layout(module):
    """FreePBX's layout of both trees (``{}`` elsewhere); fails when its custom files would not
    win."""
    if not module.params["freepbx"]:
        return {}
    layout = describe(module.params["config_dir"], list(ROOTS))
    problems = [problem for entry in layout.values() for problem in entry["problems"]]
    if problems:
        module.fail_json(msg="FreePBX host, but a change in its custom files would not win, so "
                             "nothing was changed: %s" % "; ".join(problems))
    return layout


def _summary(cfg, acl, freepbx_user):
    """How AMI listens and what PBX-AMI-002 does to each user."""
    def pairs(key, option):
        return ["%s: %s = %s" % (name, option, value) for name, value in acl[key]]

    return dict(enabled="on" if general_flags(cfg)[0] else "off", users=acl["users"],
                freepbx_user=freepbx_user or None, deny_added=pairs("deny", "deny"),
                permits_added=pairs("permits", "permit"),
                permits_removed=pairs("removals", "permit"),
                permits_moved_after_the_deny=pairs("moved", "permit"))


def _manager(module, cfg, entry):
    """manager.conf: ``(plan, done, findings, summary)``; the findings are judged on the tree the
    run leaves, so that each line named is where it will be."""
    params = module.params
    freepbx_user = params["freepbx_ami_user"] if params["freepbx"] else ""
    acl_args = (params["management_networks"], freepbx_user, entry.get("writable"),
                entry.get("gui", ""))
    acl = plan_acl(cfg, *acl_args)
    settings = manager_settings(cfg, params["disable_ami"], acl, params["controls"],
                                entry.get("general"))
    plan, done = plan_options(cfg, settings, writable=entry.get("writable"),
                              override_file=entry.get("objects"))
    left = plan_acl(plan.new_config, *acl_args)
    findings = [dict(control=ACL_CONTROL, msg=text)
                for text in left["findings"] + left["freepbx_owned"]]
    return plan, done, findings, _summary(cfg, acl, freepbx_user)


def _plans(module, layout):
    """``{root: (cfg, plan, done)}`` of the trees this run reads, the findings and the AMI
    summary."""
    params, controls = module.params, module.params["controls"]
    plans, findings, summary = {}, [], {}
    for root, wanted in (("manager.conf", AMI_CONTROLS), ("http.conf", (HTTP_CONTROL,))):
        path = os.path.join(params["config_dir"], root)
        if not set(wanted) & set(controls) or not os.path.exists(path):
            continue
        entry = layout.get(root, {})
        cfg = load_config(path, params["config_dir"])
        if root == "manager.conf":
            plan, done, findings, summary = _manager(module, cfg, entry)
        else:
            plan, done = plan_options(cfg, http_settings(cfg, params["http_enabled"], controls),
                                      writable=entry.get("writable"),
                                      override_file=entry.get("general"))
        plans[root] = (cfg, plan, done)
    return plans, findings, summary


def _file_modes(module):
    """PBX-FS-001 on both trees (``{}`` when not enforced)."""
    params = module.params
    if FILES_CONTROL not in params["controls"]:
        return {}
    try:
        changes, left_alone = close_trees(params["config_dir"], params["keys_dir"],
                                          params["group"], module.check_mode, module.warn)
    except FileModesError as error:
        module.fail_json(msg=str(error), file_modes=dict(changes=error.changes))
    return dict(changes=changes, left_alone=left_alone)


def run(module):
    """The module's result; fails ``module`` on bad inputs, FreePBX custom files that would not
    win or a tree Asterisk would refuse."""
    problems = network_problems(module.params["management_networks"], min_prefix=1)
    if problems:
        module.fail_json(msg="pbx_management_networks: %s. Write each as an IPv4 network with a "
                             "prefix of 1 to 32, such as 192.0.2.0/24 or 198.51.100.7/32 "
                             "(0.0.0.0/0 would let the whole Internet reach AMI)."
                             % "; ".join(problems))
    layout = _layout(module)
    try:
        plans, findings, summary = _plans(module, layout)
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    # PBX-FS-001 first: a tree it cannot walk or change (or an unknown group) then stops the
    # module before an AMI or HTTP change is written that the failed task would not reload.
    # Files written after keep the modes they replace; new ones take their tree's root file's.
    modes = _file_modes(module)
    # Both trees are checked before either is written; a tree with nothing to set is only read.
    edited = [(root, cfg, plan, done) for root, (cfg, plan, done) in plans.items() if done]
    diffs, backup_files, exec_directives = apply_plans(
        module, [(cfg, plan) for _root, cfg, plan, _done in edited], ".manager_harden.")
    actions = [action for _root, _cfg, plan, _done in edited for action in plan.actions]
    settings = [dict(control=setting.control, file=root, section=setting.section,
                     option=setting.option, changed=one.changed,
                     effective_before=one.before, effective_after=one.after)
                for root, _cfg, _plan, done in edited for setting, one in done]
    changed = [root for root, (_cfg, plan, _done) in plans.items() if plan.changes]
    if modes.get("changes") and module._diff:
        diffs.append(modes_diff(modes["changes"]))
    return dict(
        changed=bool(changed or modes.get("changes")),
        files=[change.path for _cfg, plan, _done in plans.values() for change in plan.changes],
        diff=diffs,
        backup_files=backup_files,
        read=list(plans),
        reload=[RELOADS[root] for root in changed],
        settings=settings,
        findings=findings,
        ami=summary,
        file_modes=modes,
        exec_directives=exec_directives,
        msg="; ".join(actions) if actions else "unchanged",
    )
