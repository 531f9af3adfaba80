# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""chan_sip controls PBX-SIP-001..006, judged on sip.conf as chan_sip reads it
(``reload_config()`` of channels/chan_sip.c): it walks every variable of the first
``[general]``, so the LAST assignment wins; booleans go through ``ast_true()``; an absent option
keeps chan_sip's default.  Peers are the non-template categories with ``type=peer|user|friend``.
Realtime peers (``sippeers``/``sipusers`` in extconfig.conf) are not shown to the audit: the
controls that judge peers are ``manual`` where they may exist."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import acl_findings
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    family_mappings,
    static_outcomes,
    unseen,
    with_unseen,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import (
    CHANNELS,
    host_named_acls,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

CONTROLS = ("PBX-SIP-001", "PBX-SIP-002", "PBX-SIP-003", "PBX-SIP-004", "PBX-SIP-005",
            "PBX-SIP-006")
NOT_PEERS = ("general", "authentication")
PEER_CONTROLS = ("PBX-SIP-004", "PBX-SIP-005", "PBX-SIP-006")


def peers(cfg):
    """chan_sip peers/users/friends (non-template categories with such a ``type``)."""
    return [c for c in cfg.categories
            if not c.template and c.name.lower() not in NOT_PEERS
            and str(c.get("type") or "").lower() in ("peer", "user", "friend")]


def insecure_words(value):
    """The words of an ``insecure=`` value (``port``, ``invite``, ``very``), lower case; none
    for an absent value, ``no`` or ``very-no``.  ``very`` means ``port`` and ``invite``."""
    if value is None or str(value).lower() in ("no", "very-no"):
        return set()
    words = set(w.strip().lower() for w in str(value).split(","))
    if "very" in words:
        words |= {"port", "invite"}
    return words


def insecure_options(category):
    """The words of a peer's ``insecure=`` (:func:`insecure_words`)."""
    return insecure_words(category.get("insecure"))


def trunk_peers(cfg, named_trunks):
    """Peers with ``insecure=`` set, or named in ``named_trunks`` (``pbx_sip_trunks``)."""
    names = set(n.lower() for n in named_trunks)
    return [c for c in peers(cfg) if insecure_options(c) or c.name.lower() in names]


def _general_flag(cfg, option, compliant_when_true, default_true, why):
    """A ``[general]`` boolean: its effective value, or chan_sip's default when absent."""
    general = cfg.first("general")
    value = general.get(option) if general is not None else None
    if value is None:
        effective = default_true
        where = (cfg.root_path, None)
        state = "absent (chan_sip default %s)" % ("yes" if default_true else "no")
    else:
        effective = ast_true(value)
        where = (value.path, value.line)
        state = "%s=%s" % (option, value) + (
            " (inherited from [%s])" % value.inherited_from if value.inherited_from else "")
    if effective == compliant_when_true:
        return Outcome("pass")
    return Outcome("fail", [finding(where[0], where[1], "general", "%s: %s" % (state, why))])


def _autocreatepeer(cfg):
    general = cfg.first("general")
    value = general.get("autocreatepeer") if general is not None else None
    if value is None or not (ast_true(value) or str(value).lower() == "persist"):
        return Outcome("pass")
    return Outcome("fail", [finding(value.path, value.line, "general",
                                    "autocreatepeer=%s: unknown hosts become peers" % value)])


def _allowoverlap(cfg):
    """``allowoverlap``: ``yes`` (default) and ``dtmf`` both collect digits the caller probes;
    checked in ``[general]`` and on every peer that sets it."""
    general = cfg.first("general")
    found = []
    value = general.get("allowoverlap") if general is not None else None
    if value is None:
        found.append(finding(cfg.root_path, None, "general",
                             "allowoverlap absent (chan_sip default yes): 484 replies reveal "
                             "valid prefixes"))
    elif ast_true(value) or str(value).lower() == "dtmf":
        found.append(finding(value.path, value.line, "general", "allowoverlap=%s" % value))
    for peer in peers(cfg):
        own = peer.get("allowoverlap")
        if own is not None and (ast_true(own) or str(own).lower() == "dtmf"):
            found.append(finding(own.path, own.line, peer.name, "allowoverlap=%s" % own))
    return Outcome.judged(found)


def _allowsubscribe(cfg, named_trunks):
    """Trunk peers must refuse subscriptions; a peer without its own ``allowsubscribe`` takes
    the ``[general]`` one (default yes)."""
    general = cfg.first("general")
    general_value = general.get("allowsubscribe") if general is not None else None
    general_allows = general_value is None or ast_true(general_value)
    found = []
    for peer in trunk_peers(cfg, named_trunks):
        own = peer.get("allowsubscribe")
        if own is None and general_allows:
            found.append(finding(peer.path, peer.line, peer.name,
                                 "trunk peer without allowsubscribe=no (takes [general]: yes)"))
        elif own is not None and ast_true(own):
            found.append(finding(own.path, own.line, peer.name,
                                 "trunk peer with allowsubscribe=%s" % own))
    return Outcome.judged(found)


def _insecure_invite(cfg, provider_nets, named):
    """Peers taking calls without authentication must be limited to the provider networks."""
    found, manual = [], []
    for peer in peers(cfg):
        if "invite" not in insecure_options(peer):
            continue
        failing, unclear = acl_findings(peer, named, provider_nets, "insecure=invite peer "
                                        "accepts calls from outside the provider networks (e.g. "
                                        "%s): permit/deny/acl do not limit it")
        found += failing
        manual += unclear
    if found:
        return Outcome("fail", found + manual)
    return Outcome("manual", manual) if manual else Outcome("pass")


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-SIP-001..006."""
    cfg, not_applicable = host.applicable_config(CONTROLS, CHANNELS["sip"], "sip.conf",
                                                 "sip.conf absent: chan_sip declines to load")
    if cfg is None:
        return not_applicable
    held = unseen(family_mappings(host, ("sippeers", "sipusers")), "chan_sip peers and users")
    return static_outcomes(host, with_unseen({
        "PBX-SIP-001": _general_flag(cfg, "allowguest", False, True,
                                     "unauthenticated callers reach the [general] context"),
        "PBX-SIP-002": _general_flag(cfg, "alwaysauthreject", True, True,
                                     "unknown users get a different reply: extensions can be "
                                     "enumerated"),
        "PBX-SIP-003": _autocreatepeer(cfg),
        "PBX-SIP-004": _allowoverlap(cfg),
        "PBX-SIP-005": _allowsubscribe(cfg, options.sip_trunks),
        "PBX-SIP-006": _insecure_invite(cfg, options.provider_nets, host_named_acls(host)),
    }, PEER_CONTROLS, held), "sip.conf")
