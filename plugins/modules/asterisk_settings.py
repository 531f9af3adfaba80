#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_settings
short_description: Set the options several controls own in one Asterisk configuration tree, in one write
version_added: 0.1.0
description:
  - Makes the B(effective) value of each option of O(settings) what the setting asks for, as
    M(pbxsec.hardening.asterisk_config) does for one option, and writes each changed file once.
  - The settings are planned one after the other, each on the tree the ones before it leave (in
    memory), then the tree with every change is written atomically per file. When one setting
    cannot be reached, the module fails naming it and writes nothing.
  - Every edit follows M(pbxsec.hardening.asterisk_config)'s rules (only lines that carry the
    option change, every other byte is kept, the edited tree is loaded again before anything is
    written).
  - RV(settings) tells, per setting and its control, whether it changed and its effective value
    before and after. Credential options (C(secret) of C(sip.conf)...) are never shown; set them
    with M(pbxsec.hardening.asterisk_config) and O(pbxsec.hardening.asterisk_config#module:secret).
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The root configuration file, for example V(/etc/asterisk/sip.conf).
    type: path
    required: true
  settings:
    description:
      - The options to set, in order. An empty list changes nothing.
    type: list
    elements: dict
    required: true
    suboptions:
      control:
        description: The control ID that owns the option, for example V(PBX-SIP-001).
        type: str
        required: true
      section:
        description: Name of the section (category), without brackets.
        type: str
        required: true
      section_type:
        description: Only a section whose C(type) is this one (PJSIP's C([100]) endpoint and auth).
        type: str
      option:
        description: Option name (case-insensitive, as in Asterisk).
        type: str
        required: true
      value:
        description:
          - Wanted value, as for M(pbxsec.hardening.asterisk_config).
          - Required with O(settings[].state=present) and with O(settings[].multiple=true).
        type: str
      state:
        description: V(present) makes O(settings[].value) effective, V(absent) removes the option.
        type: str
        choices: [present, absent]
        default: present
      multiple:
        description: The option may repeat (C(allow), C(permit), C(noload)...).
        type: bool
        default: false
      override_file:
        description: Where a new assignment of this setting goes, instead of O(override_file).
        type: path
  writable:
    description:
      - Glob patterns of the files the module may edit (relative patterns are relative to
        O(config_dir)). Defaults to every file of the tree.
    type: list
    elements: str
  override_file:
    description:
      - Where a new assignment goes when the winning assignment is in a file that may not be
        edited (FreePBX's C(sip_general_custom.conf)), or when no other place works; see
        M(pbxsec.hardening.asterisk_config).
    type: path
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree
  - pbxsec.hardening.config_tree.edit
seealso:
  - module: pbxsec.hardening.asterisk_config
"""

EXAMPLES = r"""
- name: PBX-SIP-001 | PATCH | sip.conf [general] options of PBX-SIP-001..004 in one write
  pbxsec.hardening.asterisk_settings:
    path: /etc/asterisk/sip.conf
    settings:
      - {control: PBX-SIP-001, section: general, option: allowguest, value: "no"}
      - {control: PBX-SIP-002, section: general, option: alwaysauthreject, value: "yes"}
      - {control: PBX-SIP-003, section: general, option: autocreatepeer, value: "no"}
      - {control: PBX-SIP-004, section: general, option: allowoverlap, value: "no"}

- name: PBX-SIP-001 | PATCH | Same on FreePBX (generated files stay untouched)
  pbxsec.hardening.asterisk_settings:
    path: /etc/asterisk/sip.conf
    writable: [sip.conf, sip_general_custom.conf]
    override_file: sip_general_custom.conf
    settings:
      - {control: PBX-SIP-001, section: general, option: allowguest, value: "no"}
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
  sample: [/etc/asterisk/sip.conf]
diff:
  description:
    - One entry per changed file, with every setting's change; credentials are masked as in
      M(pbxsec.hardening.asterisk_config).
  returned: always
  type: list
  elements: dict
backup_files:
  description: Backup files created, one per changed existing file, when O(backup=true).
  returned: always
  type: list
  elements: str
settings:
  description: One entry per setting of O(settings), in order.
  returned: always
  type: list
  elements: dict
  contains:
    control:
      description: The control ID of the setting.
      type: str
    section:
      description: The section.
      type: str
    option:
      description: The option.
      type: str
    changed:
      description: Whether this setting changed the tree.
      type: bool
    effective_before:
      description: Effective value before (null when absent; a list with multiple).
      type: raw
    effective_after:
      description: Effective value after the change.
      type: raw
  sample:
    - {control: PBX-SIP-001, section: general, option: allowguest, changed: true,
       effective_before: null, effective_after: "no"}
exec_directives:
  description: C(path:line) of every C(#exec) line of the tree (never run by this module).
  returned: always
  type: list
  elements: str
msg:
  description: What was done.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    file_kind,
    is_credential,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    Setting,
    plan_options,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plan,
    EDIT_OPTIONS,
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

SETTING_SPEC = dict(
    control=dict(type="str", required=True),
    section=dict(type="str", required=True),
    section_type=dict(type="str"),
    option=dict(type="str", required=True),
    value=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    multiple=dict(type="bool", default=False),
    override_file=dict(type="path"),
)


def _settings(module, kind):
    """The :class:`Setting` list, refusing credentials and settings without the value they need."""
    settings = []
    for index, item in enumerate(module.params["settings"]):
        where = "settings[%d] (%s %s)" % (index, item["control"], item["option"])
        if is_credential(kind, item["option"]):
            module.fail_json(msg="%s: a credential; set it with asterisk_config and secret=true"
                             % where)
        if item["value"] is None and (item["state"] == "present" or item["multiple"]):
            module.fail_json(msg="%s: a value is required" % where)
        settings.append(Setting(item["control"], item["section"], item["option"], item["value"],
                                item["state"], item["multiple"], item["section_type"],
                                item["override_file"]))
    return settings


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            config_dir=dict(type="path"),
            settings=dict(type="list", elements="dict", required=True, options=SETTING_SPEC),
            writable=dict(type="list", elements="str"),
            override_file=dict(type="path"),
            **EDIT_OPTIONS,
        ),
        supports_check_mode=True,
    )
    params = module.params
    kind = file_kind(params["path"])
    settings = _settings(module, kind)
    try:
        cfg = load_config(params["path"], params["config_dir"])
        plan, done = plan_options(cfg, settings, writable=params["writable"],
                                  override_file=params["override_file"])
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    diffs, backup_files, exec_directives = apply_plan(module, cfg, plan, ".asterisk_settings.")

    module.exit_json(**printable(dict(
        changed=bool(plan.changes),
        files=[change.path for change in plan.changes],
        diff=diffs,
        backup_files=backup_files,
        settings=[dict(control=setting.control, section=setting.section, option=setting.option,
                       changed=one.changed, effective_before=one.before,
                       effective_after=one.after) for setting, one in done],
        exec_directives=exec_directives,
        msg="; ".join(plan.actions) if plan.actions else "unchanged",
    )))


if __name__ == "__main__":
    main()
