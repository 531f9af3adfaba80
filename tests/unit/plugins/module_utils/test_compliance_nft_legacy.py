# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-NET-001/004 on nft 0.9.8 (Debian 11, the Asterisk 16 hosts): its ``nft -j`` leaves the
``limit`` of a dynamic set update out, so the evaluator completes such rules from the text
listing. The fixtures were captured from Debian 11's nftables 0.9.8 (``nft -j list ruleset``
and ``nft -a list ruleset``) with the firewall role's provider set and per-source SIP meter."""

from __future__ import annotations

import ipaddress
import json
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_firewall import (
    Exposure,
    judge,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_nft import (
    Probe,
    Ruleset,
    needs_listing,
)

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "fixtures", "nft-0.9.8")


def _captured():
    with open(os.path.join(FIXTURES, "ruleset.json"), encoding="utf-8") as handle:
        document = json.load(handle)
    with open(os.path.join(FIXTURES, "ruleset.txt"), encoding="utf-8") as handle:
        listing = handle.read()
    return document, listing


class Options:
    provider_nets = [ipaddress.IPv4Network("198.51.100.0/24")]
    trusted_nets = []
    management_nets = []


def test_json_of_nft_0_9_8_drops_the_limit_and_asks_for_the_listing():
    document, _listing = _captured()
    assert needs_listing(document)
    # Read from the JSON alone, the meter rule is an unconditional drop: the provider is cut off.
    trace = Ruleset(document).judge(Probe("198.51.100.7", "udp", 5060))
    assert trace.accepted is False


def test_listing_restores_the_limit_so_the_provider_gets_through_under_a_rate_limit():
    document, listing = _captured()
    ruleset = Ruleset(document, listing)
    for protocol in ("udp", "tcp"):
        provider = ruleset.judge(Probe("198.51.100.7", protocol, 5060))
        assert provider.accepted is True and provider.rate_limited is True
        assert ruleset.judge(Probe("198.18.0.9", protocol, 5060)).accepted is False


def test_pbx_net_001_and_004_pass_on_the_completed_ruleset():
    document, listing = _captured()
    outcomes = judge(Exposure(Ruleset(document, listing)), (10000, 20000), Options)
    assert outcomes["PBX-NET-001"].status == "pass", outcomes["PBX-NET-001"].findings
    assert outcomes["PBX-NET-004"].status == "pass", outcomes["PBX-NET-004"].findings


def test_json_of_nft_1_0_needs_no_listing():
    document, _listing = _captured()
    for item in document["nftables"]:
        for expr in item.get("rule", {}).get("expr", []):
            if "set" in expr and expr["set"].get("op") in ("add", "update"):
                expr["set"]["stmt"] = [{"limit": {"rate": 50, "per": "second", "inv": True}}]
    assert not needs_listing(document)
    assert Ruleset(document).judge(Probe("198.51.100.7", "udp", 5060)).accepted is True
