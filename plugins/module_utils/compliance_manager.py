# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AMI and HTTP exposure: PBX-AMI-001, PBX-AMI-002 (manager.conf, main/manager.c) and
PBX-HTTP-001 (http.conf, main/http.c).  Both read ``[general]`` variable by variable (the last
assignment wins); AMI and the HTTP server are off unless ``enabled`` is true, and bind every
interface unless ``bindaddr`` says otherwise.  Live, the running Asterisk's own view
(``manager show settings``, ``http show status``) is checked as well: a file that was never
reloaded proves nothing."""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    LOOPBACK,
    acl_findings,
    is_localhost,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import (
    host_named_acls,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

DANGEROUS_WRITE = ("system", "command", "originate", "all")

# [ \t]* never crosses a line: linear on any CLI output.
LIVE_AMI_BIND = re.compile(r"^[ \t]*TCP Bindaddress:[ \t]*(\S+)", re.M)
LIVE_AMI_ON = re.compile(r"^[ \t]*Manager \(AMI\):[ \t]*Yes", re.M)
LIVE_HTTP_BIND = re.compile(r"Server Enabled and Bound to (\S+)")


def write_grants(value):
    """The rights of :data:`DANGEROUS_WRITE` an AMI ``write`` value grants, as manager.c's
    ``get_perm()`` reads it: a right is granted when the last comma-separated word is its
    name, or when any other word is a prefix of it (``ast_instring()`` compares only the
    word's length, so ``sys,call`` grants system and an empty word grants every right).
    Words are compared trimmed and in lower case, which can only find more rights."""
    words = [word.strip().lower() for word in str(value).split(",")]
    return [right for right in DANGEROUS_WRITE
            if words[-1] == right or any(right.startswith(word) for word in words[:-1])]


def _bind_findings(general, enabled_option, bind_options, default_bind, what):
    """Findings when the service is enabled and one of its binds is not localhost."""
    enabled = general.get(enabled_option) if general is not None else None
    if not ast_true(enabled):
        return []
    found = []
    for option, tls in bind_options:
        if tls:
            tls_on = general.get(tls)
            if not ast_true(tls_on):
                continue
        value = general.get(option)
        if value is None:
            found.append(finding(enabled.path, enabled.line, "general",
                                 "%s enabled and %s absent: listens on %s" % (what, option,
                                                                              default_bind)))
        elif not is_localhost(value):
            found.append(finding(value.path, value.line, "general",
                                 "%s enabled and %s=%s is not localhost" % (what, option, value)))
    return found


def _ami_exposure(host, general):
    found = _bind_findings(general, "enabled", (("bindaddr", None), ("tlsbindaddr", "tlsenable")),
                           "0.0.0.0", "AMI")
    settings = host.cli("manager show settings")
    if settings is not None and LIVE_AMI_ON.search(settings):
        bind = LIVE_AMI_BIND.search(settings)
        if bind and not is_localhost(bind.group(1)):
            found.append(finding(None, None, "running Asterisk",
                                 "manager show settings: AMI listens on %s" % bind.group(1)))
    return Outcome.judged(found)


def _freepbx_label(freepbx):
    """``FreePBX's own AMI user (AMPMGRUSER in /etc/amportal.conf)``, or FreePBX's default."""
    return "FreePBX's own AMI user (AMPMGRUSER%s)" % (
        " in " + freepbx.ami_user_source if freepbx.ami_user_source else ", FreePBX's default")


def _is_freepbx_user(user_name, freepbx):
    """Whether ``user_name`` is FreePBX's own AMI user (manager.c finds users ignoring case)."""
    return freepbx is not None and user_name.lower() == freepbx.ami_user.lower()


def _freepbx_user(user, named, freepbx):
    """FreePBX's own AMI user: FreePBX writes its lines and needs its rights, so it is judged
    by what matters for it here: reachable from loopback only (its bind address is PBX-AMI-001,
    its secret PBX-SEC-004).  ``(failing, manual, notes)``."""
    label = _freepbx_label(freepbx)
    failing, manual = acl_findings(user, named, [LOOPBACK], label + " reachable from outside "
                                   "loopback (e.g. %s): FreePBX needs it on this host only")
    notes = [] if failing else [finding(user.path, user.line, user.name, label + ": loopback "
                                        "only; FreePBX needs its write rights, so they are not "
                                        "judged (its secret is judged by PBX-SEC-004)")]
    return failing, manual, notes


def _other_user(user, named, allowed):
    """Any other AMI user: its ACL keeps out everything but loopback and the management
    networks, and ``write`` grants none of :data:`DANGEROUS_WRITE`.  ``(failing, manual)``."""
    failing, manual = acl_findings(user, named, allowed, "AMI user reachable from outside "
                                   "loopback and the management networks (e.g. %s)")
    for option in ("write", "writeperms"):
        for value in user.get_all(option):
            bad = write_grants(value)
            if bad:
                failing.append(finding(value.path, value.line, user.name,
                                       "%s includes %s" % (option, ",".join(bad))))
    return failing, manual


def _ami_users(cfg, general, allowed, named, freepbx=None):
    if not ast_true(general.get("enabled") if general is not None else None):
        return Outcome.not_applicable("AMI is disabled (manager.conf [general] enabled)")
    found, manual, notes = [], [], []
    for user in cfg.categories:
        if user.template or user.name.lower() == "general":
            continue
        if _is_freepbx_user(user.name, freepbx):
            failing, unclear, noted = _freepbx_user(user, named, freepbx)
            notes += noted
        else:
            failing, unclear = _other_user(user, named, allowed)
        found += failing
        manual += unclear
    if found:
        return Outcome("fail", found + manual)
    return Outcome("manual", manual + notes) if manual else Outcome("pass", notes)


def _http(host):
    cfg = host.config("http.conf")
    general = cfg.first("general") if cfg is not None else None
    found = _bind_findings(general, "enabled", (("bindaddr", None), ("tlsbindaddr", "tlsenable")),
                           "all interfaces", "HTTP server")
    if general is not None and ast_true(general.get("enabled")):
        servername = general.get("servername")
        if servername is None or str(servername).strip():
            where = servername if servername is not None else general
            found.append(finding(where.path, where.line, "general",
                                 "servername %s: the Server header names Asterisk%s" % (
                                     "absent" if servername is None else "set",
                                     " and its version" if servername is None else "")))
    status = host.cli("http show status")
    bound = LIVE_HTTP_BIND.search(status or "")
    if bound and not is_localhost(bound.group(1)):
        found.append(finding(None, None, "running Asterisk",
                             "http show status: bound to %s" % bound.group(1)))
    return Outcome.judged(found)


def audit_ami(host, options):
    """``{control ID: Outcome}`` for PBX-AMI-001 and PBX-AMI-002."""
    cfg = host.config("manager.conf")
    if cfg is None:
        absent = Outcome.not_applicable("manager.conf absent: AMI is off", host.path("manager.conf"))
        return {"PBX-AMI-001": absent, "PBX-AMI-002": absent}
    general = cfg.first("general")
    return {"PBX-AMI-001": _ami_exposure(host, general),
            "PBX-AMI-002": _ami_users(cfg, general, [LOOPBACK] + options.management_nets,
                                      host_named_acls(host), host.freepbx)}


def audit_http(host, _options):
    """``{control ID: Outcome}`` for PBX-HTTP-001."""
    return {"PBX-HTTP-001": _http(host)}
