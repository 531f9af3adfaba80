# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Static checks of role sip's defaults and their documentation (no Asterisk needed)."""

from __future__ import annotations

import os

import yaml

ROLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "roles", "sip")


def _load(*parts):
    with open(os.path.join(ROLE, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_pbx_sip_006_default_provider_network_is_kiwi_voip():
    defaults = _load("defaults", "main.yml")
    assert defaults["pbx_provider_networks"] == ["27.111.14.0/24"]


def test_pbx_sip_006_default_has_no_peering_ip_and_no_trusted_networks():
    defaults = _load("defaults", "main.yml")
    assert not defaults["pbx_provider_peering_ip"]
    assert defaults["pbx_trusted_networks"] == []
    assert defaults["pbx_sip_trunks"] == []


def test_pbx_net_005_default_user_agent_hides_the_version():
    defaults = _load("defaults", "main.yml")
    assert defaults["pbx_sip_useragent"] == "PBX"
    assert "asterisk" not in defaults["pbx_sip_useragent"].lower()


def test_every_default_is_documented_with_the_same_value():
    defaults = _load("defaults", "main.yml")
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert set(defaults) == set(options)
    for name, value in defaults.items():
        assert options[name].get("default") == value, name
