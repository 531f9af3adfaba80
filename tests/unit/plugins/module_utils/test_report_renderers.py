# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report model and its renderers (JSON, JUnit XML, HTML)."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_files,
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


def test_file_stem_has_no_path():
    for host in ("../../etc/passwd", "a/b", ".hidden", "..", "pbx 1", "-rf", "x" * 300, ""):
        stem = report_model.file_stem(host)
        assert "/" not in stem and not stem.startswith((".", "-")) and stem, host
        assert len(stem) <= report_model.MAX_FILE_STEM + 11, host
    assert report_model.file_stem("pbx1.example.net") == "pbx1.example.net"


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


# --- a hostile host (issue 16, item 15) -----------------------------------------------------------

def test_junit_well_formed_with_control_characters_in_findings():
    result = host_result({"PBX-SIP-001": "fail"})
    result["controls"][0]["findings"][0].update(object="ph\x0cone", message="a\x00b\x1b[31m ]]> c")
    page = report_junit.render(report_model.build({"pbx\x0b1": result}))
    suite = ET.fromstring(page).find("testsuite")
    assert suite.get("name") == "pbx\ufffd1"
    failure = suite.find("testcase/failure")
    assert "[ph\ufffdone]: a\ufffdb\ufffd[31m ]]> c" in failure.text
    assert b"\x1b" not in page and b"\x0c" not in page


def test_unknown_status_makes_the_host_failed_in_every_format():
    result = host_result({})
    result["controls"][2]["status"] = "<b>bogus</b>"
    report = report_model.build({"pbx1": result})
    host = report["hosts"][0]
    assert host["status"] == "failed" and host["controls"] == []
    assert host["reason"] == ("the audit result is invalid: controls[2].status: not one of "
                              "pass, fail, not_applicable, waived, manual, error")
    page = report_html.render(report).decode("utf-8")
    assert "bogus" not in page and host["reason"] in page
    suite = ET.fromstring(report_junit.render(report)).find("testsuite")
    assert suite.get("errors") == str(len(CATALOGUE))


def _broken(change):
    result = host_result({"PBX-SIP-001": "fail"})
    change(result)
    return result


INVALID = {
    "not a mapping": ("SECRET" * 10, "result: expected a mapping, got text"),
    "controls not a list": (dict(controls="SECRET"), "controls: expected a list, got text"),
    "a control missing": (_broken(lambda r: r["controls"].pop()),
                          "controls: expected %d entries" % len(CATALOGUE)),
    "a control twice": (_broken(lambda r: r["controls"].__setitem__(1, r["controls"][0])),
                        "controls[1].id: PBX-SIP-001 repeated"),
    "unknown control": (_broken(lambda r: r["controls"][0].update(id="SECRET-1")),
                        "controls[0].id: not a control of the catalogue"),
    "unknown key": (_broken(lambda r: r["controls"][0].update(SECRET=1)),
                    "controls[0]: expected exactly the keys findings, id, remediation, "
                    "severity, status, title"),
    "findings not a list": (_broken(lambda r: r["controls"][0].update(findings={"SECRET": 1})),
                            "controls[0].findings: expected a list, got mapping"),
    "line as text": (_broken(lambda r: r["controls"][0]["findings"][0].update(line="SECRET")),
                     "controls[0].findings[0].line: expected a line number or null, got text"),
    "line too big": (_broken(lambda r: r["controls"][0]["findings"][0].update(line=10 ** 5000)),
                     "controls[0].findings[0].line: expected a line number or null, got number"),
    "line a boolean": (_broken(lambda r: r["controls"][0]["findings"][0].update(line=True)),
                       "controls[0].findings[0].line: expected a line number or null, "
                       "got boolean"),
    "message binary": (_broken(lambda r: r["controls"][0]["findings"][0].update(
        message=b"SECRET")), "controls[0].findings[0].message: expected text, got another type"),
    "object a list": (_broken(lambda r: r["controls"][0]["findings"][0].update(
        object=["SECRET"])), "controls[0].findings[0].object: expected text or null, got list"),
    "remediation null": (_broken(lambda r: r["controls"][0].update(remediation=None)),
                         "controls[0].remediation: expected text, got null"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_result_makes_the_host_failed_saying_where_never_what(case):
    result, reason = INVALID[case]
    report = report_model.build({"pbx1": result})
    host = report["hosts"][0]
    assert host["status"] == "failed" and host["reason"].startswith(
        "the audit result is invalid: " + reason)
    assert report["totals"]["failed"] == 1 and report["compliant"] is False
    for page in report_files.planned_files(report, report_files.FORMATS).values():
        assert b"SECRET" not in page


def test_verdict_counts_and_titles_come_from_the_controller():
    result = host_result({"PBX-SIP-001": "fail"})
    result.update(compliant=True, summary=dict(fail=0))
    result["controls"][0].update(title="all good", severity="<none>")
    host = report_model.build({"pbx1": result})["hosts"][0]
    assert host["status"] == "noncompliant" and host["summary"]["fail"] == 1
    assert host["controls"][0]["title"] == CATALOGUE[0].title
    assert host["controls"][0]["severity"] == CATALOGUE[0].severity


def test_findings_and_texts_are_bounded():
    result = host_result({"PBX-SIP-001": "fail"})
    flood = finding("f" * 10 ** 6, 1, "o" * 10 ** 6, "m" * 10 ** 6)
    result["controls"][0]["findings"] = [flood] * 100000
    report = report_model.build({"h" * 10 ** 6: result}, failed={"pbx2": "r" * 10 ** 6})
    host = report["hosts"][0]
    findings = host["controls"][0]["findings"]
    assert len(findings) == report_model.MAX_FINDINGS + 1
    assert findings[-1]["message"] == "... and %d more findings, not shown (at most %d per " \
        "control)" % (100000 - report_model.MAX_FINDINGS, report_model.MAX_FINDINGS)
    assert findings[0]["message"] == "m" * 1024 + "... (%d more characters)" % (10 ** 6 - 1024)
    assert len(host["name"]) < 300 and len(report["hosts"][1]["reason"]) < 1100
    size = sum(len(page) for page in report_files.planned_files(report, report_files.FORMATS)
               .values())
    assert size < 5 * 10 ** 6


def test_every_host_has_its_own_file_and_fleet_json_names_it():
    names = ["pbx/1", "pbx_1", "PBX_2", "pbx_2", "../pbx_1", ".pbx_1", "pbx_1-" + "0" * 10]
    report = report_model.build(dict((name, host_result({})) for name in names))
    files = dict((h["name"], h["file"]) for h in json.loads(report_json.render_fleet(report))
                 ["hosts"])
    assert files["pbx_1"] == "hosts/pbx_1.json"
    # Names that differ only in case share a file on a case-insensitive file system.
    assert files["PBX_2"] == "hosts/PBX_2.json" and files["pbx_2"].startswith("hosts/pbx_2-")
    assert files["pbx/1"].startswith("hosts/pbx_1-") and files["../pbx_1"] != files["pbx/1"]
    stems = [f[len("hosts/"):-len(".json")] for f in files.values()]
    assert len(set(stem.lower() for stem in stems)) == len(names)
    assert all(report_model.PLAIN_FILE_STEM.fullmatch(stem) for stem in stems)
    planned = report_files.planned_files(report, ["json"])
    assert sorted(planned) == sorted(["fleet.json"] + list(files.values()))
    again = report_model.build(dict((name, host_result({})) for name in reversed(names)))
    assert [h["file"] for h in again["hosts"]] == [h["file"] for h in report["hosts"]]


# --- report files and modes (issue 16, item 6) ----------------------------------------------------

@pytest.fixture
def umask():
    """``umask(value)`` sets this process's umask for the test; the old one comes back after."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def _modes(root):
    found = {}
    for base, dirs, names in os.walk(str(root)):
        for name in dirs + names:
            path = os.path.join(base, name)
            found[os.path.relpath(path, str(root))] = stat.S_IMODE(os.lstat(path).st_mode)
    return found


def test_reports_are_0640_in_0750_directories(tmp_path, umask):
    umask(0o022)
    files = report_files.planned_files(fleet(), report_files.FORMATS)
    dummy, changed = report_files.write_files(str(tmp_path / "a" / "reports"), files, False)
    modes = _modes(tmp_path)
    assert changed and set(modes) == set(["a", "a/reports", "a/reports/hosts"] +
                                         ["a/reports/" + name for name in files])
    assert modes.pop("a") == modes.pop("a/reports") == modes.pop("a/reports/hosts") == 0o750
    assert set(modes.values()) == {0o640}


def test_a_narrower_umask_narrows_the_reports(tmp_path, umask):
    umask(0o077)
    files = report_files.planned_files(fleet(), ["json"])
    report_files.write_files(str(tmp_path / "reports"), files, False)
    modes = _modes(tmp_path)
    assert modes.pop("reports") == modes.pop("reports/hosts") == 0o700
    assert set(modes.values()) == {0o600}
    assert report_files.write_files(str(tmp_path / "reports"), files, False)[1] is False


def test_mode_option_sets_the_files_mode_exactly(tmp_path, umask):
    umask(0o077)
    files = report_files.planned_files(fleet(), ["json"])
    report_files.write_files(str(tmp_path / "reports"), files, False, 0o644)
    modes = _modes(tmp_path)
    assert modes.pop("reports") == modes.pop("reports/hosts") == 0o755
    assert set(modes.values()) == {0o644}


def test_a_wider_existing_report_is_narrowed_even_when_its_content_is_the_same(tmp_path, umask):
    umask(0o022)
    files = {"fleet.json": report_json.render_fleet(fleet())}
    (tmp_path / "fleet.json").write_bytes(files["fleet.json"])
    os.chmod(str(tmp_path / "fleet.json"), 0o644)
    assert report_files.write_files(str(tmp_path), files, True)[1] is True
    assert _modes(tmp_path) == {"fleet.json": 0o644}            # check mode writes nothing
    assert report_files.write_files(str(tmp_path), files, False)[1] is True
    assert _modes(tmp_path) == {"fleet.json": 0o640}
    assert report_files.write_files(str(tmp_path), files, False)[1] is False
    assert report_files.write_files(str(tmp_path), files, False, 0o600)[1] is True
    assert _modes(tmp_path) == {"fleet.json": 0o600}


@pytest.mark.parametrize("option, mode", [(None, None), ("0640", 0o640), ("0600", 0o600),
                                          ("0755", 0o755)])
def test_file_mode_option(option, mode):
    assert report_files.file_mode(option) == mode


@pytest.mark.parametrize("option", ["416", "640", "0o640", "u=rw", "04755", "0648", "", "0640\n"])
def test_file_mode_option_refuses_what_is_not_four_octal_digits(option):
    with pytest.raises(ValueError, match="four octal digits in quotes"):
        report_files.file_mode(option)
