# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report as one self-contained HTML page: what changed since the baseline
(regressions first), a summary, then a hosts x controls grid coloured by status, with each host's
attack pressure beside its name; a cell opens (``<details>``) to its findings and remediation.
No scripts, no external assets; every text from hosts and files is HTML-escaped.  The report
comes from :func:`report_model.build` (its ``drift`` from :func:`report_drift.compare`), so
every status has a colour."""

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
td.p{white-space:nowrap}
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


def _count(value):
    return "?" if value is None else "%d" % value


def _pressure(pressure):
    """A host's attack pressure cell: counts, the top sources and notes on click."""
    if pressure is None:
        return '<td class="p">-</td>'
    if pressure["status"] == "unknown":
        return '<td class="p"><details><summary>unknown</summary>%s</details></td>' % escape(
            pressure["reason"] or "")
    counts = "auth %s &middot; unknown user %s &middot; bans %s (banned now %s)" % tuple(
        _count(pressure[key]) for key in ("failed_auth", "unknown_user", "bans", "banned_now"))
    sources = "".join("<li>%s: %d</li>" % (escape(item["address"]), item["attempts"])
                      for item in pressure["top_sources"])
    notes = "".join("<li><i>%s</i></li>" % escape(note) for note in pressure["notes"])
    return '<td class="p"><details><summary>%s</summary><ul>%s%s</ul></details></td>' % (
        counts, sources, notes)


def _row(host, catalogue):
    head = '<tr class="host"><th style="text-align:left">%s<br>%s</th>%s' % (
        escape(host["name"]), _badge(host["status"]), _pressure(host.get("pressure")))
    if not host["controls"]:
        return head + '<td colspan="%d" style="background:%s;color:#fff">%s</td></tr>' % (
            len(catalogue), COLOURS[host["status"]], escape(host["reason"] or host["status"]))
    return head + "".join(_cell(entry) for entry in host["controls"]) + "</tr>"


def _counts(counts):
    return " ".join("%s %d" % (_badge(status), number) for status, number in counts.items())


def _changes(title, items):
    if not items:
        return ""
    rows = "".join("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s &rarr; %s</td></tr>" % (
        escape(item["host"]), escape(item["control"]), escape(item["title"]),
        escape(item["severity"]), _badge(item["before"]), _badge(item["after"]))
        for item in items)
    return ("<h3>%s (%d)</h3><table><thead><tr><th>Host</th><th>Control</th><th>Title</th>"
            "<th>Severity</th><th>Status</th></tr></thead><tbody>%s</tbody></table>") % (
        title, len(items), rows)


def _hosts(title, names):
    if not names:
        return ""
    return "<p>%s: %s</p>" % (title, ", ".join(escape(name) for name in names))


def _drift(drift):
    """What changed since the baseline: regressions first."""
    if drift is None:
        return ""
    if drift["baseline"] is None:
        return '<p class="drift">Since the last audit: <i>%s</i></p>' % escape(drift["reason"] or "")
    unjudged = "".join("<li>%s: %s &rarr; %s (%s)</li>" % (
        escape(item["host"]), _badge(item["before"]), _badge(item["after"]),
        escape(item["reason"] or "")) for item in drift["unjudged"])
    return '<div class="drift"><h2>Since the last audit (%s)</h2>%s%s%s%s%s</div>' % (
        escape(drift["baseline"]["generated"] or "baseline of unknown date"),
        _changes("Regressions", drift["regressions"]) or "<p>No regression.</p>",
        "<h3>Judged before, not now (%d)</h3><ul>%s</ul>" % (len(drift["unjudged"]), unjudged)
        if unjudged else "",
        _changes("Improvements", drift["improvements"]),
        _hosts("Hosts added", drift["added"]), _hosts("Hosts gone", drift["gone"]))


def _pressure_header(hosts):
    hours = sorted(set(host["pressure"]["hours"] for host in hosts
                       if host.get("pressure") and host["pressure"]["hours"]))
    return "Attack pressure%s" % (" (%s h)" % ", ".join("%d" % h for h in hours) if hours else "")


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
        "<h1>PBX compliance audit</h1>%s"
        "<p>Generated %s. Fleet: %s</p>"
        "<p>Hosts: %s</p><p>Controls: %s</p>"
        '<table><thead><tr><th>Host</th><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>'
        "</body></html>\n") % (
        STYLE, _drift(report.get("drift")), escape(report.get("generated") or "-"),
        _badge(verdict), _counts(report["totals"]), _counts(report["control_totals"]),
        escape(_pressure_header(report["hosts"])), header, rows)
    return page.encode("utf-8")
