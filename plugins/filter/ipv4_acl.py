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
    netmask_form,
    network_problems,
    networks as operator_networks,
    outside,
)


def cidr_problems(networks, min_prefix=0):
    """Entries of ``networks`` that are not IPv4 networks as an operator gives them
    (``compliance_acl.operator_network``), or whose prefix is shorter than ``min_prefix``,
    as ``'entry: reason'`` strings (``compliance_acl.network_problems``, which the modules use)."""
    return network_problems(networks, min_prefix)


def netmask_acl(network):
    """``198.51.100.0/24`` -> ``198.51.100.0/255.255.255.0`` (chan_sip ``permit=`` form)."""
    try:
        return netmask_form(network)
    except ValueError as exc:
        raise AnsibleFilterError("netmask_acl: %r: %s" % (network, exc))


def acl_outside(match, networks, localhost=False):
    """Entries of a PJSIP ``match=`` or a ``permit=`` value (a string or a list of them,
    comma-separated addresses, networks or host names) that do not lie within one of
    ``networks``; with ``localhost``, entries on this host only (127.0.0.0/8 in any netmask
    form, ``::1``: the audit's own ``is_localhost``) lie within too
    (``compliance_acl.outside``, which the modules use).

    Host names, IPv6 and anything unparsable count as outside: they cannot be shown to be
    within a provider network.
    """
    try:
        nets = operator_networks(networks or [])
    except ValueError as exc:
        raise AnsibleFilterError("acl_outside: %s" % exc)
    return outside(match if isinstance(match, (list, tuple)) else [match], nets, localhost)


class FilterModule:
    """IPv4 ACL filters."""

    def filters(self):
        return {
            "cidr_problems": cidr_problems,
            "netmask_acl": netmask_acl,
            "acl_outside": acl_outside,
        }
