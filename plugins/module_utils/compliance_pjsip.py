# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PJSIP controls PBX-PJS-001..004, judged on pjsip.conf as res_sorcery_config reads it: each
non-template category is an object of its ``type``, every variable is applied in order (the last
assignment wins), booleans go through ``ast_true()``, absent options keep res_pjsip's defaults
(``identify_by=username,ip``, ``allow_subscribe=yes``, ``allow_unauthenticated_options=no``)."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    inside,
    network,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import CHANNELS
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

CONTROLS = ("PBX-PJS-001", "PBX-PJS-002", "PBX-PJS-003", "PBX-PJS-004")
ANONYMOUS_IDENTIFIER = "res_pjsip_endpoint_identifier_anonymous"


def objects(cfg, kind):
    return [c for c in cfg.categories
            if not c.template and str(c.get("type") or "").strip().lower() == kind]


def is_anonymous(category):
    name = category.name.lower()
    return name == "anonymous" or name.startswith("anonymous@")


def _words(value):
    return [w.strip().lower() for w in str(value or "").split(",") if w.strip()]


def identifies(cfg):
    """``{endpoint name (lower case): [identify categories]}``."""
    out = {}
    for category in objects(cfg, "identify"):
        endpoint = category.get("endpoint")
        if endpoint:
            out.setdefault(str(endpoint).strip().lower(), []).append(category)
    return out


def _anonymous(host, cfg):
    found = [c for c in objects(cfg, "endpoint") if is_anonymous(c)]
    if not found:
        return Outcome("pass")
    if not host.loaded(ANONYMOUS_IDENTIFIER):
        return Outcome("pass", [finding(c.path, c.line, c.name, "anonymous endpoint present but "
                                        + host.not_loaded_reason(ANONYMOUS_IDENTIFIER))
                                for c in found])
    return Outcome("fail", [finding(c.path, c.line, c.name,
                                    "anonymous endpoint: calls without authentication reach "
                                    "context %s" % (c.get("context") or "default"))
                            for c in found])


def _match_problems(identify, allowed):
    """Findings for one ``type=identify``: every ``match`` entry within ``allowed``."""
    found, manual = [], []
    for value in identify.get_all("match"):
        for item in _words(value):
            net = network(item)
            if net is None:
                manual.append(finding(value.path, value.line, identify.name,
                                      "match %s is not an IPv4 address or network: not judged"
                                      % item))
            elif not (inside(net.network_address, allowed) and
                      inside(net.broadcast_address, allowed)):
                found.append(finding(value.path, value.line, identify.name,
                                     "match %s is outside the provider and trusted networks"
                                     % item))
    if identify.get("match_header") is not None:
        found.append(finding(identify.path, identify.line, identify.name,
                             "match_header identifies by a header any caller can forge"))
    return found, manual


def _unauthenticated(cfg, allowed):
    found, manual = [], []
    by_endpoint = identifies(cfg)
    for endpoint in objects(cfg, "endpoint"):
        if is_anonymous(endpoint) or _words(endpoint.get("auth")):
            continue
        identify_by = endpoint.get("identify_by")
        methods = _words(identify_by) if identify_by is not None else ["username", "ip"]
        if "username" in methods:
            where = identify_by if identify_by is not None else endpoint
            found.append(finding(where.path, where.line, endpoint.name,
                                 "no inbound auth= and identify_by=%s: callable by name from "
                                 "any address" % ",".join(methods)))
            continue
        # Identified by address (or header) only: every identify of it must stay within the
        # allowed networks; with none, no request is ever matched to it.
        for identify in by_endpoint.get(endpoint.name.lower(), []):
            bad, unknown = _match_problems(identify, allowed)
            found.extend(bad)
            manual.extend(unknown)
    if found:
        return Outcome("fail", found + manual)
    return Outcome("manual", manual) if manual else Outcome("pass")


def _unauthenticated_options(cfg):
    found = []
    for endpoint in objects(cfg, "endpoint"):
        value = endpoint.get("allow_unauthenticated_options")
        if value is not None and ast_true(value):
            found.append(finding(value.path, value.line, endpoint.name,
                                 "allow_unauthenticated_options=%s" % value))
    return Outcome.judged(found)


def trunk_endpoints(cfg, named_trunks):
    """Endpoints some ``type=identify`` points at, or named in ``named_trunks``."""
    names = set(identifies(cfg)) | set(n.lower() for n in named_trunks)
    return [c for c in objects(cfg, "endpoint") if c.name.lower() in names]


def _trunk_subscribe(cfg, named_trunks):
    found = []
    for endpoint in trunk_endpoints(cfg, named_trunks):
        value = endpoint.get("allow_subscribe")
        if value is None:
            found.append(finding(endpoint.path, endpoint.line, endpoint.name,
                                 "trunk endpoint without allow_subscribe=no (default yes)"))
        elif ast_true(value):
            found.append(finding(value.path, value.line, endpoint.name,
                                 "trunk endpoint with allow_subscribe=%s" % value))
    return Outcome.judged(found)


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-PJS-001..004."""
    cfg, not_applicable = host.applicable_config(CONTROLS, CHANNELS["pjsip"], "pjsip.conf",
                                                 "pjsip.conf absent: no PJSIP objects")
    if cfg is None:
        return not_applicable
    return {
        "PBX-PJS-001": _anonymous(host, cfg),
        "PBX-PJS-002": _unauthenticated(cfg, options.provider_nets + options.trusted_nets),
        "PBX-PJS-003": _unauthenticated_options(cfg),
        "PBX-PJS-004": _trunk_subscribe(cfg, options.sip_trunks),
    }
