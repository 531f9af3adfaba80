# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The nftables evaluator and PBX-NET-001..004 on rulesets.

Where ``nft`` runs and a private network namespace can be made (``unshare -n``, as root), the
ruleset text is loaded into that empty namespace and ``nft -j list ruleset`` gives the JSON the
audit sees on a host; nothing touches the host's own firewall.  Elsewhere those tests are
skipped; the tests on JSON documents (captured from nft 1.0.6) always run."""

from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_firewall import (
    Exposure,
    judge,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_nft import (
    Probe,
    Ruleset,
    Unjudgeable,
)

PROVIDER = "198.51.100.0/24"
TRUSTED = "192.0.2.0/25"
MANAGEMENT = "10.20.0.0/24"


class Options:
    provider_nets = [ipaddress.IPv4Network(PROVIDER)]
    trusted_nets = [ipaddress.IPv4Network(TRUSTED)]
    management_nets = [ipaddress.IPv4Network(MANAGEMENT)]


def _nft_json(text):
    if shutil.which("nft") is None or shutil.which("unshare") is None:
        pytest.skip("nft or unshare not installed")
    proc = subprocess.run(["unshare", "-n", "sh", "-c", 'nft -f - && nft -j list ruleset'],
                          input=text.encode(), capture_output=True, check=False)
    if proc.returncode != 0:
        if b"Operation not permitted" in proc.stderr or b"unshare failed" in proc.stderr:
            pytest.skip("cannot make a network namespace here")
        raise AssertionError(proc.stderr.decode())
    return json.loads(proc.stdout)


# Shaped like the firewall role's table: named interval sets, a banned set, a per-source SIP
# flood limit, accepts from the allowed sets and drops of the PBX ports otherwise.
ROLE_LIKE = """
table inet pbxsec {
  set provider { type ipv4_addr; flags interval; elements = { %(provider)s } }
  set trusted { type ipv4_addr; flags interval; elements = { %(trusted)s } }
  set management { type ipv4_addr; flags interval; elements = { %(management)s } }
  set banned { type ipv4_addr; flags timeout; }
  set sipflood { type ipv4_addr; flags dynamic; timeout 1m; }
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "lo" accept
    ct state established,related accept
    ip saddr @banned drop
    meta l4proto { tcp, udp } th dport { 5060, 5061 } update @sipflood { ip saddr limit rate over 20/second } counter drop
    meta l4proto { tcp, udp } th dport { 5060, 5061, 4569, 10000-20000 } ip saddr @provider accept
    meta l4proto { tcp, udp } th dport { 5060, 5061, 4569, 10000-20000 } ip saddr @trusted accept
    tcp dport { 5038, 5039, 8088, 8089 } ip saddr @management accept
    meta l4proto { tcp, udp } th dport { 5060, 5061, 4569, 5038, 5039, 8088, 8089, 10000-20000 } drop
  }
}
""" % dict(provider=PROVIDER, trusted=TRUSTED, management=MANAGEMENT)


def statuses(document, rtp=(10000, 20000)):
    outcomes = judge(Exposure(Ruleset(document)), rtp, Options)
    return dict((control, outcome.status) for control, outcome in outcomes.items()), outcomes


def test_pbx_net_role_like_ruleset_passes():
    found, outcomes = statuses(_nft_json(ROLE_LIKE))
    assert found == {"PBX-NET-001": "pass", "PBX-NET-002": "pass", "PBX-NET-003": "pass",
                     "PBX-NET-004": "pass"}, outcomes


def test_pbx_net_001_provider_set_too_wide_fails():
    wide = ROLE_LIKE.replace("elements = { %s }" % PROVIDER, "elements = { 198.51.0.0/16 }")
    found, outcomes = statuses(_nft_json(wide))
    assert found["PBX-NET-001"] == "fail"
    assert "198.51.0.0" in outcomes["PBX-NET-001"].findings[0]["message"]


def test_pbx_net_002_rtp_range_wider_than_the_rule():
    found, outcomes = statuses(_nft_json(ROLE_LIKE), rtp=(10000, 30000))
    assert found["PBX-NET-002"] == "fail"
    assert "udp/20001" in outcomes["PBX-NET-002"].findings[0]["message"]


def test_pbx_net_004_without_flood_rule_fails():
    text = "\n".join(line for line in ROLE_LIKE.splitlines() if "sipflood" not in line)
    found, dummy = statuses(_nft_json(text))
    assert found["PBX-NET-004"] == "fail"
    assert found["PBX-NET-001"] == "pass"


def test_pbx_net_004_logging_limit_is_not_a_rate_limit():
    text = ROLE_LIKE.replace("update @sipflood { ip saddr limit rate over 20/second } counter drop",
                             "limit rate 5/second log prefix sip-")
    found, dummy = statuses(_nft_json(text))
    assert found["PBX-NET-004"] == "fail"


def test_pbx_net_policy_drop_in_separate_table_and_earlier_chain():
    text = """
table ip filter {
  chain early { type filter hook input priority -10; policy accept;
    udp dport 5060 ip saddr != 198.51.100.0/24 drop
  }
}
table inet late {
  chain input { type filter hook input priority 10; policy drop;
    ct state established,related accept
    udp dport 5060 accept
  }
}
"""
    document = _nft_json(text)
    ruleset = Ruleset(document)
    assert ruleset.judge(Probe("203.0.113.77", "udp", 5060)).accepted is False
    assert ruleset.judge(Probe("198.51.100.9", "udp", 5060)).accepted is True
    assert ruleset.judge(Probe("198.51.100.9", "tcp", 5060)).accepted is False   # late policy


def test_pbx_net_goto_return_and_jump():
    text = """
table inet t {
  chain sip {
    ip saddr 198.51.100.0/24 accept
    return
  }
  chain input { type filter hook input priority 0; policy accept;
    udp dport 5060 jump sip
    udp dport 5060 drop
  }
}
"""
    ruleset = Ruleset(_nft_json(text))
    assert ruleset.judge(Probe("198.51.100.1", "udp", 5060)).accepted is True
    assert ruleset.judge(Probe("203.0.113.77", "udp", 5060)).accepted is False


def test_unknown_interface_is_unjudgeable_and_controls_go_manual():
    text = """
table inet t {
  chain input { type filter hook input priority 0; policy drop;
    iifname "eth1" accept
  }
}
"""
    ruleset = Ruleset(_nft_json(text))
    with pytest.raises(Unjudgeable):
        ruleset.judge(Probe("203.0.113.77", "udp", 5060))


def test_empty_ruleset_exposes_everything():
    found, outcomes = statuses({"nftables": [{"metainfo": {"json_schema_version": 1}}]})
    assert set(found.values()) == {"fail"}
    assert "203.0.113.77" in outcomes["PBX-NET-001"].findings[0]["message"]


# Captured from `nft -j list ruleset` (nft 1.0.6) of a hand-written table with a verdict map.
VMAP_DOCUMENT = {"nftables": [
    {"chain": {"family": "inet", "table": "f", "name": "input", "handle": 1, "type": "filter",
               "hook": "input", "prio": 0, "policy": "accept"}},
    {"chain": {"family": "inet", "table": "f", "name": "mgmt", "handle": 2}},
    {"rule": {"family": "inet", "table": "f", "chain": "input", "handle": 3, "expr": [
        {"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}},
                  "data": {"set": [[5038, {"drop": None}], [8088, {"jump": {"target": "mgmt"}}]]}}}]}},
    {"rule": {"family": "inet", "table": "f", "chain": "mgmt", "handle": 4, "expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
                   "right": {"prefix": {"addr": "10.20.0.0", "len": 24}}}}, {"accept": None}]}},
    {"rule": {"family": "inet", "table": "f", "chain": "mgmt", "handle": 5,
              "expr": [{"drop": None}]}},
]}


def test_verdict_map_from_json():
    ruleset = Ruleset(VMAP_DOCUMENT)
    assert ruleset.judge(Probe("203.0.113.77", "tcp", 5038)).accepted is False
    assert ruleset.judge(Probe("203.0.113.77", "tcp", 8088)).accepted is False
    assert ruleset.judge(Probe("10.20.0.5", "tcp", 8088)).accepted is True
    assert ruleset.judge(Probe("203.0.113.77", "tcp", 8089)).accepted is True


def test_iptables_nft_rules_are_unjudgeable():
    document = {"nftables": [
        {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 1,
                   "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
        {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 2,
                  "expr": [{"xt": {"type": "match", "name": "recent"}}, {"drop": None}]}}]}
    with pytest.raises(Unjudgeable):
        Ruleset(document).judge(Probe("203.0.113.77", "udp", 5060))


def test_ipv6_probes_cross_ip6_and_inet_chains_and_meet_ip6_rules():
    """An IPv6 packet never crosses a chain of family ip and never matches ``ip saddr``."""
    text = """
table ip v4only {
  chain input { type filter hook input priority -5; policy drop; }
}
table ip6 v6only {
  chain input { type filter hook input priority 5; policy accept;
    ip6 saddr 2001:db8::7 drop
  }
}
table inet t {
  chain input { type filter hook input priority 0; policy drop;
    ip saddr 198.51.100.0/24 tcp dport 22 accept
    ip6 saddr 2001:db8::/32 tcp dport 22 accept
    meta nfproto ipv6 tcp dport 2222 accept
  }
}
"""
    ruleset = Ruleset(_nft_json(text))
    assert ruleset.judge(Probe("2001:db8::9", "tcp", 22)).accepted is True
    assert ruleset.judge(Probe("2001:db8::7", "tcp", 22)).accepted is False    # ip6 table
    assert ruleset.judge(Probe("2001:db9::9", "tcp", 22)).accepted is False
    assert ruleset.judge(Probe("2001:db9::9", "tcp", 2222)).accepted is True
    assert ruleset.judge(Probe("198.51.100.9", "tcp", 22)).accepted is False   # ip table
