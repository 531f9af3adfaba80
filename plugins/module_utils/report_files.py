# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report files of a fleet audit and how they reach the disk: what ``pbx_report`` takes, the
files it plans (relative path to bytes), and a write that changes a file only when its content
differs (atomically, mode 0644)."""

from __future__ import annotations

import os
import tempfile

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_html,
    report_json,
    report_junit,
    report_model,
)

FORMATS = ("json", "junit", "html")
ARGUMENT_SPEC = dict(
    dest=dict(type="path", required=True),
    results=dict(type="dict", default={}),
    unreachable=dict(type="list", elements="str", default=[]),
    failed=dict(type="dict", default={}),
    hosts=dict(type="list", elements="str"),
    result_var=dict(type="str", default="pbx_audit"),
    reach_var=dict(type="str", default="pbx_audit_reach"),
    formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
    generated=dict(type="str"),
)
MUTUALLY_EXCLUSIVE = [("hosts", "results"), ("hosts", "unreachable"), ("hosts", "failed")]


def planned_files(report, formats):
    """``{relative path: bytes}`` of the report in ``formats``."""
    files = {}
    if "json" in formats:
        files["fleet.json"] = report_json.render_fleet(report)
        for host in report["hosts"]:
            files[os.path.join("hosts", report_model.file_name(host["name"]) + ".json")] = \
                report_json.render_host(report, host)
    if "junit" in formats:
        files["junit.xml"] = report_junit.render(report)
    if "html" in formats:
        files["report.html"] = report_html.render(report)
    return files


def _unchanged(path, data):
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _write(path, data):
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".pbx_report.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError:
        os.unlink(temp)
        raise


def write_files(dest, files, check_mode):
    """Write ``files`` under ``dest``; returns ``(paths, changed)``. Raises OSError."""
    changed, paths = False, []
    for relative, data in sorted(files.items()):
        path = os.path.join(dest, relative)
        paths.append(path)
        if _unchanged(path, data):
            continue
        changed = True
        if not check_mode:
            _write(path, data)
    return paths, changed
