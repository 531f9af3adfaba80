# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""tag_selected: one task per file keeps --tags and --skip-tags working per control."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.tag_selection import (
    selected_controls,
    tag_selected,
)

ITEMS = [{"control": "PBX-SIP-001"}, {"control": "PBX-SIP-002"}, {"control": "PBX-NET-005"}]


def controls(run_tags, skip_tags):
    return [i["control"] for i in tag_selected(ITEMS, run_tags, skip_tags, ["sip"])]


@pytest.mark.parametrize("run_tags, skip_tags, expected", [
    (["all"], [], ["PBX-SIP-001", "PBX-SIP-002", "PBX-NET-005"]),
    ([], [], ["PBX-SIP-001", "PBX-SIP-002", "PBX-NET-005"]),
    (["PBX-SIP-001"], [], ["PBX-SIP-001"]),
    (["sip"], ["PBX-SIP-002"], ["PBX-SIP-001", "PBX-NET-005"]),
    (["tagged"], [], ["PBX-SIP-001", "PBX-SIP-002", "PBX-NET-005"]),
    (["all"], ["sip"], []),
    (["PBX-SIP-001", "PBX-NET-005"], ["PBX-NET-005"], ["PBX-SIP-001"]),
    (["dialplan"], [], []),
])
def test_selects_as_ansible_selects_tasks(run_tags, skip_tags, expected):
    assert controls(run_tags, skip_tags) == expected


def test_selects_control_ids_as_it_selects_items():
    ids = [i["control"] for i in ITEMS]
    assert tag_selected(ids, ["sip"], ["PBX-SIP-002"], ["sip"]) == ["PBX-SIP-001", "PBX-NET-005"]


@pytest.mark.parametrize("items", [[{"option": "allowguest"}], [7], "PBX-SIP-001"])
def test_refuses_items_without_a_control(items):
    with pytest.raises(AnsibleFilterError, match="control key"):
        tag_selected(items, ["all"], [])


BY_AREA = {"sip": ["PBX-SIP-001", "PBX-SIP-003"], "pjsip": ["PBX-PJS-001"]}


@pytest.mark.parametrize("run_tags, skip_tags, skip, waivers, expected", [
    (["all"], [], [], {}, ["PBX-SIP-001", "PBX-SIP-003", "PBX-PJS-001"]),
    (["all"], ["PBX-SIP-003"], [], {}, ["PBX-SIP-001", "PBX-PJS-001"]),
    (["PBX-SIP-001"], [], [], {}, ["PBX-SIP-001"]),
    (["pjsip"], [], [], {}, ["PBX-PJS-001"]),
    (["all"], ["sip"], [], {}, ["PBX-PJS-001"]),
    (["all"], [], ["PBX-SIP-001"], {"PBX-PJS-001": "trunk only"}, ["PBX-SIP-003"]),
    (["PBX-DP-001"], [], [], {}, []),
])
def test_selected_controls(run_tags, skip_tags, skip, waivers, expected):
    assert selected_controls(BY_AREA, skip, waivers, run_tags, skip_tags) == expected


@pytest.mark.parametrize("by_area", [["PBX-SIP-001"], {"sip": "PBX-SIP-001"}, {"sip": [1]}])
def test_selected_controls_refuses_what_is_not_controls_by_area(by_area):
    with pytest.raises(AnsibleFilterError, match="area tag"):
        selected_controls(by_area, [], {}, ["all"], [])
