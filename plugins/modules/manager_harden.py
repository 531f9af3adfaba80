#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: manager_harden
short_description: Lock down AMI (manager.conf), Asterisk's HTTP server (http.conf) and configuration file modes in one call
version_added: 0.1.0
description:
  - Reads manager.conf and http.conf of O(config_dir) as Asterisk reads them, plans the changes
    of the controls in O(controls), writes each changed file once (atomically) and returns what
    changed, which Asterisk modules to reload and what the role cannot fix.
  - C(PBX-AMI-001) - manager.conf C([general]) C(enabled=no) with O(disable_ami), else, when AMI
    is on, C(bindaddr) (and C(tlsbindaddr) when C(tlsenable) is on) at the catalogue's value,
    127.0.0.1.
  - C(PBX-AMI-002) - every AMI user (every non-template category but C([general]), the first of
    each name) ends with C(deny=0.0.0.0/0.0.0.0) followed by C(permit=127.0.0.1/255.255.255.255)
    and one C(permit) per O(management_networks) entry (O(freepbx_ami_user) - 127.0.0.1 only).
    Asterisk applies the rules in order and the last matching one wins, so a wanted permit before
    the deny-all rule is removed and appended again, and other permits outside localhost and those
    networks are removed. What the role cannot fix (C(write) rights to system, command, originate
    or all, read as manager.c reads them; template permits and C(acl=) lines after the deny-all
    rule; lines in files FreePBX writes again) is returned in RV(findings), also when the control
    is not in O(controls) (waived), so that the verdict can report it.
  - C(PBX-HTTP-001) - http.conf C([general]) C(enabled=no), or with O(http_enabled) C(bindaddr)
    (and C(tlsbindaddr) when C(tlsenable) is on) at 127.0.0.1; C(servername) blank either way.
  - C(PBX-FS-001) - before the files are written, O(config_dir) and O(keys_dir) are closed to other
    users and given the group O(group), with the code of M(pbxsec.hardening.asterisk_file_modes);
    modes are only narrowed, links never followed, owners kept.
  - With O(freepbx), changes go only to the custom files FreePBX includes last and never writes
    (M(pbxsec.hardening.freepbx_layout)); the module fails, changing nothing, when those are not
    read after the generated files.
  - O(management_networks) is checked before anything is read; a bad entry fails the module.
  - Every edit follows M(pbxsec.hardening.asterisk_settings)' rules (only lines that carry the
    option change, every other byte is kept, the edited tree is loaded again before anything is
    written). Both trees are planned and checked before either file is written. AMI secrets are
    masked in the diff.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Asterisk's configuration directory, where manager.conf and http.conf are.
    type: path
    required: true
  controls:
    description:
      - The controls to enforce (of C(PBX-AMI-001), C(PBX-AMI-002), C(PBX-HTTP-001),
        C(PBX-FS-001)); the others change nothing.
      - manager.conf is read when an AMI control is listed, http.conf when C(PBX-HTTP-001) is.
    type: list
    elements: str
    required: true
  management_networks:
    description:
      - IPv4 networks (C(address/prefix), prefix 1 to 32) every AMI user but O(freepbx_ami_user)
        is permitted from.
    type: raw
    default: []
  disable_ami:
    description: For C(PBX-AMI-001), switch AMI off (C(enabled=no)) instead of binding it to 127.0.0.1.
    type: bool
    default: false
  http_enabled:
    description: For C(PBX-HTTP-001), keep the HTTP server on, bound to 127.0.0.1, instead of switching it off.
    type: bool
    default: false
  freepbx:
    description: FreePBX manages this host.
    type: bool
    default: false
  freepbx_ami_user:
    description:
      - FreePBX's own AMI user (C(AMPMGRUSER)), found ignoring case - permitted from 127.0.0.1
        only, its write rights (which FreePBX needs) not judged. Ignored without O(freepbx).
    type: str
    default: ""
  keys_dir:
    description: For C(PBX-FS-001), Asterisk's keys directory (files there lose every group and other bit).
    type: path
    default: /var/lib/asterisk/keys
  group:
    description: For C(PBX-FS-001), the group Asterisk runs as, given to both trees.
    type: str
    default: asterisk
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
seealso:
  - module: pbxsec.hardening.asterisk_settings
  - module: pbxsec.hardening.freepbx_layout
"""

EXAMPLES = r"""
- name: PBX-AMI-001 | PATCH | AMI and the HTTP server on 127.0.0.1 or off, every AMI user behind deny-all
  pbxsec.hardening.manager_harden:
    config_dir: /etc/asterisk
    controls: [PBX-AMI-001, PBX-AMI-002, PBX-HTTP-001]
    management_networks: [192.0.2.0/24]
  register: pbx_discovered_manager

- name: PBX-AMI-002 | AUDIT | Fail on what the role could not fix
  ansible.builtin.assert:
    that: pbx_discovered_manager.findings | length == 0
    fail_msg: "{{ pbx_discovered_manager.findings | map(attribute='msg') | join('; ') }}"
"""

RETURN = r"""
changed:
  description: Whether a file was (or, in check mode, would be) changed.
  returned: always
  type: bool
files:
  description: Paths of the changed (or created) files.
  returned: always
  type: list
  elements: str
diff:
  description:
    - One entry per changed file; credentials (AMI C(secret)) are masked.
    - With C(PBX-FS-001) changes, one more entry, C(modes and groups), one C(path mode group)
      line per changed directory or file.
  returned: always
  type: list
  elements: dict
backup_files:
  description: Backup files created, one per changed existing file, when O(backup=true).
  returned: always
  type: list
  elements: str
read:
  description: The files read (C(manager.conf), C(http.conf)); one absent, or whose controls are not in O(controls), is not.
  returned: always
  type: list
  elements: str
reload:
  description: The Asterisk modules whose configuration changed, to reload (C(manager), C(http)).
  returned: always
  type: list
  elements: str
  sample: [manager, http]
settings:
  description: One entry per setting planned, in order.
  returned: always
  type: list
  elements: dict
  contains:
    control:
      description: The control ID.
      type: str
    file:
      description: C(manager.conf) or C(http.conf).
      type: str
    section:
      description: The section (an AMI user or C(general)).
      type: str
    option:
      description: The option.
      type: str
    changed:
      description: Whether this setting changed the tree.
      type: bool
    effective_before:
      description: Effective value before (null when absent; a list for C(permit) and C(deny)).
      type: raw
    effective_after:
      description: Effective value after the change.
      type: raw
findings:
  description:
    - What the role leaves failing, each with its control ID and a message naming the AMI user,
      the line (C(path:line)) and the fix. Never a secret.
  returned: always
  type: list
  elements: dict
  sample:
    - {control: PBX-AMI-002, msg: "[crm] write = system,call grants system (/etc/asterisk/manager.conf:12)"}
ami:
  description: How AMI listens and what PBX-AMI-002 does to each user (empty when manager.conf is not read).
  returned: always
  type: dict
  contains:
    enabled:
      description: C(on) or C(off), as manager.c reads C(enabled).
      type: str
    users:
      description: The AMI users.
      type: list
      elements: str
    freepbx_user:
      description: FreePBX's own AMI user, or null.
      type: str
    deny_added:
      description: C(user - deny = ...) appended.
      type: list
      elements: str
    permits_added:
      description: C(user - permit = ...) appended.
      type: list
      elements: str
    permits_removed:
      description: C(user - permit = ...) removed.
      type: list
      elements: str
    permits_moved_after_the_deny:
      description: Permits removed and appended again after the deny-all rule.
      type: list
      elements: str
file_modes:
  description:
    - C(PBX-FS-001) - each directory or file whose mode or group changed (in check mode, would
      change), as M(pbxsec.hardening.asterisk_file_modes) returns them in its C(changes), and
      the trees left alone with why (C(left_alone)). Empty when the control is not in O(controls).
  returned: always
  type: dict
  sample:
    changes:
      - {path: /etc/asterisk/sip.conf, mode_before: "0644", mode: "0640", group_before: root, group: asterisk}
    left_alone:
      - {path: /var/lib/asterisk/keys, reason: does not exist}
exec_directives:
  description: C(path:line) of every C(#exec) line of both trees (never run by this module).
  returned: always
  type: list
  elements: str
msg:
  description: What was done.
  returned: always
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_options
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import apply_plans
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


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", required=True),
            controls=dict(type="list", elements="str", required=True),
            management_networks=dict(type="raw", default=[]),
            disable_ami=dict(type="bool", default=False),
            http_enabled=dict(type="bool", default=False),
            freepbx=dict(type="bool", default=False),
            freepbx_ami_user=dict(type="str", default=""),
            keys_dir=dict(type="path", default="/var/lib/asterisk/keys"),
            group=dict(type="str", default="asterisk"),
            backup=dict(type="bool", default=False),
            strict=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
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
        module.fail_json(**printable(dict(msg=to_native(exc), error_path=exc.path,
                                          error_line=exc.line)))
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
    module.exit_json(**printable(dict(
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
    )))


if __name__ == "__main__":
    main()
