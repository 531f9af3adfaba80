# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The checks of role inputs: the formats of variables written into configuration text
(input_problems) and the SSH connection a remote environment belongs to (ssh_connection)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.role_inputs import (
    FORMATS,
    input_problems,
    ssh_connection,
)

GOOD = {
    "absolute_path": ["/etc/nftables.d/pbxsec.nft", "/var/log/asterisk", "/"],
    "file_name": ["security", "security.log", "pbx-sec_1"],
    "ipv4_networks": [[], ["27.111.14.0/24", "27.111.14.66/32", "10.0.0.0/255.0.0.0"]],
    "nft_rate": ["50/second", "600/minute", "1/week"],
    "non_negative_int": [0, 120, "120"],
    "optional_ipv4_address": ["", "27.111.14.66"],
    "ports": [[], [22, "2222", 65535]],
    "positive_int": [1, 3600, "5"],
}

# What would change the text a value is written into, and values of the wrong shape.
BAD = {
    "absolute_path": ["relative/path", "/etc/x\n}", "/var/log/a b", '/etc/"x', "/etc/%(x)s", ""],
    "file_name": ["security\nenabled = false", "../security", "a/b", "..", "", "x}"],
    "ipv4_networks": [["27.111.14.0/24\n"], ["27.111.14.0/24 }"], ["27.111.14.66/24"],
                      ["27.111.14.0"], ["2001:db8::/32"], "27.111.14.0/24"],
    "nft_rate": ["50/second }", "50/second\n", "0/second", "50/s", "fast", 50],
    "non_negative_int": [-1, "1\n", "x", True, None],
    "optional_ipv4_address": ["27.111.14.66\n", "27.111.14.0/24", "sip.example.com", None],
    "ports": [[0], [65536], ["22\n"], ["22 }"], "22", [True]],
    "positive_int": [0, "0", "5\n", "5 }", 1.5, False],
}


def test_every_format_is_tested():
    assert set(GOOD) == set(BAD) == set(FORMATS)


@pytest.mark.parametrize("fmt,value", [(f, v) for f, values in GOOD.items() for v in values])
def test_input_problems_accepts_good_values(fmt, value):
    assert input_problems({"pbx_x": fmt}, [value]) == []


@pytest.mark.parametrize("fmt,value", [(f, v) for f, values in BAD.items() for v in values])
def test_input_problems_names_the_variable_of_a_bad_value(fmt, value):
    problems = input_problems({"pbx_good": "positive_int", "pbx_bad": fmt}, [5, value])
    assert len(problems) == 1
    assert problems[0].startswith("pbx_bad: ")
    assert "\n" not in problems[0]     # the value is shown escaped


def test_input_problems_refuses_an_unknown_format_and_mismatched_values():
    with pytest.raises(AnsibleFilterError, match="pbx_x: unknown format 'path'"):
        input_problems({"pbx_x": "path"}, ["/etc"])
    with pytest.raises(AnsibleFilterError, match="2 formats but 1 values"):
        input_problems({"pbx_x": "ports", "pbx_y": "ports"}, [[22]])


@pytest.mark.parametrize("env,connection", [
    ({"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2 2222"},
     {"address": "198.51.100.9", "family": "ip", "port": 2222}),
    ({"SSH_CONNECTION": "::ffff:198.51.100.9 50000 ::ffff:10.0.0.2 22"},
     {"address": "198.51.100.9", "family": "ip", "port": 22}),
    ({"SSH_CONNECTION": "2001:db8::9 50000 2001:db8::2 2222"},
     {"address": "2001:db8::9", "family": "ip6", "port": 2222}),
    ({"SSH_CONNECTION": "fe80::9%eth0 50000 fe80::2%eth0 22"},
     {"address": "fe80::9", "family": "ip6", "port": 22}),
    ({"SSH_CLIENT": "198.51.100.9 50000 2222"},
     {"address": "198.51.100.9", "family": "ip", "port": 2222}),
    ({"SSH_CONNECTION": "", "SSH_CLIENT": "198.51.100.9 50000 2200"},
     {"address": "198.51.100.9", "family": "ip", "port": 2200}),
    ({}, {}),
    ({"HOME": "/root"}, {}),
])
def test_ssh_connection_is_the_client_address_and_the_server_port(env, connection):
    assert ssh_connection(env) == connection


@pytest.mark.parametrize("env", [
    {"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2"},
    {"SSH_CONNECTION": "198.51.100.9 } 50000 10.0.0.2 22"},
    {"SSH_CONNECTION": "198.51.100.9;drop 50000 10.0.0.2 22"},
    {"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2 70000"},
    {"SSH_CLIENT": "host.example 50000 22"},
])
def test_ssh_connection_refuses_what_sshd_does_not_set(env):
    with pytest.raises(AnsibleFilterError, match="is not what sshd sets"):
        ssh_connection(env)
