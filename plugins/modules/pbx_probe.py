#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_probe
short_description: Probe a PBX's SIP ports from outside as an attacker would (PBX-PRB-001..003)
version_added: 0.1.0
description:
  - Sends, from the host it runs on (the controller, or the C(pbx_probe_host) the task is
    delegated to), what a SIP scanner sends to each of O(ports) over each of O(transports), and
    judges the answers for the source address it used.
  - C(PBX-PRB-001) - an C(OPTIONS) must get no answer from outside the provider and trusted
    networks (from inside them an answer is expected and the control is C(not_applicable)).
  - C(PBX-PRB-002) - an anonymous C(INVITE) to O(number), a number no route completes, must be
    challenged or refused (401, 403, 407) or get no answer. A provisional answer (the call reached
    the dialplan) is cancelled at once (C(CANCEL)), a final answer of 300 or more is acknowledged
    as RFC 3261 asks, a 2xx is hung up with a C(BYE) and never acknowledged. No media is ever
    sent; the offer names the discard port 9.
  - C(PBX-PRB-003) - a C(REGISTER) for O(user), a user the configuration defines, and one for a
    random user that does not exist must get the same answer (code, challenge scheme and realm);
    otherwise user names can be enumerated. Both carry no C(Contact), so they ask for the
    bindings and change none, even on a PBX that accepts them.
  - Probes go only to the address the inventory gives O(host) - C(pbx_probe_address), else
    C(ansible_host), else the host's name. The action plugin checks that on the controller and
    refuses any other O(address).
  - Bounded - at most O(rate) packets per second (5 at most), 256 packets and O(deadline) seconds
    per target; each answer is awaited O(timeout) seconds. A test the deadline stops is a finding
    that makes its control C(error), never C(pass).
  - An answer is hostile input - at most 4096 bytes of it are parsed, in linear time, and only
    the status code, whether it challenges, a digest of its realm and the tags that end the
    dialog are kept. Nothing else of it reaches the result.
  - Returns one entry per PBX-PRB control in the shape of M(pbxsec.hardening.pbx_compliance)'s
    RV(pbxsec.hardening.pbx_compliance#module:controls), with O(controls), O(skip), O(waivers)
    applied as that module applies them; M(pbxsec.hardening.pbx_report) puts them in the host's
    report (its O(pbxsec.hardening.pbx_report#module:probe_var)).
  - Sends packets but changes nothing anywhere, so it runs in check mode too and never reports
    changed.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  host:
    description: The PBX's name in the inventory.
    type: str
    required: true
  address:
    description:
      - The address (or name) to probe. Must be the one the inventory gives O(host)
        (C(pbx_probe_address), else C(ansible_host), else its name); the action plugin fills it in
        when omitted and refuses any other.
      - Set C(pbx_probe_address) where the inventory's C(ansible_host) is not the PBX's SIP
        address (a container name, a management address).
    type: str
  ports:
    description: SIP ports to probe (at most 8), as the audit found them (RV(pbxsec.hardening.pbx_compliance#module:sip_surface.ports)).
    type: list
    elements: int
    default: [5060]
  transports:
    description: Transports to probe each port over.
    type: list
    elements: str
    choices: [udp, tcp]
    default: [udp, tcp]
  user:
    description:
      - A user the PBX defines (a phone's peer or endpoint), for PBX-PRB-003
        (RV(pbxsec.hardening.pbx_compliance#module:sip_surface.user)). Without it PBX-PRB-003 is
        C(not_applicable). A name with characters a SIP user token cannot carry is not sent.
    type: str
  number:
    description:
      - The number the anonymous INVITE dials; one no route completes. Default a number of the
        country code 999, which is reserved and never assigned. Digits, C(*) and C(#), an
        optional leading C(+), at most 32 characters.
    type: str
    default: "+99900000000"
  provider_networks:
    description:
      - Provider networks, IPv4 and written as the roles take them (address/prefix or address/netmask, no host bits, for example V(198.51.100.0/24)).
      - From a source inside them or O(trusted_networks), OPTIONS may be answered.
    type: list
    elements: str
    default: []
  trusted_networks:
    description: Trusted networks, IPv4 and written as for O(provider_networks). A probe over IPv6 always counts as from outside them.
    type: list
    elements: str
    default: []
  rate:
    description: Packets per second to the target, at most 5.
    type: float
    default: 5
  timeout:
    description: Seconds each answer is awaited (0.1 to 10).
    type: float
    default: 2
  deadline:
    description: Seconds the whole probe of the target may take (1 to 600).
    type: int
    default: 60
  controls:
    description: Judge only these controls; as M(pbxsec.hardening.pbx_compliance)'s. A test whose control is not judged is not sent.
    type: list
    elements: str
    default: []
  skip:
    description: Controls not to judge (not_applicable, and their tests not sent).
    type: list
    elements: str
    default: []
  waivers:
    description: Control ID to the reason it is accepted, as M(pbxsec.hardening.pbx_compliance)'s.
    type: dict
    default: {}
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
attributes:
  check_mode:
    details: Probing is read-only; it runs in check mode as in a normal run.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
notes:
  - The source is the address the probe host's own socket has. Behind NAT the PBX sees another
    one; name a probe host whose address the PBX sees, or read the findings with that in mind.
  - TLS and websocket transports are not probed.
seealso:
  - module: pbxsec.hardening.pbx_compliance
  - module: pbxsec.hardening.pbx_report
"""

EXAMPLES = r"""
# As playbooks/tasks/audit.yml does with pbx_probe: true, from an outside host
- name: PBX-PRB-001..003 | AUDIT | Probe the PBX's SIP ports from outside
  pbxsec.hardening.pbx_probe:
    host: "{{ inventory_hostname }}"
    ports: "{{ pbx_audit.sip_surface.ports }}"
    user: "{{ pbx_audit.sip_surface.user | default(omit, true) }}"
    provider_networks: "{{ pbx_provider_networks }}"
    trusted_networks: "{{ pbx_trusted_networks }}"
  delegate_to: "{{ pbx_probe_host | default('localhost') }}"
  become: false
  register: pbx_audit_probe

- name: One UDP port, slowly
  pbxsec.hardening.pbx_probe:
    host: pbx1
    ports: [5160]
    transports: [udp]
    rate: 1
    deadline: 30
  delegate_to: localhost
"""

RETURN = r"""
controls:
  description:
    - One entry per PBX-PRB control, shaped as M(pbxsec.hardening.pbx_compliance)'s.
    - Each finding's C(object) is C(transport/port) and its message names the source.
  returned: always
  type: list
  elements: dict
  sample:
    - id: PBX-PRB-002
      title: "Probe: an anonymous INVITE is challenged or refused (401/403/407) or gets no answer"
      severity: critical
      status: fail
      findings:
        - {file: null, line: null, object: udp/5060, message: "from 198.18.0.10: anonymous INVITE answered 100, 404: the call reached the dialplan"}
      remediation: "Refuse guest calls (role sip) ..."
address:
  description: The address probed.
  returned: always
  type: str
  sample: 198.18.0.16
source:
  description: The probe's own address towards the target (what the verdicts are judged for).
  returned: always
  type: str
  sample: 198.18.0.10
source_inside:
  description: Whether RV(source) is in the provider or trusted networks.
  returned: always
  type: bool
probes:
  description: What each port and transport got, per test (C(options), C(invite), C(register_known), C(register_unknown)).
  returned: always
  type: list
  elements: dict
  sample:
    - transport: udp
      port: 5060
      tests:
        options: {state: answered, codes: [200], challenge: null, reason: null}
        invite: {state: answered, codes: [401], challenge: digest, reason: null}
packets:
  description: Packets sent to the target.
  returned: always
  type: int
"""

import collections
import socket

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils import sip_probe
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    network_problems,
    networks,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    CONTROL_IDS,
    PROBE_CONTROL_IDS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    apply_choices,
)

MAX_PORTS = 8
MAX_RATE = 5.0
NUMBER_CHARACTERS = frozenset("0123456789*#")
USER_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "-_.!~*'()&=+$,;?/")
TESTS = {"PBX-PRB-001": "options", "PBX-PRB-002": "invite", "PBX-PRB-003": "register"}


def problems(params):
    """What is wrong with the options, one sentence each."""
    found = []
    named = list(params["controls"]) + list(params["skip"]) + list(params["waivers"])
    unknown = sorted(set(named) - set(CONTROL_IDS))
    if unknown:
        found.append("unknown control IDs: %s" % ", ".join(unknown))
    ports = params["ports"]
    if not ports or len(set(ports)) > MAX_PORTS or any(not 0 < port < 65536 for port in ports):
        found.append("ports must be 1 to %d port numbers from 1 to 65535" % MAX_PORTS)
    if not params["transports"]:
        found.append("transports must name udp, tcp or both")
    if not 0 < params["rate"] <= MAX_RATE:
        found.append("rate must be more than 0 and at most %g packets per second" % MAX_RATE)
    if not 0.1 <= params["timeout"] <= 10:
        found.append("timeout must be 0.1 to 10 seconds")
    if not 1 <= params["deadline"] <= 600:
        found.append("deadline must be 1 to 600 seconds")
    number = params["number"]
    digits = number[1:] if number.startswith("+") else number
    if not 0 < len(number) <= 32 or not digits or not set(digits) <= NUMBER_CHARACTERS:
        found.append("number must be digits, * and # with an optional leading +, at most 32")
    return found


def resolve(address):
    """The first IP address ``address`` resolves to (it is one itself, or a name)."""
    infos = socket.getaddrinfo(address, None, 0, socket.SOCK_DGRAM)
    return infos[0][4][0]


def source_towards(target):
    """The local address the system routes ``target`` from (a UDP connect sends nothing)."""
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.connect((target, 9))
        return sock.getsockname()[0]
    finally:
        sock.close()


def wanted_tests(params):
    only, skip = params["controls"], params["skip"]
    return set(test for control, test in TESTS.items()
               if (not only or control in only) and control not in skip)


def entries(outcomes, params):
    """The PBX-PRB entries with the operator's choices applied as pbx_compliance applies them."""
    judged_elsewhere = collections.defaultdict(
        lambda: Outcome.not_applicable("judged by pbx_compliance"), outcomes)
    return [entry for entry in apply_choices(judged_elsewhere, params["controls"], params["skip"],
                                             params["waivers"])
            if entry["id"] in PROBE_CONTROL_IDS]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            host=dict(type="str", required=True),
            address=dict(type="str"),
            ports=dict(type="list", elements="int", default=[5060]),
            transports=dict(type="list", elements="str", choices=list(sip_probe.TRANSPORTS),
                            default=list(sip_probe.TRANSPORTS)),
            user=dict(type="str"),
            number=dict(type="str", default=sip_probe.DEFAULT_NUMBER),
            provider_networks=dict(type="list", elements="str", default=[]),
            trusted_networks=dict(type="list", elements="str", default=[]),
            rate=dict(type="float", default=5.0),
            timeout=dict(type="float", default=2.0),
            deadline=dict(type="int", default=60),
            controls=dict(type="list", elements="str", default=[]),
            skip=dict(type="list", elements="str", default=[]),
            waivers=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    params = module.params
    found = problems(params)
    for option in ("provider_networks", "trusted_networks"):
        found.extend("%s: %s" % (option, problem) for problem in network_problems(params[option]))
    if not params["address"]:
        found.append("address is not set: the action plugin sets it from the inventory")
    if found:
        module.fail_json(msg="invalid options: %s" % "; ".join(found))
    try:
        target = resolve(params["address"])
        source = source_towards(target)
    except OSError as exc:
        module.fail_json(msg="cannot reach %s (host %s) from here: %s"
                         % (params["address"], params["host"], exc))
    user = params["user"]
    if user is not None and (not user or len(user) > 64 or not set(user) <= USER_CHARACTERS):
        module.warn("the configured user name cannot be sent in a SIP URI as it is; "
                    "PBX-PRB-003 compares no existing user")
        user = None
    inside_networks = networks(params["provider_networks"] + params["trusted_networks"])
    source_inside = sip_probe.inside(source, inside_networks)
    pacer = sip_probe.Pacer(params["rate"], params["deadline"])
    wanted = wanted_tests(params)
    probes = []
    for port in sorted(set(params["ports"])):
        for transport in params["transports"]:
            seen = sip_probe.probe_port(transport, (target, port), pacer, params["number"], user,
                                        params["timeout"], wanted)
            probes.append((transport, port, seen))
    outcomes = sip_probe.judge(source, source_inside, probes, user)
    module.exit_json(
        changed=False, controls=entries(outcomes, params), address=target, source=source,
        source_inside=source_inside, packets=pacer.sent,
        probes=[dict(transport=transport, port=port,
                     tests=dict((name, obs.as_dict()) for name, obs in seen.items()))
                for transport, port, seen in probes])


if __name__ == "__main__":
    main()
