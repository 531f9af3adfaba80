#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sip_harden
short_description: Close anonymous and unauthenticated chan_sip, PJSIP and IAX2 access in one call
version_added: 0.1.0
description:
  - Reads the configuration of each installed driver (O(drivers)), plans what the enabled
    controls (O(controls)) change, and writes each changed file once, atomically. Every control
    that cannot be fixed safely stops the module before anything is written.
  - "chan_sip (C(sip.conf)): C([general]) options of PBX-SIP-001..004 (values from the control
    catalogue), PBX-NET-005 (O(useragent)); C(allowsubscribe=no) on trunk peers (PBX-SIP-005);
    C(insecure=invite) peers left with C(deny=0.0.0.0/0.0.0.0) followed by the provider permits
    (PBX-SIP-006)."
  - "PJSIP: the C(anonymous) endpoint removed (not on FreePBX) and, with
    O(noload_anonymous_identifier), C(noload) of its identifier in C(modules.conf) (PBX-PJS-001);
    C(identify_by=ip) on endpoints without inbound auth (PBX-PJS-002),
    C(allow_unauthenticated_options=no) (PBX-PJS-003), C(allow_subscribe=no) on trunk endpoints
    (PBX-PJS-004), the global section's C(user_agent) (PBX-NET-005); the wizards of
    C(pjsip_wizard.conf) fixed in their own C(endpoint/) options when res_pjsip_config_wizard is
    in O(module_dir)."
  - "IAX2 (C(iax.conf)): users that need neither secret nor key removed (PBX-IAX-001),
    C(plaintext) taken out of every C(auth=) (PBX-IAX-002)."
  - With O(freepbx), edits go only where FreePBX leaves them (its custom files); what only
    FreePBX or a template can change is returned in RV(left) for the caller to fail on.
  - Every edit follows M(pbxsec.hardening.asterisk_settings)'s rules. Credentials never appear
    in the diff.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Asterisk's configuration directory; every file written lies in it.
    type: path
    required: true
  module_dir:
    description: Asterisk's module directory (where C(res_pjsip_config_wizard.so) is looked for).
    type: path
  drivers:
    description: The installed channel drivers to harden.
    type: list
    elements: str
    choices: [chan_sip, pjsip, iax2]
    required: true
  freepbx:
    description: FreePBX manages the host (write only where it leaves the lines alone).
    type: bool
    default: false
  controls:
    description: The control IDs this run enforces (any area).
    type: list
    elements: str
    required: true
  sip_conf_controls:
    description: The controls this run enforces in C(sip.conf) (those its C(sip) area selects).
    type: list
    elements: str
    required: true
  pjsip_conf_controls:
    description: The controls this run enforces in C(pjsip.conf) (those its C(pjsip) area selects).
    type: list
    elements: str
    required: true
  provider_networks:
    description: Networks of the SIP providers (C(address/prefix)).
    type: list
    elements: str
    required: true
  trusted_networks:
    description: Other networks PJSIP endpoints without inbound auth may be identified from.
    type: list
    elements: str
    default: []
  provider_peering_ip:
    description: The provider's one peering address; when set, C(insecure=invite) peers admit it only.
    type: str
  sip_trunks:
    description: Peers, endpoints and wizards that are trunks although nothing in their configuration says so.
    type: list
    elements: str
    default: []
  useragent:
    description: User agent and SDP session name (PBX-NET-005).
    type: str
    required: true
  allowsubscribe_general:
    description: Leave C(allowsubscribe) of C(sip.conf) C([general]) alone (V(false) sets it to V(no)).
    type: bool
    default: true
  noload_anonymous_identifier:
    description: Also keep C(res_pjsip_endpoint_identifier_anonymous.so) from loading (PBX-PJS-001).
    type: bool
    default: true
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
seealso:
  - module: pbxsec.hardening.asterisk_settings
  - module: pbxsec.hardening.freepbx_layout
"""

EXAMPLES = r"""
- name: PBX-SIP-001 | PATCH | Close anonymous and unauthenticated SIP and IAX2 access
  pbxsec.hardening.sip_harden:
    config_dir: /etc/asterisk
    module_dir: /usr/lib/asterisk/modules
    drivers: [chan_sip, pjsip, iax2]
    controls: [PBX-SIP-001, PBX-SIP-002, PBX-PJS-001, PBX-IAX-001]
    sip_conf_controls: [PBX-SIP-001, PBX-SIP-002]
    pjsip_conf_controls: [PBX-PJS-001]
    provider_networks: [198.51.100.0/24]
    useragent: PBX
  register: pbx_discovered_sip_hardening
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
  description: One entry per changed file; credentials are masked.
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
    - What must be made live, in this order; V(chan_sip), V(pjsip), V(anonymous_identifier)
      (C(modules.conf) changed, so unload the identifier), V(iax2).
  returned: always
  type: list
  elements: str
  sample: [chan_sip, iax2]
closed_entry_points:
  description:
    - The dialplan entry points this run closes (V(iax2_guests), V(sip_guest),
      V(pjsip_anonymous)), for the dialplan role.
  returned: always
  type: list
  elements: str
left:
  description:
    - What only FreePBX or a template can change, per control ID (V(PBX-SIP-006) permit
      lines, V(PBX-IAX-001) guest users); empty lists when nothing is left.
  returned: always
  type: dict
  sample: {"PBX-SIP-006": [], "PBX-IAX-001": ["[guest] type=user (/etc/asterisk/iax_additional.conf:1)"]}
findings:
  description: What each control changed or left, per control ID (C(path:line) actions).
  returned: always
  type: dict
trunk_permit:
  description: The chan_sip C(permit=) values of the provider networks (PBX-SIP-006).
  returned: always
  type: list
  elements: str
gui_fixes:
  description: The FreePBX GUI setting that fixes each control (as M(pbxsec.hardening.freepbx_layout) returns it).
  returned: always
  type: dict
msg:
  description: What was done.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_sip import (
    ARGUMENT_SPEC,
    run,
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**printable(run(module)))


if __name__ == "__main__":
    main()
