# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report as one self-contained HTML page: a summary, then a hosts x controls grid
coloured by status; a cell opens (``<details>``) to its findings and remediation.  No scripts,
no external assets; every text from hosts and files is HTML-escaped.  The report comes from
:func:`report_model.build`, so every status has a colour."""

from __future__ import annotations

from html import escape

COLOURS = {
    "pass": "#2e7d32", "fail": "#c62828", "error": "#6a1b9a", "manual": "#ef6c00",
    "waived": "#0277bd", "not_applicable": "#9e9e9e", "compliant": "#2e7d32",
    "noncompliant": "#c62828", "unreachable": "#424242", "failed": "#6a1b9a",
}
SHORT = {"pass": "pass", "fail": "FAIL", "error": "ERR", "manual": "man", "waived": "waiv",
         "not_applicable": "n/a"}
STYLE = """
body{font-family:sans-serif;margin:1em;color:#212121}
table{border-collapse:collapse;font-size:12px}
th,td{border:1px solid #ccc;padding:2px 4px;vertical-align:top}
th.c{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
td.s{color:#fff;min-width:3em}
td.s details{max-width:28em}
summary{cursor:pointer}
.badge{color:#fff;padding:1px 6px;border-radius:3px}
ul{margin:2px 0;padding-left:1.2em}
"""


def _badge(status):
    return '<span class="badge" style="background:%s">%s</span>' % (
        COLOURS.get(status, "#000"), escape(status))


def _finding(item):
    where = item.get("file") or ""
    if item.get("line"):
        where += ":%s" % item["line"]
    obj = " [%s]" % item["object"] if item.get("object") else ""
    return "<li>%s%s %s</li>" % (escape(where), escape(obj), escape(item.get("message") or ""))


def _cell(entry):
    body = "".join(_finding(item) for item in entry["findings"])
    return ('<td class="s" style="background:%s" title="%s"><details><summary>%s</summary>'
            '<div style="color:#212121;background:#fff;padding:4px"><b>%s</b> (%s)<ul>%s</ul>'
            '<i>%s</i></div></details></td>') % (
        COLOURS[entry["status"]], escape("%s: %s" % (entry["id"], entry["status"])),
        escape(SHORT[entry["status"]]), escape(entry["title"]), escape(entry["severity"]),
        body, escape(entry["remediation"]))


def _row(host, catalogue):
    head = '<tr class="host"><th style="text-align:left">%s<br>%s</th>' % (
        escape(host["name"]), _badge(host["status"]))
    if not host["controls"]:
        return head + '<td colspan="%d" style="background:%s;color:#fff">%s</td></tr>' % (
            len(catalogue), COLOURS[host["status"]], escape(host["reason"] or host["status"]))
    return head + "".join(_cell(entry) for entry in host["controls"]) + "</tr>"


def _counts(counts):
    return " ".join("%s %d" % (_badge(status), number) for status, number in counts.items())


def render(report):
    """The HTML page (bytes, UTF-8) of a fleet report."""
    catalogue = report["catalogue"]
    verdict = "compliant" if report["compliant"] else "noncompliant"
    header = "".join('<th class="c" title="%s">%s</th>' % (escape(c["title"]), escape(c["id"]))
                     for c in catalogue)
    rows = "".join(_row(host, catalogue) for host in report["hosts"])
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>PBX compliance audit</title><style>%s</style></head><body>"
        "<h1>PBX compliance audit</h1>"
        "<p>Generated %s. Fleet: %s</p>"
        "<p>Hosts: %s</p><p>Controls: %s</p>"
        '<table><thead><tr><th>Host</th>%s</tr></thead><tbody>%s</tbody></table>'
        "</body></html>\n") % (
        STYLE, escape(report.get("generated") or "-"), _badge(verdict),
        _counts(report["totals"]), _counts(report["control_totals"]), header, rows)
    return page.encode("utf-8")
