#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secrets_rotate
short_description: Write new chan_sip, PJSIP, IAX2 and AMI secrets and voicemail PINs in one call
version_added: 0.1.0
description:
  - Writes the new credentials a rotation made (the secrets role makes them on the controller
    and stores them first) into Asterisk's configuration, each file once and atomically, with
    all its new values. Every tree is planned and checked before any file is written, so either
    every new value is written or none.
  - O(credentials) name the objects as M(pbxsec.hardening.asterisk_secrets) reports them
    (RV(pbxsec.hardening.asterisk_secrets#module:findings[].config), C(section),
    C(section_type), C(option)); each value is set as M(pbxsec.hardening.asterisk_config) would
    set it (in the section's own lines, never in a template other sections inherit).
  - O(pins) replace the PIN field of C(voicemail.conf) mailbox lines, as
    M(pbxsec.hardening.asterisk_voicemail)'s O(pbxsec.hardening.asterisk_voicemail#module:pins)
    does.
  - B(No value is ever shown), not in the result, the messages or the diff, where every
    credential and PIN is masked.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Asterisk's configuration directory; every file written lies in it.
    type: path
    required: true
  credentials:
    description:
      - The new secrets. Only the credentials the audit calls rotatable are accepted - C(secret)
        of a C(sip.conf), C(iax.conf) or C(manager.conf) tree, C(password) of a C(pjsip.conf)
        C(type=auth) section, C(inbound_auth/password) of a C(pjsip_wizard.conf) wizard - and
        only in a section the tree has.
    type: list
    elements: dict
    default: []
    suboptions:
      config:
        description: Root file of the object's tree, absolute or relative to O(config_dir).
        type: path
        required: true
      section:
        description: Section of the object.
        type: str
        required: true
      section_type:
        description: The C(type) that picks the section when one name is several PJSIP objects.
        type: str
      option:
        description: Option that holds the credential (C(secret), C(password), C(inbound_auth/password)).
        type: str
        required: true
      value:
        description: The new value.
        type: str
        required: true
  pins:
    description:
      - New voicemail PINs by mailbox (V(box@context); the context defaults to V(default)), for
        the mailboxes of O(config_dir)C(/voicemail.conf).
    type: dict
    default: {}
  pin_policy:
    description:
      - A new PIN that breaks this policy (or is not all digits) fails the module, naming the
        mailbox, before anything is written.
      - The policy of O(pbxsec.hardening.asterisk_voicemail#module:pin_policy); keys left out
        keep their defaults.
    type: dict
    default: {}
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
  - pbxsec.hardening.pin_policy
notes:
  - Run it with C(no_log) as well, since the values are task arguments.
seealso:
  - module: pbxsec.hardening.asterisk_secrets
  - module: pbxsec.hardening.pbx_secret_store
"""

EXAMPLES = r"""
- name: PBX-SEC-001 | PATCH | Write the new secrets and PINs (values hidden)
  pbxsec.hardening.secrets_rotate:
    config_dir: /etc/asterisk
    credentials:
      - {config: sip.conf, section: "100", option: secret, value: "{{ new_secret_100 }}"}
      - {config: pjsip.conf, section: "200", section_type: auth, option: password,
         value: "{{ new_password_200 }}"}
    pins:
      "1234@default": "{{ new_pin_1234 }}"
    pin_policy:
      min_length: 6
  register: pbx_discovered_secrets_rotation
  no_log: true
"""

RETURN = r"""
changed:
  description: Whether a file was (or, in check mode, would be) changed.
  returned: always
  type: bool
files:
  description: Paths of the changed files.
  returned: always
  type: list
  elements: str
diff:
  description: One entry per changed file; every credential and PIN is masked.
  returned: always
  type: list
  elements: dict
backup_files:
  description: Backup files created, when O(backup=true).
  returned: always
  type: list
  elements: str
reload:
  description:
    - What C(module reload) must name to make the new values live, for the files that change
      (V(chan_sip.so), V(res_pjsip.so), V(chan_iax2.so), V(manager), V(app_voicemail.so), in
      that order).
  returned: always
  type: list
  elements: str
  sample: [chan_sip.so, app_voicemail.so]
msg:
  description: What was done (C(path:line) of each new value, never the value).
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import apply_plans
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    PIN_POLICY_OPTIONS,
    new_pins,
    pin_policy_problem,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_secrets import (
    plan_rotation,
)

CREDENTIAL_OPTIONS = dict(
    config=dict(type="path", required=True),
    section=dict(type="str", required=True),
    section_type=dict(type="str"),
    option=dict(type="str", required=True),
    value=dict(type="str", required=True, no_log=True),
)


def _pins(module):
    """O(pins) as strings, after refusing a policy that cannot be used or a PIN that breaks it."""
    policy = module.params["pin_policy"]
    problem = pin_policy_problem(policy)
    if problem:
        module.fail_json(msg=problem)
    try:
        return new_pins(module.params["pins"], policy)
    except ValueError as exc:
        module.fail_json(msg="pins: %s (nothing written)" % exc)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", required=True),
            credentials=dict(type="list", elements="dict", default=[], options=CREDENTIAL_OPTIONS),
            pins=dict(type="dict", default={}, no_log=True),
            pin_policy=dict(type="dict", default={}, options=PIN_POLICY_OPTIONS),
            backup=dict(type="bool", default=False),
            strict=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    pins = _pins(module)
    try:
        rotation = plan_rotation(params["config_dir"], params["credentials"], pins)
    except AsteriskConfigError as exc:
        module.fail_json(**printable(dict(msg=to_native(exc), error_path=exc.path,
                                          error_line=exc.line)))
    diffs, backups, _execs = apply_plans(module, rotation.trees, ".secrets_rotate.",
                                         tuple(rotation.options))
    files = [change.path for _cfg, plan in rotation.trees for change in plan.changes]
    module.exit_json(**printable(dict(
        changed=bool(files),
        files=files,
        diff=diffs,
        backup_files=backups,
        reload=rotation.reload,
        msg="; ".join(rotation.actions) if rotation.actions else "unchanged",
    )))


if __name__ == "__main__":
    main()
