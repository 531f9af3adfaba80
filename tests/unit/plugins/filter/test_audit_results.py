# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""control_findings: the lines a role's failure message lists from a pbx_compliance result."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.audit_results import control_findings

CONTROLS = [
    dict(id="PBX-PJS-001", status="fail", findings=[
        dict(file="/etc/asterisk/sorcery.conf", line=5, object="anonymous",
             message="anonymous endpoint (from sorcery.conf:5 endpoint=realtime,ps_endpoints)")]),
    dict(id="PBX-PJS-002", status="manual", findings=[
        dict(file="/etc/asterisk/sorcery.conf", line=5, object=None,
             message="PJSIP endpoints may come from sorcery.conf:5")]),
    dict(id="PBX-PJS-003", status="pass", findings=[]),
    dict(id="PBX-SEC-002", status="error", findings=[
        dict(file="/etc/asterisk/pjsip.conf", line=3, object=None, message="cannot be judged")]),
]


def test_lists_the_findings_of_failing_controls_by_default():
    assert control_findings(CONTROLS) == [
        "PBX-PJS-001 anonymous: anonymous endpoint (from sorcery.conf:5 "
        "endpoint=realtime,ps_endpoints)"]


def test_lists_the_statuses_asked_for_in_catalogue_order():
    assert control_findings(CONTROLS, ["manual", "error"]) == [
        "PBX-PJS-002: PJSIP endpoints may come from sorcery.conf:5",
        "PBX-SEC-002: cannot be judged"]
    assert control_findings(CONTROLS, ["pass"]) == []


def test_refuses_what_is_not_a_controls_list():
    with pytest.raises(AnsibleFilterError, match="controls list"):
        control_findings({"controls": CONTROLS})
