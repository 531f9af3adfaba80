# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Dialplan controls PBX-DP-001..004 and PBX-VM-006 on a host: its dialplan (``astconf_dialplan``)
judged by ``compliance_tollfraud`` and its asterisk.conf by ``compliance_asterisk_conf`` (the same
reachability and toll-route analysis the dialplan role enforces with).  Entry points of channel
drivers that are not loaded, and the PJSIP anonymous endpoint without its identifier module, are
latent: what only they reach is reported as latent findings, which do not fail a control."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    entry_points,
    load_dialplan,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_asterisk_conf import (
    audit_asterisk_conf,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import CHANNELS
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pjsip import (
    ANONYMOUS_IDENTIFIER,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
    CONTROLS,
    audit_dialplan,
)

NO_PROCESSES = "/nonexistent/proc"      # live=false: the running Asterisk is not looked at


def _not_loaded(host, modules):
    """Why entry points behind ``modules`` are latent, or None when they are all loaded."""
    if host.loaded(*modules):
        return None
    name = "/".join(modules)
    return "reachable if %s is loaded: %s" % (name, host.not_loaded_reason(name))


def dormant(host):
    """``{channel or guest kind: reason}`` of what Asterisk does not load (see
    :func:`entry_points`)."""
    reasons = dict((channel, _not_loaded(host, modules)) for channel, modules in CHANNELS.items())
    reasons["pjsip_anonymous"] = _not_loaded(host, (ANONYMOUS_IDENTIFIER,))
    return dict((name, reason) for name, reason in reasons.items() if reason)


def entries(host):
    """``(guests, trunks, notes, sip_general_users)`` of every channel driver's configuration;
    those Asterisk does not load are latent (``latent`` holds why)."""
    return host.remember("entry_points", lambda: entry_points(
        host.config_dir, tuple(CHANNELS), load=host.config, dormant=dormant(host)))


def asterisk_conf(host):
    """``(findings, evidence)`` of PBX-DP-004 (live: the running Asterisk's user counts)."""
    return host.remember("asterisk_conf", lambda: audit_asterisk_conf(
        host.config_dir, None, "/proc" if host.live else NO_PROCESSES, load=host.config))


def _as_finding(item):
    obj = item["context"]
    if item.get("extension"):
        obj = "%s,%s" % (obj, item["extension"])
    return finding(item["file"], item["line"], obj, item["message"], item.get("latent", False))


def audit_conf(host):
    """PBX-DP-004; ``manual`` when the runuser is the only question and nothing answers it
    (unset in asterisk.conf and no running Asterisk to look at, as in a backup)."""
    findings, evidence = asterisk_conf(host)
    outcome = Outcome.judged([_as_finding(item) for item in findings])
    if len(findings) == 1 and evidence.get("runuser_source", "") is None:
        return Outcome.manual(outcome.findings)
    return outcome


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-DP-001..003 and PBX-VM-006."""
    extensions = host.path("extensions.conf")
    if not os.path.exists(extensions):
        return dict((c, Outcome.not_applicable("extensions.conf absent: no dialplan", extensions))
                    for c in CONTROLS)
    plan = load_dialplan(extensions, host.config_dir)
    guests, trunks, notes, dummy = entries(host)
    policy = options.policy
    found, dummy_reach = audit_dialplan(
        plan, guests, trunks, policy["international_patterns"], policy["premium_patterns"],
        policy["require_pin"], policy["disa_min_length"])
    result = {}
    for control in CONTROLS:
        result[control] = Outcome.judged([_as_finding(item) for item in found
                                          if item["control"] == control])
    if not host.loaded("app_voicemail"):
        result["PBX-VM-006"] = Outcome.not_applicable(host.not_loaded_reason("app_voicemail"))
    unresolved = [finding(n["file"], n["line"], n["context"], n["message"]) for n in notes]
    if unresolved and result["PBX-DP-001"].status == "pass":
        result["PBX-DP-001"] = Outcome.manual(unresolved + result["PBX-DP-001"].findings)
    return result
