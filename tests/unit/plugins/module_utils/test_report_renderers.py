# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report model and its renderers (JSON, JUnit XML, HTML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_html,
    report_json,
    report_junit,
    report_model,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    apply_choices,
    finding,
    summarize,
)

HOSTILE = '<script>alert("x")</script>&'


def host_result(statuses):
    outcomes = dict((c.id, Outcome("pass")) for c in CATALOGUE)
    for control, status in statuses.items():
        outcomes[control] = Outcome(status, [finding("/etc/asterisk/sip.conf", 3, HOSTILE,
                                                     "message " + HOSTILE)])
    entries = apply_choices(outcomes)
    summary, compliant = summarize(entries)
    return dict(controls=entries, summary=summary, compliant=compliant)


def fleet():
    return report_model.build(
        {"pbx1": host_result({"PBX-SIP-001": "fail", "PBX-VM-004": "waived"}),
         "pbx2": host_result({}), "pbx3": host_result({"PBX-AMI-001": "error"})},
        unreachable=["pbx9"], failed={"pbx8": "invalid option"}, generated="2026-11-25T21:00:00Z")


def test_model_verdicts_and_totals():
    report = fleet()
    verdicts = dict((h["name"], h["status"]) for h in report["hosts"])
    assert verdicts == {"pbx1": "noncompliant", "pbx2": "compliant", "pbx3": "noncompliant",
                        "pbx9": "unreachable", "pbx8": "failed"}
    assert report["totals"] == {"compliant": 1, "noncompliant": 2, "unreachable": 1, "failed": 1}
    assert report["compliant"] is False


def test_model_all_compliant_and_empty_fleet():
    assert report_model.build({"a": host_result({})})["compliant"] is True
    assert report_model.build({})["compliant"] is False


def test_hosts_sorted_by_what_their_audit_registered():
    audited = host_result({})
    host_vars = [
        ("pbx1", {"pbx_audit": audited}),
        # Ansible could not connect: ignore_unreachable registers no controls, no rescue ran.
        ("pbx2", {"pbx_audit": {"unreachable": True, "msg": "connection refused"}}),
        # The module failed; the rescue's shell command ran: the host answers.
        ("pbx3", {"pbx_audit": {"failed": True, "msg": "invalid option: x"},
                  "pbx_audit_reach": {"rc": 0}}),
        # The module failed and not even a shell command runs (a stopped container).
        ("pbx4", {"pbx_audit": {"failed": True, "msg": "x"}, "pbx_audit_reach": {"rc": 1}}),
        ("pbx5", {"pbx_audit": {"failed": True}, "pbx_audit_reach": {"unreachable": True}}),
        # Nothing registered at all (the host left the play before the audit task).
        ("pbx6", {}),
        ("pbx7", {"pbx_audit": {"failed": True}, "pbx_audit_reach": {"rc": 0}}),
        # Variables of that name that are no task results.
        ("pbx8", {"pbx_audit": "controls", "pbx_audit_reach": ["rc"]}),
    ]
    results, unreachable, failed = report_model.sort_hosts(host_vars, "pbx_audit",
                                                           "pbx_audit_reach")
    assert results == {"pbx1": audited}
    assert unreachable == ["pbx2", "pbx4", "pbx5", "pbx6", "pbx8"]
    assert failed == {"pbx3": "invalid option: x", "pbx7": "the audit task failed"}
    other_names = [("pbx1", {"mine": audited, "pbx_audit": {"failed": True}})]
    assert report_model.sort_hosts(other_names, "mine", "reach")[0] == {"pbx1": audited}


def test_file_name_has_no_path():
    for host in ("../../etc/passwd", "a/b", ".hidden", "..", "pbx 1"):
        name = report_model.file_name(host)
        assert "/" not in name and not name.startswith(".") and name, host
    assert report_model.file_name("pbx1.example.net") == "pbx1.example.net"


def test_json_round_trip():
    report = fleet()
    assert json.loads(report_json.render_fleet(report)) == report
    host = json.loads(report_json.render_host(report, report["hosts"][0]))
    assert host["name"] == "pbx1" and host["generated"] == "2026-11-25T21:00:00Z"


def test_junit_cases_failures_skips_and_unreachable():
    root = ET.fromstring(report_junit.render(fleet()))
    suites = dict((s.get("name"), s) for s in root.findall("testsuite"))
    assert set(suites) == {"pbx1", "pbx2", "pbx3", "pbx8", "pbx9"}
    for suite in suites.values():
        assert len(suite.findall("testcase")) == len(CATALOGUE)
    pbx1 = suites["pbx1"]
    failed = [c.get("name") for c in pbx1.findall("testcase") if c.find("failure") is not None]
    skipped = [c.get("name") for c in pbx1.findall("testcase") if c.find("skipped") is not None]
    assert failed == ["PBX-SIP-001"] and pbx1.get("failures") == "1"
    assert "PBX-VM-004" in skipped and "PBX-ACC-001" not in failed
    assert suites["pbx3"].get("errors") == "1"
    assert suites["pbx9"].get("errors") == str(len(CATALOGUE))


class _Collect(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self)
        self.tags = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr" and ("class", "host") in attrs:
            self.rows += 1


def test_html_self_contained_escaped_one_row_per_host():
    page = report_html.render(fleet()).decode("utf-8")
    assert HOSTILE not in page and "&lt;script&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert parser.rows == 5
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert "http://" not in page and "https://" not in page
    assert page.count("<details>") == 3 * len(CATALOGUE)
