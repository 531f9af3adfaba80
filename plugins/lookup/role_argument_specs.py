# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: role_argument_specs
author:
  - pbxsec.hardening developers (@pbxsec)
short_description: The options of several of this collection's roles, as one argument spec
version_added: "1.1.0"
description:
  - Reads C(meta/argument_specs.yml) of each named role of this collection and returns the
    options of its C(main) entry point, merged into one dict for
    M(ansible.builtin.validate_argument_spec).
  - A playbook that imports the roles with C(rolespec_validate=false) checks every role's
    variables in one task per host instead of one per role and host (the harden playbook).
  - An option declared by two roles must be declared alike; the lookup fails otherwise, naming
    the option and the roles.
options:
  _terms:
    description: Names of roles of this collection, without the collection prefix (C(sip)).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Check the variables of the sip and dialplan roles in one task
  ansible.builtin.validate_argument_spec:
    argument_spec: "{{ lookup('pbxsec.hardening.role_argument_specs', 'sip', 'dialplan') }}"
"""

RETURN = r"""
_raw:
  description: One dict, option name to its spec, of every named role's C(main) entry point.
  type: list
  elements: dict
"""

import os
import re

import yaml

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

_ROLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "roles")
_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
# libyaml's loader where PyYAML has it: the harden playbook reads seven specs per host, which the
# pure-Python loader takes ten times as long to parse.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main_options(role):
    """The options of ``role``'s ``main`` entry point, from its meta/argument_specs.yml."""
    if not isinstance(role, str) or not _ROLE_NAME.fullmatch(role):
        raise AnsibleLookupError("role_argument_specs: %r is not a role name of this collection" % (role,))
    path = os.path.join(_ROLES, role, "meta", "argument_specs.yml")
    try:
        with open(path, encoding="utf-8") as spec_file:
            specs = yaml.load(spec_file, Loader=_LOADER)
    except OSError as exc:
        raise AnsibleLookupError("role_argument_specs: role %s has no argument spec: %s" % (role, exc)) from exc
    try:
        return specs["argument_specs"]["main"].get("options") or {}
    except (KeyError, TypeError, AttributeError) as exc:
        raise AnsibleLookupError("role_argument_specs: %s has no main entry point with options" % path) from exc


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        merged, owner = {}, {}
        for role in terms:
            for name, spec in main_options(role).items():
                if name in merged and merged[name] != spec:
                    raise AnsibleLookupError(
                        "role_argument_specs: option %s is declared differently by the roles %s and %s"
                        % (name, owner[name], role))
                merged[name], owner[name] = spec, owner.get(name, role)
        return [merged]
