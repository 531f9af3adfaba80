# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Drift between two audits: what changed on each host since a baseline, a ``fleet.json`` of an
earlier run.

A control *regressed* when it was not failing (``pass``, ``not_applicable``, ``waived``,
``manual``) and is failing now (``fail``, ``error``); it *improved* the other way round.  A host
*could not be judged* now when the baseline judged it and this audit could not (unreachable,
failed): whatever it hides, it is not a pass.  Hosts are *added* or *gone* when only one side has
them.

The baseline holds what hosts sent (names, messages), so it is checked like a host result
(:func:`report_model.checked_statuses`) and only names and statuses are taken from it.  A file
that is missing, too big, not JSON or not a fleet report gives no baseline, with the reason,
never an exception."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping

from ansible_collections.pbxsec.hardening.plugins.module_utils.report_model import (
    FAILING,
    HOST_STATUSES,
    LIMITS,
    InvalidResult,
    checked_statuses,
    expect,
    text,
)

MAX_BASELINE_BYTES = 256 * 1024 * 1024
JUDGED = ("compliant", "noncompliant")


class Unusable(Exception):
    """A baseline file that is not read at all (what it is, as the end of a sentence)."""


def _read(path):
    """The bytes of the regular file ``path``, at most :data:`MAX_BASELINE_BYTES` (links
    followed: the operator names the file).  Raises OSError or :class:`Unusable`."""
    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Unusable("is not a regular file")
        data = handle.read(MAX_BASELINE_BYTES + 1)
    if len(data) > MAX_BASELINE_BYTES:
        raise Unusable("is bigger than %d MiB" % (MAX_BASELINE_BYTES // 2 ** 20))
    return data


def _host(item, where):
    expect(isinstance(item, Mapping), where, "expected a mapping")
    expect(isinstance(item.get("name"), str), where + ".name", "expected text")
    expect(item.get("status") in HOST_STATUSES, where + ".status",
           "not one of %s" % ", ".join(HOST_STATUSES))
    return text(item["name"], LIMITS["name"]), dict(
        status=item["status"], controls=checked_statuses(item.get("controls"),
                                                         where + ".controls"))


def checked_baseline(document):
    """``{"generated": text or None, "hosts": {name: {"status", "controls": {ID: status}}}}``
    of a fleet report document.  Raises :class:`InvalidResult` saying where it is wrong."""
    expect(isinstance(document, Mapping), "baseline", "expected a mapping")
    items = document.get("hosts")
    expect(isinstance(items, (list, tuple)), "hosts", "expected a list")
    generated = document.get("generated")
    expect(generated is None or isinstance(generated, str), "generated", "expected text")
    hosts = {}
    for index, item in enumerate(items):
        name, host = _host(item, "hosts[%d]" % index)
        expect(name not in hosts, "hosts[%d].name" % index, "repeated")
        hosts[name] = host
    return dict(generated=None if generated is None else text(generated, LIMITS["generated"]),
                hosts=hosts)


def read_baseline(path):
    """``(baseline, reason)``: the checked baseline of the fleet report at ``path`` and None, or
    None and why there is none."""
    try:
        document = json.loads(_read(path).decode("utf-8"))
    except FileNotFoundError:
        return None, "no baseline: %s does not exist (no earlier audit there)" % path
    except OSError as exc:
        return None, "no baseline: %s cannot be read (%s)" % (path, exc.strerror or exc)
    except Unusable as exc:
        return None, "no baseline: %s %s" % (path, exc)
    except (ValueError, RecursionError):      # UnicodeDecodeError is a ValueError
        return None, "no baseline: %s is not JSON" % path
    try:
        return checked_baseline(document), None
    except InvalidResult as exc:
        return None, "no baseline: %s is not a fleet report of this collection (%s)" % (path, exc)


def _change(host, entry, before):
    return dict(host=host, control=entry["id"], title=entry["title"], severity=entry["severity"],
                before=before, after=entry["status"])


def _compare_controls(host, previous, drift):
    for entry in host["controls"]:
        before = previous["controls"].get(entry["id"])
        if before is None or (before in FAILING) == (entry["status"] in FAILING):
            continue
        key = "regressions" if entry["status"] in FAILING else "improvements"
        drift[key].append(_change(host["name"], entry, before))


def compare(report, baseline, reason=None, source=None):
    """The ``drift`` section of ``report`` against ``baseline`` (from :func:`read_baseline`;
    None: no baseline, ``reason`` says why).  ``source`` names the baseline file."""
    drift = dict(baseline=None, reason=reason, regressions=[], improvements=[], unjudged=[],
                 added=[], gone=[])
    if baseline is None:
        return drift
    drift["baseline"] = dict(file=source, generated=baseline["generated"])
    before = baseline["hosts"]
    for host in report["hosts"]:
        previous = before.get(host["name"])
        if previous is None:
            drift["added"].append(host["name"])
        elif host["controls"]:
            _compare_controls(host, previous, drift)
        elif previous["status"] in JUDGED:
            drift["unjudged"].append(dict(host=host["name"], before=previous["status"],
                                          after=host["status"], reason=host["reason"]))
    now = set(host["name"] for host in report["hosts"])
    drift["gone"] = sorted(name for name in before if name not in now)
    return drift


def regressed(drift):
    """One line per regression and per host that could not be judged now, for a message."""
    if not drift:
        return []
    return ["%s %s (%s -> %s)" % (item["host"], item["control"], item["before"], item["after"])
            for item in drift["regressions"]] + \
        ["%s (%s -> %s)" % (item["host"], item["before"], item["after"])
         for item in drift["unjudged"]]
