# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The reports of a fleet whose hosts send anything (issue 16, item 15): arbitrary host names
(control characters, lone surrogates, path separators, names that differ only in case) and
arbitrary results (valid ones, valid ones with one value replaced, a key removed or added, and
any JSON value at all).  Every format must come out well formed - JSON parses, the JUnit parses
as XML 1.0 with one suite per host, the HTML holds only the renderer's own tags and no input
text with a ``<`` in it - and the files written are distinct, inside the report directory, with
the documented modes."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_files,
    report_model,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    STATUSES,
    Outcome,
    apply_choices,
    finding,
    summarize,
)

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Characters that break one format or another, mixed into any Unicode text.
NASTY = st.sampled_from(["<", ">", "&", '"', "'", "]]>", "<script>", "/", "..", ".", "\x00",
                         "\x0c", "\x1b[31m", "\x9b", "\r", "\n", "\t", "\x85", "\u2028",
                         "\ud800", "\udfff", "\ufffe", "\uffff", "\U0001f4de", "-", "_"])
TEXT = st.lists(st.one_of(st.characters(), NASTY), max_size=12).map("".join)
NAMES = st.one_of(TEXT, st.sampled_from(["pbx/1", "pbx_1", "PBX_1", "..", ".", "", "pbx1",
                                         "pbx_1-" + "0" * 10, "x" * 300]))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6)
FINDINGS = st.builds(finding, st.none() | TEXT, st.none() | st.integers(0, 10 ** 6),
                     st.none() | TEXT, TEXT)
SAFE_STEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
HTML_TAGS = frozenset(("html", "head", "meta", "title", "style", "body", "h1", "p", "span",
                       "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "div",
                       "b", "i", "ul", "li", "br"))


@st.composite
def valid_results(draw):
    """A ``pbx_compliance`` result: every control with a status, some with findings, some
    remediations replaced by hostile text."""
    statuses = draw(st.lists(st.sampled_from(STATUSES), min_size=len(CATALOGUE),
                             max_size=len(CATALOGUE)))
    findings = draw(st.dictionaries(st.integers(0, len(CATALOGUE) - 1),
                                    st.lists(FINDINGS, max_size=3), max_size=4))
    outcomes = dict((control.id, Outcome(status, findings.get(index, ())))
                    for index, (control, status) in enumerate(zip(CATALOGUE, statuses)))
    entries = apply_choices(outcomes)
    for index, remediation in draw(st.dictionaries(st.integers(0, len(CATALOGUE) - 1), TEXT,
                                                   max_size=2)).items():
        entries[index]["remediation"] = remediation
    summary, compliant = summarize(entries)
    return dict(controls=entries, summary=summary, compliant=compliant, changed=False)


def _paths(value, prefix=()):
    """Every path (tuple of keys and indexes) into the dicts and lists of ``value``."""
    yield prefix
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from _paths(inner, prefix + (key,))


@st.composite
def broken_results(draw):
    """A valid result with one value replaced by any JSON value, one key removed or one added."""
    result = draw(valid_results())
    # Every path but the result itself (the empty one), which has no parent to change.
    path = draw(st.sampled_from(sorted((p for p in _paths(result) if p), key=repr)))
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    how = draw(st.sampled_from(("replace", "remove", "add")))
    if how == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    elif how == "remove":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][draw(TEXT)] = draw(JSON_VALUES)
    return result


FLEETS = st.fixed_dictionaries(dict(
    results=st.dictionaries(NAMES, st.one_of(valid_results(), broken_results(), JSON_VALUES),
                            max_size=4),
    unreachable=st.lists(NAMES, max_size=3),
    failed=st.dictionaries(NAMES, JSON_VALUES, max_size=3),
    generated=st.none() | TEXT,
))


class _Page(HTMLParser):
    """Tags, attributes and text of a page as a browser reads them."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tags, self.data, self.titles, self.other = [], [], [], []
        self.markup = 0         # start and end tags and declarations: each opens with a "<"

    def handle_starttag(self, tag, attrs):
        self.markup += 1
        self.tags.append(tag)
        self.titles += [value for name, value in attrs if name == "title"]

    def handle_endtag(self, tag):
        self.markup += 1

    def handle_decl(self, decl):
        self.markup += 1

    def handle_data(self, data):
        self.data.append(data)

    def handle_comment(self, data):
        self.other.append(data)

    handle_pi = handle_comment


def _input_texts(report):
    """Every text of the report that came from input."""
    yield report["generated"] or ""
    for host in report["hosts"]:
        yield host["name"]
        yield host["reason"] or ""
        for entry in host["controls"]:
            yield entry["remediation"]
            for item in entry["findings"]:
                yield from (item["file"] or "", item["object"] or "", item["message"])


def _check_json(report, files):
    assert json.loads(files["fleet.json"].decode("utf-8")) == report
    for host in report["hosts"]:
        assert json.loads(files[host["file"]].decode("utf-8"))["name"] == host["name"]


def _check_junit(report, page):
    suites = ET.fromstring(page).findall("testsuite")
    assert [suite.get("name") for suite in suites] == [host["name"] for host in report["hosts"]]
    assert all(len(suite.findall("testcase")) == len(CATALOGUE) for suite in suites)


def _check_html(report, page):
    text = page.decode("utf-8")
    parsed = _Page()
    parsed.feed(text)
    parsed.close()
    assert set(parsed.tags) <= HTML_TAGS and not parsed.other
    assert parsed.tags.count("tr") == len(report["hosts"]) + 1
    assert parsed.tags.count("li") == sum(len(entry["findings"]) for host in report["hosts"]
                                          for entry in host["controls"])
    for host in report["hosts"]:
        assert not host["name"] or host["name"] in parsed.data
        assert host["controls"] or host["reason"] in parsed.data
    assert parsed.titles == [control.title for control in CATALOGUE] + [
        "%s: %s" % (entry["id"], entry["status"]) for host in report["hosts"]
        for entry in host["controls"]]
    # Every "<" of the page opens the renderer's markup, and every input text reads back as text.
    assert text.count("<") == parsed.markup
    data = "".join(parsed.data)
    assert all(value in data for value in _input_texts(report))


def _check_written(dest, files):
    written, modes = set(), {}
    for base, dirs, names in os.walk(dest):
        for name in dirs + names:
            path = os.path.join(base, name)
            relative = os.path.relpath(path, dest)
            modes[relative] = stat.S_IMODE(os.lstat(path).st_mode)
            if name in names:
                written.add(relative)
    assert written == set(files)
    assert all(modes[name] == (0o750 if name == "hosts" else 0o640) for name in modes)


@SETTINGS
@given(FLEETS)
def test_every_format_well_formed_and_files_distinct_inside_the_report_dir(fleet):
    report = report_model.build(fleet["results"], fleet["unreachable"], fleet["failed"],
                                fleet["generated"])
    for host in report["hosts"]:
        assert host["status"] in report_model.HOST_STATUSES
        event("host %s%s" % (host["status"], " (invalid result)" if (host["reason"] or "")
                             .startswith("the audit result is invalid") else ""))
    files = report_files.planned_files(report, report_files.FORMATS)
    stems = [host["file"][len("hosts/"):-len(".json")] for host in report["hosts"]]
    assert all(host["file"] == "hosts/%s.json" % stem for host, stem in zip(report["hosts"], stems))
    assert all(SAFE_STEM.fullmatch(stem) and len(stem) <= 120 for stem in stems)
    assert len(set(stem.lower() for stem in stems)) == len(stems)
    _check_json(report, files)
    _check_junit(report, files["junit.xml"])
    _check_html(report, files["report.html"])
    old = os.umask(0o022)
    try:
        with tempfile.TemporaryDirectory() as root:
            dest = os.path.join(root, "reports")
            report_files.write_files(dest, files, False)
            assert os.listdir(root) == ["reports"]
            _check_written(dest, files)
    finally:
        os.umask(old)
