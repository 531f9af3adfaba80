#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_secrets
short_description: Audit every credential of an Asterisk configuration directory against a secret policy
version_added: 0.1.0
description:
  - Read-only. Judges the B(effective) credentials of O(config_dir), as Asterisk computes them
    through C(#include)s, C((+)) sections and templates, against a secret policy, and reports
    each weak one by object, file and line. B(The secrets themselves are never returned), at any
    verbosity.
  - C(PBX-SEC-001) sip.conf peers and users (C(secret), C(md5secret) checked against the hashes of
    weak guesses, C(remotesecret)) and C(register =>) lines.
  - C(PBX-SEC-002) pjsip.conf C(type=auth) C(password) with C(auth_type=userpass); endpoints with
    no inbound C(auth=) that no C(type=identify) section identifies by address (the
    C(anonymous) endpoint is left to C(PBX-PJS-001)).
  - C(PBX-SEC-003) iax.conf user, peer and friend C(secret).
  - C(PBX-SEC-004) manager.conf users' C(secret) (C(manager.d) through its C(#include)), with the
    longer floor O(policy.ami_min_length).
  - C(PBX-SEC-005) ari.conf users, C(password_format=crypt), else a plain password meeting the
    policy.
  - Each finding says whether the role may rotate it (RV(findings[].rotatable)). Phone and AMI
    credentials may be replaced by a random secret; provider credentials (trunks, C(register)
    lines, outbound auths) must be changed with the provider first.
  - With O(pin_policy), the same call also reports the voicemail mailboxes of
    C(voicemail.conf) whose PIN is weak (C(PBX-VM-004)) in RV(weak_pins), as
    M(pbxsec.hardening.asterisk_voicemail) does, so that one read serves both audits.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description:
      - Asterisk's configuration directory. C(sip.conf), C(pjsip.conf), C(iax.conf),
        C(manager.conf) and C(ari.conf) are read from it when present.
    type: path
    default: /etc/asterisk
  controls:
    description:
      - Controls to audit; the others are not read.
    type: list
    elements: str
    choices: [PBX-SEC-001, PBX-SEC-002, PBX-SEC-003, PBX-SEC-004, PBX-SEC-005]
    default: [PBX-SEC-001, PBX-SEC-002, PBX-SEC-003, PBX-SEC-004, PBX-SEC-005]
  policy:
    description:
      - The secret policy. Keys left out keep their defaults.
    type: dict
    default: {}
    suboptions:
      min_length:
        description: Shortest acceptable SIP, PJSIP, IAX2 and ARI secret.
        type: int
        default: 12
      ami_min_length:
        description: Shortest acceptable AMI secret.
        type: int
        default: 16
      require_letters:
        description: A secret must hold a letter.
        type: bool
        default: true
      require_digits:
        description: A secret must hold a digit.
        type: bool
        default: true
      check_names:
        description:
          - A secret must not equal, contain, repeat or reverse the object name, extension or
            username (names shorter than 3 characters are ignored).
        type: bool
        default: true
      weak_words:
        description:
          - Extra weak words (compared case-insensitively, also with trailing digits removed),
            on top of the built-in list (C(1234), C(password), C(secret), C(qwerty)...).
        type: list
        elements: str
        default: []
      keyboard_walk_length:
        description:
          - A run of this many keys of a keyboard row or of the alphabet or digits, either way
            (C(qwer), C(4321), C(abcd)), makes a secret weak.
        type: int
        default: 4
  pin_policy:
    description:
      - When given, C(voicemail.conf) of O(config_dir) (when present) is read too and the
        mailboxes whose PIN breaks this policy are returned in RV(weak_pins); the PINs are never
        returned. A tree Asterisk would refuse fails the module, as in
        M(pbxsec.hardening.asterisk_voicemail) with its default O(pbxsec.hardening.asterisk_voicemail#module:strict).
      - The policy of O(pbxsec.hardening.asterisk_voicemail#module:pin_policy); keys left out
        keep their defaults.
    type: dict
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
  - pbxsec.hardening.pin_policy
notes:
  - A secret is also weak when it is one character class only or in the weak list; an empty
    secret is always weak.
  - No option carries a secret, and no result holds one; tests grep C(-vvv) output for them.
seealso:
  - module: pbxsec.hardening.asterisk_config
  - module: pbxsec.hardening.asterisk_voicemail
"""

EXAMPLES = r"""
- name: PBX-SEC-001 | AUDIT | Find weak credentials (names objects, never secrets)
  pbxsec.hardening.asterisk_secrets:
    config_dir: /etc/asterisk
  register: pbx_discovered_secrets

- name: PBX-SEC-004 | AUDIT | AMI secrets of at least 20 characters
  pbxsec.hardening.asterisk_secrets:
    controls: [PBX-SEC-004]
    policy:
      ami_min_length: 20
      weak_words: [acme, acme2026]
  register: pbx_discovered_ami_secrets

- name: PBX-SEC-001 | AUDIT | Find weak credentials and weak voicemail PINs in one read
  pbxsec.hardening.asterisk_secrets:
    config_dir: /etc/asterisk
    pin_policy:
      min_length: 8
  register: pbx_discovered_secrets

- name: PBX-SEC-001 | AUDIT | Fail on weak credentials
  ansible.builtin.assert:
    that: pbx_discovered_secrets.findings | length == 0
    fail_msg: "{{ pbx_discovered_secrets.findings | map(attribute='object') | join(', ') }}"
"""

RETURN = r"""
findings:
  description: Every credential that breaks the policy. Never holds a secret.
  returned: always
  type: list
  elements: dict
  contains:
    control:
      description: Control ID.
      type: str
      sample: PBX-SEC-001
    object:
      description: Section name (peer, auth, user), or C(register user@host) for a register line.
      type: str
      sample: "100"
    kind:
      description: What the object is.
      type: str
      sample: chan_sip friend
    file:
      description: File of the line that sets the effective value (a template's when inherited).
      type: str
      sample: /etc/asterisk/sip_site.conf
    line:
      description: Line number of that line.
      type: int
      sample: 17
    reasons:
      description: Why it is weak.
      type: list
      elements: str
      sample: [shorter than 12 characters, equal to the object name, extension or username]
    config:
      description: Root file of the tree (the O(pbxsec.hardening.asterisk_config#module:path) to edit).
      type: str
      sample: /etc/asterisk/sip.conf
    section:
      description: Section to edit.
      type: str
      sample: "100"
    section_type:
      description:
        - The C(type) that picks the section when one name is several PJSIP objects (the
          O(pbxsec.hardening.asterisk_config#module:section_type) to pass); null otherwise.
      type: str
      sample: auth
    option:
      description: Option that holds the credential.
      type: str
      sample: secret
    rotatable:
      description:
        - Whether a random secret may replace it (a phone or AMI credential in the first section
          of its name, which M(pbxsec.hardening.asterisk_config) edits).
      type: bool
    why_not_rotatable:
      description: Why not, when not.
      type: str
      sample: "provider credential (host is not dynamic): change it with the provider"
    names:
      description:
        - For a rotatable credential, the names the value was judged against (the object, its
          usernames), which a new secret must not contain; the
          P(pbxsec.hardening.new_credential#lookup) lookup reads them. Empty for the others.
      type: list
      elements: str
      sample: ["100", bob]
    min_length:
      description:
        - For a rotatable credential, the length floor the value was judged against when not
          the policy's C(min_length) (C(ami_min_length) for AMI users); null otherwise.
      type: int
      sample: 16
weak_pins:
  description:
    - Mailboxes whose PIN breaks O(pin_policy), without the PIN; empty when O(pin_policy) is not
      given or C(voicemail.conf) is absent.
  returned: always
  type: list
  elements: dict
  sample: [{mailbox: "1234", context: default, object: "1234@default",
            file: /etc/asterisk/voicemail.conf, line: 447}]
controls:
  description: Control ID to C(pass), C(fail), C(not_applicable) (file absent) or C(error).
  returned: always
  type: dict
  sample: {PBX-SEC-001: fail, PBX-SEC-002: not_applicable}
errors:
  description: Control ID to C(path:line) of a tree Asterisk would refuse.
  returned: always
  type: dict
msg:
  description: Summary.
  returned: always
  type: str
  sample: "4 weak credential(s): PBX-SEC-001 100, PBX-SEC-001 101, ..."
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_secrets_audit import (
    ARGUMENT_SPEC,
    run,
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**printable(run(module)))


if __name__ == "__main__":
    main()
