# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Static checks of the roles' defaults and their documentation (no Asterisk needed): every
variable is declared by one role, documented with its default, and the shared ones live in the
role every other role depends on (common)."""

from __future__ import annotations

import os

import pytest
import yaml

ROLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "roles")
ROLES = sorted(os.listdir(ROLES_DIR))


def _load(role, *parts):
    with open(os.path.join(ROLES_DIR, role, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _defaults(role):
    return _load(role, "defaults", "main.yml")


@pytest.mark.parametrize("role", ROLES)
def test_every_default_is_documented_with_the_same_value(role):
    defaults = _defaults(role)
    options = _load(role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert set(defaults) == set(options)
    for name, value in defaults.items():
        assert options[name].get("default") == value, name


def test_each_variable_is_declared_by_one_role():
    declared = {}
    for role in ROLES:
        for name in _defaults(role):
            declared.setdefault(name, []).append(role)
    assert dict((name, roles) for name, roles in declared.items() if len(roles) > 1) == {}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "common"])
def test_every_role_depends_on_common(role):
    assert _load(role, "meta", "main.yml")["dependencies"] == [{"role": "pbxsec.hardening.common"}]


def test_shared_network_defaults_are_kiwi_voip_and_nothing_else():
    defaults = _defaults("common")
    assert defaults["pbx_provider_networks"] == ["27.111.14.0/24"]
    assert not defaults["pbx_provider_peering_ip"]
    assert defaults["pbx_trusted_networks"] == []
    assert defaults["pbx_management_networks"] == []


def test_pbx_sip_trunks_default_to_none_and_the_user_agent_hides_the_version():
    defaults = _defaults("sip")
    assert defaults["pbx_sip_trunks"] == []
    assert defaults["pbx_sip_useragent"] == "PBX"
    assert "asterisk" not in defaults["pbx_sip_useragent"].lower()
