#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_voicemail
short_description: Harden voicemail.conf (general options, per-mailbox options) and report weak PINs
version_added: 0.1.0
description:
  - Sets or removes options of voicemail.conf C([general]) and inside every mailbox's option string
    (C(100 => pin,full name,email,pager,dialout=x|callback=y|operator=yes)), judged the way
    C(app_voicemail) reads the tree from O(path) through C(#include)s, C([general](+)) sections
    and templates.
  - C(app_voicemail) reads C([general]) with C(ast_variable_retrieve()), which returns the B(first)
    assignment (a later C([general](+)) line does not override an earlier one). The module makes
    B(every) assignment of an option carry an acceptable value, so the result holds whichever
    assignment a build honours.
  - Mailbox option strings are split like C(append_mailbox()) and C(apply_options()) do it; an
    edit touches only the option items concerned (with one C(|) separator), every other byte of
    every file is kept.
  - Reports mailboxes whose PIN breaks O(pin_policy) in RV(weak_pins) as mailbox, context, file
    and line. The PIN itself never appears in any result, message or diff; in the diff every PIN
    field (also of commented-out mailbox lines) reads C(****).
  - "Every edit is verified by loading the edited tree again in memory before anything is written;
    a tree Asterisk would refuse, or an edit that cannot be made safely, fails with
    C(path:line: message) and writes nothing."
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The root voicemail configuration file, for example V(/etc/asterisk/voicemail.conf).
    type: path
    required: true
  general:
    description:
      - Options of C([general]), name to wanted value. Every assignment of the option is given that
        value (or one is added when there is none); V(null) removes every assignment.
      - Values are strings; write numbers and booleans quoted (V("no"), V("6")).
    type: dict
    default: {}
  general_min:
    description:
      - 'Integer options of C([general]) that must be at least the given number (read like
        C(sscanf("%d"))), for example V({minpassword: 6}). Assignments below it (or not a number)
        are set to it; the option is added when absent. A larger value is left alone.'
    type: dict
    default: {}
  general_max:
    description:
      - 'Integer options of C([general]) that must be between 1 and the given number, for example
        V({maxlogins: 3}). Assignments outside are set to the number; the option is added when
        absent.'
    type: dict
    default: {}
  mailbox_options_absent:
    description:
      - Option names removed from every mailbox's option string, for example V([dialout, callback]).
      - Names match case-insensitively, also when written with surrounding blanks.
    type: list
    elements: str
    default: []
  mailbox_options:
    description:
      - 'Option items given a value in every mailbox that sets them, for example V({operator: "no"}).'
      - Mailboxes without the option inherit C([general]); with O(mailbox_options_add=true) the
        item is added to them too.
    type: dict
    default: {}
  mailbox_options_add:
    description:
      - Also add the O(mailbox_options) items to mailboxes that do not set them (missing fields
        are padded with empty ones).
    type: bool
    default: false
  pins:
    description:
      - 'New PINs, by mailbox: V({"1234@default": "80613927"}) (a mailbox without C(@context) is
        in C(default)). The first field of each mailbox line is replaced; the rest of the line
        (name, e-mail, options, comment) is kept.'
      - Each new PIN must be digits and must not break O(pin_policy), or nothing is written.
      - A mailbox line that comes from a template is refused (other contexts would change too).
      - Never shown in any result, diff or log.
    type: dict
    default: {}
  pin_policy:
    description:
      - What makes a mailbox PIN weak, reported in RV(weak_pins) and refused in O(pins).
    type: dict
    default: {}
  strict:
    description:
      - Fail, writing nothing, when Asterisk would log an error anywhere in the tree, even one it
        survives (see M(pbxsec.hardening.asterisk_config)).
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree
  - pbxsec.hardening.config_tree.edit
  - pbxsec.hardening.pin_policy
notes:
  - An empty PIN, or one that starts with C(*), is always reported as weak.
  - Mailboxes are read from every non-template category except C([general]), C([zonemessages]) and
    the C(aliasescontext) category; mailboxes defined in users.conf (C(hasvoicemail=yes)) or in
    realtime are not covered.
  - The module makes no PIN up; the P(pbxsec.hardening.secrets#role) role generates them, keeps
    them in the operator's secret store and passes them in O(pins).
seealso:
  - module: pbxsec.hardening.asterisk_config
"""

EXAMPLES = r"""
- name: PBX-VM-001 | PATCH | No dial-out from voicemail, globally or per mailbox
  pbxsec.hardening.asterisk_voicemail:
    path: /etc/asterisk/voicemail.conf
    general:
      dialout: null
    mailbox_options_absent: [dialout]

- name: PBX-VM-003 | PATCH | No operator break-out
  pbxsec.hardening.asterisk_voicemail:
    path: /etc/asterisk/voicemail.conf
    general:
      operator: "no"
    mailbox_options:
      operator: "no"

- name: PBX-VM-005 | PATCH | PIN length and login attempts
  pbxsec.hardening.asterisk_voicemail:
    path: /etc/asterisk/voicemail.conf
    general_min:
      minpassword: 6
    general_max:
      maxlogins: 3

- name: PBX-VM-004 | AUDIT | Find weak PINs (reported without the PINs)
  pbxsec.hardening.asterisk_voicemail:
    path: /etc/asterisk/voicemail.conf
    pin_policy:
      min_length: 6
  register: pbx_discovered_weak_pins
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
  sample: [/etc/asterisk/voicemail_site.conf]
diff:
  description:
    - One entry per changed file; every mailbox PIN and C(imappassword) reads C(****), commented
      mailbox lines included, and lines carrying C(authpassword) read C(authpassword = ********).
  returned: always
  type: list
  elements: dict
  contains:
    before:
      description: Old contents, credentials masked.
      type: str
    after:
      description: New contents, credentials masked.
      type: str
    before_header:
      description: File name.
      type: str
    after_header:
      description: File name.
      type: str
backup_files:
  description: Backup files created, one per changed file, when O(backup=true).
  returned: always
  type: list
  elements: str
general_before:
  description:
    - Values of every assignment, in order, of each C([general]) option asked about.
    - Values of credential options (C(authpassword), C(imappassword)) read C(********).
  returned: always
  type: dict
  sample: {dialout: [from-internal]}
general_after:
  description: The same once the changes are written.
  returned: always
  type: dict
  sample: {dialout: []}
mailbox_changes:
  description: Mailbox lines changed (or to change), with the option names touched.
  returned: always
  type: list
  elements: dict
  sample: [{mailbox: "100", context: default, file: /etc/asterisk/voicemail_site.conf, line: 9,
            options: [callback, dialout]}]
mailboxes:
  description: Number of mailboxes found.
  returned: always
  type: int
weak_pins:
  description: Mailboxes whose PIN breaks O(pin_policy), without the PIN.
  returned: always
  type: list
  elements: dict
  sample: [{mailbox: "1234", context: default, object: "1234@default",
            file: /etc/asterisk/voicemail.conf, line: 447}]
exec_directives:
  description: C(path:line) of every C(#exec) line of the tree (never run by this module).
  returned: always
  type: list
  elements: str
msg:
  description: What was done (never a PIN).
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_voicemail import (
    ARGUMENT_SPEC,
    run,
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**printable(run(module)))


if __name__ == "__main__":
    main()
