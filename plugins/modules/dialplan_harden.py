#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dialplan_harden
short_description: Audit the dialplan and send chan_sip guests to a context that refuses them, in one call
version_added: 0.1.0
description:
  - Audits the dialplan as M(pbxsec.hardening.asterisk_dialplan_info) does (PBX-DP-001..004,
    PBX-VM-006) and returns the same results, judged on the files as they are when the module
    starts (check mode and the real run judge alike).
  - "With O(fix_guest_context) (PBX-DP-001; only when V(sip) is in O(channels) and PBX-DP-001 in
    O(controls)): writes C(extensions_pbxsec.conf) holding the context O(guest_context), which
    hangs up every call (cause 21), appends one C(#tryinclude extensions_pbxsec.conf) line to the
    end of C(extensions.conf) when that file does not read it yet (every other byte kept), and
    sets C(context) of C(sip.conf) C([general]) to O(guest_context) following
    M(pbxsec.hardening.asterisk_config)'s rules. The audit then counts the chan_sip guest context
    as closed (O(closed_entry_points) V(sip_guest))."
  - The drop-in gets the owner and group of the file that reads it and mode C(0640), in the
    atomic write itself when its contents change (it never shows another owner or mode), else
    set on the file as it is. When this user may not give that owner and group (it is not root,
    and they are not its own uid and one of its groups), the fix is refused before anything is
    written. The drop-in is this collection's own file - a link, a directory or a file with a
    second (hard) link in its place is refused.
  - "Before anything is written: the fix is refused when a chan_sip peer has no C(context=) of
    its own (it would move into the reject context too: RV(sip_general_context_users)), and with
    O(freepbx) when FreePBX's custom files would not win. Every file is planned and the edited
    trees are loaded again in memory; when one would not come out as wanted, or one lies
    outside O(config_dir), nothing is written. Each changed file is written once, atomically."
  - With O(freepbx), the C(#tryinclude) line goes to C(extensions_custom.conf) and C(context) to
    C(sip_general_custom.conf), the custom files FreePBX reads after its generated ones and
    never writes (M(pbxsec.hardening.freepbx_layout)); its generated files are left alone.
  - RV(reload) says what to make live, the dialplan before chan_sip so that the context exists
    before guests are sent to it.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Asterisk's configuration directory; every file written lies in it.
    type: path
    required: true
  channels:
    description:
      - Channel drivers whose configuration gives entry points. Leave out those that are not
        installed (a C(sip.conf) left behind without chan_sip is then ignored).
    type: list
    elements: str
    choices: [sip, pjsip, iax2]
    default: [sip, pjsip, iax2]
  closed_entry_points:
    description:
      - Unauthenticated entry points that the same play closes before Asterisk reloads, judged
        latent (see M(pbxsec.hardening.asterisk_dialplan_info)); V(sip_guest) is added when the
        guest context fix is made.
    type: list
    elements: str
    choices: [sip_guest, pjsip_anonymous, iax2_guests]
    default: []
  controls:
    description:
      - Controls to judge; the others are reported as C(skipped). The guest context fix needs
        PBX-DP-001.
    type: list
    elements: str
    choices: [PBX-DP-001, PBX-DP-002, PBX-DP-003, PBX-DP-004, PBX-VM-006]
    default: [PBX-DP-001, PBX-DP-002, PBX-DP-003, PBX-DP-004, PBX-VM-006]
  international_patterns:
    description: Patterns of international numbers (PBX-DP-002), as for M(pbxsec.hardening.asterisk_dialplan_info).
    type: list
    elements: str
    default: ["_00.", "_+.", "_0011."]
  premium_patterns:
    description: Patterns of premium numbers (PBX-DP-002).
    type: list
    elements: str
    default: ["_0900."]
  require_pin:
    description:
      - Also report (PBX-DP-002) every international or premium route that dials without an
        C(Authenticate()) at an earlier priority.
    type: bool
    default: false
  disa_min_length:
    description: Shortest acceptable DISA passcode (PBX-DP-003); at least 4.
    type: int
    default: 8
  runuser_from_service:
    description:
      - The user the service manager starts Asterisk as when asterisk.conf sets no C(runuser)
        (PBX-DP-004); empty - the running Asterisk's uid is judged.
    type: str
    default: ""
  fix_guest_context:
    description: Send chan_sip guests to O(guest_context) (see the description).
    type: bool
    default: false
  guest_context:
    description: Name of the reject context (letters, digits, C(-), C(_); at most 79).
    type: str
    default: pbx-guest-reject
  freepbx:
    description: FreePBX manages the host (write only in the custom files it leaves alone).
    type: bool
    default: false
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
notes:
  - The audit reads only; what it judges and returns is described in
    M(pbxsec.hardening.asterisk_dialplan_info).
seealso:
  - module: pbxsec.hardening.asterisk_dialplan_info
  - module: pbxsec.hardening.asterisk_config
  - module: pbxsec.hardening.freepbx_layout
"""

EXAMPLES = r"""
- name: PBX-DP-001 | AUDIT | Audit the dialplan and send chan_sip guests to a reject context
  pbxsec.hardening.dialplan_harden:
    config_dir: /etc/asterisk
    channels: [sip, pjsip]
    closed_entry_points: [pjsip_anonymous]
    runuser_from_service: asterisk
    fix_guest_context: true
  register: pbx_discovered_dialplan

- name: Audit a PJSIP-only Asterisk 22 with Australian prefixes (changes nothing)
  pbxsec.hardening.dialplan_harden:
    config_dir: /etc/asterisk
    channels: [pjsip]
    international_patterns: ["_0011.", "_+."]
    premium_patterns: ["_190.", "_0900."]
"""

RETURN = r"""
changed:
  description: Whether a file was (or, in check mode, would be) changed.
  returned: always
  type: bool
changed_files:
  description: Paths of the changed (or created) files, and of the drop-in when only its owner, group or mode changes.
  returned: always
  type: list
  elements: str
  sample: [/etc/asterisk/extensions_pbxsec.conf, /etc/asterisk/extensions.conf, /etc/asterisk/sip.conf]
diff:
  description:
    - One entry per changed file (credential lines masked), and one for an owner, group or mode
      change of an existing drop-in.
  returned: always
  type: list
  elements: dict
backup_files:
  description: Backup files created, when O(backup=true).
  returned: always
  type: list
  elements: str
reload:
  description: What must be made live, in this order - V(dialplan), V(chan_sip).
  returned: always
  type: list
  elements: str
  sample: [dialplan, chan_sip]
exec_directives:
  description: C(path:line) of every C(#exec) line of the trees the fix edits (never run).
  returned: always
  type: list
  elements: str
msg:
  description: What the fix did.
  returned: always
  type: str
findings:
  description: Every finding that fails its control, in control order (C(control), C(context), C(extension), C(file), C(line), C(message), C(chain), C(latent)).
  returned: always
  type: list
  elements: dict
latent_findings:
  description: Reach that Asterisk does not give now, same form as RV(findings); never fails a control.
  returned: always
  type: list
  elements: dict
controls:
  description: Control ID to C(status) (C(pass), C(fail), C(skipped)) and C(findings) (count of RV(findings)).
  returned: always
  type: dict
  sample: {"PBX-DP-001": {"status": "pass", "findings": 0}}
entry_points:
  description: Open unauthenticated entry points.
  returned: always
  type: list
  elements: dict
latent_entry_points:
  description: Entry points Asterisk takes no call through now, with C(latent) saying why.
  returned: always
  type: list
  elements: dict
trunk_contexts:
  description: Trunk entry points found.
  returned: always
  type: list
  elements: dict
reachable:
  description: Context name to the chain that reaches it, per kind of entry point (C(guest), C(trunk), C(latent_guest), C(latent_trunk)).
  returned: always
  type: dict
contexts:
  description: Names of the contexts of the dialplan, in order.
  returned: always
  type: list
  elements: str
notes:
  description: What could not be judged, with file and line.
  returned: always
  type: list
  elements: dict
sip_general_context_users:
  description: chan_sip peers without their own C(context) (they use the C([general]) one).
  returned: always
  type: list
  elements: str
asterisk_conf:
  description: What PBX-DP-004 was judged on.
  returned: always
  type: dict
files:
  description: Files of the dialplan tree the audit read.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_dialplan import (
    ARGUMENT_SPEC,
    run,
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**printable(run(module)))


if __name__ == "__main__":
    main()
