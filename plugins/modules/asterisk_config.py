#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_config
short_description: Set or remove an option of an Asterisk configuration tree, judged as Asterisk reads it
version_added: 0.1.0
description:
  - Makes the B(effective) value of O(option) in O(section) what you ask for, as Asterisk computes
    it from O(path) through C(#include)/C(#tryinclude) (globs included), C([section](+)) additions,
    templates and inheritance, C(+=), block comments C(;-- --;) and C(\;) escapes.
  - Unlike M(community.general.ini_file), an assignment hidden in a block comment is not mistaken
    for the real one, and a C([general](+)) in an included file that overrides the setting is found
    and fixed.
  - Edits only lines that carry the option (the last own assignment is rewritten in place, keeping
    its indentation, spacing, C(=)/C(=>) and trailing comment) or adds one line (right after the
    last own line of the section in the file holding the section header, or in O(override_file)).
    Every other byte of every file is kept.
  - Before writing anything, the edited tree is loaded again in memory; when the option would not
    come out as wanted (for example a template supplies it, or a later file that may not be edited
    overrides it) or another section would change, the module fails and writes nothing.
  - "A tree Asterisk cannot load (fatal error in the root file, missing C(#include) target in the
    root file) makes the module fail with C(path:line: message)."
  - Files and file names need not be UTF-8 (Asterisk reads bytes). Bytes that are not UTF-8 are
    kept as they are, and results, messages and diffs show them as C(\xNN).
  - C(#exec) lines are never run; they are reported in RV(exec_directives).
  - The section is the first non-template category of that name (ASCII case-insensitive), the one
    C(ast_variable_retrieve()) uses; the effective value is the last assignment in it.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The root configuration file, for example V(/etc/asterisk/sip.conf).
    type: path
    required: true
  section:
    description:
      - Name of the section (category), without brackets, for example V(general).
    type: str
    required: true
  section_type:
    description:
      - Only a section whose C(type) is this one (case-insensitive), for configurations where
        one name is several objects, such as PJSIP's C([100]) endpoint and C([100]) auth.
      - Without it the first section of that name counts, as for every other configuration file.
      - Not used when O(option) is omitted (section removal).
    type: str
  option:
    description:
      - Option name (case-insensitive, as in Asterisk).
      - Required with O(state=present). With O(state=absent) and no O(option), every section
        named O(section) is removed, with its C((+)) parts (templates of that name are kept).
    type: str
  value:
    description:
      - Wanted value. Blanks around it are ignored, as Asterisk strips them; values compare
        exactly (no case folding). A C(;) is written as C(\;).
      - Required with O(state=present) and with O(multiple=true); ignored otherwise.
    type: str
  state:
    description:
      - V(present) makes O(value) the effective value (or one of the values with O(multiple)).
      - V(absent) removes the option (every own assignment of it in the section), or with
        O(multiple) only the assignments having O(value), or without O(option) the whole section.
    type: str
    choices: [present, absent]
    default: present
  multiple:
    description:
      - The option may repeat (C(allow), C(disallow), C(permit), C(deny), C(noload), C(load)...).
      - With V(true), O(state=present) makes sure one assignment with exactly O(value) exists among
        the option's values, and O(state=absent) removes the assignments with O(value); other values
        are left alone.
    type: bool
    default: false
  writable:
    description:
      - Glob patterns of the files the module may edit (relative patterns are relative to
        O(config_dir)). Defaults to every file of the tree.
      - On FreePBX, leave out the generated C(*_additional.conf) files and set O(override_file).
    type: list
    elements: str
  override_file:
    description:
      - Where a new assignment goes when the winning assignment is in a file that may not be
        edited (the FreePBX pattern of C(sip_general_custom.conf)), or when no other place works.
      - The line is appended, under a C([section](+)) header unless the file already ends inside
        that section. A missing file is created, but only if the tree really reads it (an
        C(#include) or C(#tryinclude) reaches it).
      - Relative paths are relative to O(config_dir).
    type: path
  secret:
    description:
      - The value is a secret. It is then hidden from the diff, the results, the messages and the
        logs; diff lines carrying the option read C(option = ********).
      - Implied when O(option) is a credential option of the kind of file O(path) is (C(secret)
        of C(sip.conf), C(password) of C(pjsip.conf), see the list in
        C(plugins/module_utils/astconf_credentials.py)); set it for any other secret.
    type: bool
    default: false
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree
  - pbxsec.hardening.config_tree.edit
notes:
  - Asterisk's rules, as in C(main/config.c) - an included file starts inside the section current
    at the C(#include); a missing C(#include) target or a fatal error in an included file drops the
    rest of that file, not the whole tree; C([x](+)) appends to the first non-template C([x]);
    templates are copied when the object's header is read (a later C([tpl](+)) does not reach
    earlier objects).
  - Only the first section of that name counts; a second C([general]) without C((+)) is a
    separate category that Asterisk's lookups never see, and is left alone.
seealso:
  - module: community.general.ini_file
"""

EXAMPLES = r"""
- name: PBX-SIP-001 | PATCH | Refuse unauthenticated calls
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/sip.conf
    section: general
    option: allowguest
    value: "no"

- name: PBX-SIP-001 | PATCH | Same on FreePBX (generated files stay untouched)
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/sip.conf
    section: general
    option: allowguest
    value: "no"
    writable:
      - sip.conf
      - sip_general_custom.conf
    override_file: sip_general_custom.conf
    backup: true

- name: PBX-PJS-001 | PATCH | Remove the anonymous PJSIP endpoint
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/pjsip.conf
    section: anonymous
    state: absent

- name: PBX-PJS-001 | PATCH | Do not load anonymous identification
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/modules.conf
    section: modules
    option: noload
    value: res_pjsip_endpoint_identifier_anonymous.so
    multiple: true

- name: PBX-SEC-004 | PATCH | Rotate an AMI secret without printing it
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/manager.conf
    section: monitoring
    option: secret
    value: "{{ pbx_ami_monitoring_secret }}"
    secret: true

- name: PBX-SEC-002 | PATCH | Rotate the password of the auth [100], not of the endpoint [100]
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/pjsip.conf
    section: "100"
    section_type: auth
    option: password
    value: "{{ pbx_phone_100_password }}"
    secret: true

- name: PBX-SIP-001 | AUDIT | Would anything change?
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/sip.conf
    section: general
    option: allowguest
    value: "no"
  check_mode: true
  register: pbx_discovered_allowguest
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
  sample: [/etc/asterisk/sip_general_custom.conf]
diff:
  description:
    - One entry per changed file. Lines end at C(\n) only, as Asterisk reads them.
    - A line carrying a credential of the kind of file O(path) is (for C(sip.conf) C(secret),
      C(md5secret), C(remotesecret), C(auth), C(register), C(mwi); for a file of an unknown kind,
      every kind's) always reads C(option = ********), whichever option the task changes; a
      commented-out one reads C(;option = ********). In C(voicemail.conf), mailbox PINs and
      C(imappassword) read C(****).
  returned: always
  type: list
  elements: dict
  contains:
    before:
      description: Old contents (empty for a created file).
      type: str
    after:
      description: New contents.
      type: str
    before_header:
      description: File name.
      type: str
    after_header:
      description: File name.
      type: str
backup_files:
  description: Backup files created, one per changed existing file, when O(backup=true).
  returned: always
  type: list
  elements: str
effective_before:
  description:
    - Effective value before (null when absent); a list of values with O(multiple=true); the number
      of sections for a section removal. C(********) when O(secret=true).
  returned: always
  type: raw
  sample: "yes"
effective_after:
  description: Effective value after the change (what it would be, in check mode).
  returned: always
  type: raw
  sample: "no"
exec_directives:
  description: C(path:line) of every C(#exec) line of the tree (never run by this module).
  returned: always
  type: list
  elements: str
msg:
  description: What was done.
  returned: always
  type: str
  sample: "the assignment at /etc/asterisk/sip.conf:12: allowguest = no"
"""

from ansible.module_utils.basic import AnsibleModule, _load_params
from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    file_kind,
    is_credential,
    mask_value,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    plan_option,
    plan_remove_section,
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


def _is_secret(params):
    """Whether the value is a credential: ``secret`` is set, or the option is a credential of
    the tree's kind of file (``secret`` of sip.conf, ``password`` of pjsip.conf...)."""
    try:
        if boolean(params.get("secret", False), strict=False):
            return True
    except TypeError:
        return True
    option, path = params.get("option"), params.get("path")
    return option is not None and path is not None and is_credential(file_kind(path), option)


def _secret_requested():
    """:func:`_is_secret`, read before AnsibleModule so that ``value`` gets ``no_log``."""
    try:
        params = _load_params()
    except Exception:  # pylint: disable=broad-except
        return False
    return isinstance(params, dict) and _is_secret(params)


def argument_spec(secret=False):
    return dict(
        path=dict(type="path", required=True),
        config_dir=dict(type="path"),
        section=dict(type="str", required=True),
        section_type=dict(type="str"),
        option=dict(type="str"),
        value=dict(type="str", no_log=secret),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        multiple=dict(type="bool", default=False),
        writable=dict(type="list", elements="str"),
        override_file=dict(type="path"),
        secret=dict(type="bool", default=False, no_log=False),
        **EDIT_OPTIONS,
    )


def _shown(value, secret):
    return mask_value(value) if secret else value


def main():
    secret = _secret_requested()
    module = AnsibleModule(
        argument_spec=argument_spec(secret),
        supports_check_mode=True,
        required_if=[
            ("state", "present", ("option", "value")),
            ("multiple", True, ("option", "value")),
        ],
        required_by={"value": "option", "override_file": "option", "section_type": "option"},
    )
    params = module.params
    secret = _is_secret(params)
    if secret and params["value"] is not None:
        module.no_log_values.add(params["value"])
    option = params["option"]

    try:
        cfg = load_config(params["path"], params["config_dir"])
        if option is None:
            plan = plan_remove_section(cfg, params["section"], writable=params["writable"])
        else:
            plan = plan_option(cfg, params["section"], option, params["value"],
                               state=params["state"], multiple=params["multiple"],
                               writable=params["writable"],
                               override_file=params["override_file"],
                               section_type=params["section_type"], secret=secret)
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    extra = (option,) if secret and option is not None else ()
    diffs, backup_files, exec_directives = apply_plan(module, cfg, plan, ".asterisk_config.",
                                                      extra)

    module.exit_json(**printable(dict(
        changed=plan.changed,
        files=[change.path for change in plan.changes],
        diff=diffs,
        backup_files=backup_files,
        effective_before=_shown(plan.before, secret),
        effective_after=_shown(plan.after, secret),
        exec_directives=exec_directives,
        msg="; ".join(plan.actions) if plan.actions else "unchanged",
    )))


if __name__ == "__main__":
    main()
