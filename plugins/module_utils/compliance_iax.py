# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IAX2 controls PBX-IAX-001 (users without secret or key: the dialplan's IAX2 guest entry
points) and PBX-IAX-002 (no ``plaintext`` in any ``auth=``).  Realtime users and peers
(``iaxusers``/``iaxpeers`` in extconfig.conf) are not shown to the audit: where they may exist
both controls are ``manual`` at least."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    family_mappings,
    static_outcomes,
    unseen,
    with_unseen,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_dialplan import entries
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import CHANNELS
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

CONTROLS = ("PBX-IAX-001", "PBX-IAX-002")


def _guests(host):
    guests = [g for g in entries(host)[0] if g["channel"] == "iax2"]
    return Outcome.judged([finding(g["file"], g["line"], g["object"],
                                   "IAX2 %s without secret or inkeys: anyone can call into "
                                   "context %s" % (g["object"], g["context"])) for g in guests])


def _plaintext(cfg):
    found = []
    for category in cfg.categories:
        if category.template:
            continue
        value = category.get("auth")
        if value is not None and "plaintext" in [w.strip().lower() for w in str(value).split(",")]:
            found.append(finding(value.path, value.line, category.name,
                                 "auth=%s accepts plaintext secrets" % value))
    return Outcome.judged(found)


def audit(host, _options):
    """``{control ID: Outcome}`` for PBX-IAX-001..002."""
    cfg, not_applicable = host.applicable_config(CONTROLS, CHANNELS["iax2"], "iax.conf",
                                                 "iax.conf absent: chan_iax2 declines to load")
    if cfg is None:
        return not_applicable
    held = unseen(family_mappings(host, ("iaxusers", "iaxpeers")), "IAX2 users and peers")
    return static_outcomes(host, with_unseen(
        {"PBX-IAX-001": _guests(host), "PBX-IAX-002": _plaintext(cfg)}, CONTROLS, held), "iax.conf")
