# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: new_credential
author:
  - pbxsec.hardening developers (@pbxsec)
short_description: New random secrets and voicemail PINs that the audit will call strong
version_added: "1.0.0"
description:
  - Draws one new value per weak credential that M(pbxsec.hardening.asterisk_secrets) found,
    from the operating system's random source, until the value passes the same judgement that
    found the old one weak.
  - A secret is O(length) ASCII letters and digits, judged by the secret policy O(policy) with
    the names and the length floor of the finding (RV(pbxsec.hardening.asterisk_secrets#module:findings[].names),
    RV(pbxsec.hardening.asterisk_secrets#module:findings[].min_length)). A random draw holds a
    keyboard walk or an object's name about once in 270 (24 characters, the default policy); such a draw is thrown away,
    so that a second run does not call the new value weak and rotate it again.
  - A voicemail PIN (control C(PBX-VM-004)) is O(pin_length) digits, judged by the PIN rules
    and O(pin_policy) for its mailbox (not sequential, not repeated, not the mailbox).
  - Gives up with an error naming the object, never a value, when no draw passes in
    O(max_draws) draws (a policy no value of that length can meet).
options:
  _terms:
    description:
      - The weak credentials to replace, as the findings of
        M(pbxsec.hardening.asterisk_secrets) give them (C(control), C(object), C(names),
        C(min_length)); for a PIN, C(control=PBX-VM-004) and the mailbox as C(object).
    type: list
    elements: dict
    required: true
  policy:
    description: The secret policy the audit judged with (the module's O(pbxsec.hardening.asterisk_secrets#module:policy)).
    type: dict
    default: {}
  length:
    description: Length of a new secret.
    type: int
    default: 24
  pin_length:
    description: Length of a new PIN.
    type: int
    default: 8
  pin_policy:
    description: The PIN rules the audit judged with (the module's O(pbxsec.hardening.asterisk_secrets#module:pin_policy)).
    type: dict
    default: {}
  max_draws:
    description: Draws per value before giving up.
    type: int
    default: 1000
"""

EXAMPLES = r"""
- name: New values for the weak credentials found, in the order of the findings
  ansible.builtin.set_fact:
    new_values: >-
      {{ query('pbxsec.hardening.new_credential', *weak_findings,
               policy={'min_length': 14}, length=24) }}
  vars:
    weak_findings: "{{ pbx_discovered_secrets.findings | selectattr('rotatable') | list }}"
  no_log: true
"""

RETURN = r"""
_raw:
  description: One new value per term, in the order of the terms.
  type: list
  elements: str
"""

import secrets
import string

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import pin_problems
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy, secret_problems)

PIN_CONTROL = "PBX-VM-004"
SECRET_ALPHABET = string.ascii_letters + string.digits


def draw(alphabet, length, problems, max_draws):
    """A random string of ``length`` characters of ``alphabet`` for which ``problems`` returns
    nothing, or None after ``max_draws`` draws."""
    for _draw in range(max_draws):
        value = "".join(secrets.choice(alphabet) for _char in range(length))
        if not problems(value):
            return value
    return None


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        try:
            policy = make_policy(self.get_option("policy"))
        except ValueError as exc:
            raise AnsibleLookupError("new_credential: policy: %s" % exc) from None
        pin_policy = dict(self.get_option("pin_policy"))
        max_draws = self.get_option("max_draws")
        values = []
        for term in terms:
            if not isinstance(term, dict) or "object" not in term:
                raise AnsibleLookupError("new_credential: each term is a finding with an object")
            if term.get("control") == PIN_CONTROL:
                value = draw(string.digits, self.get_option("pin_length"),
                             lambda pin, box=str(term["object"]): pin_problems(pin, box, pin_policy),
                             max_draws)
            else:
                value = draw(SECRET_ALPHABET, self.get_option("length"),
                             lambda secret, finding=term: secret_problems(
                                 secret, [str(name) for name in finding.get("names") or []],
                                 policy, min_length=finding.get("min_length")),
                             max_draws)
            if value is None:
                raise AnsibleLookupError(
                    "new_credential: no new value for %s passes the policy in %d draws: the policy "
                    "asks what no value of that length can give" % (term["object"], max_draws))
            values.append(value)
        return values
