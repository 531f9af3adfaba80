# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``pbxsec.hardening.pbx_report`` run through ``ansible`` ad-hoc (issue 16, items 6 and 15):
the action writes report files 0640 in 0750 directories or with the ``mode`` asked, refuses a
mode that is not four octal digits, and reports hosts with colliding or hostile names and
invalid results without failing.  Issue 18, item 2: each run compares itself with the last
report in ``dest`` (or ``baseline``), and ``fail_on`` says what fails the run."""

from __future__ import annotations

import json
import os
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    apply_choices,
    summarize,
)


def _result():
    entries = apply_choices(dict((control.id, Outcome("pass")) for control in CATALOGUE))
    summary, compliant = summarize(entries)
    return dict(controls=entries, summary=summary, compliant=compliant)


def _modes(root):
    return dict((os.path.relpath(os.path.join(base, name), root),
                 stat.S_IMODE(os.lstat(os.path.join(base, name)).st_mode))
                for base, dirs, names in os.walk(root) for name in dirs + names)


def test_reports_0640_in_0750_directories_with_distinct_host_files(run_module, tmp_path):
    dest = str(tmp_path / "reports")
    invalid = dict(_result(), controls=[dict(id="PBX-SIP-001", status="<pwned>")])
    umask = os.umask(0o022)             # ansible runs the action with the umask it inherits
    try:
        result = run_module("pbxsec.hardening.pbx_report", dict(
            dest=dest, results={"pbx/1": _result(), "pbx_1": _result(), "pbx\u000c2": invalid},
            generated="2026-11-25T21:00:00Z"))
    finally:
        os.umask(umask)
    assert result["changed"] is True and result["compliant"] is False
    assert result["noncompliant"] == ["pbx\ufffd2"]
    with open(os.path.join(dest, "fleet.json"), encoding="utf-8") as handle:
        hosts = dict((h["name"], h) for h in json.load(handle)["hosts"])
    assert hosts["pbx_1"]["file"] == "hosts/pbx_1.json"
    assert hosts["pbx/1"]["file"].startswith("hosts/pbx_1-")
    assert hosts["pbx\ufffd2"]["reason"].startswith("the audit result is invalid: controls:")
    modes = _modes(dest)
    assert modes.pop("hosts") == 0o750 and set(modes.values()) == {0o640}
    assert len(modes) == 3 + 3                       # fleet, junit, html and one file per host
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o750


def test_mode_option(run_module, tmp_path):
    dest = str(tmp_path / "reports")
    args = dict(dest=dest, results={"pbx1": _result()}, generated="x", formats=["json"])
    result = run_module("pbxsec.hardening.pbx_report", dict(args, mode="0600"))
    assert result["changed"] is True
    assert _modes(dest) == {"fleet.json": 0o600, "hosts": 0o700, "hosts/pbx1.json": 0o600}
    # The second run compares itself with the first (its drift section names that baseline);
    # from then on the same results write nothing.
    compared = run_module("pbxsec.hardening.pbx_report", dict(args, mode="0600"))
    assert compared["drift"]["baseline"] == {"file": dest + "/fleet.json", "generated": "x"}
    again = run_module("pbxsec.hardening.pbx_report", dict(args, mode="0600"))
    assert again["changed"] is False
    refused = run_module("pbxsec.hardening.pbx_report", dict(args, mode=416))
    assert refused["failed"] is True
    assert refused["msg"] == "mode must be four octal digits in quotes, such as '0640'"


def test_drift_with_the_last_run_and_fail_on_regressions(run_module, tmp_path):
    dest = str(tmp_path / "reports")
    failing = apply_choices(dict((c.id, Outcome("fail" if c.id == "PBX-SIP-001" else "pass"))
                                 for c in CATALOGUE))
    summary, compliant = summarize(failing)
    worse = dict(controls=failing, summary=summary, compliant=compliant)
    first = run_module("pbxsec.hardening.pbx_report", dict(
        dest=dest, results={"pbx1": _result(), "pbx2": worse}, fail_on="regressions"))
    assert first["drift"]["baseline"] is None and "does not exist" in first["drift"]["reason"]
    assert first["fails_run"] is False and "warnings" not in first     # known debt, first run
    second = run_module("pbxsec.hardening.pbx_report", dict(
        dest=dest, results={"pbx1": worse, "pbx3": _result()}, fail_on="regressions"))
    assert second["fails_run"] is True
    assert second["regressed"] == ["pbx1 PBX-SIP-001 (pass -> fail)"]
    assert second["drift"]["added"] == ["pbx3"] and second["drift"]["gone"] == ["pbx2"]
    with open(os.path.join(dest, "fleet.json"), encoding="utf-8") as handle:
        drift = json.load(handle)["drift"]
    assert [(r["host"], r["control"]) for r in drift["regressions"]] == [("pbx1", "PBX-SIP-001")]
    assert b'name="drift"' in open(os.path.join(dest, "junit.xml"), "rb").read()
    # An explicit baseline that is no fleet report: a warning, no baseline, never a failed task.
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2")
    third = run_module("pbxsec.hardening.pbx_report", dict(
        dest=dest, results={"pbx1": worse}, baseline=str(junk), fail_on="regressions"))
    assert third.get("failed") is not True and third["fails_run"] is False
    assert third["drift"]["reason"] == "no baseline: %s is not JSON" % junk
    assert third["warnings"] == [third["drift"]["reason"]]
    never = run_module("pbxsec.hardening.pbx_report", dict(
        dest=dest, results={"pbx1": worse}, fail_on="never"))
    assert never["fails_run"] is False and never["compliant"] is False
