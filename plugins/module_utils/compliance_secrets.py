# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credential controls PBX-SEC-001..005 through ``compliance_secret_findings`` (the policy the
secrets role enforces), on the trees the audit already loaded.  Findings name the object and the broken
rules, never the secret.

Credentials a backend holds (``compliance_backends``) are judged where the running Asterisk shows
them (PJSIP auths), else the control is ``manual`` naming the mapping: chan_sip and IAX2 realtime
peers, a file loaded from a database."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import (
    WIZARD_FILE,
    WIZARD_MODULE,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    family_mappings,
    merged,
    pjsip_sources,
    shown_auth_findings,
    static_outcomes,
    unseen,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import CHANNELS
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_findings import (
    ari_findings,
    iax_findings,
    manager_findings,
    pjsip_findings,
    sip_findings,
    wizard_findings,
)

# control, file, channel driver that must be loaded (None: always read), its file audit
AUDITS = (
    ("PBX-SEC-001", "sip.conf", "sip", sip_findings),
    ("PBX-SEC-002", "pjsip.conf", "pjsip", pjsip_findings),
    ("PBX-SEC-003", "iax.conf", "iax2", iax_findings),
    ("PBX-SEC-004", "manager.conf", None, manager_findings),
    ("PBX-SEC-005", "ari.conf", None, ari_findings),
)
CONTROLS = tuple(control for control, _name, _channel, _judge in AUDITS)
REALTIME_FAMILIES = {"sip": ("sippeers", "sipusers"), "iax2": ("iaxpeers", "iaxusers")}


def _as_finding(item):
    what = "%s of %s" % (item.option, item.kind) if item.option else item.kind
    return finding(item.file, item.line, item.object,
                   "%s: %s" % (what, "; ".join(item.reasons)))


def _pjsip_auths(cfg):
    return set(c.name.lower() for c in cfg.categories
               if not c.template and str(c.get("type") or "").strip().lower() == "auth")


def _in_backends(host, outcome, channel, cfg, policy):
    """``outcome`` of a channel's file with the credentials its backends hold."""
    if channel == "pjsip":
        return merged(outcome, *shown_auth_findings(host, _pjsip_auths(cfg), policy))
    families = family_mappings(host, REALTIME_FAMILIES.get(channel, ()))
    return merged(outcome, unclear=unseen(families, "%s peers and users and their secrets"
                                          % channel))


def _wizard_findings(host, channel, policy):
    """PBX-SEC-002 findings on the objects res_pjsip_config_wizard builds (when it is loaded)."""
    if channel != "pjsip" or not host.loaded(WIZARD_MODULE):
        return []
    cfg = host.config(WIZARD_FILE)
    return [_as_finding(item) for item in wizard_findings(cfg, policy)] if cfg is not None else []


def _judged(host, name, channel, judge, policy):
    try:
        cfg = host.config(name)
        wizard = _wizard_findings(host, channel, policy)
    except AsteriskConfigError as exc:
        return Outcome.error(exc)
    if cfg is None and channel == "pjsip" and pjsip_sources(host)["auth"].mappings:
        return merged(Outcome.judged(wizard), *shown_auth_findings(host, set(), policy))
    if cfg is None and wizard:
        return Outcome.judged(wizard)
    if cfg is None:
        return Outcome.not_applicable("%s absent" % name, host.path(name))
    outcome = Outcome.judged([_as_finding(item) for item in judge(cfg, policy)] + wizard)
    return _in_backends(host, outcome, channel, cfg, policy) if channel else outcome


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-SEC-001..005 (each file is judged independently)."""
    result = {}
    for control, name, channel, judge in AUDITS:
        if channel is not None and not host.channel_loaded(channel):
            result[control] = Outcome.not_applicable(
                host.not_loaded_reason("/".join(CHANNELS[channel])))
            continue
        try:
            judged = {control: _judged(host, name, channel, judge, options.secret_policy)}
            result.update(static_outcomes(host, judged, name))
        except AsteriskConfigError as exc:     # sorcery.conf or extconfig.conf refused
            result[control] = Outcome.error(exc)
    return result
