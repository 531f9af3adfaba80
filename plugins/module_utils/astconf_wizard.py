# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The PJSIP objects ``res_pjsip_config_wizard`` builds from ``pjsip_wizard.conf``.

Public API::

    cfg = load_config("/etc/asterisk/pjsip_wizard.conf")
    for obj in expand(cfg):                 # WizardObject: a Category of the object Asterisk builds
        obj.kind, obj.name, obj.get("auth")  # "endpoint", "200", "200-iauth" (.path/.line: the wizard line)
    view = with_wizard(pjsip_cfg, expand(cfg))   # pjsip.conf's categories plus the wizard's objects

Emulated from ``res/res_pjsip_config_wizard.c`` (checked on Asterisk 22 with ``pjsip show
endpoints|auths|aors|identifies|registrations``):

* A wizard is a non-template category with a variable ``type = wizard`` (the filter
  ``type=^wizard$``: regular expressions on the variable's name and value, case-sensitive).  Its
  variables are its own and its templates', in order; a wizard option is the LAST of that name
  (ASCII case-insensitive) and a yes/no option goes through ``ast_true()``.
* ``endpoint/...``, ``aor/...``, ``inbound_auth/...``, ``outbound_auth/...``, ``identify/...``,
  ``registration/...`` and ``phoneprov/...`` (prefix case-sensitive) pass the rest of the name
  to that object, in order, before what the wizard adds:

  - endpoint ``<name>``: ``aors=<name>``, ``outbound_proxy``, ``transport``,
    ``outbound_auth=<name>-oauth`` when ``sends_auth``, ``auth=<name>-iauth`` when
    ``accepts_auth`` (whether or not that auth can be built);
  - auths ``<name>-oauth`` / ``<name>-iauth`` when ``sends_auth`` / ``accepts_auth`` and an
    ``outbound_auth/username`` / ``inbound_auth/username`` is set; ``auth_type=userpass`` unless
    set;
  - aor ``<name>``: ``outbound_proxy``, and unless an ``aor/contact`` is set, one ``contact`` per
    remote host from ``contact_pattern`` (default ``sip:${REMOTE_HOST}``);
  - identify ``<name>-identify`` unless ``accepts_registrations`` or
    ``sends_line_with_registrations``, and only with ``remote_hosts``: ``endpoint=<name>`` and,
    unless an ``identify/match`` is set, one ``match`` per remote host, port kept;
  - registrations ``<name>-reg-N`` per remote host when ``sends_registrations``;
  - phoneprov ``<name>-phoneprov`` when ``has_phoneprov`` and ``phoneprov/MAC``.

* ``remote_hosts`` is split at commas outside quotes (``ast_strsep`` with ``AST_STRSEP_TRIM``).
* Wizards are applied in file order; a later wizard of the same name replaces (or deletes) the
  objects an earlier one built, as the memory wizard's update does.
* A pjsip.conf object of the same type and name hides the wizard's (sorcery asks pjsip.conf
  first): :func:`with_wizard` leaves such wizard objects out.

Each option's :class:`~astconf_model.Value` has the ``path:line`` of the wizard line that set it
(the prefixed option, or the wizard option it comes from, such as ``accepts_auth`` or
``remote_hosts``); an option the wizard always adds (``aors``, ``endpoint``) has the header's.
Every step is linear in the variables of the wizard.
"""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import Shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import ast_strip
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import (
    Category,
    Variable,
    ast_true,
    does_category_match,
    fold,
)

WIZARD_MODULE = "res_pjsip_config_wizard"
WIZARD_FILE = "pjsip_wizard.conf"
WIZARD_FILTER = b"type=^wizard$"
QUOTE_DEPTH = 8                 # char stack[8] in ast_strsep()
DEFAULT_CONTACT_PATTERN = b"sip:${REMOTE_HOST}"
DEFAULT_SERVER_URI_PATTERN = b"sip:${REMOTE_HOST}"
DEFAULT_CLIENT_URI_PATTERN = b"sip:${USERNAME}@${REMOTE_HOST}"


class WizardObject(Category):
    """One PJSIP object a wizard builds: a :class:`~astconf_model.Category` whose ``type`` is its
    kind, whose path and line are the wizard's header, and whose values know the wizard line
    that set them.

    :ivar kind: ``endpoint``, ``auth``, ``aor``, ``identify``, ``registration`` or ``phoneprov``.
    :ivar wizard: the wizard :class:`~astconf_model.Category` it comes from.
    """

    __slots__ = ("kind", "wizard")

    def __init__(self, kind, name_b, wizard):
        Category.__init__(self, name_b, wizard.statement)
        self.name_b = name_b                # ids are not cut like category names
        self.name = Shown(name_b)
        self.key = name_b.lower()
        self.kind = kind
        self.wizard = wizard
        self.add(b"type", kind.encode(), _type_line(wizard))

    def add(self, name_b, value_b, origin, inherited_from=None):
        """Append ``name = value`` set by the statement ``origin`` (a wizard line)."""
        self.variables.append(Variable(name_b, value_b, False, origin, inherited_from))

    def extend(self, variables):
        """Append copies of ``variables`` (already stripped of their prefix)."""
        self.variables.extend(variables)

    def __repr__(self):
        return "WizardObject(%s %r from [%s], %s:%d)" % (
            self.kind, self.name, self.wizard.name, self.path, self.line)


def _type_line(wizard):
    """The statement of the wizard's ``type`` line (its header when that line is not found)."""
    found = _last(wizard, b"type")
    return found.statement if found is not None else wizard.statement


def _last(wizard, name_b):
    """``ast_variable_find_last_in_list()``: the last variable of that name (ASCII
    case-insensitive), or None."""
    key = fold(name_b)
    found = None
    for var in wizard.variables:
        if var.key == key:
            found = var
    return found


def _true(wizard, name_b):
    found = _last(wizard, name_b)
    return found is not None and ast_true(found.value_b)


def _value(wizard, name_b):
    """``(value bytes, variable)`` of a wizard option, ``(None, None)`` when absent."""
    found = _last(wizard, name_b)
    return (found.value_b, found) if found is not None else (None, None)


def _passed(wizard, prefix):
    """``get_object_variables()``: the variables named ``prefix`` + something (prefix compared
    case-sensitively), renamed without the prefix, in order."""
    return [Variable(var.name_b[len(prefix):], var.value_b, var.object, var.statement,
                     var.inherited_from)
            for var in wizard.variables
            if var.name_b.startswith(prefix) and len(var.name_b) > len(prefix)]


def _has(variables, name_b):
    key = fold(name_b)
    return any(var.key == key for var in variables)


def split_hosts(value_b):
    """``remote_hosts`` as the wizard splits it: ``ast_strsep(',', AST_STRSEP_TRIM)`` until it
    returns NULL.  Commas inside quotes or after a backslash do not split; an empty entry (``a,``)
    is kept; quote nesting deeper than 8 ends the list."""
    hosts = []
    if not value_b:
        return hosts
    rest = value_b
    while rest is not None:
        host, rest, ok = _next_host(rest)
        if not ok:
            break
        hosts.append(host)
    return hosts


def _next_host(text):
    """One ``ast_strsep()`` step: ``(entry, rest or None, ok)``."""
    if not text:
        return b"", None, True
    stack = [0] * QUOTE_DEPTH
    depth = 0
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == 0x5C:                    # backslash: the next byte is taken as it is
            pos += 1
            if pos >= len(text):
                break
            pos += 1
            if pos >= len(text):
                break
            char = text[pos]
        if char in (0x22, 0x27):
            if char == stack[depth]:
                stack[depth] = 0
                depth -= 1
            else:
                depth += 1
                if depth >= QUOTE_DEPTH:
                    return None, None, False
                stack[depth] = char
        if char == 0x2C and not depth:
            return _trimmed(text[:pos]), text[pos + 1:], True
        pos += 1
    return _trimmed(text), None, True


def _trimmed(entry):
    """``AST_STRSEP_TRIM``: blanks removed, unless nothing would be left."""
    return ast_strip(entry) or entry


def _substituted(pattern, values):
    """``pattern`` (bytes) with each ``${NAME}`` replaced by ``values[NAME]`` (empty when not
    there, as ``ast_str_substitute_variables_varshead()`` does), in one pass."""
    out = []
    pos = 0
    while True:
        start = pattern.find(b"${", pos)
        end = pattern.find(b"}", start + 2) if start >= 0 else -1
        if end < 0:
            out.append(pattern[pos:])
            return b"".join(out)
        name = pattern[start + 2:end]
        out.append(pattern[pos:start])
        out.append(values.get(name, b""))
        pos = end + 1


class _Build:
    """The objects of one wizard category, as its handlers build them."""

    def __init__(self, wizard):
        self.wizard = wizard
        self.id_b = wizard.name_b
        raw, self.hosts_var = _value(wizard, b"remote_hosts")
        self.hosts = split_hosts(raw)

    def new(self, kind, suffix=b""):
        return WizardObject(kind, self.id_b + suffix, self.wizard)

    def copy_option(self, obj, name_b, into=None):
        """Pass wizard option ``name_b`` (when set and not empty) on as ``into``."""
        value, var = _value(self.wizard, name_b)
        if value:
            obj.add(into or name_b, value, var.statement, var.inherited_from)

    def endpoint(self):
        obj = self.new("endpoint")
        obj.extend(_passed(self.wizard, b"endpoint/"))
        obj.add(b"aors", self.id_b, self.wizard.statement)
        self.copy_option(obj, b"outbound_proxy")
        self.copy_option(obj, b"transport")
        for flag, option, suffix in ((b"sends_auth", b"outbound_auth", b"-oauth"),
                                     (b"accepts_auth", b"auth", b"-iauth")):
            if _true(self.wizard, flag):
                var = _last(self.wizard, flag)
                obj.add(option, self.id_b + suffix, var.statement, var.inherited_from)
        return obj

    def auth(self, direction):
        """``(auth or None, key deleted or None)``: the auth of ``direction`` (``inbound`` or
        ``outbound``)."""
        flag, suffix = (b"accepts_auth", b"-iauth") if direction == "inbound" else \
            (b"sends_auth", b"-oauth")
        if not _true(self.wizard, flag):
            return None, ("auth", self.id_b + suffix)
        passed = _passed(self.wizard, direction.encode() + b"_auth/")
        if not _has(passed, b"username"):
            return None, None               # "must have ..._auth/username": nothing changes
        obj = self.new("auth", suffix)
        obj.extend(passed)
        if not _has(passed, b"auth_type"):
            obj.add(b"auth_type", b"userpass", _last(self.wizard, flag).statement)
        return obj, None

    def aor(self):
        obj = self.new("aor")
        passed = _passed(self.wizard, b"aor/")
        obj.extend(passed)
        self.copy_option(obj, b"outbound_proxy")
        if not _has(passed, b"contact"):
            pattern, pattern_var = _value(self.wizard, b"contact_pattern")
            if pattern is None:
                pattern = DEFAULT_CONTACT_PATTERN
            if pattern:
                origin = (pattern_var or self.hosts_var)
                for host in self.hosts:
                    obj.add(b"contact", _substituted(pattern, {b"REMOTE_HOST": host}),
                            origin.statement if origin is not None else self.wizard.statement)
        return obj

    def identify(self):
        """``(identify or None, key deleted or None)``."""
        suffix = b"-identify"
        if _true(self.wizard, b"accepts_registrations") or \
                _true(self.wizard, b"sends_line_with_registrations"):
            return None, ("identify", self.id_b + suffix)
        if not self.hosts:
            return None, None               # "must have 'remote_hosts'": nothing changes
        obj = self.new("identify", suffix)
        passed = _passed(self.wizard, b"identify/")
        obj.extend(passed)
        obj.add(b"endpoint", self.id_b, self.wizard.statement)
        if not _has(passed, b"match"):
            for host in self.hosts:
                if host:                    # an empty entry matches nothing
                    obj.add(b"match", host, self.hosts_var.statement,
                            self.hosts_var.inherited_from)
        return obj, None

    def registrations(self):
        """``(registrations, replaces)``: ``replaces`` is True when they replace every earlier
        registration of this wizard (False: an error left them as they were)."""
        if not _true(self.wizard, b"sends_registrations"):
            return [], True
        if not self.hosts:
            return [], False
        username = self.id_b
        if _true(self.wizard, b"sends_auth"):
            username, _var = _value(self.wizard, b"outbound_auth/username")
            if username is None:
                return [], False
        server, server_var = _value(self.wizard, b"server_uri_pattern")
        client, client_var = _value(self.wizard, b"client_uri_pattern")
        server = DEFAULT_SERVER_URI_PATTERN if server is None else server
        client = DEFAULT_CLIENT_URI_PATTERN if client is None else client
        found = []
        for number, host in enumerate(self.hosts):
            obj = self.new("registration", b"-reg-%d" % number)
            obj.extend(_passed(self.wizard, b"registration/"))
            self.copy_option(obj, b"outbound_proxy")
            names = {b"REMOTE_HOST": host, b"USERNAME": username}
            for option, pattern, var in ((b"server_uri", server, server_var),
                                         (b"client_uri", client, client_var)):
                if pattern:
                    origin = var or self.hosts_var
                    obj.add(option, _substituted(pattern, names), origin.statement)
            if _true(self.wizard, b"sends_auth"):
                obj.add(b"outbound_auth", self.id_b + b"-oauth",
                        _last(self.wizard, b"sends_auth").statement)
            self.copy_option(obj, b"transport")
            if _true(self.wizard, b"sends_line_with_registrations"):
                origin = _last(self.wizard, b"sends_line_with_registrations").statement
                obj.add(b"line", b"yes", origin)
                obj.add(b"endpoint", self.id_b, origin)
            found.append(obj)
        return found, True

    def phoneprov(self):
        """``(phoneprov or None, key deleted or None)``."""
        suffix = b"-phoneprov"
        if not _true(self.wizard, b"has_phoneprov"):
            return None, ("phoneprov", self.id_b + suffix)
        if _last(self.wizard, b"phoneprov/MAC") is None:
            return None, None
        obj = self.new("phoneprov", suffix)
        obj.extend(_passed(self.wizard, b"phoneprov/"))
        obj.add(b"endpoint", self.id_b, self.wizard.statement)
        return obj, None


def wizards(cfg):
    """The categories of a loaded pjsip_wizard.conf the wizard builds objects from, in order."""
    return [c for c in cfg.categories
            if not c.template and does_category_match(c, None, WIZARD_FILTER, 0x2C)]


def _apply(objects, registrations, wizard):
    """Apply one wizard to ``objects`` (``{(kind, id): WizardObject}``) as its handlers do."""
    build = _Build(wizard)
    objects[("endpoint", build.id_b)] = build.endpoint()
    objects[("aor", build.id_b)] = build.aor()
    for made, gone in (build.auth("outbound"), build.auth("inbound"), build.identify(),
                       build.phoneprov()):
        if made is not None:
            objects[(made.kind, made.name_b)] = made
        elif gone is not None:
            objects.pop(gone, None)
    made, replaces = build.registrations()
    if replaces:
        for old in registrations.pop(build.id_b, ()):
            objects.pop(("registration", old), None)
        registrations[build.id_b] = [obj.name_b for obj in made]
    for obj in made:
        objects[("registration", obj.name_b)] = obj


def expand(cfg):
    """The objects ``res_pjsip_config_wizard`` keeps after loading ``cfg`` (a loaded
    pjsip_wizard.conf), as :class:`WizardObject` in the order they were first built."""
    objects, registrations = {}, {}
    for wizard in wizards(cfg):
        _apply(objects, registrations, wizard)
    return list(objects.values())


class PjsipView:
    """pjsip.conf's categories with the wizard's objects after them: what compliance checks read
    as ``cfg.categories``.  A wizard object whose type and name a pjsip.conf object also has is
    left out (sorcery finds pjsip.conf's first).

    :ivar categories: the categories, then the wizard objects.
    :ivar config: the pjsip.conf :class:`~astconf_model.Config`.
    """

    __slots__ = ("categories", "config")

    def __init__(self, config, objects):
        self.config = config
        taken = set()
        for category in config.categories:
            kind = category.get("type")
            if not category.template and kind is not None:
                taken.add((fold(str(kind).strip()), category.name_b))
        self.categories = list(config.categories) + [
            obj for obj in objects if (obj.kind.encode(), obj.name_b) not in taken]

    def __getattr__(self, name):
        return getattr(self.config, name)


def with_wizard(config, objects):
    """:class:`PjsipView` of ``config`` (pjsip.conf) and the wizard ``objects``; ``config``
    itself when there are none."""
    return PjsipView(config, objects) if objects else config


def host_wizard_objects(host):
    """The wizard's objects on an audited host (:class:`~compliance_host.Host`): none unless
    res_pjsip and res_pjsip_config_wizard are loaded and pjsip_wizard.conf exists (expanded once
    per host).

    :raises AsteriskConfigError: Asterisk refuses pjsip_wizard.conf.
    """
    if not host.loaded("res_pjsip", WIZARD_MODULE):
        return []
    return host.remember("pjsip_wizard_objects", lambda: _expanded(host.config(WIZARD_FILE)))


def _expanded(cfg):
    return expand(cfg) if cfg is not None else []
