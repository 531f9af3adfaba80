# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the sip role changes for PJSIP (PBX-PJS-001..004, PBX-NET-005): the anonymous endpoint
removed, the options of pjsip.conf's endpoints and global section, the wizards of
pjsip_wizard.conf (res_pjsip_config_wizard) fixed in their own options, and the anonymous
endpoint identifier kept from loading.

Endpoints, identifies and trunk endpoints are read as the audit reads them
(:mod:`compliance_pjsip`). Before anything is planned, endpoints and wizards without inbound
auth must be matched from the provider or trusted networks only, and the objects to edit must
be the ones an edit by name reaches: else :class:`HardenError` says what to fix."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import Setting
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import outside
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pjsip import (
    objects,
    trunk_endpoints,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import wanted_value
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_common import (
    HardenError,
)

ANONYMOUS = "anonymous"
NOLOAD = ("PBX-PJS-001", "noload")


def _where(category):
    return "%s:%d" % (category.path, category.line)


def _real(cfg):
    return [c for c in cfg.categories if not c.template]


class EndpointPlan:
    """PBX-PJS-002..004 and PBX-NET-005 on pjsip.conf (its tree after the anonymous endpoint
    is removed, when this run removes it)."""

    def __init__(self, cfg, inputs, controls):
        self.endpoints = objects(cfg, "endpoint")
        self.identifies = objects(cfg, "identify")
        self.noauth = [e for e in self.endpoints if not e.get("auth")]
        self.options = [e for e in self.endpoints
                        if e.get("allow_unauthenticated_options") is not None
                        and ast_true(e.get("allow_unauthenticated_options"))]
        self.trunks = trunk_endpoints(cfg, inputs.sip_trunks)
        self.problems = self._noauth_matches(inputs) if "PBX-PJS-002" in controls else []
        edited = ((self.noauth if "PBX-PJS-002" in controls else [])
                  + (self.options if "PBX-PJS-003" in controls else [])
                  + (self.trunks if "PBX-PJS-004" in controls else []))
        self.problems += self._first_of_name(cfg, edited)
        globals_ = objects(cfg, "global")
        self.global_name = globals_[0].name if globals_ else "global"

    def _noauth_matches(self, inputs):
        problems = []
        by_name = dict((e.name, e) for e in reversed(self.noauth))
        for identify in self.identifies:
            endpoint = by_name.get(identify.get("endpoint"))
            if endpoint is None:
                continue
            wrong = outside(identify.get_all("match"), inputs.identify_nets)
            if wrong:
                problems.append(
                    "PBX-PJS-002: endpoint [%s] (%s) has no inbound auth=, so anyone who can send "
                    "from a matching address can call through it, and its type=identify [%s] (%s) "
                    "matches %s, outside pbx_provider_networks and pbx_trusted_networks (%s). "
                    "Narrow match= to the provider's addresses, give the endpoint an auth=, or add "
                    "the network to pbx_trusted_networks. Nothing in PJSIP was changed."
                    % (endpoint.name, _where(endpoint), identify.name, _where(identify),
                       ", ".join(wrong), ", ".join(inputs.identify_networks)))
        return problems

    @staticmethod
    def _first_of_name(cfg, edited):
        problems, seen = [], set()
        for endpoint in edited:
            if id(endpoint) in seen:
                continue
            seen.add(id(endpoint))
            first = [c for c in _real(cfg) if c.name == endpoint.name][0]
            if first is not endpoint:
                problems.append(
                    "Endpoint [%s] (%s) comes after another section of the same name (%s, "
                    "type=%s): an edit by name would land in that one. Put the type=endpoint "
                    "section first." % (endpoint.name, _where(endpoint), _where(first),
                                        first.get("type")))
        return problems

    def settings(self, layout, useragent, controls):
        """The endpoint options (new lines where FreePBX leaves objects), then the global
        section's (``type=global`` as res_pjsip finds it, then the user agent)."""
        out = []
        for control, option, endpoints in (("PBX-PJS-002", "identify_by", self.noauth),
                                           ("PBX-PJS-003", "allow_unauthenticated_options",
                                            self.options),
                                           ("PBX-PJS-004", "allow_subscribe", self.trunks)):
            value = wanted_value(control, option)
            out += [Setting(control, e.name, option, value, override_file=layout.objects)
                    for e in endpoints]
        out += [Setting("PBX-NET-005", self.global_name, "type", "global",
                        override_file=layout.general),
                Setting("PBX-NET-005", self.global_name, "user_agent", useragent,
                        override_file=layout.general)]
        return [s for s in out if s.control in controls]


class WizardPlan:
    """PBX-PJS-002 and PBX-PJS-004 on the wizards of pjsip_wizard.conf. A wizard builds endpoint
    <name> and, with remote_hosts and neither accepts_registrations nor
    sends_line_with_registrations, identify <name>-identify matching identify/match when set,
    else every remote host."""

    def __init__(self, cfg, inputs, controls):
        self.wizards = objects(cfg, "wizard")
        self.noauth = [w for w in self.wizards
                       if not _true(w, "accepts_auth") and not w.get("endpoint/auth")]
        identified = [w for w in self.noauth
                      if w.get("remote_hosts") and not _true(w, "accepts_registrations")
                      and not _true(w, "sends_line_with_registrations")]
        names = set(inputs.sip_trunks)
        self.trunks = [w for w in self.wizards
                       if (w.get("remote_hosts") and not _true(w, "accepts_registrations"))
                       or w.name in names]
        self.problems = []
        if "PBX-PJS-002" in controls:
            for wizard in identified:
                matches = wizard.get_all("identify/match")
                wrong = outside(matches or [wizard.get("remote_hosts")], inputs.identify_nets)
                if wrong:
                    self.problems.append(
                        "PBX-PJS-002: wizard [%s] (%s) gives its endpoint no inbound auth "
                        "(accepts_auth is not yes, no endpoint/auth), so anyone who can send from "
                        "a matching address can call through it, and its identify matches %s "
                        "(%s), outside pbx_provider_networks and pbx_trusted_networks (%s). "
                        "Narrow remote_hosts to the provider's addresses, give the wizard "
                        "accepts_auth and an inbound_auth/, or add the network to "
                        "pbx_trusted_networks. Nothing in PJSIP was changed."
                        % (wizard.name, _where(wizard), ", ".join(wrong),
                           "identify/match" if matches else "remote_hosts",
                           ", ".join(inputs.identify_networks)))
        edited = ((self.noauth if "PBX-PJS-002" in controls else [])
                  + (self.trunks if "PBX-PJS-004" in controls else []))
        reported = []
        for wizard in edited:
            same = [w for w in self.wizards if w.name == wizard.name]
            if len(same) > 1 and wizard.name not in reported:
                reported.append(wizard.name)
                self.problems.append(
                    "Wizard [%s] is defined more than once (%s): res_pjsip_config_wizard builds "
                    "the last one, and an edit by name would land in the first. Keep one wizard "
                    "of that name." % (wizard.name, ", ".join(_where(w) for w in same)))

    def settings(self, controls):
        out = []
        if "PBX-PJS-002" in controls:
            out += [Setting("PBX-PJS-002", w.name, "endpoint/identify_by",
                            wanted_value("PBX-PJS-002", "identify_by"), section_type="wizard")
                    for w in self.noauth]
        if "PBX-PJS-004" in controls:
            out += [Setting("PBX-PJS-004", w.name, "endpoint/allow_subscribe",
                            wanted_value("PBX-PJS-004", "allow_subscribe"),
                            section_type="wizard") for w in self.trunks]
        return out


def _true(category, option):
    value = category.get(option)
    return value is not None and ast_true(value)


def noload_setting():
    """PBX-PJS-001's ``noload`` line of modules.conf (the catalogue's value)."""
    return Setting(NOLOAD[0], "modules", "noload", wanted_value(*NOLOAD), multiple=True)


def check(problems):
    """Raise :class:`HardenError` with every problem found, if any."""
    if problems:
        raise HardenError(" | ".join(problems))
