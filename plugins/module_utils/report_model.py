# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report every renderer draws from: each host with its verdict (``compliant``,
``noncompliant``, ``unreachable`` or ``failed``), its controls and its counts, plus fleet totals.
Built from the ``pbx_compliance`` results the audit playbook collected.

A host's result is untrusted input (whoever controls the host controls what it returns), so
:func:`build` checks it before anything is drawn from it: exactly one entry per catalogue control,
known keys, known statuses, the types ``pbx_compliance`` returns.  A result that fails makes the
host ``failed``, with a reason that says where the result is wrong, never what it holds.  Counts
and the verdict are computed here from the controls; titles and severities come from the
controller's catalogue.  Every text is bounded (:data:`LIMITS`, :data:`MAX_FINDINGS` per control)
and holds only characters every format can carry (:func:`text`).  Every host gets a distinct,
safe file name (:func:`file_stem`).  A host's attack ``pressure`` is checked too
(:func:`checked_pressure`): an invalid one is ``unknown`` saying where, and the controls are
judged all the same.  :func:`checked_statuses` checks control entries of a baseline report the
same way (report_drift), and :func:`fails_run` is the verdict of the run."""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import re
from collections.abc import Mapping

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    BY_ID,
    CATALOGUE,
    PROBE_CONTROL_IDS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    STATUSES,
    finding,
    summarize,
)

HOST_STATUSES = ("compliant", "noncompliant", "unreachable", "failed")
FAIL_ON = ("noncompliant", "regressions", "never")
ENTRY_KEYS = frozenset(("id", "title", "severity", "status", "findings", "remediation"))
FINDING_KEYS = frozenset(("file", "line", "object", "message"))
# Characters kept at most per text; longer texts are cut and say how much was cut.
LIMITS = dict(name=255, file=1024, object=256, message=1024, remediation=2048, reason=1024,
              generated=64)
MAX_FINDINGS = 200          # per control; the rest are counted in a last finding
MAX_LINE = 2 ** 31
# Not allowed in XML 1.0 (C0 controls but tab, newline and carriage return; lone surrogates;
# U+FFFE, U+FFFF), or steering a terminal (DEL, C1 controls).  One character class: linear.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
PLAIN_FILE_STEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,79}")
UNSAFE_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILE_STEM = 80
CONTROL_IDS = frozenset(control.id for control in CATALOGUE)
PRESSURE_STATUSES = ("counted", "unknown")
PRESSURE_COUNTS = ("failed_auth", "unknown_user", "bans", "banned_now")
PRESSURE_KEYS = frozenset(("status", "reason", "hours", "since", "log", "top_sources", "notes")
                          + PRESSURE_COUNTS)
SOURCE_KEYS = frozenset(("address", "attempts"))
MAX_COUNT = 2 ** 53
MAX_SOURCES = 5
MAX_NOTES = 10
FAILING = ("fail", "error")


class InvalidResult(ValueError):
    """A host result that is not shaped like a ``pbx_compliance`` result.  The message says
    where (``controls[3].findings[0].line``) and what was expected, never the value found."""


def text(value, limit):
    """``value`` as report text: cut after ``limit`` characters (saying how many were cut), and
    every character that is not allowed in XML 1.0 or that steers a terminal replaced by U+FFFD."""
    if len(value) > limit:
        value = "%s... (%d more characters)" % (value[:limit], len(value) - limit)
    return UNPRINTABLE.sub("\ufffd", value)


def _kind(value):
    """The JSON kind of ``value``, to name it in a message without echoing it."""
    for kind, types in (("null", type(None)), ("boolean", bool), ("number", (int, float)),
                        ("text", str), ("mapping", Mapping), ("list", (list, tuple))):
        if isinstance(value, types):
            return kind
    return "another type"


def expect(condition, where, what):
    """Raise :class:`InvalidResult` ("``where``: ``what``") unless ``condition``."""
    if not condition:
        raise InvalidResult("%s: %s" % (where, what))


def _text_or_null(value, where, limit):
    expect(value is None or isinstance(value, str), where,
           "expected text or null, got %s" % _kind(value))
    return None if value is None else text(value, limit)


def _line(value, where):
    expect(value is None or (isinstance(value, int) and not isinstance(value, bool)
                             and 0 <= value < MAX_LINE),
           where, "expected a line number or null, got %s" % _kind(value))
    return value


def _keys(item, keys, where):
    expect(isinstance(item, Mapping), where, "expected a mapping, got %s" % _kind(item))
    expect(set(item) == keys, where, "expected exactly the keys %s" % ", ".join(sorted(keys)))


def _finding(item, where):
    _keys(item, FINDING_KEYS, where)
    expect(isinstance(item["message"], str), where + ".message",
           "expected text, got %s" % _kind(item["message"]))
    return finding(_text_or_null(item["file"], where + ".file", LIMITS["file"]),
                   _line(item["line"], where + ".line"),
                   _text_or_null(item["object"], where + ".object", LIMITS["object"]),
                   text(item["message"], LIMITS["message"]))


def _findings(items, where):
    """The first :data:`MAX_FINDINGS` findings checked and kept; the others counted in a last
    finding (so a host that sends millions costs no more than one that sends the maximum)."""
    expect(isinstance(items, (list, tuple)), where, "expected a list, got %s" % _kind(items))
    kept = [_finding(item, "%s[%d]" % (where, index))
            for index, item in enumerate(items[:MAX_FINDINGS])]
    if len(items) > MAX_FINDINGS:
        kept.append(finding(None, None, None, "... and %d more findings, not shown (at most %d "
                            "per control)" % (len(items) - MAX_FINDINGS, MAX_FINDINGS)))
    return kept


def _entry(control, item, where):
    for key in ("title", "severity", "remediation"):
        expect(isinstance(item[key], str), "%s.%s" % (where, key),
               "expected text, got %s" % _kind(item[key]))
    return dict(id=control.id, title=control.title, severity=control.severity,
                status=item["status"], findings=_findings(item["findings"], where + ".findings"),
                remediation=text(item["remediation"], LIMITS["remediation"]))


def checked_controls(result):
    """The ``controls`` of a ``pbx_compliance`` result, checked and bounded, in catalogue order.

    Raises :class:`InvalidResult` unless ``result`` is a mapping whose ``controls`` is a list of
    one entry per catalogue control, each with exactly the keys of an entry, a known status and
    findings with exactly the keys of a finding, of the types ``pbx_compliance`` returns.
    Other keys of ``result`` (those Ansible adds) are ignored.
    """
    expect(isinstance(result, Mapping), "result", "expected a mapping, got %s" % _kind(result))
    items = result.get("controls")
    expect(isinstance(items, (list, tuple)), "controls", "expected a list, got %s" % _kind(items))
    expect(len(items) == len(CATALOGUE), "controls", "expected %d entries (one per catalogue "
           "control), got %d" % (len(CATALOGUE), len(items)))
    by_id = _entries_by_id(items, "controls")
    return [_entry(control, *by_id[control.id]) for control in CATALOGUE]


def _entries_by_id(items, where):
    """``{control ID: (entry, where)}`` of a list of control entries, each with exactly the keys
    of an entry, a catalogue control ID (once) and a known status."""
    by_id = {}
    for index, item in enumerate(items):
        here = "%s[%d]" % (where, index)
        _keys(item, ENTRY_KEYS, here)
        expect(isinstance(item["id"], str) and item["id"] in CONTROL_IDS, here + ".id",
               "not a control of the catalogue")
        expect(item["id"] not in by_id, here + ".id", "%s repeated" % item["id"])
        expect(isinstance(item["status"], str) and item["status"] in STATUSES,
               here + ".status", "not one of %s" % ", ".join(STATUSES))
        by_id[item["id"]] = (item, here)
    return by_id


def checked_statuses(items, where):
    """``{control ID: status}`` of a list of control entries checked as :func:`checked_controls`
    checks them, but any subset of the catalogue (a report of an older catalogue).  Raises
    :class:`InvalidResult`."""
    expect(isinstance(items, (list, tuple)), where, "expected a list, got %s" % _kind(items))
    return dict((control, item["status"])
                for control, (item, dummy) in _entries_by_id(items, where).items())


def _count(value, where):
    expect(value is None or (isinstance(value, int) and not isinstance(value, bool)
                             and 0 <= value < MAX_COUNT),
           where, "expected a count or null, got %s" % _kind(value))
    return value


def _source(item, where):
    _keys(item, SOURCE_KEYS, where)
    address = item["address"]
    expect(isinstance(address, str) and len(address) <= 45, where + ".address",
           "expected an IP address")
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        expect(False, where + ".address", "expected an IP address")
    return dict(address=address, attempts=_count(item["attempts"], where + ".attempts"))


def _checked_pressure(value):
    _keys(value, PRESSURE_KEYS, "pressure")
    expect(value["status"] in PRESSURE_STATUSES, "pressure.status",
           "not one of %s" % ", ".join(PRESSURE_STATUSES))
    for key in ("hours",) + PRESSURE_COUNTS:
        _count(value[key], "pressure." + key)
    sources, notes = value["top_sources"], value["notes"]
    expect(isinstance(sources, (list, tuple)) and len(sources) <= MAX_SOURCES,
           "pressure.top_sources", "expected a list of at most %d" % MAX_SOURCES)
    expect(isinstance(notes, (list, tuple)) and len(notes) <= MAX_NOTES, "pressure.notes",
           "expected a list of at most %d" % MAX_NOTES)
    for index, note in enumerate(notes):
        expect(isinstance(note, str), "pressure.notes[%d]" % index,
               "expected text, got %s" % _kind(note))
    checked = dict((key, value[key]) for key in ("status", "hours") + PRESSURE_COUNTS)
    checked.update(
        reason=_text_or_null(value["reason"], "pressure.reason", LIMITS["reason"]),
        since=_text_or_null(value["since"], "pressure.since", LIMITS["generated"]),
        log=_text_or_null(value["log"], "pressure.log", LIMITS["file"]),
        top_sources=[_source(item, "pressure.top_sources[%d]" % index)
                     for index, item in enumerate(sources)],
        notes=[text(note, LIMITS["message"]) for note in notes])
    return checked


def checked_pressure(value):
    """The ``pressure`` of a ``pbx_compliance`` result, checked and bounded: None when the host
    sent none (not gathered); ``status`` ``unknown`` with a reason that says where when it is
    not shaped as ``pbx_compliance`` returns it (the controls are judged all the same)."""
    if value is None:
        return None
    try:
        return _checked_pressure(value)
    except InvalidResult as exc:
        unknown = dict((key, None) for key in PRESSURE_KEYS)
        unknown.update(status="unknown", reason="the pressure in the result is invalid: %s" % exc,
                       top_sources=[], notes=[])
        return unknown


def _probe_failed(probe):
    """The PBX-PRB entries of a probe task that failed or could not reach its probe host."""
    message = probe.get("msg")
    why = "the probe failed: %s" % (message if isinstance(message, str) else "no message")
    return dict((control, dict(id=control, title=BY_ID[control].title,
                               severity=BY_ID[control].severity, status="error",
                               findings=[finding(None, None, None, why)],
                               remediation=BY_ID[control].remediation))
                for control in PROBE_CONTROL_IDS)


def merged_probe(result, probe):
    """``result`` (a ``pbx_compliance`` result) with its PBX-PRB entries replaced by those of
    ``probe`` (the ``pbx_probe`` result of the same host; the first entry of each ID counts, other
    IDs are ignored), or by ``error`` entries when the probe task failed.  Without a probe (not a
    mapping, or a skipped task) ``result`` is returned as it is; nothing is checked here:
    :func:`checked_controls` checks the merged result as any other."""
    probe = _mapping(probe)
    controls = result.get("controls")
    if not isinstance(controls, (list, tuple)) or probe.get("skipped") or not probe:
        return result
    probe_controls = probe.get("controls")
    if isinstance(probe_controls, (list, tuple)):
        by_id = {}
        for item in probe_controls:
            if isinstance(item, Mapping) and item.get("id") in PROBE_CONTROL_IDS:
                by_id.setdefault(item["id"], item)
    elif probe.get("failed") or probe.get("unreachable"):
        by_id = _probe_failed(probe)
    else:
        return result
    merged = dict(result)
    merged["controls"] = [by_id.get(item.get("id"), item) if isinstance(item, Mapping) else item
                          for item in controls]
    return merged


def sort_hosts(host_vars, result_var, reach_var, probe_var=None):
    """``(results, unreachable, failed)`` for :func:`build`, from each host's variables.

    :param host_vars: ``[(host, variables), ...]``; ``variables`` is a mapping (a host's
        ``hostvars``).
    :param result_var: the variable the audit task registered: a host whose value has
        ``controls`` was audited (a value that is not a mapping counts as nothing registered).
    :param reach_var: the variable the audit's rescue registered (a shell command run after the
        audit failed): ``rc`` 0 means the host answers, so its audit failed (with the message of
        ``result_var``); any other host without a result is unreachable.
    :param probe_var: the variable the ``pbx_probe`` task registered, merged into the host's
        result (:func:`merged_probe`); None for no probe.
    """
    results, unreachable, failed = {}, [], {}
    for name, variables in host_vars:
        result = _mapping(variables.get(result_var))
        reach = _mapping(variables.get(reach_var))
        if "controls" in result:
            results[name] = merged_probe(result, variables.get(probe_var)) if probe_var \
                else result
        elif reach.get("rc") == 0:
            failed[name] = result.get("msg") or "the audit task failed"
        else:
            unreachable.append(name)
    return results, unreachable, failed


def _mapping(value):
    """``value`` when it is a mapping (a registered result), else an empty dict."""
    return value if isinstance(value, Mapping) else {}


def _short_hash(name):
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def file_stem(name):
    """The file name (without ``.json``) of a host's report: the name itself when it is a plain
    file name (letters, digits, ``._-``, not starting with a dot or dash, at most
    :data:`MAX_FILE_STEM` characters); otherwise its safe characters plus a short hash of the
    whole name (so that ``pbx/1`` and ``pbx_1`` differ), cut to that length too."""
    if PLAIN_FILE_STEM.fullmatch(name):
        return name
    digest = _short_hash(name)
    readable = UNSAFE_FILE_CHARACTERS.sub("_", name).lstrip("._-")
    return "%s-%s" % (readable[:MAX_FILE_STEM - len(digest) - 1] or "host", digest)


def _unused_stem(name, taken):
    """:func:`file_stem` of ``name``, or when another host has it already (also in another
    letter case, for case-insensitive file systems) that stem with the hash, then a counter."""
    stem = file_stem(name)
    candidates = itertools.chain((stem, "%s-%s" % (stem, _short_hash(name))),
                                 ("%s-%d" % (stem, number) for number in itertools.count(2)))
    chosen = next(candidate for candidate in candidates if candidate.lower() not in taken)
    taken.add(chosen.lower())
    return chosen


def _unjudged_host(name, status, reason):
    return dict(name=name, status=status, reason=reason, summary={}, controls=[], pressure=None)


def _audited_host(name, result):
    try:
        controls = checked_controls(result)
    except InvalidResult as exc:
        return _unjudged_host(name, "failed", "the audit result is invalid: %s" % exc)
    summary, compliant = summarize(controls)
    return dict(name=name, status="compliant" if compliant else "noncompliant", reason=None,
                summary=summary, controls=controls,
                pressure=checked_pressure(result.get("pressure")))


def _failure_reason(message):
    if not isinstance(message, str):
        return "the audit task failed (its message is %s, not text)" % _kind(message)
    return text(message, LIMITS["reason"]) or "the audit task failed"


def build(results, unreachable=(), failed=None, generated=None):
    """The fleet report.

    :param results: ``{host: pbx_compliance result}`` of the hosts that were audited.
    :param unreachable: hosts Ansible could not reach.
    :param failed: ``{host: message}`` of hosts whose audit task failed.
    :param generated: when (ISO 8601 text), shown in every format.

    Each host has ``name`` (bounded, printable), ``status``, ``reason`` (unreachable or failed
    hosts), ``summary``, ``controls`` and ``file``: its JSON report, relative to the report
    directory, distinct from every other host's.
    """
    results = dict((str(name), result) for name, result in results.items())
    unreachable = set(str(name) for name in unreachable) - set(results)
    failed = dict((str(name), message) for name, message in (failed or {}).items()
                  if str(name) not in results and str(name) not in unreachable)
    hosts = [(name, _audited_host(text(name, LIMITS["name"]), results[name]))
             for name in sorted(results)]
    hosts += [(name, _unjudged_host(text(name, LIMITS["name"]), "unreachable", "unreachable"))
              for name in sorted(unreachable)]
    hosts += [(name, _unjudged_host(text(name, LIMITS["name"]), "failed",
                                    _failure_reason(failed[name])))
              for name in sorted(failed)]
    taken = set()
    for name, host in hosts:
        host["file"] = "hosts/%s.json" % _unused_stem(name, taken)
    hosts = [host for dummy, host in hosts]
    controls = dict((status, 0) for status in STATUSES)
    for host in hosts:
        for entry in host["controls"]:
            controls[entry["status"]] += 1
    totals = dict((status, sum(1 for h in hosts if h["status"] == status))
                  for status in HOST_STATUSES)
    return dict(
        generated=None if generated is None else text(generated, LIMITS["generated"]),
        compliant=bool(hosts) and totals["compliant"] == len(hosts),
        totals=totals,
        control_totals=controls,
        catalogue=[dict(id=c.id, title=c.title, severity=c.severity) for c in CATALOGUE],
        hosts=hosts,
    )


def fails_run(report, fail_on):
    """Whether the audit run fails: ``noncompliant`` when a host is not compliant (or
    unreachable, failed, or there is no host); ``regressions`` when the report's ``drift`` has a
    regression or a host judged in the baseline that could not be judged now; ``never``."""
    if fail_on == "noncompliant":
        return not report["compliant"]
    if fail_on == "regressions":
        drift = report.get("drift") or {}
        return bool(drift.get("regressions") or drift.get("unjudged"))
    if fail_on == "never":
        return False
    raise ValueError("fail_on must be one of %s" % ", ".join(FAIL_ON))
