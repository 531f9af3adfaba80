# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The IPv4 ACL filters used by role sip (PBX-SIP-006, PBX-PJS-002)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.ipv4_acl import (
    acl_outside,
    cidr_problems,
    netmask_acl,
)
from ansible_collections.pbxsec.hardening.plugins.filter.role_inputs import input_problems
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import networks


def test_cidr_problems_accepts_networks_and_hosts():
    assert cidr_problems(["27.111.14.0/24", "27.111.14.66/32", "10.0.0.0/255.0.0.0"]) == []


@pytest.mark.parametrize("bad", ["27.111.14.66/24", "27.111.14.0", "27.111.14.0/33",
                                 "300.1.1.0/24", "2001:db8::/32", "sip.example.com/24", 24])
def test_cidr_problems_names_the_bad_entry(bad):
    problems = cidr_problems(["27.111.14.0/24", bad])
    assert len(problems) == 1
    assert repr(bad) in problems[0]


@pytest.mark.parametrize("every", ["0.0.0.0/0", "0.0.0.0/0.0.0.0"])
def test_cidr_problems_min_prefix_refuses_every_address(every):
    assert cidr_problems([every]) == []
    problems = cidr_problems(["27.111.14.0/24", every, "128.0.0.0/1"], min_prefix=1)
    assert len(problems) == 1 and problems[0].startswith(repr(every))


def test_cidr_problems_refuses_a_string():
    assert cidr_problems("27.111.14.0/24")


def test_netmask_acl():
    assert netmask_acl("27.111.14.0/24") == "27.111.14.0/255.255.255.0"
    assert netmask_acl("27.111.14.66/32") == "27.111.14.66/255.255.255.255"
    with pytest.raises(AnsibleFilterError):
        netmask_acl("27.111.14.66/24")


def test_acl_outside():
    nets = ["27.111.14.0/24", "192.168.1.0/24"]
    assert acl_outside("27.111.14.66", nets) == []
    assert acl_outside("27.111.14.64/26, 192.168.1.10:5060", nets) == []
    assert acl_outside(["27.111.14.66", "127.0.0.1"], nets) == ["127.0.0.1"]
    assert acl_outside("27.111.0.0/16", nets) == ["27.111.0.0/16"]
    assert acl_outside("sip.example.com,[2001:db8::1]", nets) == ["sip.example.com", "[2001:db8::1]"]
    assert acl_outside(None, nets) == []


@pytest.mark.parametrize("permit", ["127.0.0.1/255.255.255.0", "127.0.0.1", "127.0.0.0/8", "::1"])
def test_acl_outside_localhost_counts_every_loopback_form_as_within(permit):
    """Issue 19: FreePBX's permit=127.0.0.1/255.255.255.0 is 127.0.0.0/24, loopback only."""
    assert acl_outside([permit], [], localhost=True) == []
    assert acl_outside([permit], []) == [permit]          # not unless asked (PJSIP match)


def test_acl_outside_localhost_keeps_what_reaches_other_hosts():
    values = ["127.0.0.1/7", "!127.0.0.1", "localhost", "::", "192.0.2.0/24", "198.51.100.9"]
    assert acl_outside(values, ["198.51.100.0/24"], localhost=True) == values[:5]


@pytest.mark.parametrize("value", ["27.111.14.0/24", "27.111.14.66/32", "10.0.0.0/255.0.0.0",
                                   "27.111.14.66/24", "27.111.14.0", "27.111.14.0/24\n",
                                   " 27.111.14.0/24", "2001:db8::/32", "27.111.14.0/33", 24])
def test_roles_and_audit_module_accept_the_same_operator_networks(value):
    """One validator: a network the roles' preflight refuses, pbx_compliance refuses too."""
    refused_by_roles = bool(cidr_problems([value]))
    assert bool(input_problems({"pbx_x": "ipv4_networks"}, [[value]])) is refused_by_roles
    try:
        networks([value])
        refused_by_module = False
    except ValueError:
        refused_by_module = True
    assert refused_by_module is refused_by_roles
