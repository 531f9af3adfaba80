# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report every renderer draws from: each host with its verdict (``compliant``,
``noncompliant``, ``unreachable`` or ``failed``), its controls and its counts, plus fleet totals.
Built from the ``pbx_compliance`` results the audit playbook collected."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import STATUSES

HOST_STATUSES = ("compliant", "noncompliant", "unreachable", "failed")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(host):
    """A file name for a host's report (no path separators, never hidden)."""
    return SAFE_NAME.sub("_", host).lstrip(".") or "_"


def sort_hosts(host_vars, result_var, reach_var):
    """``(results, unreachable, failed)`` for :func:`build`, from each host's variables.

    :param host_vars: ``[(host, variables), ...]``; ``variables`` is a mapping (a host's
        ``hostvars``).
    :param result_var: the variable the audit task registered: a host whose value has
        ``controls`` was audited (a value that is not a mapping counts as nothing registered).
    :param reach_var: the variable the audit's rescue registered (a shell command run after the
        audit failed): ``rc`` 0 means the host answers, so its audit failed (with the message of
        ``result_var``); any other host without a result is unreachable.
    """
    results, unreachable, failed = {}, [], {}
    for name, variables in host_vars:
        result = _mapping(variables.get(result_var))
        reach = _mapping(variables.get(reach_var))
        if "controls" in result:
            results[name] = result
        elif reach.get("rc") == 0:
            failed[name] = result.get("msg") or "the audit task failed"
        else:
            unreachable.append(name)
    return results, unreachable, failed


def _mapping(value):
    """``value`` when it is a mapping (a registered result), else an empty dict."""
    return value if isinstance(value, Mapping) else {}


def _host(name, result, reason):
    if result is None:
        status = "failed" if reason != "unreachable" else "unreachable"
        return dict(name=name, status=status, reason=reason, summary={}, controls=[])
    status = "compliant" if result.get("compliant") else "noncompliant"
    return dict(name=name, status=status, reason=None, summary=result.get("summary", {}),
                controls=result.get("controls", []))


def build(results, unreachable=(), failed=None, generated=None):
    """The fleet report.

    :param results: ``{host: pbx_compliance result}`` of the hosts that were audited.
    :param unreachable: hosts Ansible could not reach.
    :param failed: ``{host: message}`` of hosts whose audit task failed.
    :param generated: when (ISO 8601 text), shown in every format.
    """
    failed = failed or {}
    hosts = [_host(name, results[name], None) for name in sorted(results)]
    hosts += [_host(name, None, "unreachable") for name in sorted(set(unreachable) - set(results))]
    hosts += [_host(name, None, str(failed[name])) for name in sorted(failed)
              if name not in results and name not in unreachable]
    controls = dict((status, 0) for status in STATUSES)
    for host in hosts:
        for entry in host["controls"]:
            controls[entry["status"]] = controls.get(entry["status"], 0) + 1
    totals = dict((status, sum(1 for h in hosts if h["status"] == status))
                  for status in HOST_STATUSES)
    return dict(
        generated=generated,
        compliant=bool(hosts) and totals["compliant"] == len(hosts),
        totals=totals,
        control_totals=controls,
        catalogue=[dict(id=c.id, title=c.title, severity=c.severity) for c in CATALOGUE],
        hosts=hosts,
    )
