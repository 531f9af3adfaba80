#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_dialplan_info
short_description: Audit an Asterisk dialplan for toll fraud paths (PBX-DP-001..004, PBX-VM-006)
version_added: 0.1.0
description:
  - Builds the dialplan of C(extensions.conf) through the Asterisk config engine (C(#include)s,
    C([ctx](+)), templates), with its contexts, extensions (C(exten =>), C(same =>), C(n(label)),
    hints) and C(include =>) edges (a time-limited include is still an edge).
  - Finds the B(unauthenticated entry points) - the chan_sip C([general] context) (default
    C(default)), the C(context) of the PJSIP C(anonymous) endpoint, the C(context) of IAX2 users
    without C(secret)/C(inkeys) - and the B(trunk contexts) (chan_sip peers with C(insecure=),
    PJSIP endpoints with a C(type=identify) section).
  - An entry point Asterisk takes no call through now is B(latent), not open - the chan_sip
    C([general] context) with C(allowguest=no) and C(autocreatepeer) off, or one that
    O(closed_entry_points) names. What only latent entry points reach is reported apart, in
    RV(latent_findings) ("Latent, not reachable now", with what would open it, such as
    "reachable if guests are allowed again"); it never fails a control. A C(insecure=invite)
    peer without its own C(context) still reaches the C([general] context) as a trunk.
  - Follows C(include =>) and the applications that jump with a B(literal) context name
    (C(Goto), C(GotoIf), C(GotoIfTime), C(Gosub), C(GosubIf), C(Macro), C(DISA), C(Local/x@ctx)
    channels). A jump whose context is a variable is not followed (it cannot be resolved from
    the files); it is listed in RV(notes) for a person to judge.
  - "C(PBX-DP-001): C(Dial), C(DISA), C(VoiceMailMain), C(Originate) reachable from an
    unauthenticated entry point. C(PBX-DP-002): international or premium routes reachable from
    an entry point or a trunk context, and with O(require_pin) routes without C(Authenticate())
    before they dial. C(PBX-DP-003): C(DISA(no-password)) or a weak DISA passcode. C(PBX-DP-004):
    asterisk.conf C(live_dangerously) true, C(runuser)/C(rungroup) root or C(runuser) unset
    (see O(runuser_from_service)). C(PBX-VM-006): C(VoiceMailMain) reachable from a guest or
    trunk context (the message says when the C(s) option skips the PIN)."
  - Each finding names the chain from the entry point to the extension and the file and line;
    passcodes and secrets are never returned.
  - Reads only; never changes a file. AEL (C(extensions.ael)), Lua and realtime dialplans are
    not read.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description:
      - Asterisk's configuration directory (C(astetcdir)); C(extensions.conf), C(sip.conf),
        C(pjsip.conf), C(iax.conf) and C(asterisk.conf) are read from it.
    type: path
    default: /etc/asterisk
  channels:
    description:
      - Channel drivers whose configuration gives entry points. Leave out those that are not
        installed (chan_sip is gone from Asterisk 21 on; a C(sip.conf) left behind is then
        ignored).
    type: list
    elements: str
    choices: [sip, pjsip, iax2]
    default: [sip, pjsip, iax2]
  closed_entry_points:
    description:
      - Unauthenticated entry points that the same run closes before Asterisk reloads, judged
        latent so that a check mode run predicts the real one.
      - V(sip_guest) chan_sip guest calls (C(allowguest=no) and C(autocreatepeer=no) set, or the
        C([general] context) replaced by a context that hangs up), V(pjsip_anonymous) the PJSIP
        C(anonymous) endpoint (removed, its identifier not loaded), V(iax2_guests) IAX2 users
        without a secret (removed).
      - The P(pbxsec.hardening.dialplan#role) role passes those the P(pbxsec.hardening.sip#role)
        role and its own guest context fix close in the same play.
    type: list
    elements: str
    choices: [sip_guest, pjsip_anonymous, iax2_guests]
    default: []
  controls:
    description:
      - Controls to judge; the others are reported as C(skipped).
    type: list
    elements: str
    choices: [PBX-DP-001, PBX-DP-002, PBX-DP-003, PBX-DP-004, PBX-VM-006]
    default: [PBX-DP-001, PBX-DP-002, PBX-DP-003, PBX-DP-004, PBX-VM-006]
  international_patterns:
    description:
      - Patterns of international numbers (NZ C(00), C(+), or the dialling prefix your PBX uses
        such as C(_0011.)). Their literal prefix counts (C(_00.) means numbers starting with
        C(00)).
      - An extension is an international route when its pattern requires such a prefix and it
        does more than refuse the call, or when its pattern may match such a number (C(_X.))
        and it dials the dialled number through a trunk (C(SIP/trunk/${EXTEN}),
        C(PJSIP/${EXTEN}@trunk); C(SIP/${EXTEN}) is a local peer and does not count).
    type: list
    elements: str
    default: ["_00.", "_+.", "_0011."]
  premium_patterns:
    description:
      - Patterns of premium numbers (NZ C(0900)), judged like O(international_patterns).
    type: list
    elements: str
    default: ["_0900."]
  require_pin:
    description:
      - Also report (C(PBX-DP-002)) every international or premium route, in any context, that
        dials without an C(Authenticate()) (or C(VMAuthenticate())) at an earlier priority.
    type: bool
    default: false
  disa_min_length:
    description:
      - Shortest acceptable DISA passcode (C(PBX-DP-003)).
    type: int
    default: 8
  runuser_from_service:
    description:
      - The user the service manager starts Asterisk as when asterisk.conf sets no C(runuser)
        (Debian's unit and init script pass C(-U asterisk)). Give it, for example V(asterisk),
        to judge C(PBX-DP-004) from that.
      - When empty and C(runuser) is unset, the module looks for a running C(asterisk) process
        in C(/proc) and judges its real uid; with no running Asterisk the control fails.
    type: str
    default: ""
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
notes:
  - Reachability is conservative in what it claims - only literal targets are followed. A
    C(Goto(${DEST},s,1)) may lead anywhere; it is listed in RV(notes), not judged.
  - chan_sip's C([general] context) is also the context of every peer without its own
    C(context=); RV(sip_general_context_users) lists them, so a change of the guest context can be
    checked first.
seealso:
  - module: pbxsec.hardening.asterisk_config_info
"""

EXAMPLES = r"""
- name: PBX-DP-001 | AUDIT | Find dial-out paths open to unauthenticated callers
  pbxsec.hardening.asterisk_dialplan_info:
    config_dir: /etc/asterisk
    runuser_from_service: asterisk
  register: pbx_discovered_dialplan

- name: Show the chains
  ansible.builtin.debug:
    msg: "{{ item.control }} {{ item.file }}:{{ item.line }} {{ item.message }}"
  loop: "{{ pbx_discovered_dialplan.findings }}"
  loop_control:
    label: "{{ item.control }} [{{ item.context }}] {{ item.extension }}"

- name: Audit a PJSIP-only Asterisk 22 with Australian prefixes and a PIN policy
  pbxsec.hardening.asterisk_dialplan_info:
    channels: [pjsip]
    international_patterns: ["_0011.", "_+."]
    premium_patterns: ["_190.", "_0900."]
    require_pin: true
"""

RETURN = r"""
findings:
  description: Every finding that fails its control, in control order (latent ones are in RV(latent_findings)).
  returned: always
  type: list
  elements: dict
  contains:
    control:
      description: Control ID.
      type: str
      sample: PBX-DP-001
    context:
      description: Context holding the extension (null for asterisk.conf findings).
      type: str
      sample: from-internal
    extension:
      description: Extension pattern.
      type: str
      sample: _00.
    file:
      description: File of the offending line.
      type: str
      sample: /etc/asterisk/extensions_site.conf
    line:
      description: Line number.
      type: int
      sample: 6
    message:
      description: What is wrong, with the chain from the entry point.
      type: str
      sample: >-
        Dial reachable by unauthenticated callers: [public] (chan_sip guest context, ...)
        -> include from-internal (/etc/asterisk/extensions_site.conf:15) -> _00.,1 Dial()
    chain:
      description: The steps from the entry point to the context (empty when not a reachability finding).
      type: list
      elements: str
    latent:
      description: Whether only latent entry points reach it (always false here, true in RV(latent_findings)).
      type: bool
latent_findings:
  description:
    - Reach that Asterisk does not give now, same form as RV(findings); the message starts with
      "Latent, not reachable now" and the first step of the chain says what would open it.
    - Information for the operator; it does not fail a control.
  returned: always
  type: list
  elements: dict
  sample:
    - control: PBX-DP-001
      context: demo
      extension: "600"
      message: >-
        Latent, not reachable now: Dial reachable by unauthenticated callers: [public] (chan_sip
        guest context, /etc/asterisk/sip.conf:126, allowguest=no (/etc/asterisk/sip.conf:260),
        autocreatepeer off; reachable if guests are allowed again) -> include demo ...
      latent: true
controls:
  description: Control ID to C(status) (C(pass), C(fail), C(skipped), C(error)) and C(findings) (count of RV(findings)).
  returned: always
  type: dict
  sample: {"PBX-DP-001": {"status": "fail", "findings": 3}}
entry_points:
  description: >-
    Open unauthenticated entry points (context, channel, object, source, C(latent) null, and
    C(exists) in the dialplan).
  returned: always
  type: list
  elements: dict
latent_entry_points:
  description: >-
    Entry points Asterisk takes no call through now, same form as RV(entry_points), with
    C(latent) saying why and what would open them.
  returned: always
  type: list
  elements: dict
trunk_contexts:
  description: Trunk entry points found, same form as RV(entry_points).
  returned: always
  type: list
  elements: dict
reachable:
  description: >-
    Context name to the chain that reaches it, from open guests (C(guest)) and trunks
    (C(trunk)), and, for contexts only latent entry points reach, from those (C(latent_guest),
    C(latent_trunk)).
  returned: always
  type: dict
  sample: {"guest": {"from-internal": ["[public] (...)", "include from-internal (...)"]}, "trunk": {},
           "latent_guest": {}, "latent_trunk": {}}
contexts:
  description: Names of the contexts of the dialplan, in order.
  returned: always
  type: list
  elements: str
notes:
  description: What could not be judged (jumps to computed contexts, switches, malformed lines), with file and line.
  returned: always
  type: list
  elements: dict
sip_general_context_users:
  description: chan_sip peers without their own C(context) (they use the C([general]) one).
  returned: always
  type: list
  elements: str
asterisk_conf:
  description: What C(PBX-DP-004) was judged on (C(live_dangerously), C(runuser), C(rungroup), C(runuser_source)).
  returned: always
  type: dict
files:
  description: Files of the dialplan tree.
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan_audit import (
    Policy,
    argument_spec,
    audit_host,
)


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    config_dir = module.params["config_dir"]
    extensions = os.path.join(config_dir, "extensions.conf")
    if not os.path.isfile(extensions):
        module.fail_json(msg="%s not found: is config_dir right?" % extensions)
    try:
        result = audit_host(config_dir, Policy(module.params))
    except AsteriskConfigError as exc:
        module.fail_json(msg=to_native(exc), error_path=exc.path, error_line=exc.line)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
