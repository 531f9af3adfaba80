# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IPv4 network helpers for Asterisk ACLs (chan_sip permit/deny, PJSIP identify match).

Python's ipaddress on the controller: no netaddr, no extra collection.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    host_part,
    is_localhost,
    network,
    networks as operator_networks,
    operator_network,
)


def cidr_problems(networks, min_prefix=0):
    """Entries of ``networks`` that are not IPv4 networks as an operator gives them
    (``compliance_acl.operator_network``), or whose prefix is shorter than ``min_prefix``,
    as ``'entry: reason'`` strings."""
    if isinstance(networks, (str, bytes)) or not hasattr(networks, "__iter__"):
        return ["%r: must be a list of networks such as 198.51.100.0/24" % (networks,)]
    problems = []
    for entry in networks:
        try:
            net = operator_network(entry)
        except ValueError as exc:
            problems.append("%r: %s" % (entry, exc))
            continue
        if net.prefixlen < int(min_prefix):
            problems.append("%r: a prefix shorter than /%d is not allowed here (/%d spans %d "
                            "addresses)" % (entry, int(min_prefix), net.prefixlen,
                                            net.num_addresses))
    return problems


def netmask_acl(network):
    """``198.51.100.0/24`` -> ``198.51.100.0/255.255.255.0`` (chan_sip ``permit=`` form)."""
    try:
        net = operator_network(network)
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
    try:
        nets = operator_networks(networks or [])
    except ValueError as exc:
        raise AnsibleFilterError("acl_outside: %s" % exc)
    outside = []
    for entry in _match_entries(match):
        if localhost and is_localhost(entry):
            continue
        net = network(host_part(entry))      # as Asterisk reads it: a.b.c.d[:port][/mask]
        if net is None or not any(net.subnet_of(allowed) for allowed in nets):
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
