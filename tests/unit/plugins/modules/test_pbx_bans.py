# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pbx_bans against the real nft, inside a private network namespace (``unshare -rn``), with the
sets the firewall role's template defines."""

from __future__ import annotations

import json
import shutil

import pytest

TABLE = """table inet pbxsec {
    set banned4 { type ipv4_addr; flags timeout; }
    set banned6 { type ipv6_addr; flags timeout; }
    set shared4 { type ipv4_addr; flags interval,timeout; }
    set shared6 { type ipv6_addr; flags interval,timeout; }
}
"""
PROVIDER = "198.51.100.0/24"


@pytest.fixture
def netns(netns, tmp_path):
    """conftest's ``netns``, holding the pbxsec table."""
    (tmp_path / "table.nft").write_text(TABLE)
    assert netns("nft", "-f", str(tmp_path / "table.nft")).returncode == 0
    return netns


@pytest.fixture
def bans(netns_module):
    """``bans(check=False, diff=False, **args)``: pbx_bans' result in ``netns`` (this file's,
    holding the pbxsec table)."""

    def run(check=False, diff=False, **args):
        return netns_module("pbxsec.hardening.pbx_bans", args, check, diff)

    return run


def _shared(netns, name="shared4"):
    out = netns("nft", "-j", "list", "set", "inet", "pbxsec", name).stdout.decode("utf-8")
    sets = [item["set"] for item in json.loads(out)["nftables"] if "set" in item]
    out = {}
    for element in sets[0].get("elem", []):
        value = element["elem"]["val"]
        if isinstance(value, dict):
            value = "%s/%d" % (value["prefix"]["addr"], value["prefix"]["len"])
        out[value] = element["elem"]
    return out


def test_gathered_reads_the_ban_sets_and_says_what_it_could_not_read(bans, netns):
    netns("nft", "add", "element", "inet", "pbxsec", "banned4",
          "{ 198.18.0.10 timeout 1h, 198.51.100.10 timeout 1h }")
    netns("nft", "add", "element", "inet", "pbxsec", "banned6", "{ 2001:db8::7 timeout 1h }")
    netns("nft", "add", "element", "inet", "pbxsec", "shared4", "{ 203.0.113.9 timeout 1h }")
    result = bans(state="gathered")
    assert result["changed"] is False
    assert result["addresses"] == ["198.18.0.10", "198.51.100.10", "2001:db8::7"]
    if not shutil.which("fail2ban-client"):
        assert result["sources"] == {"nft banned4": 2, "nft banned6": 1}
        assert "fail2ban-client is not installed" in result["unreadable"]
    assert isinstance(result["own_addresses"], list)
    assert bans(state="gathered", jails=[], ban_sets=[])["unreadable"] == []
    assert bans(state="gathered", max=1)["truncated"] == 2


def test_present_loads_once_then_changes_nothing(bans, netns):
    args = dict(addresses=["198.18.0.10", "198.51.100.10", "198.18.0.10", "2001:db8::7", "::1"],
                blocklist="# scanners\n203.0.113.0/24\n", exclude=[PROVIDER], timeout="1h")
    first = bans(diff=True, **args)
    assert first["changed"] is True, first
    assert sorted(first["added"]) == ["198.18.0.10", "2001:db8::7", "203.0.113.0/24"]
    assert sorted(first["excluded"]) == ["198.51.100.10", "::1"]
    assert "198.18.0.10\n" in first["diff"]["after"] and first["diff"]["before"] == ""
    held = _shared(netns)
    assert set(held) == {"198.18.0.10", "203.0.113.0/24"}
    assert 3590 <= held["198.18.0.10"]["expires"] <= 3600
    assert set(_shared(netns, "shared6")) == {"2001:db8::7"}
    second = bans(**args)
    assert second["changed"] is False and second["added"] == [] and second["kept"] == 3, second


def test_present_refreshes_only_below_half_the_timeout(bans, netns):
    netns("nft", "add", "element", "inet", "pbxsec", "shared4",
          "{ 198.18.0.10 timeout 100s, 198.18.0.11 timeout 3000s }")
    result = bans(addresses=["198.18.0.10", "198.18.0.11"], timeout="1h")
    assert result["refreshed"] == ["198.18.0.10"] and result["kept"] == 1
    held = _shared(netns)
    assert held["198.18.0.10"]["expires"] > 3500 and held["198.18.0.11"]["expires"] < 3001


def test_present_replaces_smaller_elements_with_a_blocklist_network(bans, netns):
    netns("nft", "add", "element", "inet", "pbxsec", "shared4", "{ 203.0.113.9 timeout 1h }")
    result = bans(blocklist="203.0.113.0/24\n", timeout="1h")
    assert result["replaced"] == ["203.0.113.9"] and result["added"] == ["203.0.113.0/24"]
    assert set(_shared(netns)) == {"203.0.113.0/24"}


def test_check_mode_predicts_and_changes_nothing(bans, netns):
    result = bans(check=True, diff=True, addresses=["198.18.0.10"], timeout="1h")
    assert result["changed"] is True and result["added"] == ["198.18.0.10"]
    assert _shared(netns) == {}


@pytest.mark.parametrize("args,message", [
    (dict(blocklist="203.0.113.0/24\nscanner.example\n"), "blocklist: blocklist line 2 "),
    (dict(exclude=["not-a-network"]), "exclude: 'not-a-network' is not"),
    (dict(timeout="forever"), "timeout: "),
    (dict(set4="shared4; flush ruleset"), "set names must be words"),
])
def test_bad_parameters_fail_before_anything_changes(bans, netns, args, message):
    result = bans(addresses=["198.18.0.10"], **args)
    assert result.get("failed") and message in result["msg"], result
    assert _shared(netns) == {}


def test_a_host_without_the_shared_sets_fails_naming_the_cure(bans, netns):
    netns("nft", "delete", "table", "inet", "pbxsec")
    result = bans(addresses=["198.18.0.10"])
    assert result.get("failed") and "has no set shared4" in result["msg"], result
    assert "firewall role" in result["msg"]
