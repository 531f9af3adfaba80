# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The dialplan of ``extensions.conf`` as ``pbx_config`` builds it, where calls enter it and
which contexts they reach.  Judging it (toll fraud, DISA, voicemail) is the audit's job:
:mod:`compliance_tollfraud`.

Public API::

    from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
        load_dialplan, entry_points, reachable)
    plan = load_dialplan("/etc/asterisk/extensions.conf")
    plan.contexts["from-internal"].extensions          # [Extension, ...] in file order
    guests, trunks, notes, sip_general_users = entry_points("/etc/asterisk")
    chains = reachable(plan, guests)                   # {context: [chain step, ...]}

What is modelled (``pbx/pbx_config.c``): ``[general]`` and ``[globals]`` are not contexts;
templates (``[tpl](!)``) are not contexts, but a context made from one (``[ctx](tpl)``) carries
the template's lines first; two categories of one name (``[ctx]`` twice, or ``(+)``) feed one
context.  ``exten => pattern[/callerid],priority[(label)],App(args)``, ``same => ...`` (the last
``exten``'s pattern), ``n``/``n(label)``/``hint`` priorities, ``include => ctx[,timespec]``
(an edge whatever the time spec: it is open at some hour), ``switch``/``lswitch``/``eswitch``.

Reachability follows ``include =>`` and the applications that move a call to another context
with a LITERAL context name: ``Goto``, ``GotoIf``, ``GotoIfTime``, ``Gosub``, ``GosubIf``,
``Macro``/``MacroExclusive`` (context ``macro-<name>``), ``DISA`` (its context argument, default
``disa``) and ``Dial``/``Queue`` of a ``Local/exten@context`` channel.  A target whose context
part holds a variable (``${...}``) cannot be resolved from the files: it is NOT followed, and is
listed in ``notes`` so the operator can judge it.  AEL (``extensions.ael``), Lua and realtime
dialplans are not read.

An entry point that Asterisk does not take calls through now is LATENT, not open: chan_sip's
``[general]`` context with ``allowguest=no`` and ``autocreatepeer`` off, or whatever the caller
says is dormant (a channel driver or identifier module not loaded, an entry point the play
closes).  :func:`entry_points` gives each entry point's ``latent`` reason (None when open), so
that a caller can walk the open and the latent ones apart.
"""

from __future__ import annotations

import functools
import os
import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import (
    ast_false,
    ast_true,
)

NOT_CONTEXTS = ("general", "globals")


class Extension:
    """One priority of one extension: ``exten => pattern,priority,app(args)``."""

    __slots__ = ("context", "pattern", "callerid", "priority", "label", "app", "args", "path",
                 "line")

    def __init__(self, context, pattern, callerid, priority, label, app, args, path, line):
        self.context = context
        self.pattern = pattern
        self.callerid = callerid
        self.priority = priority
        self.label = label
        self.app = app
        self.args = args
        self.path = path
        self.line = line

    @property
    def app_key(self):
        return self.app.lower()

    def __repr__(self):
        return "Extension(%s,%s,%s(%s) %s:%d)" % (
            self.pattern, self.priority, self.app, self.args, self.path, self.line)


class Edge:
    """A way a call moves from ``source`` to context ``target`` (``kind``: include, Goto...)."""

    __slots__ = ("source", "target", "kind", "path", "line", "extension", "note")

    def __init__(self, source, target, kind, path, line, extension=None, note=None):
        self.source = source
        self.target = target
        self.kind = kind
        self.path = path
        self.line = line
        self.extension = extension
        self.note = note

    def describe(self):
        return "%s %s (%s:%d%s)" % (self.kind, self.target, self.path, self.line,
                                    ", " + self.note if self.note else "")


class Context:
    """A dialplan context: its extensions (file order), includes and other edges."""

    def __init__(self, name, path, line):
        self.name = name
        self.path = path
        self.line = line
        self.extensions = []
        self.includes = []
        self.edges = []         # includes first, then application jumps, in file order
        self.switches = []

    def by_pattern(self):
        """``{pattern: [Extension, ...]}`` in file order (one extension, all its priorities)."""
        groups = {}
        for ext in self.extensions:
            groups.setdefault(ext.pattern, []).append(ext)
        return groups


class Dialplan:
    """Every context of an ``extensions.conf`` tree, plus what could not be resolved."""

    def __init__(self, root):
        self.root = root
        self.contexts = {}
        self.notes = []          # {"context", "file", "line", "message"}
        self.files = []

    def note(self, context, path, line, message):
        self.notes.append(dict(context=context, file=path, line=line, message=message))


# --- parsing --------------------------------------------------------------------------------

def split_args(text, sep=","):
    """Split at ``sep`` outside ``()``, ``[]``, ``{}`` and double quotes (as ``pbx_config`` and
    the applications' ``AST_STANDARD_APP_ARGS`` do, close enough for targets)."""
    parts, depth, quote, start = [], 0, False, 0
    for pos, char in enumerate(text):
        if char == '"':
            quote = not quote
        elif quote:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in sep and depth == 0:
            parts.append(text[start:pos])
            start = pos + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _split_top(text, char):
    """``(before, after)`` at the first ``char`` outside brackets, or ``(text, None)``."""
    depth = 0
    for pos, current in enumerate(text):
        if current in "([{":
            depth += 1
        elif current in ")]}":
            depth = max(0, depth - 1)
        elif current == char and depth == 0:
            return text[:pos], text[pos + 1:]
    return text, None


def parse_app(text):
    """``App(args)`` (or the old ``App,args``) to ``(app, args)``."""
    text = text.strip()
    match = re.match(r"([A-Za-z0-9_]+)\s*(.*)$", text, re.S)
    if not match:
        return text, ""
    app, rest = match.group(1), match.group(2).strip()
    if rest.startswith("("):
        rest = rest[1:]
        if rest.endswith(")"):
            rest = rest[:-1]
    elif rest.startswith(","):
        rest = rest[1:]
    return app, rest


_PRIORITY = re.compile(r"^\s*([^()\s]+)\s*(?:\(\s*([^)]*)\s*\))?\s*$")


def _add_exten(plan, context, value, last, path, line, same):
    if same:
        if last is None:
            plan.note(context.name, path, line, "'same =>' without an earlier 'exten =>': ignored "
                      "by Asterisk")
            return last
        fields = value.split(",", 1)
        pattern, callerid = last.pattern, last.callerid
        prio_text, app_text = fields[0], (fields[1] if len(fields) > 1 else "")
    else:
        fields = value.split(",", 2)
        if len(fields) < 3 and not (len(fields) == 2 and fields[1].strip().lower() == "hint"):
            plan.note(context.name, path, line, "malformed 'exten =>' line: ignored")
            return last
        pattern = fields[0].strip()
        callerid = None
        if "/" in pattern and not pattern.startswith("/"):
            pattern, callerid = pattern.split("/", 1)
        prio_text = fields[1]
        app_text = fields[2] if len(fields) > 2 else ""
    match = _PRIORITY.match(prio_text)
    priority, label = (match.group(1), match.group(2)) if match else (prio_text.strip(), None)
    if priority.lower() == "hint":
        app, args = "hint", app_text.strip()
    else:
        app, args = parse_app(app_text)
    ext = Extension(context.name, pattern, callerid, priority, label or None, app, args, path,
                    line)
    context.extensions.append(ext)
    _jumps(plan, context, ext)
    return ext


def _literal(name):
    return bool(name) and "$" not in name and "{" not in name and "[" not in name


def _target_context(plan, context, ext, label_spec, kind):
    """``[[context,]exten,]priority`` of a Goto-style target: an edge when ``context`` is
    literal and differs; a note when it is a variable."""
    if label_spec is None:
        return
    spec = label_spec.strip()
    if kind.startswith("Gosub") and "(" in spec:
        spec = spec[:spec.index("(")]
    parts = split_args(spec)
    if len(parts) < 3:
        return           # same context
    target = parts[0]
    if _literal(target):
        if target != context.name:
            context.edges.append(Edge(context.name, target, kind, ext.path, ext.line, ext))
    else:
        plan.note(context.name, ext.path, ext.line,
                  "%s to a context computed at run time (%s): not followed; judge it by hand"
                  % (kind, target))


def _jumps(plan, context, ext):
    app, args = ext.app_key, ext.args
    if app in ("goto", "gosub"):
        _target_context(plan, context, ext, args, ext.app.capitalize())
    elif app in ("gotoif", "gosubif"):
        _cond, targets = _split_top(args, "?")
        if targets is None:
            return
        true_t, false_t = _split_top(targets, ":")
        name = "GotoIf" if app == "gotoif" else "GosubIf"
        _target_context(plan, context, ext, true_t, name)
        _target_context(plan, context, ext, false_t, name)
    elif app == "gotoiftime":
        _cond, targets = _split_top(args, "?")
        if targets is not None:
            true_t, false_t = _split_top(targets, ":")
            _target_context(plan, context, ext, true_t, "GotoIfTime")
            _target_context(plan, context, ext, false_t, "GotoIfTime")
    elif app in ("macro", "macroexclusive"):
        name = split_args(args)[0] if args else ""
        if _literal(name):
            context.edges.append(Edge(context.name, "macro-" + name, ext.app, ext.path, ext.line,
                                      ext))
        else:
            plan.note(context.name, ext.path, ext.line,
                      "%s with a computed name (%s): not followed" % (ext.app, name))
    elif app == "disa":
        fields = split_args(args)
        target = fields[1] if len(fields) > 1 and fields[1] else "disa"
        if _literal(target):
            context.edges.append(Edge(context.name, target, "DISA", ext.path, ext.line, ext))
        else:
            plan.note(context.name, ext.path, ext.line,
                      "DISA into a computed context (%s): not followed" % target)
    if app in ("dial", "queue", "originate"):
        for match in re.finditer(r"Local/([^@&,\s]*)@([^/&,\s)]+)", args, re.I):
            target = match.group(2)
            if _literal(target):
                if target != context.name:
                    context.edges.append(Edge(context.name, target, "%s Local/" % ext.app,
                                              ext.path, ext.line, ext))
            else:
                plan.note(context.name, ext.path, ext.line,
                          "Local channel into a computed context (%s): not followed" % target)


def load_dialplan(path, config_dir=None):
    """Build the :class:`Dialplan` of ``extensions.conf`` through the config engine.

    :raises AsteriskConfigError: the engine cannot load the tree.
    """
    return dialplan_of(load_config(path, config_dir))


def dialplan_of(cfg):
    """The :class:`Dialplan` of the loaded ``extensions.conf`` tree ``cfg`` (only read)."""
    plan = Dialplan(cfg.root_path)
    plan.files = [source.path for source in cfg.files.values()]
    for category in cfg.categories:
        if category.is_template or category.name.lower() in NOT_CONTEXTS:
            continue
        context = plan.contexts.get(category.name)
        if context is None:
            context = plan.contexts[category.name] = Context(category.name, category.path,
                                                             category.line)
        last = None
        for name, value in category.items():
            key = name.lower()
            if key == "exten":
                last = _add_exten(plan, context, value, last, value.path, value.line, False)
            elif key == "same":
                last = _add_exten(plan, context, value, last, value.path, value.line, True)
            elif key == "include":
                target, _sep, timespec = value.replace("|", ",", 1).partition(",")
                target = target.strip()
                edge = Edge(context.name, target, "include", value.path, value.line,
                            note=("only at %s" % timespec.strip()) if timespec.strip() else None)
                context.includes.append(edge)
                context.edges.append(edge)
            elif key in ("switch", "lswitch", "eswitch"):
                context.switches.append(value)
                plan.note(context.name, value.path, value.line,
                          "%s => %s hands unmatched numbers to another switch: not followed"
                          % (name, value))
    # includes first (they are part of the context), jumps after, stable order otherwise
    for context in plan.contexts.values():
        context.edges.sort(key=lambda e: 0 if e.kind == "include" else 1)
    return plan


# --- reachability ---------------------------------------------------------------------------

def reachable(plan, entries):
    """Breadth-first walk from ``entries`` (list of dicts with ``context`` and ``source``).

    :returns: ``{context name: [chain step, ...]}`` with the shortest chain that reaches each
        existing context, e.g. ``["[public] (sip.conf:126 [general] context)",
        "include from-internal (extensions_site.conf:15)"]``.
    """
    chains = {}
    queue = []
    for entry in entries:
        name = entry["context"]
        if name in plan.contexts and name not in chains:
            chains[name] = ["[%s] (%s)" % (name, entry["source"])]
            queue.append(name)
    while queue:
        name = queue.pop(0)
        for edge in plan.contexts[name].edges:
            if edge.target in plan.contexts and edge.target not in chains:
                chains[edge.target] = chains[name] + [edge.describe()]
                queue.append(edge.target)
    return chains


# --- patterns -------------------------------------------------------------------------------

_CLASSES = {"X": "0123456789", "Z": "123456789", "N": "23456789"}


def _elements(pattern):
    """A ``_`` pattern as a list of character sets; ``None`` stands for ``.``/``!`` (the rest)."""
    out, pos = [], 1
    while pos < len(pattern):
        char = pattern[pos]
        upper = char.upper()
        if char in ".!":
            out.append(None)
            break
        if upper in _CLASSES:
            out.append(set(_CLASSES[upper]))
        elif char == "[":
            end = pattern.find("]", pos)
            if end < 0:
                out.append({char})
            else:
                body, chars, idx = pattern[pos + 1:end], set(), 0
                while idx < len(body):
                    if idx + 2 < len(body) and body[idx + 1] == "-":
                        chars.update(chr(c) for c in range(ord(body[idx]), ord(body[idx + 2]) + 1))
                        idx += 3
                    else:
                        chars.add(body[idx])
                        idx += 1
                out.append(chars)
                pos = end
        elif char != "-":
            out.append({char})
        pos += 1
    return out


def can_match_prefix(pattern, prefix):
    """Whether the extension ``pattern`` matches some number starting with ``prefix``."""
    if not pattern.startswith("_"):
        return pattern.startswith(prefix)
    elements = _elements(pattern)
    for idx, char in enumerate(prefix):
        if idx >= len(elements):
            return False
        if elements[idx] is None:
            return True
        if char not in elements[idx]:
            return False
    return True


def literal_prefix(pattern):
    """The digits a pattern requires at its start (``_00.`` gives ``00``, ``_0[0]X.`` gives
    ``00``, ``1234`` gives ``1234``)."""
    if not pattern.startswith("_"):
        return pattern
    out = ""
    for element in _elements(pattern):
        if element is None or len(element) != 1:
            break
        out += next(iter(element))
    return out


# --- entry points ---------------------------------------------------------------------------

CHANNEL_FILES = {"sip": "sip.conf", "pjsip": "pjsip.conf", "iax2": "iax.conf"}
# The one kind of unauthenticated entry point each channel driver has (the names of the
# asterisk_dialplan_info closed_entry_points choices).
GUEST_KINDS = {"sip": "sip_guest", "pjsip": "pjsip_anonymous", "iax2": "iax2_guests"}


def read_config(config_dir, name):
    """The loaded tree of ``name`` in ``config_dir``, None when the file does not exist.

    :raises AsteriskConfigError: Asterisk would refuse the tree."""
    path = os.path.join(config_dir, name)
    return load_config(path, config_dir) if os.path.exists(path) else None


def _load_optional(load, name, notes):
    try:
        return load(name)
    except AsteriskConfigError as exc:
        notes.append(dict(context=None, file=exc.path, line=exc.line,
                          message="cannot read %s: %s" % (name, exc)))
        return None


def _entry(channel, context, obj, source, where):
    """An entry point: calls of ``channel`` land in ``context``; ``where`` is the line that sets
    it (a config Value or category) or None; ``latent`` is filled in by :func:`entry_points`."""
    return dict(context=str(context) if context else "default", channel=channel, object=obj,
                source=source, file=where.path if where is not None else None,
                line=where.line if where is not None else 0, latent=None)


def _located(what, value):
    return "%s=%s (%s)" % (what, value, value.origin)


def sip_guest_gate(general):
    """``(open, state)`` of chan_sip's unauthenticated calls, from its ``[general]``.

    Guests reach the ``[general]`` context when ``allowguest`` is on (``ast_true()``; absent
    means yes) or when ``autocreatepeer`` makes unknown hosts peers (``ast_true()`` or
    ``persist``) with the ``[general]`` settings and no secret."""
    get = general.get if general is not None else (lambda _name: None)
    allowguest, autocreate = get("allowguest"), get("autocreatepeer")
    if allowguest is None:
        guest_open, guest_state = True, "allowguest absent (chan_sip default yes)"
    else:
        guest_open, guest_state = ast_true(allowguest), _located("allowguest", allowguest)
    autocreate_open = autocreate is not None and (ast_true(autocreate)
                                                  or str(autocreate).lower() == "persist")
    if autocreate_open:
        return True, "%s, %s" % (guest_state, _located("autocreatepeer", autocreate))
    return guest_open, guest_state + ("" if guest_open else ", autocreatepeer off")


def _sip_entries(cfg):
    """``(guests, trunks, general_users)`` of a loaded sip.conf."""
    general = cfg.first("general")
    ctx = general.get("context") if general is not None else None
    name = str(ctx) if ctx else "default"
    guest_open, state = sip_guest_gate(general)
    guest = _entry("sip", name, "general", "chan_sip guest context, %s, %s" % (
        ctx.origin if ctx is not None else "sip.conf (default)", state), ctx)
    if ctx is None:
        guest["file"] = cfg.root_path
    if not guest_open:
        guest["latent"] = "reachable if guests are allowed again"
    trunks, general_users = [], []
    for category in cfg.categories:
        if category.is_template or category.name.lower() in ("general", "authentication"):
            continue
        if (category.get("type") or "").lower() not in ("peer", "friend", "user"):
            continue
        own = category.get("context")
        if not own:
            general_users.append(category.name)
        insecure = category.get("insecure")
        if insecure and not ast_false(insecure) and str(insecure).lower() != "very-no":
            trunks.append(_entry("sip", own or name, category.name,
                                 "chan_sip trunk [%s] insecure=%s, %s:%d"
                                 % (category.name, insecure, category.path, category.line),
                                 category))
    return [guest], trunks, general_users


def _pjsip_entries(cfg):
    """``(guests, trunks)`` of a loaded pjsip.conf: the ``anonymous`` endpoint, and endpoints a
    ``type=identify`` points at."""
    identified = set()
    for category in cfg.categories:
        if not category.is_template and (category.get("type") or "").lower() == "identify":
            endpoint = category.get("endpoint")
            if endpoint:
                identified.add(str(endpoint))
    guests, trunks = [], []
    for category in cfg.categories:
        if category.is_template or (category.get("type") or "").lower() != "endpoint":
            continue
        ctx = category.get("context")
        name = category.name.lower()
        if name == "anonymous" or name.startswith("anonymous@"):
            guests.append(_entry("pjsip", ctx, category.name, "PJSIP anonymous endpoint, %s:%d"
                                 % (category.path, category.line), category))
        elif category.name in identified:
            trunks.append(_entry("pjsip", ctx, category.name, "PJSIP trunk [%s] (identify), %s:%d"
                                 % (category.name, category.path, category.line), category))
    return guests, trunks


def _iax_entries(cfg):
    """IAX2 users (``type=user|friend``) that need neither ``secret``, ``inkeys`` nor
    ``dbsecret``: anyone may call in as them."""
    guests = []
    for category in cfg.categories:
        if category.is_template or category.name.lower() == "general":
            continue
        if (category.get("type") or "").lower() not in ("user", "friend"):
            continue
        if category.get("secret") or category.get("inkeys") or category.get("dbsecret"):
            continue
        guests.append(_entry("iax2", category.get("context"), category.name,
                             "IAX2 user [%s] without secret, %s:%d"
                             % (category.name, category.path, category.line), category))
    return guests


def _channel_entries(channel, cfg):
    """``(guests, trunks, sip_general_users)`` of one channel's loaded configuration."""
    if channel == "sip":
        return _sip_entries(cfg)
    if channel == "pjsip":
        return _pjsip_entries(cfg) + ([],)
    return _iax_entries(cfg), [], []


def entry_points(config_dir, channels=tuple(CHANNEL_FILES), load=None, dormant=None):
    """Unauthenticated entry points and trunk contexts of the channel configuration.

    :param channels: the channel drivers whose configuration is read (``sip``, ``pjsip``,
        ``iax2``).
    :param load: ``load(name)`` returning the loaded tree of a file of ``config_dir`` (None when
        absent, AsteriskConfigError when refused); default :func:`read_config`.  A caller that
        has already loaded the channel files passes its own, so nothing is parsed twice.
    :param dormant: ``{name: reason}`` of what Asterisk does not run now: a channel (its module
        is not loaded: all its entry points) or a kind of guest entry point (``sip_guest``,
        ``pjsip_anonymous``, ``iax2_guests``: e.g. its identifier module is not loaded, or the
        play closes it).  The reason says what would open it again.  A dormant channel's refused
        file is no note: Asterisk does not read it.

    :returns: ``(guests, trunks, notes, sip_general_users)``; guests and trunks are lists of
        ``{"context", "source", "file", "line", "channel", "object", "latent"}``: ``latent`` is
        None when Asterisk takes such calls now, else why it does not (chan_sip with
        ``allowguest=no`` and ``autocreatepeer`` off, or a ``dormant`` reason).
        ``sip_general_users`` names chan_sip peers that have no ``context`` of their own (they
        use the ``[general]`` one, so changing it moves them too).
    """
    guests, trunks, notes, sip_general_users = [], [], [], []
    load = load or functools.partial(read_config, config_dir)
    dormant = dormant or {}
    for channel in channels:
        channel_notes = []
        cfg = _load_optional(load, CHANNEL_FILES[channel], channel_notes)
        if channel not in dormant:
            notes.extend(channel_notes)
        if cfg is None:
            continue
        found_guests, found_trunks, general_users = _channel_entries(channel, cfg)
        for entry in found_guests + found_trunks:
            entry["latent"] = dormant.get(channel) or entry["latent"]
        for entry in found_guests:
            entry["latent"] = entry["latent"] or dormant.get(GUEST_KINDS[channel])
        guests.extend(found_guests)
        trunks.extend(found_trunks)
        sip_general_users.extend(general_users)
    return guests, trunks, notes, sip_general_users
