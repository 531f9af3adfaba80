# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PJSIP controls PBX-PJS-001..004, judged on pjsip.conf as res_sorcery_config reads it: each
non-template category is an object of its ``type``, every variable is applied in order (the last
assignment wins), booleans go through ``ast_true()``, absent options keep res_pjsip's defaults
(``identify_by=username,ip``, ``allow_subscribe=yes``, ``allow_unauthenticated_options=no``).
The objects res_pjsip_config_wizard builds from pjsip_wizard.conf (``astconf_wizard``) are judged
with them, each finding naming the wizard line that set the option.

Objects that sorcery.conf takes from elsewhere (a database, astdb, another file) are judged live
under the same controls, as the running Asterisk shows them (``pjsip show endpoints``,
``pjsip show endpoint NAME``), each finding naming the mapping line; not live, the controls they
concern are ``manual`` (see ``compliance_backends``)."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import Config, ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import (
    host_wizard_objects,
    with_wizard,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    pjsip_endpoints,
    pjsip_parameters,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    MAX_ASKED,
    askable,
    merged,
    pjsip_sources,
    unseen,
    with_unseen,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    host_part,
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
USER_IDENTIFIER = "res_pjsip_endpoint_identifier_user"
# The controls that judge objects of each PJSIP type (PBX-SEC-002 judges auths).
BACKEND_CONTROLS = (("endpoint", CONTROLS), ("identify", ("PBX-PJS-002", "PBX-PJS-004")))


def objects(cfg, kind):
    return [c for c in cfg.categories
            if not c.template and str(c.get("type") or "").strip().lower() == kind]


def anonymous_name(name):
    name = name.lower()
    return name == "anonymous" or name.startswith("anonymous@")


def is_anonymous(category):
    return anonymous_name(category.name)


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


def anonymous_reach(host, identify_by):
    """How an unauthenticated caller reaches an endpoint named ``anonymous``, or None: through
    the anonymous identifier, or (checked on Asterisk 22) through the username identifier,
    which takes ``From: <sip:anonymous@...>`` for the endpoint of that name whenever its
    ``identify_by`` has ``username`` (the default)."""
    if host.loaded(ANONYMOUS_IDENTIFIER):
        return "through %s" % ANONYMOUS_IDENTIFIER
    if "username" in _words(identify_by or "username,ip") and host.loaded(USER_IDENTIFIER):
        return "by name (From: anonymous@...) through %s, identify_by=%s" % (
            USER_IDENTIFIER, identify_by or "username,ip (default)")
    return None


def _not_reached(host, identify_by):
    """Why an ``anonymous`` endpoint takes no call now."""
    if "username" in _words(identify_by or "username,ip"):
        return "%s and %s" % (host.not_loaded_reason(ANONYMOUS_IDENTIFIER),
                              host.not_loaded_reason(USER_IDENTIFIER))
    return "%s, identify_by=%s" % (host.not_loaded_reason(ANONYMOUS_IDENTIFIER), identify_by)


def _anonymous(host, cfg):
    found = []
    for category in objects(cfg, "endpoint"):
        if not is_anonymous(category):
            continue
        identify_by = category.get("identify_by")
        reach = anonymous_reach(host, identify_by)
        if reach is None:
            found.append(finding(category.path, category.line, category.name, "anonymous "
                                 "endpoint present but " + _not_reached(host, identify_by),
                                 latent=True))
        else:
            found.append(finding(category.path, category.line, category.name,
                                 "anonymous endpoint: calls without authentication reach "
                                 "context %s (%s)" % (category.get("context") or "default", reach)))
    return Outcome.judged(found)


def _match_problems(identify, allowed):
    """Findings for one ``type=identify``: every ``match`` entry within ``allowed``."""
    found, manual = [], []
    for value in identify.get_all("match"):
        for item in _words(value):
            net = network(host_part(item))
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


# --- objects from backends, as the running Asterisk shows them ---------------------------------

class _Shown:
    """One endpoint the running Asterisk shows that this audit judges because a backend holds
    it (``mapping``) or one of the identifies that match requests to it (``matched_by``).

    :ivar params: its options (``pjsip show endpoint NAME``).
    :ivar blamed: the mapping line its findings name.
    """

    __slots__ = ("name", "inauths", "identifies", "mapping", "matched_by", "params", "blamed")

    def __init__(self, endpoint, mapping, matched_by, blamed):
        self.name = endpoint["name"]
        self.inauths = endpoint["inauths"]
        self.identifies = endpoint["identifies"]
        self.mapping = mapping
        self.matched_by = matched_by
        self.blamed = blamed
        self.params = {}

    @property
    def identify_by(self):
        return self.params.get("identify_by") or "username,ip"

    def finding(self, message, latent=False):
        """A finding on the endpoint that names the mapping line and where it was seen."""
        return finding(self.blamed.path, self.blamed.line, self.name, "%s (from %s, shown by the "
                       "running Asterisk)" % (message, self.blamed), latent=latent)


def _shown_from_backends(cfg, sources, endpoints):
    """The :class:`_Shown` endpoints: those a backend holds, and those a backend's identify
    matches requests to."""
    in_files = dict((kind, set(c.name.lower() for c in objects(cfg, kind)))
                    for kind in ("endpoint", "identify"))

    def from_backend(kind, name):
        source = sources[kind]
        return bool(source.mappings) and not (source.in_files and name.lower() in in_files[kind])

    judged = []
    for endpoint in endpoints:
        matched_by = [i for i in endpoint["identifies"] if from_backend("identify", i["name"])]
        if from_backend("endpoint", endpoint["name"]):
            mapping = sources["endpoint"].mappings[0]
            judged.append(_Shown(endpoint, mapping, endpoint["identifies"], mapping))
        elif matched_by:
            judged.append(_Shown(endpoint, None, matched_by, sources["identify"].mappings[0]))
    return judged


def _shown_anonymous(host, shown, _options):
    if shown.mapping is None or not anonymous_name(shown.name):
        return [], []
    reach = anonymous_reach(host, shown.identify_by)
    if reach is None:
        return [shown.finding("anonymous endpoint, but %s" % _not_reached(
            host, shown.identify_by), latent=True)], []
    return [shown.finding("anonymous endpoint: calls without authentication reach context %s "
                          "(%s)" % (shown.params.get("context") or "default", reach))], []


def _shown_unauthenticated(_host, shown, options):
    if shown.inauths or anonymous_name(shown.name):
        return [], []
    if "username" in _words(shown.identify_by):
        return ([shown.finding("no inbound auth and identify_by=%s: callable by name from any "
                               "address" % shown.identify_by)] if shown.mapping else []), []
    allowed = options.provider_nets + options.trusted_nets
    found, manual = [], []
    for identify in shown.matched_by:
        for item in identify["matches"]:
            net = network(item)
            if net is None:
                manual.append(shown.finding("identify %s match %s is not an IPv4 address or "
                                            "network: not judged" % (identify["name"], item)))
            elif not (inside(net.network_address, allowed) and
                      inside(net.broadcast_address, allowed)):
                found.append(shown.finding("no inbound auth, identify %s matches %s, outside "
                                           "the provider and trusted networks"
                                           % (identify["name"], item)))
    return found, manual


def _shown_unauthenticated_options(_host, shown, _options):
    if shown.mapping is not None and ast_true(shown.params.get("allow_unauthenticated_options")):
        return [shown.finding("allow_unauthenticated_options=yes")], []
    return [], []


def _shown_trunk_subscribe(_host, shown, options):
    trunk = shown.identifies or shown.name.lower() in [n.lower() for n in options.sip_trunks]
    if trunk and ast_true(shown.params.get("allow_subscribe", "yes")):
        return [shown.finding("trunk endpoint with allow_subscribe=yes")], []
    return [], []


SHOWN_CHECKS = (("PBX-PJS-001", _shown_anonymous), ("PBX-PJS-002", _shown_unauthenticated),
                ("PBX-PJS-003", _shown_unauthenticated_options),
                ("PBX-PJS-004", _shown_trunk_subscribe))


def _judge_shown(host, options, shown):
    """``{control: (failing, unclear)}`` findings on the :class:`_Shown` endpoints; each one's
    options are asked of the running Asterisk (at most ``MAX_ASKED`` endpoints)."""
    found = dict((control, ([], [])) for control in CONTROLS)
    for item in shown[:MAX_ASKED]:
        if askable(item.name):
            item.params = pjsip_parameters(host.cli("pjsip show endpoint %s" % item.name) or "")
        if not item.params:
            for control in CONTROLS:
                found[control][1].append(item.finding("its options are not shown: not judged"))
            continue
        for control, check in SHOWN_CHECKS:
            failing, unclear = check(host, item, options)
            found[control][0].extend(failing)
            found[control][1].extend(unclear)
    return found


def _with_backends(host, options, cfg, outcomes):
    """``outcomes`` of the files with the PJSIP objects of sorcery.conf's backends judged as the
    running Asterisk shows them, or said unseen when it does not answer."""
    sources = pjsip_sources(host)
    mapped = [(kind, controls) for kind, controls in BACKEND_CONTROLS if sources[kind].mappings]
    listing = host.cli("pjsip show endpoints") if mapped else None
    if listing is None:
        for kind, controls in mapped:
            outcomes = with_unseen(outcomes, controls,
                                   unseen(sources[kind].mappings, "PJSIP %ss" % kind))
        return outcomes
    shown = _shown_from_backends(cfg, sources, pjsip_endpoints(listing))
    if len(shown) > MAX_ASKED:
        outcomes = with_unseen(outcomes, CONTROLS, unseen(
            [m for kind, _c in mapped for m in sources[kind].mappings],
            "%d more PJSIP endpoints (over %d asked)" % (len(shown) - MAX_ASKED, MAX_ASKED)))
    found = _judge_shown(host, options, shown)
    return dict((control, merged(outcome, *found[control]) if control in found else outcome)
                for control, outcome in outcomes.items())


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-PJS-001..004."""
    cfg, not_applicable = host.applicable_config(CONTROLS, CHANNELS["pjsip"], "pjsip.conf",
                                                 "pjsip.conf absent: no PJSIP objects")
    if cfg is None:
        if not host.loaded(*CHANNELS["pjsip"]) or not (host_wizard_objects(host) or any(
                pjsip_sources(host)[kind].mappings for kind, _controls in BACKEND_CONTROLS)):
            return not_applicable
        cfg = Config(host.path("pjsip.conf"), host.config_dir)      # wizard or backends only
    cfg = with_wizard(cfg, host_wizard_objects(host))
    return _with_backends(host, options, cfg, {
        "PBX-PJS-001": _anonymous(host, cfg),
        "PBX-PJS-002": _unauthenticated(cfg, options.provider_nets + options.trusted_nets),
        "PBX-PJS-003": _unauthenticated_options(cfg),
        "PBX-PJS-004": _trunk_subscribe(cfg, options.sip_trunks),
    })
