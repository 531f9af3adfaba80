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
import json
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import network
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_fail2ban import (
    action_family,
    action_names,
    read_jail,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

DEFAULT_LOG_DIR = "/var/log/asterisk"
JAIL = "asterisk"
NOT_FILES = ("console",)
# Tables iptables-nft creates: a ruleset of these only is iptables driven through nf_tables.
IPTABLES_NFT_TABLES = ("filter", "nat", "mangle", "raw", "security")
PBXSEC_TABLE = "its nftables table inet pbxsec (role firewall)"


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


def notice_channels(host):
    """Names of the file channels that log the ``notice`` level (failed registrations): the
    stock ``messages`` (``messages.log`` from Asterisk 19), FreePBX's ``full``."""
    logfiles = host.section("logger.conf", "logfiles")
    if logfiles is None:
        return []
    return [name for name, value in logfiles.items()
            if name.lower() not in NOT_FILES and not name.lower().startswith("syslog")
            and set(levels(value)) & {"notice", "*"}]


def _wanted_logs(host):
    """``[(what, [acceptable absolute paths])]`` the jail must watch: a file logger.conf sends
    NOTICE lines to (by version when logger.conf names none), and the security log."""
    directory = log_dir(host)
    major = host.version_major
    names = notice_channels(host) or (
        ["messages"] if major is not None and major < 19 else
        ["messages.log"] if major is not None else ["messages", "messages.log"])
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


def firewall_backend(host):
    """``(backend, why)``: ``nftables`` when the live ruleset has a native nftables table (the
    firewall role's ``inet pbxsec`` first), ``iptables`` when it holds iptables-nft tables only
    or nft is missing and iptables is installed; ``(None, None)`` when unknown (not live, no
    firewall tool, an unreadable ruleset)."""
    if not host.live:
        return None, None
    rc, out = host.nft_ruleset()
    tables = []
    if rc == 0:
        try:
            tables = [(item["table"]["family"], item["table"]["name"])
                      for item in json.loads(out)["nftables"] if "table" in item]
        except (ValueError, KeyError, TypeError):
            return None, None
    if ("inet", "pbxsec") in tables:
        return "nftables", PBXSEC_TABLE
    native = [t for t in tables if t[0] not in ("ip", "ip6") or t[1] not in IPTABLES_NFT_TABLES]
    if native:
        return "nftables", "its nftables table %s %s" % native[0]
    if tables:
        return "iptables", "iptables (nf_tables tables %s)" % ", ".join(
            "%s %s" % table for table in tables)
    if host.module.get_bin_path("iptables", opt_dirs=["/usr/sbin", "/sbin"]):
        return "iptables", "iptables (nft lists no table)"
    if rc == 0:
        return "nftables", "nftables (no table loaded, no iptables)"
    return None, None


def _ban_findings(host, directory, jail):
    """The jail must ban (not only notify), through the firewall the host filters with."""
    names = action_names(jail.get("action", ""))
    families = dict((name, action_family(directory, name)) for name in names)
    banning = [name for name in names if families[name] not in ("notify", "unknown")]
    unknown = [name for name in names if families[name] == "unknown"]
    if not banning:
        return [finding(directory, None, JAIL, "no ban action: %s" % (
            "action.d defines no %s" % ", ".join(unknown) if unknown else
            "the actions (%s) only notify" % ", ".join(names) if names else "action is empty"))]
    backend, why = firewall_backend(host)
    if backend is not None and any(name.startswith("pbxsec") for name in banning) and \
            why != PBXSEC_TABLE:
        return [finding(directory, None, JAIL, "ban action %s adds to the nftables table inet "
                        "pbxsec, which is not loaded (the host filters with %s): apply the "
                        "firewall role" % (", ".join(banning), why))]
    if backend is None or any(families[name] in (backend, "firewalld") for name in banning):
        return []
    return [finding(directory, None, JAIL, "ban action %s acts on %s, but the host filters with "
                    "%s: its bans block nothing" % (", ".join(banning),
                                                    families[banning[0]], why))]


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
    found += _ban_findings(host, directory, jail)
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
