# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Detection controls: PBX-LOG-001 (logger.conf writes the security events to a file, as
main/logger.c reads ``[logfiles]``) and PBX-LOG-002 (fail2ban's ``asterisk`` jail watches the
files Asterisk really writes and never bans the provider or the management networks)."""

from __future__ import annotations

import fnmatch
import glob
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import network
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_fail2ban import read_jail
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

DEFAULT_LOG_DIR = "/var/log/asterisk"
JAIL = "asterisk"
NOT_FILES = ("console",)


def levels(value):
    """Levels of a ``[logfiles]`` channel (``[format]`` prefix dropped), lower case."""
    text = str(value).strip()
    if text.startswith("[") and "]" in text:
        text = text.split("]", 1)[1]
    return [w.strip().lower() for w in text.split(",") if w.strip()]


def security_channels(host):
    """``[(channel name, Value)]`` of the file/syslog channels that log ``security``."""
    logfiles = host.section("logger.conf", "logfiles")
    if logfiles is None:
        return []
    return [(name, value) for name, value in logfiles.items()
            if name.lower() not in NOT_FILES and set(levels(value)) & {"security", "*"}]


def log_dir(host):
    directories = host.section("asterisk.conf", "directories")
    value = directories.get("astlogdir") if directories is not None else None
    return str(value) if value else DEFAULT_LOG_DIR


def audit_logger(host, _options):
    """``{control ID: Outcome}`` for PBX-LOG-001."""
    cfg = host.config("logger.conf")
    if cfg is None:
        return {"PBX-LOG-001": Outcome("fail", [finding(
            host.path("logger.conf"), None, None, "logger.conf absent: no security log")])}
    if security_channels(host):
        return {"PBX-LOG-001": Outcome("pass")}
    logfiles = cfg.first("logfiles")
    where = (logfiles.path, logfiles.line) if logfiles is not None else (cfg.root_path, None)
    return {"PBX-LOG-001": Outcome("fail", [finding(
        where[0], where[1], "logfiles", "no channel logs the security level")])}


def _wanted_logs(host):
    """``[(what, [acceptable absolute paths])]`` the jail must watch."""
    directory = log_dir(host)
    major = host.version_major
    names = ["messages"] if major is not None and major < 19 else \
        ["messages.log"] if major is not None else ["messages", "messages.log"]
    wanted = [("messages log", [os.path.join(directory, n) for n in names])]
    channels = security_channels(host)
    if channels:
        wanted.append(("security log", [os.path.join(directory, name) for name, dummy in channels]))
    return wanted


def _ignored(jail, nets):
    entries = [network(word) for word in jail.list("ignoreip")]
    entries = [e for e in entries if e is not None]
    return [net for net in nets
            if not any(net.subnet_of(entry) for entry in entries)]


def audit_fail2ban(host, options):
    """``{control ID: Outcome}`` for PBX-LOG-002."""
    directory = options.fail2ban_dir
    if not os.path.isdir(directory):
        return {"PBX-LOG-002": Outcome("fail", [finding(
            directory, None, None, "fail2ban is not installed (no %s)" % directory)])}
    try:
        jail = read_jail(directory, JAIL)
    except ValueError as exc:
        return {"PBX-LOG-002": Outcome("error", [finding(
            directory, None, JAIL, "fail2ban configuration unreadable: %s" % exc)])}
    if jail is None or not jail.enabled:
        return {"PBX-LOG-002": Outcome("fail", [finding(
            directory, None, JAIL, "the asterisk jail is %s" % (
                "not defined" if jail is None else "not enabled"))])}
    found = []
    patterns = jail.logpaths
    for what, paths in _wanted_logs(host):
        if not any(fnmatch.fnmatch(path, pattern) for path in paths for pattern in patterns):
            found.append(finding(directory, None, JAIL, "logpath does not watch the %s (%s)"
                                 % (what, " or ".join(paths))))
    if not any(glob.glob(pattern) for pattern in patterns):
        found.append(finding(directory, None, JAIL, "no logpath names an existing file"))
    missing = _ignored(jail, options.provider_nets + options.management_nets)
    if missing:
        found.append(finding(directory, None, JAIL, "ignoreip lacks %s: fail2ban may ban them"
                             % ", ".join(str(n) for n in missing)))
    if host.live:
        rc, dummy = host.run(["fail2ban-client", "status", JAIL])
        if rc != 0:
            found.append(finding(None, None, JAIL,
                                 "fail2ban-client status asterisk: the jail is not running"))
    return {"PBX-LOG-002": Outcome.judged(found)}
