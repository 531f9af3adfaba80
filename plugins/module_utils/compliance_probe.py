# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-PRB-001..003 on the audited host itself: they are judged from outside by ``pbx_probe``
(its result replaces these entries in the report), so here they are ``not_applicable`` (probe not
run).  What the audit tells the probe is the SIP surface the configuration opens
(:func:`surface`): the ports chan_sip and the PJSIP transports listen on, and one user that
exists, to compare its REGISTER answer with that of a user that does not."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pjsip import (
    objects,
    trunk_endpoints,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    PROBE_CONTROL_IDS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import Outcome
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_sip import (
    peers,
    trunk_peers,
)

SIP_PORT = 5060
MAX_PORTS = 8
NOT_PROBED = dict((control, Outcome.not_applicable(
    "probe not run: the audit with pbx_probe: true sends OPTIONS, an anonymous INVITE and "
    "REGISTERs from pbx_probe_host (or the controller) and judges the answers"))
    for control in PROBE_CONTROL_IDS)


def bind_port(value, default):
    """The port of an Asterisk bind address (``0.0.0.0:5160``, ``[::]:5060``, ``0.0.0.0``), or
    ``default`` when it names none or an invalid one."""
    text = str(value or "").strip()
    if text.startswith("["):
        dummy, bracket, rest = text.partition("]")
        port = rest[1:] if bracket and rest.startswith(":") else ""
    else:
        port = text.rpartition(":")[2] if text.count(":") == 1 else ""
    if port.isdigit() and 0 < int(port) < 65536:
        return int(port)
    return default


def _sip_ports(cfg):
    """chan_sip's UDP port (``udpbindaddr``'s, else ``bindport``) and, with ``tcpenable``, its TCP
    port (``tcpbindaddr``'s)."""
    general = cfg.first("general")
    if general is None:
        return [SIP_PORT]
    bindport = bind_port(":%s" % general.get("bindport"), SIP_PORT)
    ports = [bind_port(general.get("udpbindaddr"), bindport)]
    if ast_true(general.get("tcpenable")):
        ports.append(bind_port(general.get("tcpbindaddr"), SIP_PORT))
    return ports


def _pjsip_ports(cfg):
    """The ports of the PJSIP UDP and TCP transports (TLS and websockets are not probed)."""
    ports = []
    for transport in objects(cfg, "transport"):
        protocol = str(transport.get("protocol") or "udp").strip().lower()
        if protocol in ("udp", "tcp"):
            ports.append(bind_port(transport.get("bind"), SIP_PORT))
    return ports


def _sip_user(cfg, trunks):
    """The first chan_sip peer that is not a trunk (a phone), or None."""
    trunk_names = set(peer.name for peer in trunk_peers(cfg, trunks))
    return next((peer.name for peer in peers(cfg) if peer.name not in trunk_names), None)


def _pjsip_user(cfg, trunks):
    """The first PJSIP endpoint with an inbound ``auth`` that is not a trunk (a phone), or None."""
    trunk_names = set(endpoint.name for endpoint in trunk_endpoints(cfg, trunks))
    return next((endpoint.name for endpoint in objects(cfg, "endpoint")
                 if endpoint.get("auth") is not None and endpoint.name not in trunk_names), None)


def surface(host, options):
    """``{ports, user}``: the SIP ports the loaded channel drivers listen on (sorted, at most
    :data:`MAX_PORTS`; 5060 when none is known) and the name of one phone user the
    configuration defines (None when none).  A file Asterisk would refuse adds nothing."""
    ports, users = [], []
    for channel, name, find_ports, find_user in (("sip", "sip.conf", _sip_ports, _sip_user),
                                                 ("pjsip", "pjsip.conf", _pjsip_ports,
                                                  _pjsip_user)):
        try:
            cfg = host.config(name) if host.channel_loaded(channel) else None
        except (AsteriskConfigError, OSError):
            cfg = None
        if cfg is not None:
            ports += find_ports(cfg)
            users.append(find_user(cfg, options.sip_trunks))
    return dict(ports=sorted(set(ports))[:MAX_PORTS] or [SIP_PORT],
                user=next((user for user in users if user), None))
