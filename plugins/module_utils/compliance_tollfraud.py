# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Toll-fraud judgement of a dialplan (:mod:`astconf_dialplan`): PBX-DP-001, PBX-DP-002,
PBX-DP-003 and PBX-VM-006, the thresholds they use and the findings they give.

Public API::

    from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
        audit_dialplan)
    findings, reach = audit_dialplan(plan, guests, trunks)   # [{"control", ...}], {"guest": ...}

A finding is reach from an entry point to a dangerous application (Dial, DISA, VoiceMailMain,
Originate), a toll route (international or premium numbers dialled out through a trunk) or a
DISA without a good passcode.  What only latent entry points reach gives latent findings ("Latent,
not reachable now"); they say what would open the way and never fail a control.
"""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    can_match_prefix,
    literal_prefix,
    reachable,
    split_args,
)

DANGEROUS_APPS = ("dial", "disa", "voicemailmain", "originate")
DIAL_APPS = ("dial", "originate", "disa")
PIN_APPS = ("authenticate", "vmauthenticate")
DEFAULT_INTERNATIONAL = ["_00.", "_+.", "_0011."]
DEFAULT_PREMIUM = ["_0900."]
CONTROLS = ("PBX-DP-001", "PBX-DP-002", "PBX-DP-003", "PBX-VM-006")
WEAK_PASSCODES = frozenset(("1234", "12345", "123456", "1234567", "12345678", "0000", "000000",
                            "1111", "111111", "4321", "654321", "2580", "1212"))


# --- toll routes ----------------------------------------------------------------------------

def pattern_prefixes(patterns):
    """Literal prefixes of the option's patterns (``_00.`` -> ``00``)."""
    return [literal_prefix(p if p.startswith("_") else "_" + p) for p in patterns
            if literal_prefix(p if p.startswith("_") else "_" + p)]


def _trunk_dial(args):
    """Whether a Dial passes the dialled number to a trunk: ``Tech/trunk/${EXTEN}`` or
    ``PJSIP/${EXTEN}@trunk`` (not ``SIP/${EXTEN}``, a local peer of that name)."""
    first = split_args(args)[0] if args else ""
    for spec in first.split("&"):
        upper = spec.upper()
        if "${EXTEN" not in upper:
            continue
        head = upper[:upper.index("${EXTEN")]
        if head.count("/") >= 2 or "@" in upper[upper.index("${EXTEN"):]:
            return True
    return False


def toll_kind(pattern, priorities, international, premium):
    """``"international"``/``"premium"`` when this extension routes such numbers out, else None.

    An extension routes them when its pattern REQUIRES the prefix (``_00.``, ``_0900.``) and
    it runs anything but a refusal, or when its pattern MAY match them (``_X.``, ``_0.``) and it
    dials the dialled number through a trunk (``SIP/trunk/${EXTEN}``, ``PJSIP/${EXTEN}@trunk``).
    """
    refusal = ("hangup", "congestion", "busy", "playback", "noop", "answer", "wait", "verbose",
               "playtones", "hint", "set", "log")
    acts = [p for p in priorities if p.app_key not in refusal]
    dials_exten = any(p.app_key in ("dial", "originate") and _trunk_dial(p.args)
                      for p in priorities)
    fixed = literal_prefix(pattern)
    for kind, prefixes in (("premium", premium), ("international", international)):
        for prefix in prefixes:
            if fixed.startswith(prefix) and acts:
                return kind
    if dials_exten and any(can_match_prefix(pattern, prefix)
                           for prefix in list(international) + list(premium)):
        return "international/premium"
    return None


# --- findings -------------------------------------------------------------------------------

LATENT = "Latent, not reachable now: "


def _finding(control, ext, message, chain=None, latent=False):
    return dict(control=control, context=ext.context, extension=ext.pattern, file=ext.path,
                line=ext.line, message=(LATENT + message) if latent else message,
                chain=list(chain or []), latent=latent)


def _chain_text(chain):
    return " -> ".join(chain)


def weak_passcode(code, min_length):
    """Whether a DISA passcode is weak (never returned, only judged)."""
    if len(code) < min_length or code in WEAK_PASSCODES or len(set(code)) == 1:
        return True
    if code.isdigit():
        steps = set(int(b) - int(a) for a, b in zip(code, code[1:]))
        if steps in ({1}, {-1}):
            return True
    return False


def _disa(ext, min_length):
    """PBX-DP-003 problem of one DISA priority, or None."""
    first = split_args(ext.args)[0] if ext.args else ""
    if first.lower().startswith("no-password") or first == "":
        return "DISA(no-password): anyone who reaches it gets a dial tone"
    if first.startswith("/"):
        return None if os.path.isfile(first) else \
            "DISA passcode file %s does not exist (passcodes not judged)" % first
    codes = [c.strip() for c in first.split("|")]
    if any("$" in c for c in codes):
        return None
    weak = sum(1 for c in codes if weak_passcode(c, min_length))
    if weak:
        return ("DISA with a weak passcode (shorter than %d, repeated, sequential or common; "
                "the passcode is not shown)" % min_length)
    return None


def _reach_findings(plan, guest_chains, outside, toll, latent=False):
    """PBX-DP-001 (dangerous applications in the contexts of ``guest_chains``), PBX-VM-006 and
    the reach findings of PBX-DP-002 (in the contexts of ``outside``: ``{context: (origin,
    chain)}``, origin ``guest`` or ``trunk``), in file order.

    :param toll: ``toll(pattern, priorities)``: the kind of toll route an extension is, or None.
    """
    findings = []
    for name, context in plan.contexts.items():
        guest_chain = guest_chains.get(name)
        origin, chain = outside.get(name, (None, None))
        if guest_chain is None and chain is None:
            continue
        for pattern, priorities in context.by_pattern().items():
            for ext in priorities:
                if guest_chain is not None and ext.app_key in DANGEROUS_APPS:
                    findings.append(_finding(
                        "PBX-DP-001", ext,
                        "%s reachable by unauthenticated callers: %s -> %s,%s %s()"
                        % (ext.app, _chain_text(guest_chain), pattern, ext.priority, ext.app),
                        guest_chain, latent))
                if chain is not None and ext.app_key == "voicemailmain":
                    args = split_args(ext.args)
                    no_pin = len(args) > 1 and "s" in args[1].replace("${", "")
                    findings.append(_finding(
                        "PBX-VM-006", ext, "VoiceMailMain%s reachable from a %s context: %s"
                        % (" with the s option (no PIN asked)" if no_pin else "", origin,
                           _chain_text(chain)), chain, latent))
            kind = toll(pattern, priorities) if chain is not None else None
            if kind is not None:
                findings.append(_finding(
                    "PBX-DP-002", priorities[0], "%s route %s reachable from a %s context: %s"
                    % (kind, pattern, origin, _chain_text(chain)), chain, latent))
    return findings


def _outside(guest_chains, trunk_chains):
    """``{context: (origin, chain)}`` of guest and trunk reach; the guest chain is the one worth
    showing where both reach."""
    outside = dict((name, ("trunk", chain)) for name, chain in trunk_chains.items())
    outside.update((name, ("guest", chain)) for name, chain in guest_chains.items())
    return outside


def _policy_findings(plan, outside, toll, require_pin, disa_min_length):
    """PBX-DP-003 (weak DISA anywhere) and, with ``require_pin``, PBX-DP-002 toll routes that
    dial before ``Authenticate()``."""
    findings = []
    for name, context in plan.contexts.items():
        for pattern, priorities in context.by_pattern().items():
            for ext in priorities:
                problem = _disa(ext, disa_min_length) if ext.app_key == "disa" else None
                if problem:
                    findings.append(_finding("PBX-DP-003", ext, problem, outside.get(name)))
            kind = toll(pattern, priorities) if require_pin else None
            if kind is not None:
                findings.extend(_unauthenticated_dial(kind, pattern, priorities))
    return findings


def _unauthenticated_dial(kind, pattern, priorities):
    """The first priority of a toll route that dials (or jumps) before any PIN is asked."""
    for ext in priorities:
        if ext.app_key in PIN_APPS:
            return []
        if ext.app_key in DIAL_APPS + ("goto", "gosub", "macro"):
            return [_finding("PBX-DP-002", ext, "%s route %s runs %s without Authenticate() "
                             "before it" % (kind, pattern, ext.app))]
    return []


def _open_entries(entries):
    return [entry for entry in entries if not entry.get("latent")]


def _latent_entries(entries):
    """Latent entry points, their reason in the first step of every chain they start."""
    return [dict(entry, source="%s; %s" % (entry["source"], entry["latent"]))
            for entry in entries if entry.get("latent")]


def _without(chains, seen):
    return dict((name, chain) for name, chain in chains.items() if name not in seen)


def audit_dialplan(plan, guests, trunks, international=None, premium=None, require_pin=False,
                   disa_min_length=8):
    """Findings of PBX-DP-001, PBX-DP-002, PBX-DP-003 and PBX-VM-006, and the reach behind them.

    Entry points with a ``latent`` reason (see ``astconf_dialplan.entry_points``) take no call now: what only
    they reach gives findings with ``latent`` true, their message starting with "Latent, not
    reachable now" (and their chain's first step saying what would open them).

    :returns: ``(findings, reach)``: findings are dicts (``control``, ``context``, ``extension``,
        ``file``, ``line``, ``message``, ``chain``, ``latent``); reach is ``{"guest", "trunk",
        "latent_guest", "latent_trunk"}``, each ``{context: chain}`` (a latent chain only for a
        context no open entry point reaches).
    """
    international = pattern_prefixes(international or DEFAULT_INTERNATIONAL)
    premium = pattern_prefixes(premium or DEFAULT_PREMIUM)

    def toll(pattern, priorities):
        return toll_kind(pattern, priorities, international, premium)

    reach = dict(guest=reachable(plan, _open_entries(guests)),
                 trunk=reachable(plan, _open_entries(trunks)))
    outside = _outside(reach["guest"], reach["trunk"])
    reach["latent_guest"] = _without(reachable(plan, _latent_entries(guests)), reach["guest"])
    reach["latent_trunk"] = _without(reachable(plan, _latent_entries(trunks)), outside)
    latent_outside = _without(_outside(reach["latent_guest"], reach["latent_trunk"]), outside)
    findings = _reach_findings(plan, reach["guest"], outside, toll)
    findings += _reach_findings(plan, reach["latent_guest"], latent_outside, toll, latent=True)
    chains = dict((name, chain) for name, (dummy, chain) in outside.items())
    findings += _policy_findings(plan, chains, toll, require_pin, disa_min_length)
    return findings, reach
