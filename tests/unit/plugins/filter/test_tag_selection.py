# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""tag_selected: one task per file keeps --tags and --skip-tags working per control."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.tag_selection import tag_selected

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


def test_refuses_items_without_a_control():
    with pytest.raises(AnsibleFilterError, match="control key"):
        tag_selected([{"option": "allowguest"}], ["all"], [])
