# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-NET-005: what the SIP stacks tell strangers.  chan_sip's ``useragent`` and
``sdpsession`` and PJSIP's global ``user_agent`` default to ``Asterisk PBX <version>``; a value
that still names a version gives scanners the list of known holes."""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pjsip import objects
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

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
    if host.channel_loaded("pjsip"):
        cfg = host.config("pjsip.conf")
        if cfg is not None:
            judged = True
            sections = objects(cfg, "global")
            found += _judge(sections[-1] if sections else None, "user_agent", "global", cfg)
    if not judged:
        return {"PBX-NET-005": Outcome.not_applicable("no SIP channel driver loaded")}
    return {"PBX-NET-005": Outcome.judged(found)}
