# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sip role's one pass over a host (module ``sip_harden``): the inputs checked, then per
installed driver its files read and every change planned (:mod:`harden_sip`,
:mod:`harden_sip_pjsip`, :mod:`harden_sip_iax`), one plan per tree; nothing is written here."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    plan_options,
    plan_remove_section,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    netmask_form,
    networks,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_freepbx import FIXES
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import describe
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip import plan_settings
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_common import (
    HardenError,
    Layout,
    chain,
    network_problems,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_iax import IaxPlan
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_pjsip import (
    ANONYMOUS,
    EndpointPlan,
    WizardPlan,
    check,
    noload_setting,
)

ROOTS = ("sip.conf", "pjsip.conf", "iax.conf")
WIZARD_FILES = ("pjsip_wizard.conf", "res_pjsip_config_wizard.so")


class Inputs:
    """The module's parameters, checked, with what the planners derive from them: the networks
    ``insecure=invite`` peers may send from (``trunk_networks``, as chan_sip permits
    ``trunk_permit``), those PJSIP endpoints without inbound auth may be identified from
    (``identify_networks``), the FreePBX layout per root file and its GUI fixes.

    :raises HardenError: a bad network, or a FreePBX tree whose custom files would not win."""

    def __init__(self, params):
        self.__dict__.update(params)
        peering = params["provider_peering_ip"] or ""
        problems = network_problems(params["provider_networks"], params["trusted_networks"],
                                    peering)
        if problems:
            raise HardenError("Fix the role's network variables before anything changes: "
                              + "; ".join(problems))
        self.trunk_networks = [peering + "/32"] if peering else list(params["provider_networks"])
        self.trunk_permit = [netmask_form(net) for net in self.trunk_networks]
        self.identify_networks = (list(params["provider_networks"]) + list(params["trusted_networks"])
                                  + ([peering + "/32"] if peering else []))
        self.identify_nets = networks(self.identify_networks)
        entries = describe(self.config_dir, list(ROOTS), written=True) if self.freepbx else {}
        problems = [p for root in ROOTS for p in entries.get(root, {}).get("problems", [])]
        if problems:
            raise HardenError("FreePBX host, but a change in its custom files would not win, so "
                              "nothing was changed: " + "; ".join(problems))
        self.layout = dict((root, Layout(self.config_dir, entries.get(root))) for root in ROOTS)
        self.gui_fixes = dict((control, gui) for control, (gui, _customs) in FIXES.items()
                              if gui) if self.freepbx else {}

    def path(self, name):
        return os.path.join(self.config_dir, name)


class HostPlan:
    """Every tree to write (``trees``: ``[(loaded tree, EditPlan)]``), what to make live
    (``reload``), the entry points closed for the dialplan role (``closed``), what only FreePBX
    or a template can change (``left``), and per control ID what changes (``findings``)."""

    def __init__(self, inputs):
        self.inputs = inputs
        self.trees, self.reload, self.closed, self.actions = [], [], [], []
        self.left = {"PBX-SIP-006": [], "PBX-IAX-001": []}
        self.findings = {}

    def add(self, driver, cfg, plan, done=()):
        self.trees.append((cfg, plan))
        self.actions += plan.actions
        for setting, one in done:
            self.findings.setdefault(setting.control, []).extend(one.actions)
        if plan.changes and driver not in self.reload:
            self.reload.append(driver)


def _chan_sip(host, inputs):
    layout = inputs.layout["sip.conf"]
    cfg = load_config(inputs.path("sip.conf"), inputs.config_dir)
    settings, invite = plan_settings(cfg, layout, inputs, inputs.sip_conf_controls)
    plan, done = plan_options(cfg, settings, writable=layout.writable,
                              override_file=layout.general)
    host.add("chan_sip", cfg, plan, done)
    if "PBX-SIP-006" in inputs.controls:
        host.left["PBX-SIP-006"] = invite.left
        host.findings.setdefault("PBX-SIP-006", []).extend(invite.left)
    if "PBX-SIP-001" in inputs.controls and "PBX-SIP-003" in inputs.controls:
        host.closed.append("sip_guest")


def _pjsip(host, inputs):
    layout, controls = inputs.layout["pjsip.conf"], inputs.controls
    cfg = load_config(inputs.path("pjsip.conf"), inputs.config_dir)
    plans, current = [], cfg
    if "PBX-PJS-001" in controls and not inputs.freepbx:
        plans.append(plan_remove_section(cfg, ANONYMOUS))
        current = plans[-1].new_config
        host.findings.setdefault("PBX-PJS-001", []).extend(plans[-1].actions)
    endpoints = EndpointPlan(current, inputs, controls)
    wizard_cfg, wizards = None, None
    if (("PBX-PJS-002" in controls or "PBX-PJS-004" in controls) and inputs.module_dir
            and os.path.exists(inputs.path(WIZARD_FILES[0]))
            and os.path.exists(os.path.join(inputs.module_dir, WIZARD_FILES[1]))):
        wizard_cfg = load_config(inputs.path(WIZARD_FILES[0]), inputs.config_dir)
        wizards = WizardPlan(wizard_cfg, inputs, controls)
    check(endpoints.problems + (wizards.problems if wizards else []))
    options, done = plan_options(current, endpoints.settings(layout, inputs.useragent,
                                                             inputs.pjsip_conf_controls),
                                 writable=layout.writable)
    host.add("pjsip", cfg, chain(cfg, plans + [options]), done)
    if wizards is not None:
        plan, done = plan_options(wizard_cfg, wizards.settings(controls))
        host.add("pjsip", wizard_cfg, plan, done)
    if "PBX-PJS-001" in controls and inputs.noload_anonymous_identifier:
        modules = load_config(inputs.path("modules.conf"), inputs.config_dir)
        plan, done = plan_options(modules, [noload_setting()])
        host.add("anonymous_identifier", modules, plan, done)
    if "PBX-PJS-001" in controls:
        host.closed.append("pjsip_anonymous")


def _iax2(host, inputs):
    layout = inputs.layout["iax.conf"]
    cfg = load_config(inputs.path("iax.conf"), inputs.config_dir)
    iax = IaxPlan(cfg, layout, inputs.controls)
    plans, current = [], cfg
    for user in iax.removed:
        plans.append(plan_remove_section(current, user.name, writable=layout.writable))
        current = plans[-1].new_config
        host.findings.setdefault("PBX-IAX-001", []).extend(plans[-1].actions)
    options, done = plan_options(current, iax.settings(layout), writable=layout.writable)
    host.add("iax2", cfg, chain(cfg, plans + [options]), done)
    if "PBX-IAX-001" in inputs.controls:
        host.left["PBX-IAX-001"] = iax.left
        host.findings.setdefault("PBX-IAX-001", []).extend(iax.left)
        if not iax.left:
            host.closed.insert(0, "iax2_guests")


# Each driver, with the controls that make it worth reading.
DRIVERS = (
    ("chan_sip", _chan_sip, ("PBX-SIP-001", "PBX-SIP-002", "PBX-SIP-003", "PBX-SIP-004",
                             "PBX-SIP-005", "PBX-SIP-006", "PBX-NET-005")),
    ("pjsip", _pjsip, ("PBX-PJS-001", "PBX-PJS-002", "PBX-PJS-003", "PBX-PJS-004",
                       "PBX-NET-005")),
    ("iax2", _iax2, ("PBX-IAX-001", "PBX-IAX-002")),
)


def plan_host(inputs):
    """:class:`HostPlan` of every installed driver of ``inputs.drivers``, planned before
    anything is written: a driver that must stop stops the whole host.

    :raises HardenError: something the operator must fix first (nothing is to be written).
    :raises AsteriskConfigError: a tree Asterisk would refuse or an edit that cannot be made."""
    host = HostPlan(inputs)
    for driver, plan, controls in DRIVERS:
        if driver in inputs.drivers and set(controls) & set(inputs.controls):
            plan(host, inputs)
    order = ("chan_sip", "pjsip", "anonymous_identifier", "iax2")
    host.reload.sort(key=order.index)
    return host
