# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report files of a fleet audit and how they reach the disk: what ``pbx_report`` takes, the
files it plans (relative path to bytes), and a write that changes a file only when its content
or mode differs (atomically).

Files are 0640 and the directories created for them 0750, narrowed further by the umask; an
operator who wants other modes says so with ``mode``, which sets the files' mode exactly (and
the created directories get search permission wherever it allows reading)."""

from __future__ import annotations

import os
import re
import secrets
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    report_html,
    report_json,
    report_junit,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.report_model import FAIL_ON

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
    mode=dict(type="str"),
    baseline=dict(type="path"),
    fail_on=dict(type="str", choices=list(FAIL_ON), default="noncompliant"),
    probe_var=dict(type="str"),
)
MUTUALLY_EXCLUSIVE = [("hosts", "results"), ("hosts", "unreachable"), ("hosts", "failed")]
DEFAULT_MODE = 0o640            # of files when the operator sets no mode; the umask applies
OCTAL_MODE = re.compile(r"0[0-7]{3}")


def file_mode(option):
    """The files' mode from the ``mode`` option (``'0640'``), or None for :data:`DEFAULT_MODE`
    narrowed by the umask.  Raises ValueError on anything else, e.g. a number, which YAML reads
    from an unquoted 0640 as the decimal 416."""
    if option is None:
        return None
    if not OCTAL_MODE.fullmatch(option):
        raise ValueError("mode must be four octal digits in quotes, such as '0640'")
    return int(option, 8)


def directory_mode(mode):
    """The mode of a directory holding files of ``mode``: search wherever reading is allowed."""
    return mode | (mode & 0o444) >> 2


def planned_files(report, formats):
    """``{relative path: bytes}`` of the report in ``formats``."""
    files = {}
    if "json" in formats:
        files["fleet.json"] = report_json.render_fleet(report)
        for host in report["hosts"]:
            files[host["file"]] = report_json.render_host(report, host)
    if "junit" in formats:
        files["junit.xml"] = report_junit.render(report)
    if "html" in formats:
        files["report.html"] = report_html.render(report)
    return files


def _mode_as_wanted(permissions, mode):
    """``mode`` exactly, or with no mode given, nothing wider than :data:`DEFAULT_MODE`."""
    return permissions == mode if mode is not None else not permissions & ~DEFAULT_MODE


def _unchanged(path, data, mode):
    """True when ``path`` is a regular file holding ``data`` with the mode wanted."""
    try:
        status = os.lstat(path)
        if not (stat.S_ISREG(status.st_mode)
                and _mode_as_wanted(stat.S_IMODE(status.st_mode), mode)):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _make_directories(directory, mode):
    """Create ``directory`` and its missing parents with :func:`directory_mode` (existing ones
    keep theirs)."""
    missing = []
    while not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path, directory_mode(DEFAULT_MODE if mode is None else mode))
        if mode is not None:
            os.chmod(path, directory_mode(mode))


def _write(path, data, mode):
    directory = os.path.dirname(path)
    _make_directories(directory, mode)
    temp = os.path.join(directory, ".pbx_report.%s.tmp" % secrets.token_hex(8))
    # Created with the default mode through the umask, or private until set to the mode asked.
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     DEFAULT_MODE if mode is None else 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            if mode is not None:
                os.fchmod(out.fileno(), mode)
            out.write(data)
        os.replace(temp, path)
    except OSError:
        os.unlink(temp)
        raise


def write_files(dest, files, check_mode, mode=None):
    """Write ``files`` under ``dest`` with ``mode`` (see :func:`file_mode`); returns
    ``(paths, changed)``. Raises OSError."""
    changed, paths = False, []
    for relative, data in sorted(files.items()):
        path = os.path.join(dest, relative)
        paths.append(path)
        if _unchanged(path, data, mode):
            continue
        changed = True
        if not check_mode:
            _write(path, data, mode)
    return paths, changed
