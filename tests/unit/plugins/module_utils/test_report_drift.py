# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Drift between audits (issue 18, item 2): the comparison with a baseline fleet.json, the
baseline checked as hostile input, regressions first in every format, the ``regressions``
verdict; and the attack pressure column (item 4) checked and escaped on the controller."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_drift,
    report_html,
    report_json,
    report_junit,
    report_model,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    STATUSES,
    Outcome,
    apply_choices,
    summarize,
)

IDS = [control.id for control in CATALOGUE]
HOSTILE = '<script>alert("x")</script>&\x00'


def result(statuses, pressure=None):
    outcomes = dict((c, Outcome(statuses.get(c, "pass"))) for c in IDS)
    entries = apply_choices(outcomes)
    summary, compliant = summarize(entries)
    out = dict(controls=entries, summary=summary, compliant=compliant)
    if pressure is not None:
        out["pressure"] = pressure
    return out


def fleet(hosts, unreachable=()):
    return report_model.build(dict((name, result(s)) for name, s in hosts.items()), unreachable,
                              generated="2026-12-04T08:00:00Z")


def as_baseline(report):
    """The report as the next run reads it back from fleet.json."""
    return report_drift.checked_baseline(json.loads(report_json.render_fleet(report)))


def drift(before, after):
    return report_drift.compare(after, as_baseline(before), source="/r/fleet.json")


def pairs(items):
    return sorted((i["host"], i["control"], i["before"], i["after"]) for i in items)


FLEETS = st.dictionaries(
    st.sampled_from(["pbx1", "pbx2", "pbx3", "pbx<4>"]),
    st.dictionaries(st.sampled_from(IDS), st.sampled_from(STATUSES), max_size=6), max_size=4)


@settings(max_examples=60, deadline=None)
@given(FLEETS)
def test_drift_of_a_report_with_itself_is_empty(hosts):
    report = fleet(hosts)
    found = drift(report, report)
    assert found["baseline"] == {"file": "/r/fleet.json", "generated": "2026-12-04T08:00:00Z"}
    assert dict((k, v) for k, v in found.items() if k != "baseline") == dict(
        reason=None, regressions=[], improvements=[], unjudged=[], added=[], gone=[])


@settings(max_examples=60, deadline=None)
@given(FLEETS, FLEETS)
def test_regressions_of_a_to_b_are_the_improvements_of_b_to_a(hosts_a, hosts_b):
    a, b = fleet(hosts_a), fleet(hosts_b)
    forward, backward = drift(a, b), drift(b, a)
    swapped = sorted((h, c, after, before) for h, c, before, after in pairs(backward["improvements"]))
    assert pairs(forward["regressions"]) == swapped
    assert forward["added"] == backward["gone"] and forward["gone"] == backward["added"]
    for item in forward["regressions"]:
        assert item["before"] not in report_model.FAILING and item["after"] in report_model.FAILING


def test_regressions_improvements_hosts_added_gone_and_unjudged():
    before = fleet({"pbx1": {"PBX-SIP-001": "fail"}, "pbx2": {}, "pbx3": {}, "gone": {}})
    after = fleet({"pbx1": {"PBX-AMI-001": "error", "PBX-VM-004": "manual"},
                   "pbx2": {"PBX-SIP-002": "fail"}, "new": {"PBX-SIP-001": "fail"}},
                  unreachable=["pbx3"])
    found = drift(before, after)
    assert pairs(found["regressions"]) == [("pbx1", "PBX-AMI-001", "pass", "error"),
                                           ("pbx2", "PBX-SIP-002", "pass", "fail")]
    assert pairs(found["improvements"]) == [("pbx1", "PBX-SIP-001", "fail", "pass")]
    assert found["added"] == ["new"] and found["gone"] == ["gone"]
    assert found["unjudged"] == [dict(host="pbx3", before="compliant", after="unreachable",
                                      reason="unreachable")]
    regression = found["regressions"][0]
    assert regression["title"] == CATALOGUE[IDS.index("PBX-AMI-001")].title
    assert report_drift.regressed(found) == ["pbx1 PBX-AMI-001 (pass -> error)",
                                             "pbx2 PBX-SIP-002 (pass -> fail)",
                                             "pbx3 (compliant -> unreachable)"]


def test_a_control_the_baseline_does_not_know_is_not_compared():
    before = json.loads(report_json.render_fleet(fleet({"pbx1": {}})))
    controls = before["hosts"][0]["controls"]
    before["hosts"][0]["controls"] = [c for c in controls if c["id"] != "PBX-SIP-001"]
    found = report_drift.compare(fleet({"pbx1": {"PBX-SIP-001": "fail"}}),
                                 report_drift.checked_baseline(before))
    assert found["regressions"] == []


@pytest.mark.parametrize("content, reason", [
    (None, "does not exist"),
    (b"{not json", "is not JSON"),
    (b"\xff\xfe", "is not JSON"),
    (b"[" * 100000 + b"]" * 100000, "is not JSON"),
    (b"[]", "baseline: expected a mapping"),
    (b'{"hosts": {}}', "hosts: expected a list"),
    (b'{"hosts": [{"name": 1, "status": "compliant", "controls": []}]}', "hosts[0].name"),
    (b'{"hosts": [{"name": "a", "status": "pwned", "controls": []}]}', "hosts[0].status"),
    # An older format: controls without the keys of an entry.
    (b'{"hosts": [{"name": "a", "status": "compliant", "controls": [{"id": "PBX-SIP-001"}]}]}',
     "hosts[0].controls[0]: expected exactly the keys"),
    (b'{"hosts": [{"name": "a", "status": "compliant", "controls": []},'
     b' {"name": "a", "status": "compliant", "controls": []}]}', "hosts[1].name: repeated"),
])
def test_unusable_baseline_gives_no_baseline_and_the_reason(tmp_path, content, reason):
    path = tmp_path / "fleet.json"
    if content is not None:
        path.write_bytes(content)
    baseline, why = report_drift.read_baseline(str(path))
    assert baseline is None and why.startswith("no baseline: %s " % path) and reason in why
    found = report_drift.compare(fleet({"pbx1": {}}), baseline, why)
    assert found["baseline"] is None and found["reason"] == why
    assert report_model.fails_run(dict(fleet({"pbx1": {}}), drift=found), "regressions") is False


def test_baseline_that_is_a_directory(tmp_path):
    baseline, why = report_drift.read_baseline(str(tmp_path))
    assert baseline is None and "cannot be read" in why


def test_baseline_texts_bounded_and_never_markup():
    report = fleet({"pbx1": {}})
    document = json.loads(report_json.render_fleet(report))
    document["hosts"][0]["name"] = HOSTILE
    document["generated"] = HOSTILE * 100
    baseline = report_drift.checked_baseline(document)
    assert "\x00" not in "".join(baseline["hosts"]) and len(baseline["generated"]) < 200
    found = report_drift.compare(fleet({"pbx2": {}}), baseline)
    assert found["gone"] == [report_model.text(HOSTILE, report_model.LIMITS["name"])]
    page = report_html.render(dict(report, drift=found)).decode("utf-8")
    assert "<script" not in page


@pytest.mark.parametrize("regressions, unjudged, compliant, fail_on, fails", [
    (0, 0, True, "noncompliant", False),
    (0, 0, False, "noncompliant", True),
    (1, 0, True, "noncompliant", False),
    (0, 0, False, "regressions", False),      # known debt does not fail a nightly job
    (1, 0, False, "regressions", True),
    (0, 1, True, "regressions", True),        # judged before, cannot be judged now
    (1, 1, False, "never", False),
])
def test_fails_run(regressions, unjudged, compliant, fail_on, fails):
    report = dict(compliant=compliant, drift=dict(regressions=[{}] * regressions,
                                                  unjudged=[{}] * unjudged))
    assert report_model.fails_run(report, fail_on) is fails
    with pytest.raises(ValueError):
        report_model.fails_run(report, True)


def _with_drift():
    before = fleet({"pbx1": {}, "pbx2": {"PBX-SIP-002": "fail"}})
    after = fleet({"pbx1": {"PBX-SIP-001": "fail"}, "pbx2": {}})
    return dict(after, drift=drift(before, after))


def test_html_shows_regressions_first():
    page = report_html.render(_with_drift()).decode("utf-8")
    regressions, improvements = page.index("Regressions (1)"), page.index("Improvements (1)")
    assert regressions < improvements < page.index("<p>Hosts:") < page.index('<tr class="host">')
    assert page.index("PBX-SIP-001", regressions) < improvements


def test_junit_drift_suite_well_formed():
    root = ET.fromstring(report_junit.render(_with_drift()))
    suites = dict((suite.get("name"), suite) for suite in root.findall("testsuite"))
    drift_suite = suites["drift"]
    cases = drift_suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [("pbx1", "PBX-SIP-001 regressed")]
    assert cases[0].find("failure").get("message").startswith("pass -> fail: ")
    assert (drift_suite.get("tests"), drift_suite.get("failures")) == ("1", "1")
    assert sorted(suites) == ["drift", "pbx1", "pbx2"]
    # Without a baseline there is no drift suite.
    plain = ET.fromstring(report_junit.render(dict(
        fleet({"pbx1": {}}), drift=report_drift.compare(fleet({"pbx1": {}}), None, "no baseline"))))
    assert [suite.get("name") for suite in plain.findall("testsuite")] == ["pbx1"]


def pressure(**changes):
    value = dict(status="counted", reason=None, hours=24, since="2026-12-03T09:00:00",
                 log="/var/log/asterisk/security", failed_auth=9, unknown_user=2, bans=1,
                 banned_now=1, top_sources=[{"address": "172.20.0.4", "attempts": 10}], notes=[])
    value.update(changes)
    return value


def test_pressure_column_and_json():
    report = report_model.build({"pbx1": result({}, pressure()), "pbx2": result({})})
    hosts = dict((h["name"], h) for h in report["hosts"])
    assert hosts["pbx1"]["pressure"] == pressure() and hosts["pbx2"]["pressure"] is None
    assert json.loads(report_json.render_host(report, hosts["pbx1"]))["pressure"]["failed_auth"] == 9
    page = report_html.render(report).decode("utf-8")
    assert "<th>Attack pressure (24 h)</th>" in page
    assert "auth 9 &middot; unknown user 2 &middot; bans 1 (banned now 1)" in page
    assert "<li>172.20.0.4: 10</li>" in page


@pytest.mark.parametrize("bad, where", [
    ("counted", "pressure: expected a mapping"),
    (pressure(status="pwned"), "pressure.status"),
    (pressure(failed_auth=-1), "pressure.failed_auth"),
    (pressure(failed_auth=True), "pressure.failed_auth"),
    (pressure(top_sources=[{"address": HOSTILE, "attempts": 1}]), "pressure.top_sources[0].address"),
    (pressure(top_sources=[{"address": "1.2.3.4", "attempts": 1}] * 6), "pressure.top_sources"),
    (pressure(notes=[1]), "pressure.notes[0]"),
    (dict(pressure(), line=HOSTILE), "pressure: expected exactly the keys"),
])
def test_invalid_pressure_is_unknown_saying_where_and_controls_still_judged(bad, where):
    report = report_model.build({"pbx1": result({"PBX-SIP-001": "fail"}, bad)})
    host = report["hosts"][0]
    assert host["status"] == "noncompliant"
    assert host["pressure"]["status"] == "unknown" and where in host["pressure"]["reason"]
    assert HOSTILE not in json.dumps(host["pressure"])
    assert "<script" not in report_html.render(report).decode("utf-8")


def test_pressure_texts_escaped_and_bounded():
    report = report_model.build({"pbx1": result({}, pressure(
        status="unknown", reason=HOSTILE * 1000, notes=[HOSTILE]))})
    found = report["hosts"][0]["pressure"]
    assert len(found["reason"]) < 1100 and "\x00" not in found["reason"]
    page = report_html.render(report).decode("utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
