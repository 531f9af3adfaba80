# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one control check returns (:class:`Outcome`), and how the outcomes of a host become the
module result: operator choices (controls, skip, waivers, attestations) applied, one entry per
catalogue control, counts per status and the compliance verdict.

A finding names a file, a line and an object; its message never holds a secret or a PIN.  A
latent finding is information, not a failure: something Asterisk does not run now (reach through
guests that are refused, a module that is not loaded) would be open if that changed.  It never
fails a control, and an object waiver need not cover it.  The module result keeps the four keys
of a finding: a latent one says so at the start of its message ("Latent, not reachable now")."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    CATALOGUE,
)

STATUSES = ("pass", "fail", "not_applicable", "waived", "manual", "error")
WAIVABLE = ("fail", "manual", "error")


def finding(file, line, obj, message, latent=False):
    """A finding dict (``file`` and ``line`` may be None when no line is to blame); a latent one
    is marked ``latent`` until :func:`apply_choices` writes the result."""
    item = dict(file=file, line=line, object=obj, message=message)
    if latent:
        item["latent"] = True
    return item


def is_open(item):
    """Whether a finding counts against its control (it is not latent)."""
    return not item.get("latent")


def _published(item):
    """A finding as the module result has it: without the ``latent`` and ``backend`` marks."""
    return dict((key, value) for key, value in item.items() if key not in ("latent", "backend"))


class Outcome:
    """The status of one control on one host, and why."""

    __slots__ = ("status", "findings")

    def __init__(self, status, findings=()):
        if status not in STATUSES:
            raise ValueError("unknown status %r" % status)
        self.status = status
        self.findings = list(findings)

    @classmethod
    def judged(cls, findings):
        """``fail`` with the findings, ``pass`` when there are none but latent ones."""
        return cls("fail" if any(is_open(item) for item in findings) else "pass", findings)

    @classmethod
    def not_applicable(cls, why, file=None):
        return cls("not_applicable", [finding(file, None, None, why)])

    @classmethod
    def manual(cls, findings):
        return cls("manual", findings)

    @classmethod
    def error(cls, exc):
        """``error`` naming where an :class:`AsteriskConfigError` (or an OSError) happened."""
        path = getattr(exc, "path", None) or getattr(exc, "filename", None)
        line = getattr(exc, "line", None)
        return cls("error", [finding(path, line, None, "cannot be judged: %s" % exc)])


def _entry(control, outcome):
    return dict(id=control.id, title=control.title, severity=control.severity,
                status=outcome.status, findings=[_published(item) for item in outcome.findings],
                remediation=control.remediation)


def waive_objects(outcome, reasons):
    """``outcome`` with the findings of the objects in ``reasons`` (``{object: reason}``) marked
    waived; ``waived`` when no other finding is left, else the status is kept."""
    if outcome.status not in WAIVABLE or not reasons:
        return outcome
    findings, open_findings = [], 0
    for item in outcome.findings:
        reason = reasons.get(item["object"]) if item["object"] is not None else None
        if reason:
            item = dict(item, message="%s (waived for %s: %s)" % (item["message"],
                                                                  item["object"], reason))
        elif is_open(item):
            open_findings += 1
        findings.append(item)
    return Outcome("waived" if findings and not open_findings else outcome.status, findings)


def apply_choices(outcomes, only=None, skip=(), waivers=None, attest=None, object_waivers=None):
    """The ``controls`` list of the module result, in catalogue order.

    :param outcomes: ``{control ID: Outcome}`` of the checks that ran.
    :param only: when given, controls outside it are reported not applicable ("not selected").
    :param skip: controls reported not applicable ("skipped by the operator").
    :param waivers: ``{ID: reason}``: a failed, manual or errored control becomes ``waived``
        (its findings are kept, the reason is added); a passing one stays ``pass``.
    :param attest: ``{ID: who/when}``: a ``manual`` control the operator attests becomes
        ``pass``.
    :param object_waivers: ``{ID: {object: reason}}``: the findings of these objects are accepted;
        a failed, manual or errored control whose findings are all accepted becomes ``waived``.
    """
    waivers = waivers or {}
    attest = attest or {}
    object_waivers = object_waivers or {}
    entries = []
    for control in CATALOGUE:
        if only and control.id not in only:
            outcome = Outcome.not_applicable("not selected (controls option)")
        elif control.id in skip:
            outcome = Outcome.not_applicable("skipped by the operator (skip option)")
        else:
            outcome = outcomes[control.id]
        if outcome.status == "manual" and attest.get(control.id):
            outcome = Outcome("pass", outcome.findings + [
                finding(None, None, None, "attested: %s" % attest[control.id])])
        outcome = waive_objects(outcome, object_waivers.get(control.id))
        if outcome.status in WAIVABLE and waivers.get(control.id):
            outcome = Outcome("waived", outcome.findings + [
                finding(None, None, None, "waived: %s" % waivers[control.id])])
        entries.append(_entry(control, outcome))
    return entries


def summarize(entries):
    """``(counts per status, compliant)``: compliant means no ``fail`` and no ``error``."""
    counts = dict((status, 0) for status in STATUSES)
    for entry in entries:
        counts[entry["status"]] += 1
    return counts, counts["fail"] == 0 and counts["error"] == 0
