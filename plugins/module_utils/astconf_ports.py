# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ports Asterisk listens on for SIP, IAX2 and RTP, as its configuration sets them: chan_sip's
``[general]`` ``bindport`` and ``udpbindaddr``/``tcpbindaddr``/``tlsbindaddr`` (sip.conf),
PJSIP's transports' ``bind`` (pjsip.conf), IAX2's ``[general]`` ``bindport`` (iax.conf) and the
RTP range of rtp.conf ``[general]``. What the firewall role scopes to the provider networks.

A file that is not there gives the driver's defaults; a file Asterisk would refuse raises
:class:`~astconf_errors.AsteriskConfigError`.
"""

from __future__ import annotations

import os
import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

SIP_PORTS = (5060, 5061)          # chan_sip and PJSIP's defaults, UDP/TCP and TLS
IAX_PORT = 4569
RTP_RANGE = (5000, 31000)         # res_rtp_asterisk's defaults
DIGITS = re.compile(r"^[0-9]+$")
# host:port and [v6]:port; a bind without a port listens on the default one.
BIND_PORT = re.compile(r"^(?:\[[^\]]*\]|[^:\[\]]*):([0-9]+)$")


def _config(config_dir, name):
    path = os.path.join(config_dir, name)
    return load_config(path, config_dir) if os.path.isfile(path) else None


def _general(cfg, option):
    """The effective ``option`` of the first ``[general]`` (the last assignment wins)."""
    value = cfg.get("general", option) if cfg is not None else None
    return str(value) if value is not None else None


def _number(value, default):
    """``value`` as a port (1..65535), or ``default``."""
    port = int(value) if value is not None and DIGITS.match(value) else None
    return port if port is not None and 1 <= port <= 65535 else default


def sip_ports(config_dir, chan_sip=True, pjsip=True):
    """5060, 5061 and every port chan_sip (when ``chan_sip``) and the PJSIP transports (when
    ``pjsip``) bind, sorted."""
    ports, binds = list(SIP_PORTS), []
    sip = _config(config_dir, "sip.conf") if chan_sip else None
    if sip is not None:
        ports.append(_number(_general(sip, "bindport"), None))
        binds += [_general(sip, option) for option in ("udpbindaddr", "tcpbindaddr", "tlsbindaddr")]
    pjsip_cfg = _config(config_dir, "pjsip.conf") if pjsip else None
    if pjsip_cfg is not None:
        for category in pjsip_cfg.categories:
            kind = category.get("type")
            if not category.template and kind is not None and str(kind).lower() == "transport":
                bind = category.get("bind")
                binds.append(str(bind) if bind is not None else None)
    for bind in binds:
        found = BIND_PORT.match(bind) if bind else None
        ports.append(_number(found.group(1), None) if found else None)
    return sorted(set(port for port in ports if port is not None))


def listen_ports(config_dir, chan_sip=True, pjsip=True):
    """``{"sip": [ports], "iax2": port, "rtp": [start, end]}`` of the tree in ``config_dir``."""
    rtp = _config(config_dir, "rtp.conf")
    return {
        "sip": sip_ports(config_dir, chan_sip, pjsip),
        "iax2": _number(_general(_config(config_dir, "iax.conf"), "bindport"), IAX_PORT),
        "rtp": [_number(_general(rtp, "rtpstart"), RTP_RANGE[0]),
                _number(_general(rtp, "rtpend"), RTP_RANGE[1])],
    }
