# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The dialplan audit of one host (PBX-DP-001..004, PBX-VM-006), as the modules return it:
``asterisk_dialplan_info`` alone, ``dialplan_harden`` before its guest context fix.

The dialplan of ``extensions.conf`` (:mod:`astconf_dialplan`) is walked from the entry points
of the channel drivers' files and judged by :mod:`compliance_tollfraud`; ``asterisk.conf`` by
:mod:`compliance_asterisk_conf`. Nothing is written here."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    dialplan_of,
    entry_points,
    load_dialplan,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_asterisk_conf import (
    CONTROL as CONF_CONTROL,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_asterisk_conf import (
    audit_asterisk_conf,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
    CONTROLS as TOLL_CONTROLS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
    audit_dialplan,
)

# The controls the audit judges, in catalogue order (PBX-DP-001..004, PBX-VM-006).
CONTROLS = tuple(sorted(TOLL_CONTROLS + (CONF_CONTROL,)))
CHANNELS = ("sip", "pjsip", "iax2")
CLOSED_ENTRY_POINTS = ("sip_guest", "pjsip_anonymous", "iax2_guests")
CLOSED = "reachable if it is opened again: this play closes it (closed_entry_points)"


def argument_spec():
    """The audit's module options (documented in ``asterisk_dialplan_info``)."""
    return dict(
        config_dir=dict(type="path", default="/etc/asterisk"),
        channels=dict(type="list", elements="str", default=list(CHANNELS),
                      choices=list(CHANNELS)),
        closed_entry_points=dict(type="list", elements="str", default=[],
                                 choices=list(CLOSED_ENTRY_POINTS)),
        controls=dict(type="list", elements="str", default=list(CONTROLS),
                      choices=list(CONTROLS)),
        international_patterns=dict(type="list", elements="str",
                                    default=["_00.", "_+.", "_0011."]),
        premium_patterns=dict(type="list", elements="str", default=["_0900."]),
        require_pin=dict(type="bool", default=False),
        disa_min_length=dict(type="int", default=8),
        runuser_from_service=dict(type="str", default=""),
    )


class Policy:
    """What the audit is asked: the ``channels`` whose files give entry points, the entry points
    the play closes (``closed``), the ``controls`` to judge, the patterns of international and
    premium numbers, ``require_pin``, ``disa_min_length`` and ``runuser_from_service`` (the
    options of the same names of ``asterisk_dialplan_info``)."""

    def __init__(self, params):
        self.channels = params["channels"]
        self.closed = params["closed_entry_points"]
        self.controls = params["controls"]
        self.international = params["international_patterns"]
        self.premium = params["premium_patterns"]
        self.require_pin = params["require_pin"]
        self.disa_min_length = params["disa_min_length"]
        self.runuser_from_service = params["runuser_from_service"] or None


def audit_host(config_dir, policy, load=None):
    """The audit's result (the return values of ``asterisk_dialplan_info`` but ``changed``).

    :param load: ``load(name)`` giving the loaded tree of ``extensions.conf``, a channel file or
        ``asterisk.conf`` (as for :func:`~astconf_dialplan.entry_points`), so that a caller reads
        each file once.
    :raises AsteriskConfigError: the engine cannot load ``extensions.conf`` or ``asterisk.conf``.
    """
    plan = (dialplan_of(load("extensions.conf")) if load is not None else
            load_dialplan(os.path.join(config_dir, "extensions.conf"), config_dir))
    closed = dict((name, CLOSED) for name in policy.closed)
    guests, trunks, notes, sip_users = entry_points(config_dir, policy.channels, load=load,
                                                    dormant=closed)
    findings, reach = audit_dialplan(plan, guests, trunks, policy.international, policy.premium,
                                     policy.require_pin, policy.disa_min_length)
    conf_findings, evidence = [], {}
    if CONF_CONTROL in policy.controls:
        conf_findings, evidence = audit_asterisk_conf(config_dir, policy.runuser_from_service,
                                                      load=load)
    findings = [f for f in findings + conf_findings if f["control"] in policy.controls]
    findings.sort(key=lambda f: CONTROLS.index(f["control"]))
    latent = [f for f in findings if f.get("latent")]
    findings = [f for f in findings if not f.get("latent")]
    controls = {}
    for control in CONTROLS:
        count = sum(1 for f in findings if f["control"] == control)
        status = "skipped" if control not in policy.controls else ("fail" if count else "pass")
        controls[control] = dict(status=status, findings=count)
    for entry in guests + trunks:
        entry["exists"] = entry["context"] in plan.contexts
    return dict(
        findings=findings,
        latent_findings=latent,
        controls=controls,
        entry_points=[entry for entry in guests if not entry["latent"]],
        latent_entry_points=[entry for entry in guests + trunks if entry["latent"]],
        trunk_contexts=[entry for entry in trunks if not entry["latent"]],
        reachable=reach,
        contexts=list(plan.contexts),
        notes=plan.notes + notes,
        sip_general_context_users=sip_users,
        asterisk_conf=evidence,
        files=plan.files,
    )
