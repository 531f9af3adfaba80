# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared bans: parsing what a PBX says (hostile), choosing what each PBX loads, and the plan
that brings a live set there."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import time

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.shared_bans import (
    SetState,
    batch,
    choose,
    fib_local_addresses,
    inet6_addresses,
    jail_bans,
    parse_blocklist,
    parse_timeout,
    plan,
    set_elements,
    valid_addresses,
)

_FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "fixtures", "fail2ban-0.11.2")


def _net(text):
    return ipaddress.ip_network(text)


def _fixture(name):
    with open(os.path.join(_FIXTURES, name), encoding="utf-8") as handle:
        return handle.read()


def test_jail_bans_reads_fail2ban_0_11_status():
    """``fail2ban-client status asterisk`` of Debian 11's fail2ban, captured from the image."""
    tokens = jail_bans(_fixture("status-asterisk.txt"))
    assert valid_addresses(tokens, 100) == (["198.18.0.10", "2001:db8::7", "203.0.113.9"], 0)


def test_jail_bans_of_a_jail_with_no_bans_is_empty():
    assert jail_bans(_fixture("status-recidive.txt")) == []


@pytest.mark.parametrize("output", [
    "Banned IP list:\t198.18.0.10",                          # no tree marks: still the line
    "Status for the jail: x\nFile list: Banned IP list: 203.0.113.1\n",   # a log path could say it
])
def test_jail_bans_takes_the_marker_only_at_the_start_of_a_line(output):
    assert jail_bans(output) == (["198.18.0.10"] if output.startswith("Banned") else [])


def test_hostile_tokens_never_survive_and_the_count_is_bounded():
    tokens = ["198.18.0.10", "1.2.3.4;reboot", "<script>", "::1", "198.18.0.10",
              "300.1.1.1", "2001:DB8::7", "198.18.0.11", "198.18.0.12"]
    addresses, rejected = valid_addresses(tokens, 3)
    assert addresses == ["198.18.0.10", "::1", "2001:db8::7"]
    assert rejected == 3


def test_parsing_a_huge_hostile_status_is_linear():
    """400,000 tokens (a crafted fail2ban-client) parse in well under the time of a run."""
    tokens = ("198.18.%d.%d %s" % (n // 250 % 250, n % 250, "x" * 40) for n in range(200000))
    output = "   `- Banned IP list:\t" + " ".join(tokens) + "\n"
    started = time.monotonic()
    addresses, rejected = valid_addresses(jail_bans(output), 100)
    assert len(addresses) == 100 and rejected == 200000
    assert time.monotonic() - started < 10


def test_set_elements_reads_nft_0_9_8_and_1_x_json():
    document = json.dumps({"nftables": [
        {"metainfo": {"version": "0.9.8"}},
        {"set": {"family": "inet", "name": "shared4", "table": "pbxsec", "flags": ["interval", "timeout"],
                 "elem": [{"elem": {"val": {"prefix": {"addr": "198.18.0.0", "len": 24}},
                                    "timeout": 100, "expires": 99}},
                          {"elem": {"val": "203.0.113.5", "timeout": 3600, "expires": 3599}},
                          "203.0.113.6"]}}]})
    prefix = {"prefix": {"addr": "198.18.0.0", "len": 24}}
    assert set_elements(document) == [(prefix, 99), ("203.0.113.5", 3599), ("203.0.113.6", None)]


@pytest.mark.parametrize("document", ["", "{", "[]", '{"nftables": {}}', '{"nftables": []}',
                                      '{"nftables": [{"set": {"elem": {}}}]}'])
def test_set_elements_refuses_what_is_not_one_nft_set(document):
    with pytest.raises(ValueError):
        set_elements(document)


@pytest.mark.parametrize("text,seconds", [("24h", 86400), ("1d12h", 129600), ("90m", 5400),
                                          ("5s", 5), ("3600", 3600), ("1h30m5s", 5405)])
def test_parse_timeout(text, seconds):
    assert parse_timeout(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "0s", "h", "24x", "1h2d", "-5s", "366d", "5 s"])
def test_parse_timeout_refuses(text):
    with pytest.raises(ValueError):
        parse_timeout(text)


def test_blocklist_allows_comments_and_names_the_bad_line():
    text = "# community list\n203.0.113.0/24  # scanners\n\n2001:db8:bad::/48\n198.18.0.9\n"
    assert parse_blocklist(text) == [_net("203.0.113.0/24"), _net("2001:db8:bad::/48"),
                                     _net("198.18.0.9/32")]
    with pytest.raises(ValueError, match="line 2 "):
        parse_blocklist("203.0.113.0/24\n203.0.113.1/24\n")
    with pytest.raises(ValueError, match="line 1 "):
        parse_blocklist("scanner.example.com\n")


def test_choose_leaves_out_excluded_and_never_shared_addresses():
    reports = ["198.18.0.10", "198.51.100.10", "127.0.0.1", "169.254.1.1", "fe80::1", "::1",
               "224.0.0.5", "0.0.0.0", "::ffff:198.18.0.20", "2001:db8::7", "not-an-address"]
    networks, excluded, truncated = choose(reports, [], [_net("198.51.100.0/24")], 100)
    assert networks == [_net("198.18.0.10/32"), _net("2001:db8::7/128")]
    assert set(map(str, excluded)) == {"198.51.100.10/32", "127.0.0.1/32", "169.254.1.1/32",
                                       "fe80::1/128", "::1/128", "224.0.0.5/32", "0.0.0.0/32",
                                       "::ffff:c612:14/128"}
    assert truncated == 0


def test_a_blocklist_network_that_touches_an_exclusion_is_left_out_whole():
    """169.0.0.0/8 holds link-local 169.254.0.0/16 in its middle; 198.0.0.0/7 holds the provider."""
    blocklist = [_net("169.0.0.0/8"), _net("198.0.0.0/7"), _net("203.0.113.0/24")]
    networks, excluded, _truncated = choose([], blocklist, [_net("198.51.100.7/32")], 100)
    assert networks == [_net("203.0.113.0/24")]
    assert excluded == [_net("169.0.0.0/8"), _net("198.0.0.0/7")]


def test_choose_ranks_the_blocklist_then_the_most_banned_and_cuts_at_max():
    reports = ["198.18.0.1", "198.18.0.2", "198.18.0.2", "198.18.0.3", "198.18.0.3",
               "198.18.0.3"]
    networks, _excluded, truncated = choose(reports, [_net("203.0.113.0/24")], [], 3)
    assert networks == [_net("198.18.0.2/32"), _net("198.18.0.3/32"), _net("203.0.113.0/24")]
    assert truncated == 1


def test_choose_drops_addresses_inside_a_blocklist_network():
    networks, _excluded, _truncated = choose(["203.0.113.9"], [_net("203.0.113.0/24")], [], 10)
    assert networks == [_net("203.0.113.0/24")]


def _live(*elements):
    return SetState([({"prefix": {"addr": str(_net(text).network_address),
                                  "len": _net(text).prefixlen}} if "/" in text else text, expires)
                     for text, expires in elements])


def test_plan_adds_new_keeps_fresh_refreshes_stale_and_lets_the_rest_expire():
    live = _live(("198.18.0.10", 86000), ("198.18.0.11", 40000), ("198.18.0.99", 5))
    wanted = [_net("198.18.0.10/32"), _net("198.18.0.11/32"), _net("198.18.0.12/32")]
    add, refresh, delete, kept = plan(live, wanted, 86400)
    assert add == [_net("198.18.0.12/32")]
    assert refresh == [_net("198.18.0.11/32")]
    assert delete == []
    assert kept == [_net("198.18.0.10/32")]


def test_plan_covers_inside_a_bigger_element_and_replaces_smaller_ones():
    live = _live(("203.0.113.0/24", 80000), ("198.18.0.1", 80000), ("198.18.0.200", 80000),
                 ("198.18.1.1", 80000))
    wanted = [_net("198.18.0.0/24"), _net("203.0.113.9/32")]
    add, refresh, delete, kept = plan(live, wanted, 86400)
    assert add == [_net("198.18.0.0/24")]
    assert delete == [_net("198.18.0.1/32"), _net("198.18.0.200/32")]
    assert kept == [_net("203.0.113.9/32")] and refresh == []


def test_plan_is_linear_on_ten_thousand_entries():
    live = _live(*[("10.%d.%d.1" % (n // 250, n % 250), 80000) for n in range(10000)])
    wanted = [_net("10.%d.%d.%d/32" % (n // 250, n % 250, 1 + n % 2)) for n in range(10000)]
    started = time.monotonic()
    add, _refresh, _delete, kept = plan(live, sorted(wanted), 86400)
    assert len(add) == 5000 and len(kept) == 5000
    assert time.monotonic() - started < 2


def test_batch_deletes_then_adds_in_chunks():
    script = batch("inet pbxsec", "shared4", [_net("198.18.0.1/32")],
                   [_net("198.18.0.1/32")] + [_net("203.0.%d.%d/32" % (n // 250, n % 250))
                                              for n in range(500)],
                   60)
    lines = script.splitlines()
    assert lines[0] == "delete element inet pbxsec shared4 { 198.18.0.1 }"
    assert lines[1].startswith("add element inet pbxsec shared4 { 198.18.0.1 timeout 60s, ")
    assert lines[2] == "add element inet pbxsec shared4 { 203.0.1.249 timeout 60s }"
    assert batch("inet pbxsec", "shared4", [], [], 60) == ""


def test_own_addresses_from_proc_match_what_ip_address_says():
    """The kernel's own lists (no ``ip`` command on minimal containers) give the addresses that
    ``ip -j address`` shows for this machine."""
    if not shutil.which("ip") or not os.path.exists("/proc/net/fib_trie"):
        pytest.skip("needs ip and /proc/net/fib_trie")
    listing = json.loads(subprocess.run(["ip", "-j", "address"], stdout=subprocess.PIPE,
                                        check=True).stdout)
    shown = set(info["local"] for link in listing for info in link.get("addr_info", []))
    with open("/proc/net/fib_trie", encoding="ascii") as handle:
        found = set(fib_local_addresses(handle.read()))
    if os.path.exists("/proc/net/if_inet6"):
        with open("/proc/net/if_inet6", encoding="ascii") as handle:
            found |= set(str(ipaddress.ip_address(a)) for a in inet6_addresses(handle.read()))
    assert shown <= found


def test_own_addresses_ignore_what_is_not_a_local_route():
    trie = ("Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 0.0.0.0\n        /0 universe UNICAST\n"
            "     |-- 198.18.1.16\n        /32 host LOCAL\n     |-- 198.18.1.255\n"
            "        /32 link BROADCAST\n")
    assert fib_local_addresses(trie) == ["198.18.1.16"]
    assert inet6_addresses("20010db8000000000000000000000007 02 40 00 80 eth0\nshort 1\n") == [
        "2001:0db8:0000:0000:0000:0000:0000:0007"]
