# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Network exposure PBX-NET-001..004, judged on the live nftables ruleset with probe packets
(``compliance_nft``).  For every port a control covers, one source address of every piece of
the IPv4 space outside the allowed networks is tried (the pieces are cut at every address the
ruleset names, so the answer holds for every address), and one address of each allowed network
must get through.  Files cannot prove a firewall: with ``live=false``, without ``nft`` or with a
ruleset the evaluator cannot decide, the controls are ``manual`` and say why."""

from __future__ import annotations

import ipaddress
import json

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import c_int
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import leaks
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_nft import (
    Probe,
    Ruleset,
    Unjudgeable,
    needs_listing,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

CONTROLS = ("PBX-NET-001", "PBX-NET-002", "PBX-NET-003", "PBX-NET-004")
SIP_PORTS = (("udp", 5060), ("tcp", 5060), ("tcp", 5061))
IAX_PORTS = (("udp", 4569),)
MANAGEMENT_PORTS = (("tcp", 5038), ("tcp", 5039), ("tcp", 8088), ("tcp", 8089))
DEFAULT_RTP = (5000, 31000)
LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")
OUTSIDE_EXAMPLE = ipaddress.IPv4Address("203.0.113.77")     # TEST-NET-3: shown when it leaks


def rtp_range(host):
    """``(rtpstart, rtpend)`` of rtp.conf ``[general]`` (res_rtp_asterisk's defaults if absent)."""
    general = host.section("rtp.conf", "general")
    start = c_int(general.get_first("rtpstart")) if general is not None and \
        general.get_first("rtpstart") is not None else None
    end = c_int(general.get_first("rtpend")) if general is not None and \
        general.get_first("rtpend") is not None else None
    return start or DEFAULT_RTP[0], end or DEFAULT_RTP[1]


def member(net):
    """An address of ``net`` to send the 'allowed' probe from."""
    return str(net.network_address + 1) if net.num_addresses > 2 else str(net.network_address)


class Exposure:
    """The questions the controls ask of one ruleset."""

    def __init__(self, ruleset):
        self.ruleset = ruleset
        self.addresses, self.ports = ruleset.boundaries()

    def accepted(self, address, protocol, port):
        return self.ruleset.judge(Probe(address, protocol, port)).accepted

    def leaking(self, protocol, port, allowed):
        """Sources outside ``allowed`` (and loopback) whose probe is accepted."""
        found = leaks(lambda address: self.accepted(address, protocol, port),
                      list(self.addresses) + [int(OUTSIDE_EXAMPLE)], list(allowed) + [LOOPBACK])
        return sorted(found, key=lambda address: address != str(OUTSIDE_EXAMPLE))

    def port_samples(self, low, high):
        """Ports of ``low..high`` that stand for all of them (cut at the ruleset's ports)."""
        return sorted(set([low, high] + [p for p in self.ports if low <= p <= high]))


def _closed(exposure, ports, allowed, label):
    found = []
    for protocol, port in ports:
        leaked = exposure.leaking(protocol, port, allowed)
        if leaked:
            found.append(finding(None, None, "%s/%d" % (protocol, port),
                                 "%s/%d accepted from outside %s (e.g. %s; %d address ranges)"
                                 % (protocol, port, label, leaked[0], len(leaked))))
    return found


def _open_to(exposure, ports, nets, label):
    found = []
    for protocol, port in ports:
        for net in nets:
            if not exposure.accepted(member(net), protocol, port):
                found.append(finding(None, None, "%s/%d" % (protocol, port),
                                     "%s/%d from %s %s is not accepted"
                                     % (protocol, port, label, member(net))))
    return found


def judge(exposure, rtp, options):
    """``{control ID: Outcome}`` from an :class:`Exposure`; raises Unjudgeable."""
    voice = options.provider_nets + options.trusted_nets
    sip = _closed(exposure, SIP_PORTS, voice, "the provider and trusted networks")
    sip += _open_to(exposure, SIP_PORTS[:1], options.provider_nets, "provider address")
    rtp_ports = [("udp", p) for p in exposure.port_samples(*rtp)]
    media = _closed(exposure, rtp_ports, voice, "the provider and trusted networks")
    media += _open_to(exposure, rtp_ports[:1], options.provider_nets, "provider address")
    others = _closed(exposure, IAX_PORTS, voice, "the provider and trusted networks")
    others += _closed(exposure, MANAGEMENT_PORTS, options.management_nets,
                      "loopback and the management networks")
    limited = []
    for net in (options.provider_nets + options.trusted_nets)[:1]:
        for protocol, port in SIP_PORTS[:2]:
            trace = exposure.ruleset.judge(Probe(member(net), protocol, port))
            if not trace.rate_limited:
                limited.append(finding(None, None, "%s/%d" % (protocol, port),
                                       "no rate limit (limit, meter or dynamic set) on the "
                                       "path of %s/%d from %s" % (protocol, port, member(net))))
    return {"PBX-NET-001": Outcome.judged(sip), "PBX-NET-002": Outcome.judged(media),
            "PBX-NET-003": Outcome.judged(others), "PBX-NET-004": Outcome.judged(limited)}


def _manual(why):
    return dict((c, Outcome.manual([finding(None, None, None, why)])) for c in CONTROLS)


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-NET-001..004."""
    if not host.live:
        return _manual("live=false: configuration files cannot prove a firewall; audit the "
                       "host live (nft -j list ruleset)")
    rc, out = host.nft_ruleset()
    if rc == 127:
        return _manual("nft is not installed: no nftables ruleset to judge (a firewall of "
                       "another kind must be checked by hand)")
    if rc != 0:
        return _manual("nft -j list ruleset failed: %s" % out.strip()[:200])
    try:
        document, listing = json.loads(out), None
        if needs_listing(document):     # nft < 1.0 leaves set-update limits out of its JSON
            rc, listing = host.remember("nft_listing", lambda: host.run(["nft", "-a", "list", "ruleset"]))
            if rc != 0:
                return _manual("nft -a list ruleset failed: %s" % listing.strip()[:200])
        exposure = Exposure(Ruleset(document, listing))
        return judge(exposure, rtp_range(host), options)
    except Unjudgeable as exc:
        return _manual("the nftables ruleset uses what the audit cannot judge (%s): check "
                       "it by hand" % exc)
    except (ValueError, KeyError, TypeError) as exc:
        return _manual("nft -j list ruleset gave JSON the audit does not understand: %s" % exc)
