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
  preview:
    description:
      - In check mode, the prediction module M(pbxsec.hardening.pbx_harden) made of this write
        (C(rotation_preview) of its secrets area's result, see
        O(pbxsec.hardening.pbx_harden#module:rotation_preview)). When it was made for the same
        O(config_dir), credentials (C(config), C(section), C(section_type), C(option)) and PIN
        mailboxes, and the task has O(strict), no O(backup) and PINs that O(pin_policy) accepts
        (as the prediction assumed), the task returns its result without running on the host.
      - The action plugin takes it on the controller; outside check mode, or when it does not
        cover the task, the module runs as without it.
    type: dict
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
  - pbxsec.hardening.pin_policy
notes:
  - Run it with C(no_log) as well, since the values are task arguments.
  - An action plugin on the controller answers from O(preview) in check mode, then runs the
    module otherwise.
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
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_secrets_rotate import (
    ARGUMENT_SPEC,
    run,
)


def main():
    # preview is the action plugin's (plugins/action/secrets_rotate.py), which never sends it.
    module = AnsibleModule(argument_spec=dict(ARGUMENT_SPEC, preview=dict(type="dict", no_log=False)),
                           supports_check_mode=True)
    module.exit_json(**run(module))


if __name__ == "__main__":
    main()
