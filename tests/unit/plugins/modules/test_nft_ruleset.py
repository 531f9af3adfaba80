# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""nft_ruleset against the real nft, inside a private network namespace (``unshare -rn``), so the
tests load real rulesets without touching the machine's own firewall."""

from __future__ import annotations

import json
import os
import time

import pytest

from ansible_collections.pbxsec.hardening.plugins.modules.nft_ruleset import header, normalize

TABLE = """table inet pbxsec {
    set provider4 {
        type ipv4_addr
        flags interval
        elements = { %s }
    }
    set banned4 {
        type ipv4_addr
        flags timeout
    }
    chain input {
        type filter hook input priority filter - 10; policy accept;
        ip saddr @banned4 counter drop
        ip saddr @provider4 udp dport 5060 accept
        udp dport 5060 counter drop
    }
}
"""
KIWI = TABLE % "27.111.14.0/24"
TEST_NET = TABLE % "198.51.100.0/24"


@pytest.fixture
def nft_module(netns_module, tmp_path):
    """``module(content, check=False, diff=False, **args)``: nft_ruleset's result in ``netns``,
    writing tmp_path/pbxsec.nft."""

    def run(content, check=False, diff=False, **args):
        args = dict(dict(path=str(tmp_path / "pbxsec.nft"), content=content,
                         state_path=str(tmp_path / "state" / "pbxsec.json"),
                         dynamic_sets=["banned4"]), **args)
        return netns_module("pbxsec.hardening.nft_ruleset", args, check, diff)

    return run


def _listing(netns):
    return netns("nft", "-s", "list", "ruleset").stdout.decode("utf-8")


def test_header_replaces_the_table_in_one_transaction():
    assert header("inet pbxsec").endswith("table inet pbxsec {}\ndelete table inet pbxsec\n")


def test_normalize_drops_handles_counters_and_dynamic_elements():
    listing = json.dumps({"nftables": [
        {"metainfo": {"version": "1.1.7"}},
        {"set": {"name": "banned4", "handle": 3, "elem": [{"elem": {"val": "192.0.2.7"}}]}},
        {"set": {"name": "provider4", "handle": 4, "elem": ["198.51.100.7"]}},
        {"counter": {"name": "sip_dropped", "handle": 5, "packets": 9, "bytes": 900}},
        {"rule": {"handle": 6, "expr": [{"counter": {"packets": 1, "bytes": 60}}, {"drop": None}]}},
    ]})
    assert normalize(listing, ["banned4"]) == [
        {"set": {"name": "banned4"}},
        {"set": {"name": "provider4", "elem": ["198.51.100.7"]}},
        {"counter": {"name": "sip_dropped"}},
        {"rule": {"expr": [{"counter": {}}, {"drop": None}]}},
    ]


def test_pbx_net_001_applies_once_and_leaves_other_tables_alone(nft_module, netns, tmp_path):
    netns("nft", "add", "table", "inet", "operator")
    result = nft_module(KIWI)
    assert result["changed"] and result["file_changed"] and result["live_changed"], result
    assert (tmp_path / "pbxsec.nft").read_text() == header("inet pbxsec") + KIWI
    assert oct((tmp_path / "pbxsec.nft").stat().st_mode & 0o777) == "0o640"
    listing = _listing(netns)
    assert "table inet operator" in listing and "27.111.14.0/24" in listing
    assert nft_module(KIWI)["changed"] is False


def test_check_mode_predicts_and_writes_nothing(nft_module, netns, tmp_path):
    nft_module(KIWI)
    before = (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes())
    result = nft_module(TEST_NET, check=True, diff=True)
    assert result["changed"] and result["file_changed"]
    assert [diff["after_header"] for diff in result["diff"]] == [str(tmp_path / "pbxsec.nft")]
    assert "198.51.100.0/24" in result["diff"][0]["after"]
    assert "27.111.14.0/24" in result["diff"][0]["before"]
    assert (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes()) == before


def test_the_boot_file_gets_the_include_once_after_its_own_lines(nft_module, netns, tmp_path):
    boot = tmp_path / "nftables.conf"
    boot.write_text("#!/usr/sbin/nft -f\nflush ruleset\n# the operator's rules\n")
    ruleset = tmp_path / "rules.d" / "pbxsec.nft"
    line = 'include "%s"\n' % ruleset

    predicted = nft_module(KIWI, check=True, diff=True, path=str(ruleset), boot_include=str(boot))
    assert predicted["changed"] and predicted["boot_include_changed"]
    assert predicted["diff"][1]["after"].endswith("# the operator's rules\n" + line)
    assert not ruleset.parent.exists() and line not in boot.read_text()

    result = nft_module(KIWI, path=str(ruleset), boot_include=str(boot))
    assert result["boot_include_changed"] and result["file_changed"]
    assert boot.read_text() == "#!/usr/sbin/nft -f\nflush ruleset\n# the operator's rules\n" + line
    assert oct(ruleset.parent.stat().st_mode & 0o777) == "0o750"
    again = nft_module(KIWI, path=str(ruleset), boot_include=str(boot))
    assert not again["changed"] and not again["boot_include_changed"]


def test_a_missing_boot_file_is_created_as_debian_ships_it(nft_module, netns, tmp_path):
    boot = tmp_path / "nftables.conf"
    result = nft_module(KIWI, boot_include=str(boot))
    assert result["changed"] and result["boot_include_changed"]
    assert boot.read_text() == 'include "%s"\n' % (tmp_path / "pbxsec.nft")
    assert oct(boot.stat().st_mode & 0o777) == "0o755"


def test_a_ruleset_nft_refuses_changes_nothing(nft_module, netns, tmp_path):
    nft_module(KIWI)
    before = (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes())
    result = nft_module(TABLE % "300.1.1.0/24", boot_include=str(tmp_path / "nftables.conf"))
    assert result["failed"] and "nft refuses the ruleset" in result["msg"]
    assert (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes()) == before
    assert not (tmp_path / "nftables.conf").exists()


def test_a_changed_live_table_is_restored(nft_module, netns):
    nft_module(KIWI)
    netns("nft", "flush", "chain", "inet", "pbxsec", "input")
    result = nft_module(KIWI)
    assert result["changed"] and result["live_changed"] and not result["file_changed"]
    assert "udp dport 5060 counter" in _listing(netns)


def test_bans_and_counters_are_no_change(nft_module, netns):
    nft_module(KIWI)
    netns("nft", "add", "element", "inet", "pbxsec", "banned4", "{ 192.0.2.7 timeout 1h }")
    assert nft_module(KIWI)["changed"] is False


def test_content_must_define_the_table(nft_module):
    result = nft_module("table inet other {\n}\n")
    assert result["failed"] and "does not define table inet pbxsec" in result["msg"]


@pytest.mark.parametrize("confirmed", [False, True])
def test_rollback_restores_the_previous_ruleset_unless_confirmed(nft_module, netns, tmp_path,
                                                                 confirmed):
    nft_module(KIWI)
    result = nft_module(TEST_NET, rollback_seconds=8)  # an ansible run takes seconds
    assert result["rollback_file"] == str(tmp_path / "pbxsec.nft.rollback")
    assert "198.51.100.0/24" in _listing(netns)
    if confirmed:
        os.unlink(result["rollback_file"])
    time.sleep(10)
    kept = "198.51.100.0/24" if confirmed else "27.111.14.0/24"
    assert kept in _listing(netns)
    assert kept in (tmp_path / "pbxsec.nft").read_text()
    assert not os.path.exists(result["rollback_file"])


# What the firewall role rendered for a host whose sshd listens on 2222 before issue 16 (item
# 14): with policy drop, SSH stayed open on 22 only, to the management networks and the client.
SSH_TABLE = """table inet pbxsec {
    set management4 {
        type ipv4_addr
        flags interval
    }
    chain input {
        type filter hook input priority filter - 10; policy drop;
        iif "lo" accept
        ct state established,related accept
        ip saddr @management4 tcp dport { %(ports)s } accept
        %(family)s saddr %(client)s tcp dport { %(ports)s } accept
    }
}
"""
CLIENTS = [("ip", "198.51.100.9"), ("ip6", "2001:db8::9")]


def _ssh_table(family, client, ports):
    return SSH_TABLE % dict(family=family, client=client, ports=ports)


def _keep(client, port=2222):
    return [dict(name="the Ansible SSH connection", source=client, port=port)]


@pytest.mark.parametrize("family,client,check", [CLIENTS[0] + (False,), CLIENTS[1] + (True,)])
def test_a_ruleset_that_would_drop_a_connection_to_keep_is_refused(nft_module, netns, tmp_path,
                                                                   family, client, check):
    nft_module(KIWI)
    before = (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes())
    result = nft_module(_ssh_table(family, client, "22"), check=check,
                        keep_connections=_keep(client))
    assert result["failed"], result
    assert ("would drop new connections that must stay open, nothing was changed: "
            "tcp/2222 from %s (the Ansible SSH connection)" % client) in result["msg"]
    assert (_listing(netns), (tmp_path / "pbxsec.nft").read_bytes()) == before


@pytest.mark.parametrize("family,client", CLIENTS)
def test_a_ruleset_that_keeps_the_connection_is_applied(nft_module, netns, family, client):
    result = nft_module(_ssh_table(family, client, "22, 2222"), keep_connections=_keep(client))
    assert result["changed"] and not result.get("failed"), result
    assert result["connections_kept"] == ["tcp/2222 from %s" % client]
    assert "dport { 22, 2222 } accept" in _listing(netns)


def test_a_ruleset_that_cannot_be_judged_is_refused_unless_a_rollback_guards_it(nft_module):
    table = _ssh_table("ip", "198.51.100.9", "22, 2222").replace(
        'iif "lo" accept', 'iif "lo" accept\n        iifname "eth1" accept')
    result = nft_module(table, keep_connections=_keep("198.51.100.9"))
    assert result["failed"] and "could not check" in result["msg"], result
    assert "interface 'eth1'" in result["msg"] and "set rollback_seconds" in result["msg"]
    guarded = nft_module(table, check=True, rollback_seconds=60,
                         keep_connections=_keep("198.51.100.9"))
    assert guarded["changed"] and not guarded.get("failed"), guarded
    assert any("only the timed rollback guards them" in w for w in guarded["warnings"])


def test_a_connection_to_keep_must_come_from_an_address(nft_module):
    result = nft_module(KIWI, keep_connections=_keep("controller.example"))
    assert result["failed"] and "source 'controller.example' is not an IP address" in result["msg"]
