# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the sip role sets in sip.conf (chan_sip, PBX-SIP-001..006 and PBX-NET-005), as one
list of :class:`~astconf_editor.Setting` for one write.

Peers, trunk peers and ``insecure=`` are read as the audit reads them (:mod:`compliance_sip`).
chan_sip applies ``permit``/``deny`` in order and the last matching rule wins (main/acl.c,
``ast_apply_ha()``), so an ``insecure=invite`` peer is left with ``deny=0.0.0.0/0.0.0.0``
followed by the provider permits, appended after its other lines (PBX-SIP-006)."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import Setting
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    networks,
    outside,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    CATALOGUE,
    wanted_value,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_sip import (
    insecure_options,
    peers,
    trunk_peers,
)

# The sip.conf [general] options the role sets to the catalogue's value: every `=` setting in
# [general] of a control the sip role enforces (PBX-SIP-001..004). A new option control of
# [general] needs its catalogue row and nothing here.
GENERAL_CONTROLS = tuple(
    (control.id, setting.option) for control in CATALOGUE if control.role == "sip"
    for setting in control.settings
    if setting.file == "sip.conf" and setting.selector.startswith("[general]")
    and setting.relation == "=")
DENY_ALL = ("0.0.0.0/0.0.0.0", "0.0.0.0/0")


def general_settings(useragent, allowsubscribe_general):
    """``[general]``: PBX-SIP-001..004 (catalogue values), PBX-NET-005 (the role's user agent),
    and PBX-SIP-005's ``allowsubscribe=no`` when the role is asked to refuse subscriptions
    there too."""
    settings = [Setting(control, "general", option, wanted_value(control, option))
                for control, option in GENERAL_CONTROLS]
    settings += [Setting("PBX-NET-005", "general", "useragent", useragent),
                 Setting("PBX-NET-005", "general", "sdpsession", useragent)]
    if not allowsubscribe_general:
        settings.append(Setting("PBX-SIP-005", "general", "allowsubscribe",
                                wanted_value("PBX-SIP-005", "allowsubscribe")))
    return settings


class InvitePlan:
    """PBX-SIP-006 on the ``insecure=invite`` peers of a tree.

    :ivar removals: ``[(peer, permit value)]`` to remove first: permits that are not a provider
        permit, and every permit of a peer without a deny-all rule (the deny must come first).
    :ivar left: what the role may not edit and that keeps the peer open (a line FreePBX
        writes again, or one inherited from a template), one message each; the role changes
        nothing on such a peer.
    :ivar fixed: the peers that get the deny-all rule and the provider permits.
    """

    def __init__(self, cfg, layout, trunk_permit, trunk_networks, gui_fix):
        self.removals, self.left, self.fixed = [], [], []
        trunk_nets = networks(trunk_networks)
        for peer in peers(cfg):
            if "invite" in insecure_options(peer):
                self._peer(peer, layout, trunk_permit, trunk_nets, gui_fix)

    def _peer(self, peer, layout, trunk_permit, trunk_nets, gui_fix):
        position = dict((id(var), number) for number, var in enumerate(peer.variables))
        last_deny = -1
        for value in peer.get_all("deny"):
            if value.replace(" ", "") in DENY_ALL:
                last_deny = position[id(value.variable)]
        removals, left = [], []
        for value in peer.get_all("permit"):
            after_deny = 0 <= last_deny < position[id(value.variable)]
            if last_deny >= 0 and value in trunk_permit:
                continue
            if value.own and not layout.freepbx_writes(value.path):
                removals.append((peer.name, str(value)))
            elif ((last_deny < 0 and value in trunk_permit)
                  or (after_deny and outside([value], trunk_nets))):
                left.append("[%s] permit = %s (%s) %s, and the role may not edit that line: %s" % (
                    peer.name, value, value.origin,
                    "comes before any deny = 0.0.0.0/0.0.0.0 (it must follow one)"
                    if last_deny < 0 else
                    "lets callers outside the provider networks in after the deny-all rule",
                    "change it in the template" if not value.own
                    else "change it in FreePBX (%s)" % gui_fix))
        if left:
            self.left += left
        else:
            self.removals += removals
            self.fixed.append(peer)

    def settings(self, trunk_permit):
        """Permits removed, the deny-all rule where the peer has none, the provider permits."""
        out = [Setting("PBX-SIP-006", peer, "permit", value, state="absent", multiple=True)
               for peer, value in self.removals]
        out += [Setting("PBX-SIP-006", peer.name, "deny", DENY_ALL[0], multiple=True)
                for peer in self.fixed
                if not set(str(v) for v in peer.get_all("deny")) & set(DENY_ALL)]
        out += [Setting("PBX-SIP-006", peer.name, "permit", permit, multiple=True)
                for peer in self.fixed for permit in trunk_permit]
        return out


def plan_settings(cfg, layout, inputs, controls):
    """``(settings, InvitePlan)``: every option the role sets in sip.conf, ``[general]`` first,
    then PBX-SIP-005 on trunk peers and PBX-SIP-006 on ``insecure=invite`` peers (each new peer
    line where FreePBX leaves it), kept to ``controls`` (those this run enforces in sip.conf)."""
    settings = general_settings(inputs.useragent, inputs.allowsubscribe_general)
    trunk_names = []
    for peer in trunk_peers(cfg, inputs.sip_trunks):
        if peer.name not in trunk_names:
            trunk_names.append(peer.name)
    settings += [Setting("PBX-SIP-005", name, "allowsubscribe",
                         wanted_value("PBX-SIP-005", "allowsubscribe")) for name in trunk_names]
    invite = InvitePlan(cfg, layout, inputs.trunk_permit, inputs.trunk_networks,
                        inputs.gui_fixes.get("PBX-SIP-006"))
    if "PBX-SIP-006" in controls:
        settings += invite.settings(inputs.trunk_permit)
    for setting in settings:
        if setting.section != "general":
            setting.override_file = layout.objects
    return [s for s in settings if s.control in controls], invite
