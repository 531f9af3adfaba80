# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IPv4 network helpers for Asterisk ACLs (chan_sip permit/deny, PJSIP identify match).

Python's ipaddress on the controller: no netaddr, no extra collection.
"""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import is_localhost


def _network(text):
    """An IPv4Network from ``a.b.c.d``, ``a.b.c.d/len`` or ``a.b.c.d/mask`` (strict: no host
    bits), or raise ValueError."""
    text = str(text).strip()
    if not text or ":" in text:
        raise ValueError("not an IPv4 address or network")
    return ipaddress.IPv4Network(text, strict=True)


def cidr_problems(networks):
    """Entries of ``networks`` that are not IPv4 networks, as ``'entry: reason'`` strings."""
    if isinstance(networks, (str, bytes)) or not hasattr(networks, "__iter__"):
        return ["%r: must be a list of networks such as 198.51.100.0/24" % (networks,)]
    problems = []
    for entry in networks:
        if not isinstance(entry, str) or "/" not in entry:
            problems.append("%r: not written as address/prefix (198.51.100.0/24, 198.51.100.7/32)"
                            % (entry,))
            continue
        try:
            _network(entry)
        except ValueError as exc:
            problems.append("%r: %s" % (entry, exc))
    return problems


def netmask_acl(network):
    """``198.51.100.0/24`` -> ``198.51.100.0/255.255.255.0`` (chan_sip ``permit=`` form)."""
    try:
        net = _network(network)
    except ValueError as exc:
        raise AnsibleFilterError("netmask_acl: %r: %s" % (network, exc))
    return "%s/%s" % (net.network_address, net.netmask)


def _match_entries(match):
    values = match if isinstance(match, (list, tuple)) else [match]
    for value in values:
        if value is None:
            continue
        for entry in str(value).split(","):
            entry = entry.strip()
            if entry:
                yield entry


def acl_outside(match, networks, localhost=False):
    """Entries of a PJSIP ``match=`` or a ``permit=`` value (a string or a list of them,
    comma-separated addresses, networks or host names) that do not lie within one of
    ``networks``; with ``localhost``, entries on this host only (127.0.0.0/8 in any netmask
    form, ``::1``: the audit's own ``is_localhost``) lie within too.

    Host names, IPv6 and anything unparsable count as outside: they cannot be shown to be
    within a provider network.
    """
    nets = []
    for network in networks or []:
        try:
            nets.append(_network(network))
        except ValueError as exc:
            raise AnsibleFilterError("acl_outside: %r: %s" % (network, exc))
    outside = []
    for entry in _match_entries(match):
        if localhost and is_localhost(entry):
            continue
        address = entry
        if address.count(":") == 1:          # a.b.c.d:port
            address = address.split(":", 1)[0]
        try:
            net = ipaddress.IPv4Network(address, strict=False)
        except ValueError:
            outside.append(entry)
            continue
        if not any(net.subnet_of(allowed) for allowed in nets):
            outside.append(entry)
    return outside


class FilterModule:
    """IPv4 ACL filters."""

    def filters(self):
        return {
            "cidr_problems": cidr_problems,
            "netmask_acl": netmask_acl,
            "acl_outside": acl_outside,
        }
