# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credential discovery and the secret policy (controls PBX-SEC-001..005).

Public API::

    policy = make_policy({"min_length": 14})
    problems = secret_problems("hunter2", ["100", "bob"], policy, min_length=12)
    findings = audit_dir("/etc/asterisk", policy)      # [Finding, ...]
    Register("trunk?tcp://4000:pw@sip.example/4000")     # .user, .secret, .host, .clear...

A :class:`Finding` names the object, file and line and the reasons; it never holds the secret.
Values are judged as Asterisk computes them (templates, ``(+)``, ``#include``) through the
config engine: the effective value of an option is the last assignment of the category.
"""

from __future__ import annotations

import hashlib
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import (
    WIZARD_FILE,
    expand,
    wizards,
)

CONTROLS = ("PBX-SEC-001", "PBX-SEC-002", "PBX-SEC-003", "PBX-SEC-004", "PBX-SEC-005")

WEAK_WORDS = ("1234", "12345", "123456", "1234567", "12345678", "123456789", "0000", "1111",
              "password", "passw0rd", "secret", "asterisk", "admin", "letmein", "welcome",
              "changeme", "default", "qwerty", "abc123", "iloveyou", "monkey", "voip", "sip",
              "freepbx", "amp111", "amp109", "pbx")
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm",
                 "azertyuiop", "qsdfghjklm", "wxcvbn", "abcdefghijklmnopqrstuvwxyz",
                 "1qaz2wsx3edc4rfv", "qazwsxedcrfv")

DEFAULT_POLICY = {
    "min_length": 12,
    "ami_min_length": 16,
    "require_letters": True,
    "require_digits": True,
    "check_names": True,
    "weak_words": [],
    "keyboard_walk_length": 4,
}


class Finding:
    """One credential that breaks the policy (or a missing one, for endpoints without auth)."""

    __slots__ = ("control", "object", "kind", "file", "line", "reasons", "config", "section",
                 "section_type", "option", "rotatable", "why_not_rotatable")

    def __init__(self, control, obj, kind, where, reasons, config, option=None,
                 rotatable=False, why_not=None, section_type=None, section=None):
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

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}


# --- the policy ------------------------------------------------------------------------------

def make_policy(overrides=None):
    """The default policy with ``overrides`` applied; raises ValueError on bad input."""
    policy = dict(DEFAULT_POLICY)
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_POLICY:
            raise ValueError("unknown policy key %r (known: %s)"
                             % (key, ", ".join(sorted(DEFAULT_POLICY))))
        policy[key] = value
    for key in ("min_length", "ami_min_length", "keyboard_walk_length"):
        policy[key] = int(policy[key])
        if policy[key] < 1:
            raise ValueError("policy %s must be at least 1" % key)
    policy["weak_words"] = [str(word).lower() for word in policy["weak_words"] or []]
    return policy


def _classes(secret):
    classes = set()
    for char in secret:
        if char.isdigit():
            classes.add("digit")
        elif char.isalpha():
            classes.add("upper" if char.isupper() else "lower")
        else:
            classes.add("other")
    return classes


def _keyboard_walk(lowered, run):
    """True when ``lowered`` holds ``run`` or more keys in a row of a keyboard (either way)."""
    for row in KEYBOARD_ROWS:
        for text in (row, row[::-1]):
            for start in range(len(text) - run + 1):
                if text[start:start + run] in lowered:
                    return True
    return False


def _repeats(secret, name):
    """True when ``secret`` is ``name`` repeated (``100100``)."""
    if not name or len(secret) % len(name):
        return False
    return secret.lower() == name.lower() * (len(secret) // len(name))


def _name_problems(lowered, names):
    for name in names:
        name_l = name.lower()
        if len(name_l) < 3:
            continue
        if lowered == name_l:
            return ["equal to the object name, extension or username"]
        if _repeats(lowered, name_l):
            return ["the object name, extension or username repeated"]
        if name_l in lowered:
            return ["contains the object name, extension or username"]
        if lowered[::-1] == name_l:
            return ["the object name, extension or username reversed"]
    return []


def secret_problems(secret, names, policy, min_length=None):
    """Reasons why ``secret`` breaks ``policy`` (never containing the secret); [] when fine."""
    if secret is None or secret == "":
        return ["empty"]
    floor = policy["min_length"] if min_length is None else min_length
    reasons = []
    if len(secret) < floor:
        reasons.append("shorter than %d characters" % floor)
    classes = _classes(secret)
    if policy["require_letters"] and not classes & {"upper", "lower"}:
        reasons.append("no letter")
    if policy["require_digits"] and "digit" not in classes:
        reasons.append("no digit")
    if len(classes) < 2:
        reasons.append("one character class only")
    if len(set(secret)) == 1 and len(secret) > 1:
        reasons.append("one character repeated")
    lowered = secret.lower()
    weak = set(WEAK_WORDS) | set(policy["weak_words"])
    if lowered in weak or lowered.rstrip("0123456789!") in weak:
        reasons.append("in the weak list")
    elif _keyboard_walk(lowered, policy["keyboard_walk_length"]):
        reasons.append("keyboard walk or sequence")
    if policy["check_names"]:
        reasons.extend(_name_problems(lowered, [n for n in names if n]))
    return reasons


def md5secret_problems(md5secret, user, realm, names, policy):
    """``md5secret`` is ``md5(user:realm:secret)``: flag it when it is the hash of a weak
    guess (a weak word, a name, a name repeated)."""
    guesses = set(WEAK_WORDS) | set(policy["weak_words"])
    for name in names:
        if name:
            guesses.update((name, name * 2, name.lower()))
    target = md5secret.strip().lower()
    for guess in guesses:
        digest = hashlib.md5(("%s:%s:%s" % (user, realm, guess)).encode("utf-8")).hexdigest()
        if digest == target:
            return ["the hash of a weak secret (weak list or a name)"]
    return []


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
            findings.append(Finding("PBX-SEC-001", category.name, "chan_sip " + kind, value,
                                    reasons, cfg.root_path, option, rotatable, why))
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


REGISTER_BUFFER = 256      # char buf[256] in sip_parse_register_line()


class Register:
    """A ``register =>`` value as chan_sip's ``sip_parse_register_line()`` reads it:
    ``[peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]``.

    :ivar valid: chan_sip accepts the line (it refuses one without ``@host``, and one whose user
        part holds a ``/`` that is not ``transport://``).
    :ivar clear: the name ``user@host`` holds no part of a secret: the line is valid and what
        comes before the user (a peer name, a transport) reads as one.  A ``?`` inside a secret
        (``4000:Tr?unk@host``) makes chan_sip take ``4000:Tr`` for a peer name and the rest of
        the secret for the user: such a line is not clear.
    """

    __slots__ = ("valid", "clear", "user", "secret", "authuser", "host", "extension")

    def __init__(self, text):
        self.valid = self.clear = False
        self.user = self.secret = self.authuser = self.host = self.extension = ""
        buf = text.encode("utf-8", "surrogateescape")[:REGISTER_BUFFER - 1]
        userpart, at, hostpart = buf.rpartition(b"@")
        if not at or not userpart or not hostpart:
            return
        peer, userpart = _split(userpart, b"?", 2)
        if not userpart:
            peer, userpart = None, peer
        transport, blank, rest = _split(userpart, b"/", 3)
        if not rest:
            transport, rest = None, transport
        if blank:
            return
        userdomain, secret, authuser = _split(rest, b":", 3)
        hostpart = _split(hostpart, b"~", 2)[0]
        hostport, extension = _split(hostpart, b"/", 2)
        authuser, domainport = _split(authuser, b":", 2)
        if domainport is not None:      # user@domain:port:secret:authuser
            secret, authuser = authuser, domainport
        self.valid = True
        self.clear = _plain(peer) and (transport is None or transport[:-1].isalpha())
        self.user = _unquoted(_split(userdomain, b"@", 2)[0])
        self.host = _unquoted(_split(hostport, b":", 2)[0])
        self.secret, self.authuser = _unquoted(secret), _unquoted(authuser)
        self.extension = _unquoted(extension)


def _split(text, delimiter, count):
    """``AST_NONSTANDARD_RAW_ARGS``: ``text`` (bytes or None) split at ``delimiter`` into at most
    ``count`` fields, the last one taking the rest.  A delimiter inside ``()``, ``[]`` or
    ``"..."``, or right after a backslash, does not split.  Missing fields are None."""
    text = text or b""
    fields = []
    pos = 0
    paren = bracket = quote = 0
    ended_on_delimiter = False
    while pos < len(text) and len(fields) < count - 1:
        start = pos
        while pos < len(text):
            byte = text[pos:pos + 1]
            if byte == b"\\":
                pos += 1
            elif byte == delimiter and not (paren or quote or bracket):
                break
            paren, bracket, quote = _nesting(byte, paren, bracket, quote)
            pos += 1
        fields.append(text[start:pos])
        ended_on_delimiter = pos < len(text)
        pos += 1 if ended_on_delimiter else 0
    if pos < len(text) or ended_on_delimiter:
        fields.append(text[pos:])
    return fields + [None] * (count - len(fields))


def _nesting(byte, paren, bracket, quote):
    """The ``()``, ``[]`` and ``"`` state of ``__ast_app_separate_args()`` after ``byte``."""
    if byte == b"(":
        paren += 1
    elif byte == b")":
        paren = max(paren - 1, 0)
    elif byte == b"[":
        bracket += 1
    elif byte == b"]":
        bracket = max(bracket - 1, 0)
    elif byte == b'"':
        quote = 1 - quote
    return paren, bracket, quote


def _plain(peer):
    """No peer, or a peer name as sip.conf can hold one (no ``:``, ``@``, ``/``, quote or
    blank)."""
    if peer is None:
        return True
    return bool(peer) and not any(byte in b":@/\"" or byte < 33 for byte in peer)


def _unquoted(field):
    """``ast_strip_quoted(field, "\"", "\"")`` as text; empty for a missing field."""
    if not field:
        return ""
    if len(field) > 1 and field[:1] == b'"' and field[-1:] == b'"':
        field = field[1:-1]
    return shown(field)


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
    return [Finding("PBX-SEC-001", register_object(value, register), "chan_sip register", value,
                    reasons, cfg.root_path, "register", False,
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
            findings.append(Finding(
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
    return [Finding("PBX-SEC-002", category.name, "pjsip auth", where, reasons, cfg.root_path,
                    "password", rotatable, why, section_type="auth")]


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
            findings.append(Finding(
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
    reasons = secret_problems(str(value) if value is not None else "",
                              _names(obj, "username") + [obj.wizard.name], policy)
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
    return [Finding("PBX-SEC-002", obj.name, "pjsip wizard %s auth" % direction, where, reasons,
                    cfg.root_path, "%s_auth/password" % direction, rotatable, why,
                    section_type="wizard", section=obj.wizard.name)]


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
        reasons = secret_problems(str(value), _names(category, "username"), policy)
        if not reasons:
            continue
        phone = kind in ("user", "friend") or str(_value(category, "host", "")).lower() == "dynamic"
        rotatable, why = _sip_rotatable(cfg, category, "secret", phone)
        findings.append(Finding("PBX-SEC-003", category.name, "iax2 " + kind, value, reasons,
                                cfg.root_path, "secret", rotatable, why))
    return findings


def manager_findings(cfg, policy):
    """PBX-SEC-004: AMI users (manager.conf and what it includes, e.g. manager.d)."""
    findings = []
    for category in _objects(cfg):
        value = category.get("secret")
        if value is None:
            continue
        reasons = secret_problems(str(value), [category.name], policy,
                                  min_length=policy["ami_min_length"])
        if not reasons:
            continue
        rotatable, why = (True, None) if _first(cfg, category) else \
            (False, "another [%s] comes first: rotate it by hand" % category.name)
        findings.append(Finding("PBX-SEC-004", category.name, "ami user", value, reasons,
                                cfg.root_path, "secret", rotatable, why))
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
        findings.append(Finding("PBX-SEC-005", category.name, "ari user",
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

    :returns: ``(findings, statuses, errors)``: the :class:`Finding` list, control ID to
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
