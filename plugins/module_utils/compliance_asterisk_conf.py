# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-DP-004: how Asterisk is run.  ``asterisk.conf`` must not set ``live_dangerously`` (dialplan
functions such as SHELL() from AMI/ARI) nor run Asterisk as root (``runuser``/``rungroup``).  An
unset ``runuser`` is judged by the service's user the operator names, else by the running
Asterisk's uid, else it is a finding that asks.
"""

from __future__ import annotations

import functools
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import read_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true

CONTROL = "PBX-DP-004"


def running_uid(proc="/proc", name="asterisk"):
    """``(pid, uid)`` of the first running process called ``name`` (real uid), or None."""
    try:
        pids = sorted((int(p) for p in os.listdir(proc) if p.isdigit()))
    except OSError:
        return None
    for pid in pids:
        try:
            with open(os.path.join(proc, str(pid), "comm")) as handle:
                if handle.read().strip() != name:
                    continue
            with open(os.path.join(proc, str(pid), "status")) as handle:
                for line in handle:
                    if line.startswith("Uid:"):
                        return pid, int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return None


def _conf_finding(path, line, message):
    """A PBX-DP-004 finding (asterisk.conf, or how Asterisk is run)."""
    return dict(control=CONTROL, context=None, extension=None, file=path, line=line,
                message=message, chain=[], latent=False)


def audit_asterisk_conf(config_dir, runuser_from_service=None, proc="/proc", load=None):
    """PBX-DP-004 findings and the evidence used (``(findings, evidence)``).

    :param load: ``load(name)`` returning the loaded tree of a file of ``config_dir`` (None when
        it does not exist), as for ``astconf_dialplan.entry_points``.
    :raises AsteriskConfigError: Asterisk would refuse asterisk.conf."""
    findings, evidence = [], {}
    path = os.path.join(config_dir, "asterisk.conf")
    cfg = (load or functools.partial(read_config, config_dir))("asterisk.conf")
    if cfg is None:
        return [_conf_finding(path, None, "asterisk.conf not found: cannot judge")], evidence
    options = cfg.first("options")
    get = options.get if options is not None else (lambda _name: None)
    danger = get("live_dangerously")
    evidence["live_dangerously"] = str(danger) if danger is not None else None
    if ast_true(danger):
        findings.append(_conf_finding(danger.path, danger.line, "[options] live_dangerously is "
                                      "true: dialplan functions like SHELL() may be run from "
                                      "AMI/ARI"))
    runuser, rungroup = get("runuser"), get("rungroup")
    evidence["runuser"] = str(runuser) if runuser else None
    evidence["rungroup"] = str(rungroup) if rungroup else None
    if rungroup is not None and str(rungroup) in ("root", "0"):
        findings.append(_conf_finding(rungroup.path, rungroup.line, "[options] rungroup is root"))
    if runuser:
        if str(runuser) in ("root", "0"):
            findings.append(_conf_finding(runuser.path, runuser.line, "[options] runuser is root"))
        evidence["runuser_source"] = "asterisk.conf"
        return findings, evidence
    if runuser_from_service:
        evidence["runuser_source"] = "runuser_from_service"
        if runuser_from_service in ("root", "0"):
            findings.append(_conf_finding(path, None, "the service runs Asterisk as root"))
        return findings, evidence
    found = running_uid(proc)
    if found is not None:
        evidence["runuser_source"] = "running process %d uid %d" % found
        if found[1] == 0:
            findings.append(_conf_finding(path, None, "runuser unset and the running Asterisk "
                                          "(pid %d) runs as root" % found[0]))
        return findings, evidence
    evidence["runuser_source"] = None
    findings.append(_conf_finding(path, None, "[options] runuser unset (Asterisk then runs as "
                                  "root unless started with -U) and no running Asterisk to "
                                  "check; set runuser or tell the audit the service's user "
                                  "(runuser_from_service)"))
    return findings, evidence
