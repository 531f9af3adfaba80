# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credential findings of the files of a configuration directory (controls PBX-SEC-001..005),
judged by the secret policy (:mod:`compliance_secret_policy`).

Public API::

    findings, statuses, errors = audit_dir("/etc/asterisk", policy)   # [WeakCredential, ...], ...

A :class:`WeakCredential` names the object, file and line and the reasons; it never holds the
secret. The audit turns each into its one finding type (:func:`compliance_result.finding`);
``asterisk_secrets`` returns them whole, with what a rotation needs.
Values are judged as Asterisk computes them (templates, ``(+)``, ``#include``) through the
config engine: the effective value of an option is the last assignment of the category.
"""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_secrets import Register
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import (
    WIZARD_FILE,
    expand,
    wizards,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    md5secret_problems,
    secret_problems,
)

CONTROLS = ("PBX-SEC-001", "PBX-SEC-002", "PBX-SEC-003", "PBX-SEC-004", "PBX-SEC-005")


class WeakCredential:
    """One credential that breaks the policy (or a missing one, for endpoints without auth): what
    the audit reports of it, and for a rotation the file, section and option to write."""

    __slots__ = ("control", "object", "kind", "file", "line", "reasons", "config", "section",
                 "section_type", "option", "rotatable", "why_not_rotatable", "names",
                 "min_length")

    def __init__(self, control, obj, kind, where, reasons, config, option=None,
                 rotatable=False, why_not=None, section_type=None, section=None, judged=None):
        self.control = control
        self.object = obj
        self.kind = kind
        self.file = where.path if where is not None else config
        self.line = where.line if where is not None else 0
        self.reasons = list(reasons)
        self.config = config
        self.section = obj if section is None else section
        self.section_type = section_type
        self.option = option
        self.rotatable = rotatable
        self.why_not_rotatable = None if rotatable else why_not
        # For a rotatable credential, how the value was judged, so that a new one is judged the
        # same way: the names it must not contain and the length floor (None: the policy's
        # min_length). Empty for the others: a result shows no more of an object than it needs.
        self.names, self.min_length = judged if rotatable and judged else ([], None)

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}


# --- discovery -------------------------------------------------------------------------------

def _load(config_dir, name):
    path = os.path.join(config_dir, name)
    if not os.path.exists(path):
        return None
    return load_config(path, config_dir)


def _objects(cfg, skip=("general",)):
    """Non-template categories except ``skip``."""
    return [c for c in cfg.categories if not c.template and c.name.lower() not in skip]


def _first(cfg, category, kind=None):
    return cfg.first(category.name, kind) is category


def _value(category, option, default=None):
    value = category.get(option)
    return default if value is None else value


def _names(category, *options):
    names = [category.name]
    for option in options:
        value = category.get(option)
        if value:
            names.append(str(value))
    return names


def sip_findings(cfg, policy):
    """PBX-SEC-001: chan_sip peers and users (``secret``, ``md5secret``, ``remotesecret``) and
    ``register =>`` lines."""
    findings = []
    general = cfg.first("general")
    realm = str(_value(general, "realm", "asterisk")) if general is not None else "asterisk"
    for category in _objects(cfg, skip=("general", "authentication")):
        kind = str(_value(category, "type", "")).lower()
        if kind not in ("peer", "user", "friend"):
            continue
        names = _names(category, "defaultuser", "username", "fromuser")
        host = str(_value(category, "host", "")).lower()
        phone = kind in ("user", "friend") or host == "dynamic"
        for option in ("secret", "md5secret", "remotesecret"):
            value = category.get(option)
            if value is None:
                continue
            if option == "md5secret":
                user = str(_value(category, "defaultuser", category.name))
                reasons = md5secret_problems(str(value), user, realm, names, policy)
            else:
                reasons = secret_problems(str(value), names, policy)
            if not reasons:
                continue
            rotatable, why = _sip_rotatable(cfg, category, option, phone)
            findings.append(WeakCredential("PBX-SEC-001", category.name, "chan_sip " + kind, value,
                                           reasons, cfg.root_path, option, rotatable, why,
                                           judged=(names, None)))
    if general is not None:
        for value in general.get_all("register"):
            findings.extend(_register_finding(cfg, value, policy))
    return findings


def _sip_rotatable(cfg, category, option, phone):
    if option != "secret":
        return False, "%s is not generated here: set a strong secret and remove it" % option
    if not phone:
        return False, "provider credential (host is not dynamic): change it with the provider"
    if not _first(cfg, category):
        return False, "another [%s] comes first: rotate it by hand" % category.name
    return True, None


def register_object(value, register):
    """The object name of the ``register =>`` line ``value`` (its :class:`Register` reading) in
    findings and reports: ``register user@host``, or ``register line N`` when the line is not
    clear: a name never carries a byte of a secret."""
    if register.clear:
        return "register %s@%s" % (register.user, register.host)
    return "register line %d" % value.line


def _register_finding(cfg, value, policy):
    register = Register(str(value))
    if not register.valid:
        reasons = ["chan_sip cannot parse this register line (it needs user[:secret]@host): "
                   "it is ignored; remove it or fix it"]
    elif register.secret:
        reasons = secret_problems(register.secret,
                                  [register.user, register.authuser, register.extension], policy)
    else:
        reasons = ["no secret in the register line (registration without authentication)"]
    if not reasons:
        return []
    return [WeakCredential("PBX-SEC-001", register_object(value, register), "chan_sip register",
                           value, reasons, cfg.root_path, "register", False,
                           "provider credential: change it with the provider")]


def pjsip_findings(cfg, policy):
    """PBX-SEC-002: ``type=auth`` passwords (``auth_type=userpass``) and endpoints without an
    inbound ``auth=`` that no ``type=identify`` section identifies by address."""
    findings = []
    objects = _objects(cfg, skip=())
    inbound, identified = set(), set()
    for category in objects:
        kind = str(_value(category, "type", "")).lower()
        if kind == "endpoint":
            for auth in str(_value(category, "auth", "")).split(","):
                if auth.strip():
                    inbound.add(auth.strip().lower())
        elif kind == "identify":
            endpoint = category.get("endpoint")
            if endpoint:
                identified.add(str(endpoint).strip().lower())
    for category in objects:
        kind = str(_value(category, "type", "")).lower()
        if kind == "auth":
            findings.extend(_pjsip_auth_finding(cfg, category, inbound, policy))
        elif kind == "endpoint" and not str(_value(category, "auth", "")).strip() \
                and category.name.lower() not in identified and category.name.lower() != "anonymous":
            findings.append(WeakCredential(
                "PBX-SEC-002", category.name, "pjsip endpoint", category,
                ["no inbound auth= and no type=identify: anyone can use it by name"],
                cfg.root_path, "auth", False, "give the endpoint an auth= section or identify it by IP"))
    return findings


def _pjsip_auth_finding(cfg, category, inbound, policy):
    auth_type = str(_value(category, "auth_type", "userpass")).strip().lower()
    if auth_type != "userpass":
        return []
    value = category.get("password")
    names = _names(category, "username")
    reasons = secret_problems(str(value) if value is not None else "", names, policy)
    if not reasons:
        return []
    if category.name.lower() not in inbound:
        rotatable, why = False, "not an inbound auth of any endpoint (provider credential?): change it with the provider"
    elif not _first(cfg, category, "auth"):
        rotatable, why = False, ("another [%s] of type auth comes first (asterisk_config edits "
                                 "the first auth of a name): rotate it by hand" % category.name)
    else:
        rotatable, why = True, None
    where = value if value is not None else category
    return [WeakCredential("PBX-SEC-002", category.name, "pjsip auth", where, reasons,
                           cfg.root_path, "password", rotatable, why, section_type="auth",
                           judged=(names, None))]


def wizard_findings(cfg, policy):
    """PBX-SEC-002 on the objects res_pjsip_config_wizard builds from pjsip_wizard.conf
    (:mod:`astconf_wizard`): the passwords of their auths (``<name>-iauth``, ``<name>-oauth``)
    and endpoints without inbound auth that no identify matches.  Findings name the object
    Asterisk builds and the wizard line; a rotation edits the wizard's ``inbound_auth/password``.
    """
    objects = expand(cfg)
    identified = set(str(o.get("endpoint")) for o in objects if o.kind == "identify")
    findings = []
    for obj in objects:
        if obj.kind == "auth":
            findings.extend(_wizard_auth_finding(cfg, obj, policy))
        elif obj.kind == "endpoint" and not str(_value(obj, "auth", "")).strip() \
                and obj.name not in identified and obj.name.lower() != "anonymous":
            findings.append(WeakCredential(
                "PBX-SEC-002", obj.name, "pjsip wizard endpoint", obj,
                ["no accepts_auth and no remote_hosts identify: anyone can use it by name"],
                cfg.root_path, "accepts_auth", False,
                "give the wizard accepts_auth and inbound_auth/username and password, or "
                "remote_hosts", section_type="wizard", section=obj.wizard.name))
    return findings


def _wizard_auth_finding(cfg, obj, policy):
    if str(_value(obj, "auth_type", "userpass")).strip().lower() != "userpass":
        return []
    inbound = obj.name_b.endswith(b"-iauth")
    direction = "inbound" if inbound else "outbound"
    value = obj.get("password")
    names = _names(obj, "username") + [obj.wizard.name]
    reasons = secret_problems(str(value) if value is not None else "", names, policy)
    if not reasons:
        return []
    if not inbound:
        rotatable, why = False, "outbound credential (provider's): change it with the provider"
    elif not _edited_by_name(cfg, obj.wizard):
        rotatable, why = False, ("another wizard [%s] comes first or later (asterisk_config edits "
                                 "the first, the last one counts): rotate it by hand"
                                 % obj.wizard.name)
    else:
        rotatable, why = True, None
    where = value if value is not None else obj
    return [WeakCredential("PBX-SEC-002", obj.name, "pjsip wizard %s auth" % direction, where,
                           reasons, cfg.root_path, "%s_auth/password" % direction, rotatable,
                           why, section_type="wizard", section=obj.wizard.name,
                           judged=(names, None))]


def _edited_by_name(cfg, wizard):
    """Whether an edit of the wizard's name reaches ``wizard`` and nothing overrides it: it is
    the first category of its name of type wizard and the only wizard of its name."""
    same = [w for w in wizards(cfg) if w.key == wizard.key]
    return cfg.first(wizard.name, "wizard") is wizard and same == [wizard]


def iax_findings(cfg, policy):
    """PBX-SEC-003: IAX2 users, peers and friends with a ``secret``."""
    findings = []
    for category in _objects(cfg, skip=("general", "callnumberlimits")):
        kind = str(_value(category, "type", "")).lower()
        value = category.get("secret")
        if kind not in ("user", "peer", "friend") or value is None:
            continue
        names = _names(category, "username")
        reasons = secret_problems(str(value), names, policy)
        if not reasons:
            continue
        phone = kind in ("user", "friend") or str(_value(category, "host", "")).lower() == "dynamic"
        rotatable, why = _sip_rotatable(cfg, category, "secret", phone)
        findings.append(WeakCredential("PBX-SEC-003", category.name, "iax2 " + kind, value,
                                       reasons, cfg.root_path, "secret", rotatable, why,
                                       judged=(names, None)))
    return findings


def manager_findings(cfg, policy):
    """PBX-SEC-004: AMI users (manager.conf and what it includes, e.g. manager.d)."""
    findings = []
    for category in _objects(cfg):
        value = category.get("secret")
        if value is None:
            continue
        judged = ([category.name], policy["ami_min_length"])
        reasons = secret_problems(str(value), judged[0], policy, min_length=judged[1])
        if not reasons:
            continue
        rotatable, why = (True, None) if _first(cfg, category) else \
            (False, "another [%s] comes first: rotate it by hand" % category.name)
        findings.append(WeakCredential("PBX-SEC-004", category.name, "ami user", value, reasons,
                                       cfg.root_path, "secret", rotatable, why, judged=judged))
    return findings


def ari_findings(cfg, policy):
    """PBX-SEC-005: ARI users: ``password_format=crypt``, else a plain password within policy."""
    findings = []
    for category in _objects(cfg):
        if str(_value(category, "type", "")).lower() != "user":
            continue
        if str(_value(category, "password_format", "plain")).strip().lower() == "crypt":
            continue
        value = category.get("password")
        reasons = ["password_format is not crypt"] + secret_problems(
            str(value) if value is not None else "", [category.name], policy)
        if len(reasons) == 1 and value is not None:
            continue        # plain, but strong: compliant
        findings.append(WeakCredential("PBX-SEC-005", category.name, "ari user",
                                       value if value is not None else category, reasons,
                                       cfg.root_path, "password", False,
                                       "store a crypt hash (ari mkpasswd) instead"))
    return findings


AUDITS = (
    ("PBX-SEC-001", "sip.conf", sip_findings),
    ("PBX-SEC-002", "pjsip.conf", pjsip_findings),
    ("PBX-SEC-002", WIZARD_FILE, wizard_findings),
    ("PBX-SEC-003", "iax.conf", iax_findings),
    ("PBX-SEC-004", "manager.conf", manager_findings),
    ("PBX-SEC-005", "ari.conf", ari_findings),
)


# A control judged on several files takes the status of the worst one.
_STATUS_ORDER = ("not_applicable", "pass", "fail", "error")


def _worse(old, new):
    return new if old is None or _STATUS_ORDER.index(new) > _STATUS_ORDER.index(old) else old


def audit_dir(config_dir, policy, controls=CONTROLS):
    """Audit every credential file of ``config_dir``.

    :returns: ``(findings, statuses, errors)``: the :class:`WeakCredential` list, control ID to
        ``pass``/``fail``/``not_applicable`` (every file of it absent)/``error``, and control ID
        to the message of a tree that would not load (the files of a control are judged each,
        and the worst status counts).
    """
    findings, statuses, errors = [], {}, {}
    for control, name, audit in AUDITS:
        if control not in controls:
            continue
        try:
            cfg = _load(config_dir, name)
        except AsteriskConfigError as exc:
            statuses[control] = "error"
            errors[control] = "; ".join(filter(None, (errors.get(control), str(exc))))
            continue
        if cfg is None:
            statuses[control] = _worse(statuses.get(control), "not_applicable")
            continue
        found = audit(cfg, policy)
        findings.extend(found)
        statuses[control] = _worse(statuses.get(control), "fail" if found else "pass")
    return findings, statuses, errors
