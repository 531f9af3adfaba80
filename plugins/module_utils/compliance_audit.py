# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The whole audit of one host: the operator's options, the checks of every area (each asked
only when one of its controls is wanted), and the module result.

A tree Asterisk would refuse makes the controls that need it ``error`` (naming file and line);
the other controls are still judged.  Where the loaded modules rest on an assumption (no module
directory to look at), each control judged with them carries a finding that says so."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    compliance_dialplan,
    compliance_files,
    compliance_firewall,
    compliance_freepbx,
    compliance_iax,
    compliance_logging,
    compliance_manager,
    compliance_pjsip,
    compliance_probe,
    compliance_secrets,
    compliance_sip,
    compliance_useragent,
    compliance_voicemail,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import networks
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    backends_alone,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    apply_choices,
    finding,
    summarize,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    DEFAULT_POLICY as SECRET_POLICY,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
    DEFAULT_INTERNATIONAL,
    DEFAULT_PREMIUM,
)

AUDIT_POLICY = {
    "pin_min_length": 6,
    "max_logins": 3,
    "disa_min_length": 8,
    "international_patterns": list(DEFAULT_INTERNATIONAL),
    "premium_patterns": list(DEFAULT_PREMIUM),
    "require_pin": False,
}

# (controls, check): a check returns {control ID: Outcome} for its controls.
AREAS = (
    (compliance_sip.CONTROLS, compliance_sip.audit),
    (compliance_pjsip.CONTROLS, compliance_pjsip.audit),
    (compliance_iax.CONTROLS, compliance_iax.audit),
    (compliance_dialplan.CONTROLS, compliance_dialplan.audit),
    (("PBX-DP-004",), lambda host, _options: {"PBX-DP-004": compliance_dialplan.audit_conf(host)}),
    (compliance_secrets.CONTROLS, compliance_secrets.audit),
    (compliance_voicemail.CONTROLS, compliance_voicemail.audit),
    (compliance_firewall.CONTROLS, compliance_firewall.audit),
    (("PBX-NET-005",), compliance_useragent.audit),
    (("PBX-AMI-001", "PBX-AMI-002"), compliance_manager.audit_ami),
    (("PBX-HTTP-001",), compliance_manager.audit_http),
    (("PBX-LOG-001",), compliance_logging.audit_logger),
    (("PBX-LOG-002",), compliance_logging.audit_fail2ban),
    (("PBX-FS-001",), compliance_files.audit),
)
NOT_ON_A_LIVE_HOST = {
    "PBX-DEC-001": Outcome.not_applicable(
        "decommissioning is not a property of a running PBX: run playbooks/decommission.yml "
        "when the host is retired"),
    "PBX-ACC-001": Outcome.manual([dict(file=None, line=None, object="provider account",
                                        message="check the provider's auto top-up limit, then "
                                                "attest it (attest: {PBX-ACC-001: who/when})")]),
    "PBX-ACC-002": Outcome.manual([dict(file=None, line=None, object="provider account",
                                        message="check the provider's international calling "
                                                "PIN, then attest it (attest: {PBX-ACC-002: "
                                                "who/when})")]),
}
NOT_ON_A_LIVE_HOST.update(compliance_probe.NOT_PROBED)


class Options:
    """The operator's choices, checked.  Raises ValueError with a message a person can act on."""

    def __init__(self, params):
        self.provider_nets = networks(params["provider_networks"])
        self.trusted_nets = networks(params["trusted_networks"])
        self.management_nets = networks(params["management_networks"])
        self.sip_trunks = list(params["sip_trunks"])
        self.keys_dir = params["keys_dir"]
        self.asterisk_group = params["asterisk_group"]
        self.fail2ban_dir = params["fail2ban_dir"]
        # "backends": judge only the objects Asterisk takes from databases (compliance_backends).
        self.backends_alone = params.get("objects", "all") == "backends"
        policy = dict(params["policy"] or {})
        unknown = sorted(set(policy) - set(SECRET_POLICY) - set(AUDIT_POLICY))
        if unknown:
            raise ValueError("unknown policy keys: %s (known: %s)" % (
                ", ".join(unknown), ", ".join(sorted(set(SECRET_POLICY) | set(AUDIT_POLICY)))))
        self.secret_policy = make_policy(dict((k, v) for k, v in policy.items()
                                              if k in SECRET_POLICY))
        self.policy = dict(AUDIT_POLICY)
        self.policy.update((k, v) for k, v in policy.items() if k in AUDIT_POLICY)


def _wanted(controls, only, skip):
    return any((not only or c in only) and c not in skip for c in controls)


def run_checks(host, options, only=(), skip=()):
    """``({control ID: Outcome}, IDs judged with the loaded modules)`` of every wanted area (the
    others are left out)."""
    outcomes = dict(NOT_ON_A_LIVE_HOST)
    with_modules = set()
    for controls, check in AREAS:
        if not _wanted(controls, only, skip):
            continue
        asked = host.modules_asked
        try:
            judged = check(host, options)
            if options.backends_alone:
                judged = dict((control, backends_alone(outcome))
                              for control, outcome in judged.items())
            outcomes.update(judged)
        except (AsteriskConfigError, OSError) as exc:
            outcomes.update((control, Outcome.error(exc)) for control in controls)
        if host.modules_asked != asked:
            with_modules.update(controls)
    return outcomes, with_modules


def _say_modules_assumed(entries, with_modules, host, only, skip):
    """Add to each entry judged with assumed modules a finding that says so, and from what."""
    if host.module_assumption is None:
        return
    note = finding(host.path("modules.conf"), None, None,
                   "module set assumed: loaded modules predicted from modules.conf and %s"
                   % host.module_assumption)
    for entry in entries:
        if entry["id"] in with_modules and _wanted((entry["id"],), only, skip):
            entry["findings"] = entry["findings"] + [note]


def audit(host, options, only=(), skip=(), waivers=None, attest=None, object_waivers=None):
    """The module result (without ``changed``): ``controls``, ``summary``, ``compliant``,
    ``freepbx``, and ``sip_surface`` (the ports and a user ``pbx_probe`` knocks with).  On a
    FreePBX host each remediation names the GUI setting or the custom file that fixes the
    control (never a generated file)."""
    outcomes, with_modules = run_checks(host, options, only, skip)
    entries = apply_choices(outcomes, only, skip, waivers, attest, object_waivers)
    _say_modules_assumed(entries, with_modules, host, only, skip)
    freepbx = host.freepbx
    if freepbx is not None:
        for entry in entries:
            entry["remediation"] = compliance_freepbx.remediation(entry["id"],
                                                                  entry["remediation"])
    counts, compliant = summarize(entries)
    return dict(controls=entries, summary=counts, compliant=compliant,
                module_source=host.module_source, module_assumption=host.module_assumption,
                live=host.live,
                freepbx=freepbx.as_dict() if freepbx is not None else None,
                sip_surface=compliance_probe.surface(host, options))
