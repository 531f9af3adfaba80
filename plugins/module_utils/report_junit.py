# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report as JUnit XML for CI systems: one ``testsuite`` per host, one ``testcase`` per
control (classname = host, name = control ID).  ``fail`` is a failure, ``error`` an error,
``not_applicable``/``waived``/``manual`` are skipped (with the reason); an unreachable or failed
host gets an error in every test case.

When the report was compared with a baseline, a last ``testsuite`` named ``drift`` has one
failing ``testcase`` per regression (classname = host, name = ``<control ID> regressed``) and per
host the baseline judged that could not be judged now (name ``audit``); no failure there means
nothing regressed.

The report comes from :func:`report_model.build`: its texts hold only characters XML 1.0
allows, and ElementTree escapes markup (``&``, ``<``, ``>``, quotes, line breaks in
attributes), so host-sent text stays text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

FAILURE = ("fail",)
ERROR = ("error",)
SKIPPED = ("not_applicable", "waived", "manual")


def _text(findings):
    return "\n".join("%s%s%s: %s" % (f.get("file") or "", ":%s" % f["line"] if f.get("line") else "",
                                     " [%s]" % f["object"] if f.get("object") else "",
                                     f.get("message") or "") for f in findings)


def _case(suite, host, control_id):
    return ET.SubElement(suite, "testcase", classname=host, name=control_id, time="0")


def _drift_suite(root, drift, generated):
    suite = ET.SubElement(root, "testsuite", name="drift")
    for item in drift["regressions"]:
        case = _case(suite, item["host"], "%s regressed" % item["control"])
        ET.SubElement(case, "failure", message="%s -> %s: %s" % (
            item["before"], item["after"], item["title"]), type=item["severity"])
    for item in drift["unjudged"]:
        case = _case(suite, item["host"], "audit")
        ET.SubElement(case, "failure", message="%s -> %s: %s" % (
            item["before"], item["after"], item["reason"] or "not judged"))
    failures = len(drift["regressions"]) + len(drift["unjudged"])
    for key, value in (("tests", failures), ("failures", failures), ("errors", 0),
                       ("skipped", 0)):
        suite.set(key, str(value))
    if generated:
        suite.set("timestamp", generated)


def render(report):
    """JUnit XML (bytes, UTF-8) of a fleet report."""
    root = ET.Element("testsuites", name="pbxsec.hardening compliance audit")
    for host in report["hosts"]:
        suite = ET.SubElement(root, "testsuite", name=host["name"])
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        if host["controls"]:
            for entry in host["controls"]:
                case = _case(suite, host["name"], entry["id"])
                counts["tests"] += 1
                message = "%s: %s" % (entry["status"], entry["title"])
                if entry["status"] in FAILURE:
                    ET.SubElement(case, "failure", message=message, type=entry["severity"]).text = \
                        _text(entry["findings"]) + "\nRemediation: " + entry["remediation"]
                    counts["failures"] += 1
                elif entry["status"] in ERROR:
                    ET.SubElement(case, "error", message=message).text = _text(entry["findings"])
                    counts["errors"] += 1
                elif entry["status"] in SKIPPED:
                    ET.SubElement(case, "skipped", message=message).text = _text(entry["findings"])
                    counts["skipped"] += 1
        else:
            for control in report["catalogue"]:
                case = _case(suite, host["name"], control["id"])
                ET.SubElement(case, "error", message="%s: %s" % (host["status"], host["reason"]))
                counts["tests"] += 1
                counts["errors"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
        if report.get("generated"):
            suite.set("timestamp", report["generated"])
    drift = report.get("drift")
    if drift and drift["baseline"] is not None:
        _drift_suite(root, drift, report.get("generated"))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
