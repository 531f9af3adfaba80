# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-NET-005: what the SIP stacks show strangers.

- User agents: chan_sip's ``useragent`` and ``sdpsession`` and PJSIP's global ``user_agent``
  default to ``Asterisk PBX <version>``; a value that still names a version gives scanners the
  list of known holes.
- Listeners: a SIP listener no peer or endpoint can use is attack surface and nothing else.
  chan_sip always listens on UDP; with ``tcpenable``/``tlsenable`` true it also listens on TCP/TLS
  (``tcpbindaddr``/``tlsbindaddr``), yet a peer takes only the transports its ``transport=``
  allows (default: ``[general]`` ``transport``, itself ``udp``), so a TCP/TLS listener is unused
  when no peer and no ``[general]`` ``transport`` names it.  A PJSIP ``type=transport`` (udp, tcp,
  tls; websockets ride on the HTTP server) is unused when no endpoint or registration names it
  in ``transport=`` and every one of them names some transport: one without ``transport=`` may
  use any transport, so then every transport counts as used."""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pjsip import objects
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_sip import peers

VERSION = re.compile(r"\d+\.\d+")


def _judge(section, option, owner, cfg):
    value = section.get(option) if section is not None else None
    if value is None:
        return [finding(section.path if section is not None else cfg.root_path,
                        section.line if section is not None else None, owner,
                        "%s absent: the default names Asterisk and its version" % option)]
    if VERSION.search(str(value)):
        return [finding(value.path, value.line, owner, "%s names a version" % option)]
    return []


def _sip_listeners(cfg):
    """chan_sip TCP/TLS listeners no peer may use."""
    general = cfg.first("general")
    if general is None:
        return []
    allowed = set(_transports(general.get("transport")) or ["udp"])
    for peer in peers(cfg):
        allowed.update(_transports(peer.get("transport")))
    found = []
    for proto, enable, bind in (("tcp", "tcpenable", "tcpbindaddr"),
                                ("tls", "tlsenable", "tlsbindaddr")):
        value = general.get(enable)
        if ast_true(value) and proto not in allowed:
            address = general.get(bind)
            found.append(finding(value.path, value.line, "general", "%s=%s listens on %s, but "
                                 "no peer's transport (nor [general] transport) allows %s" % (
                                     enable, value, address if address is not None else
                                     "the %s default" % bind, proto)))
    return found


def _transports(value):
    return [w.strip().lower() for w in str(value or "").split(",") if w.strip()]


def _pjsip_listeners(cfg):
    """PJSIP transports no endpoint and no outbound registration may use."""
    users = objects(cfg, "endpoint") + objects(cfg, "registration")
    if any(user.get("transport") is None for user in users):
        return []
    named = set(str(user.get("transport")).strip() for user in users)
    found = []
    for transport in objects(cfg, "transport"):
        protocol = str(transport.get("protocol") or "udp").strip().lower()
        if protocol in ("ws", "wss") or transport.name in named:
            continue
        found.append(finding(transport.path, transport.line, transport.name,
                             "%s transport bound to %s, but no endpoint or registration uses it" % (
                                 protocol, transport.get("bind") or "its default")))
    return found


def audit(host, _options):
    """``{control ID: Outcome}`` for PBX-NET-005."""
    found, judged = [], False
    if host.channel_loaded("sip"):
        cfg = host.config("sip.conf")
        if cfg is not None:
            judged = True
            general = cfg.first("general")
            for option in ("useragent", "sdpsession"):
                found += _judge(general, option, "general", cfg)
            found += _sip_listeners(cfg)
    if host.channel_loaded("pjsip"):
        cfg = host.config("pjsip.conf")
        if cfg is not None:
            judged = True
            sections = objects(cfg, "global")
            found += _judge(sections[-1] if sections else None, "user_agent", "global", cfg)
            found += _pjsip_listeners(cfg)
    if not judged:
        return {"PBX-NET-005": Outcome.not_applicable("no SIP channel driver loaded")}
    return {"PBX-NET-005": Outcome.judged(found)}
