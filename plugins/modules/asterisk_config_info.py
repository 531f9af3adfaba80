#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_config_info
short_description: List the categories of an Asterisk configuration tree and their effective option values
version_added: 0.1.0
description:
  - Loads the tree rooted at O(path) exactly as Asterisk does (C(#include)/C(#tryinclude) with
    globs, C([section](+)) additions, templates and inheritance, C(+=), block comments) and returns
    every category (section) in Asterisk's order, with where it is defined.
  - For the options named in O(get) and O(get_all), returns each category's B(effective) value
    (the last assignment, inherited ones included) or every value in order, with the C(path:line)
    each one comes from.
  - Values of credential options are never returned; they read C(********). Whether such an
    option is set can still be seen. The credential options are those of the kind of file
    O(path) is (for C(sip.conf) C(secret), C(md5secret), C(remotesecret), C(auth), C(register),
    C(mwi); for C(pjsip.conf) C(password), C(md5_cred), C(oauth_secret), C(refresh_token); for
    C(manager.conf) C(secret); for C(ari.conf) C(password); C(dbpass) of the realtime drivers, see
    the list in C(plugins/module_utils/astconf_credentials.py)), every kind's for a file of an
    unknown kind, plus any named in O(mask).
  - In C(voicemail.conf), the PIN and the C(imappassword) of every mailbox read C(****).
  - Reads only; never changes a file. C(#exec) lines are never run.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The root configuration file, for example V(/etc/asterisk/manager.conf).
    type: path
    required: true
  get:
    description:
      - Option names (case-insensitive) whose effective value (the last assignment) is returned
        for every category in RV(categories[].effective), null when absent.
    type: list
    elements: str
    default: []
  get_all:
    description:
      - Option names (case-insensitive) whose every value, in Asterisk's order, is returned for
        every category in RV(categories[].effective_all) (options that repeat, such as
        C(permit), C(deny), C(allow), C(noload)).
    type: list
    elements: str
    default: []
  mask:
    description:
      - More option names whose values are secret, added to the credential options of the kind
        of file O(path) is. Their values are returned as C(********).
    type: list
    elements: str
    default: []
  templates:
    description:
      - Also list templates (C([name](!))). Lookups by name in Asterisk skip templates.
    type: bool
    default: true
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree
notes:
  - A category that is named twice without C((+)) is listed twice, because Asterisk keeps both;
    lookups by name in Asterisk (and M(pbxsec.hardening.asterisk_config)) use the first one.
  - Diagnostics that Asterisk would log (and fatal errors inside included files, after which
    Asterisk drops the rest of that file) are returned in RV(diagnostics) and RV(errors); only a tree
    that Asterisk would refuse as a whole makes the module fail.
seealso:
  - module: pbxsec.hardening.asterisk_config
"""

EXAMPLES = r"""
- name: PBX-AMI-002 | AUDIT | List AMI users with their permissions and ACLs
  pbxsec.hardening.asterisk_config_info:
    path: /etc/asterisk/manager.conf
    get: [read, write]
    get_all: [permit, deny, acl]
  register: pbx_discovered_manager

- name: Show the users (secrets would read ********)
  ansible.builtin.debug:
    msg: "{{ item.name }} write={{ item.effective.write }} from {{ item.origin.write }}"
  loop: "{{ pbx_discovered_manager.categories | rejectattr('is_template') | rejectattr('name', 'equalto', 'general') }}"
  loop_control:
    label: "{{ item.name }}"

- name: List the sections of pjsip.conf with their type
  pbxsec.hardening.asterisk_config_info:
    path: /etc/asterisk/pjsip.conf
    get: [type]
    templates: false
"""

RETURN = r"""
root:
  description: The root file that was loaded.
  returned: always
  type: str
  sample: /etc/asterisk/manager.conf
files:
  description: Every file read, in first-read order.
  returned: always
  type: list
  elements: str
  sample: [/etc/asterisk/manager.conf, /etc/asterisk/manager.d/monitor.conf]
categories:
  description: Every category in Asterisk's order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Category name as Asterisk stores it.
      type: str
      sample: monitor
    is_template:
      description: Whether it is a template (C((!))).
      type: bool
    templates:
      description: Names of the categories it inherits from, in order.
      type: list
      elements: str
    path:
      description: File holding the header that created it.
      type: str
      sample: /etc/asterisk/manager.d/monitor.conf
    line:
      description: Line number of that header.
      type: int
      sample: 1
    effective:
      description:
        - Option (as named in O(get)) to its effective value (the last assignment), null when
          absent. C(********) for secret options.
      type: dict
      sample: {write: "system,call"}
    origin:
      description: Option (as named in O(get)) to the C(path:line) of the effective value, with
        C( (inherited from [tpl])) when a template supplied it; null when absent.
      type: dict
      sample: {write: "/etc/asterisk/manager.d/monitor.conf:4"}
    effective_all:
      description: Option (as named in O(get_all)) to the list of every value in order.
      type: dict
      sample: {permit: ["127.0.0.1/255.255.255.255"], deny: ["0.0.0.0/0.0.0.0"]}
    origin_all:
      description: Option (as named in O(get_all)) to the C(path:line) of every value, in order.
      type: dict
      sample: {deny: ["/etc/asterisk/manager.d/monitor.conf:5"]}
    index_all:
      description:
        - Option (as named in O(get_all)) to the position (0-based) of every value among all the
          category's variables, inherited ones first, which is the order Asterisk applies them in.
        - Compares the order of different options, for example whether a C(permit) comes after
          the last C(deny) (ACL rules are applied in order; the last match wins).
      type: dict
      sample: {deny: [0], permit: [1, 4]}
errors:
  description: Fatal errors inside included files (Asterisk drops the rest of that file), as C(path:line message).
  returned: always
  type: list
  elements: str
diagnostics:
  description: Warnings Asterisk would log while loading the tree, as C(path:line message).
  returned: always
  type: list
  elements: str
exec_directives:
  description: C(path:line) of every C(#exec) line of the tree (never run by this module).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    credential_options,
    file_kind,
    mask_value,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    is_mailbox_context,
    mask_mailbox_value,
)


def _shown(option, value, masked, mailbox):
    if value is None:
        return None
    if option.lower() in masked:
        return mask_value(value)
    return mask_mailbox_value(value) if mailbox else str(value)


def describe(category, get, get_all, masked, mailbox=False):
    """What the module returns for one category (``mailbox``: its variables are voicemail
    mailboxes, whose PINs are masked)."""
    effective, origin, effective_all, origin_all, index_all = {}, {}, {}, {}, {}
    position = dict((id(variable), number) for number, variable in enumerate(category.variables))
    for option in get:
        value = category.get(option)
        effective[option] = _shown(option, value, masked, mailbox)
        origin[option] = value.origin if value is not None else None
    for option in get_all:
        values = category.get_all(option)
        effective_all[option] = [_shown(option, value, masked, mailbox) for value in values]
        origin_all[option] = [value.origin for value in values]
        index_all[option] = [position[id(value.variable)] for value in values]
    return dict(name=category.name, is_template=category.is_template,
                templates=list(category.templates), path=category.path, line=category.line,
                effective=effective, origin=origin, effective_all=effective_all,
                origin_all=origin_all, index_all=index_all)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            config_dir=dict(type="path"),
            get=dict(type="list", elements="str", default=[]),
            get_all=dict(type="list", elements="str", default=[]),
            mask=dict(type="list", elements="str", default=[], no_log=False),
            templates=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    for option in params["get"] + params["get_all"]:
        if not option or option != option.strip():
            module.fail_json(msg="option name %r is empty or surrounded by blanks" % option)

    try:
        cfg = load_config(params["path"], params["config_dir"])
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)

    kind = file_kind(cfg.root_path)
    masked = credential_options(kind, params["mask"])
    categories = [describe(category, params["get"], params["get_all"], masked,
                           kind == "voicemail" and is_mailbox_context(cfg, category))
                  for category in cfg.categories
                  if params["templates"] or not category.is_template]
    module.exit_json(**printable(dict(
        changed=False,
        root=cfg.root_path,
        files=[source.path for source in cfg.files.values()],
        categories=categories,
        errors=[str(diagnostic) for diagnostic in cfg.errors],
        diagnostics=[str(diagnostic) for diagnostic in cfg.warnings],
        exec_directives=["%s:%d" % (s.path, s.line) for s in cfg.exec_directives],
    )))


if __name__ == "__main__":
    main()
