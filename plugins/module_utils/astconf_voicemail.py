# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""voicemail.conf on top of the Asterisk config engine: mailbox lines, ``[general]`` options read
the way ``app_voicemail`` reads them, minimal verified edits, PIN policy and PIN masking.

How ``app_voicemail.c`` reads the tree (``load_config()``, ``append_mailbox()``,
``apply_options()``, checked against Asterisk 16.28 and 22.10 on the test bed):

* ``[general]`` options are read with ``ast_variable_retrieve()``: the FIRST assignment in the
  first ``[general]`` wins (a later ``[general](+)`` line does not override an earlier one;
  builds carrying the "return last match" patch of asterisk issue #244 take the last one).  The
  planner therefore makes EVERY own assignment carry the wanted value, which is right under both.
* Every other non-template category except ``zonemessages`` (and, in Asterisk 22, the one named by
  ``aliasescontext``) is a voicemail context; each of its variables is a mailbox
  ``box => pin,full name,email,pager,options`` whether written with ``=>`` or ``=``.
* ``append_mailbox()`` splits the value with ``strsep(",")`` four times, unstripped; the options
  are the whole rest (commas included).  ``apply_options()`` splits them on ``|`` and each item
  once on ``=``; names are compared with ``strcasecmp()`` and NOT stripped (`` operator=yes`` is
  ignored); the last item of a name wins.

Public API::

    cfg = load_config("/etc/asterisk/voicemail.conf")
    mailbox_fields(b"1234,Bob,,,dialout=x|callback=y")   # [(start, end), ...] five spans
    option_items(b"dialout=x|callback=y")                  # [OptionItem, ...]
    edit_options(value, remove=[...], set_={...})          # (new value, [(start, end, new)])
    plan = plan_voicemail(cfg, general={...}, mailbox_options_absent=[...], ...)
    pin_problems(pin, mailbox, policy)                     # [] when the PIN is acceptable
    mask_pins(data, cfg_or_none)                           # file bytes with every PIN as ****

Nothing here ever puts a PIN into a message, an exception or a result.
"""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    EditPlan,
    FileChange,
    escape_value,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    ASSIGNMENT,
    ast_strip,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import fold

PIN_MASK = b"****"
GENERAL = "general"
NOT_MAILBOX_CONTEXTS = (b"general", b"zonemessages")
DEFAULT_POLICY = dict(min_length=6, forbid_mailbox=True, forbid_sequential=True,
                      forbid_repeated=True)
_INT = re.compile(rb"^[ \t\n\v\f\r]*[+-]?[0-9]+")
# A commented-out mailbox line: ";100 => 1234,Name" (masked too: it may hold a real PIN).
_COMMENTED_MAILBOX = re.compile(rb"(;[ \t]*[^\s=;,\[\]#]+[ \t]*=>[ \t]*)([^,;\r\n]*)")


# --- mailbox values ----------------------------------------------------------------------------

def mailbox_fields(value):
    """Spans ``[(start, end), ...]`` of pin, full name, email, pager and options in a mailbox
    value (bytes), split like ``append_mailbox()``: four ``strsep(",")``, then the whole rest.
    Fields that are missing (fewer commas) are left out of the list."""
    spans = []
    pos = 0
    for _field in range(4):
        comma = value.find(b",", pos)
        if comma < 0:
            spans.append((pos, len(value)))
            return spans
        spans.append((pos, comma))
        pos = comma + 1
    spans.append((pos, len(value)))
    return spans


class OptionItem:
    """One ``name=value`` item of an options field.

    :ivar name: bytes before the first ``=`` (as written, not stripped).
    :ivar value: bytes after it, or None when the item has no ``=`` (Asterisk ignores it).
    :ivar start: offset of the item in the options field; ``end`` just after it.
    """

    __slots__ = ("name", "value", "start", "end")

    def __init__(self, name, value, start, end):
        self.name = name
        self.value = value
        self.start = start
        self.end = end

    @property
    def key(self):
        """Name as Asterisk compares it (``strcasecmp``, no stripping)."""
        return fold(self.name)

    @property
    def loose_key(self):
        """Name stripped and folded (items that Asterisk ignores for a blank are matched too, so
        that an edit never leaves a dangerous option that another parser might honour)."""
        return fold(ast_strip(self.name))

    def __repr__(self):
        return "OptionItem(%r, %r, %d, %d)" % (self.name, self.value, self.start, self.end)


def option_items(options):
    """Split an options field on ``|`` like ``apply_options()``; empty items are kept (they
    carry no ``=`` and Asterisk ignores them)."""
    items = []
    pos = 0
    while True:
        separator = options.find(b"|", pos)
        end = len(options) if separator < 0 else separator
        raw = options[pos:end]
        eq = raw.find(b"=")
        if eq < 0:
            items.append(OptionItem(raw, None, pos, end))
        else:
            items.append(OptionItem(raw[:eq], raw[eq + 1:], pos, end))
        if separator < 0:
            return items
        pos = separator + 1


def effective_options(value):
    """``{folded name: value}`` that ``apply_options()`` ends with for a mailbox value."""
    spans = mailbox_fields(value)
    if len(spans) < 5:
        return {}
    start, end = spans[4]
    out = {}
    for item in option_items(value[start:end]):
        if item.value is not None:
            out[item.key] = item.value
    return out


def _check_name(name):
    raw = name.encode("utf-8") if isinstance(name, str) else name
    if not raw or ast_strip(raw) != raw:
        raise AsteriskConfigError("", 0, "mailbox option %r: empty or surrounded by blanks" % name)
    for bad in (b"=", b"|", b",", b";", b"\n", b"\r", b"\0"):
        if bad in raw:
            raise AsteriskConfigError("", 0, "mailbox option %r must not contain %r"
                                      % (name, bad.decode()))
    return raw


def _check_item_value(name, value):
    raw = value.encode("utf-8") if isinstance(value, str) else value
    for bad in (b"|", b"\n", b"\r", b"\0"):
        if bad in raw:
            raise AsteriskConfigError("", 0, "value of mailbox option %r must not contain %r"
                                      % (name, bad.decode()))
    if raw != ast_strip(raw):
        raise AsteriskConfigError("", 0, "value of mailbox option %r must not start or end with "
                                  "a blank" % name)
    return raw


def edit_options(value, remove=(), set_=None, add_missing=False):
    """Edits of a mailbox value (bytes) that remove and set options in its options field.

    :param remove: option names to remove (every item of that name, ``|`` separator with it).
    :param set_: ``{name: value}``: every item of that name gets the value (name bytes kept);
        with ``add_missing`` an item is appended when the mailbox has none (missing fields are
        padded with empty ones).
    :returns: ``(new_value, edits, touched)``: ``edits`` are ``(start, end, new_bytes)`` in
        ``value`` coordinates, not overlapping, ``touched`` the sorted option names changed.
        Bytes outside the edits are kept.
    """
    remove_keys = set(fold(_check_name(name)) for name in remove)
    wanted = {}
    for name, item_value in (set_ or {}).items():
        raw = _check_name(name)
        wanted[fold(raw)] = (raw, _check_item_value(name, item_value))
    spans = mailbox_fields(value)
    edits = []
    touched = set()
    if len(spans) == 5:
        base = spans[4][0]
        options = value[base:]
        items = option_items(options)
        doomed = [item for item in items if item.loose_key in remove_keys]
        kept = [item for item in items if item.loose_key not in remove_keys]
        for item in doomed:
            touched.add(item.loose_key.decode("utf-8", "replace"))
        # Remove each doomed item with one of its separators: the one after it, or (for the last
        # item) the one before it.  Runs of adjacent doomed items merge into one cut.
        index = 0
        while index < len(items):
            if items[index] not in doomed:
                index += 1
                continue
            first = index
            while index < len(items) and items[index] in doomed:
                index += 1
            last = index - 1
            if index < len(items):              # a kept item follows: cut up to it
                start, end = items[first].start, items[index].start
            elif first > 0:                     # runs to the end: cut the bar before it
                start, end = items[first - 1].end, items[last].end
            else:                               # every item goes
                start, end = items[first].start, items[last].end
            edits.append((base + start, base + end, b""))
        for item in kept:
            if item.value is None or item.loose_key not in wanted:
                continue
            new = wanted[item.loose_key][1]
            if item.value != new:
                eq = item.start + len(item.name) + 1
                edits.append((base + eq, base + item.end, new))
                touched.add(item.loose_key.decode("utf-8", "replace"))
        if add_missing:
            present = set(item.loose_key for item in kept if item.value is not None)
            missing = [key for key in sorted(wanted) if key not in present]
            if missing:
                text = b"|".join(wanted[key][0] + b"=" + wanted[key][1] for key in missing)
                has_items = any(item.name or item.value is not None for item in kept)
                edits.append((len(value), len(value), (b"|" if has_items else b"") + text))
                touched.update(key.decode("utf-8", "replace") for key in missing)
    elif add_missing and wanted:
        text = b"|".join(wanted[key][0] + b"=" + wanted[key][1] for key in sorted(wanted))
        edits.append((len(value), len(value), b"," * (5 - len(spans)) + text))
        touched.update(key.decode("utf-8", "replace") for key in wanted)
    new_value = value
    for start, end, new in sorted(edits, reverse=True):
        new_value = new_value[:start] + new + new_value[end:]
    return new_value, sorted(edits), sorted(touched)


# --- PIN policy --------------------------------------------------------------------------------

def _sequential(pin):
    if len(pin) < 3 or not pin.isdigit():
        return False
    steps = set(int(pin[i + 1]) - int(pin[i]) for i in range(len(pin) - 1))
    return steps in ({1}, {-1})


def _repeated(pin):
    """One symbol repeated, or a unit of up to three symbols repeated (121212, 123123)."""
    if len(pin) < 2:
        return False
    for size in range(1, 4):
        if len(pin) % size == 0 and len(pin) // size >= 2 and pin == pin[:size] * (len(pin) // size):
            return True
    return False


def pin_problems(pin, mailbox, policy=None):
    """Names of the rules a PIN breaks (``[]`` when acceptable).  Never returns the PIN.

    The PIN is judged stripped of blanks.  Rules: ``empty``, ``short`` (fewer than
    ``min_length`` characters), ``starts_with_star`` (Asterisk refuses it), ``mailbox`` (equal to
    the mailbox number or its reverse), ``sequential`` (123456, 987654), ``repeated`` (111111,
    121212, 123123).
    """
    rules = dict(DEFAULT_POLICY)
    rules.update(policy or {})
    pin = ast_strip(pin if isinstance(pin, bytes) else pin.encode("utf-8"))
    box = ast_strip(mailbox if isinstance(mailbox, bytes) else mailbox.encode("utf-8"))
    box = box.split(b"@", 1)[0]
    if not pin:
        return ["empty"]
    found = []
    if len(pin) < int(rules["min_length"]):
        found.append("short")
    if pin[:1] == b"*":
        found.append("starts_with_star")
    if rules["forbid_mailbox"] and box and (pin == box or pin == box[::-1]):
        found.append("mailbox")
    text = pin.decode("utf-8", "replace")
    if rules["forbid_sequential"] and _sequential(text):
        found.append("sequential")
    if rules["forbid_repeated"] and _repeated(text):
        found.append("repeated")
    return found


# --- the tree ----------------------------------------------------------------------------------

def aliases_context(cfg):
    """Name (folded bytes) of the ``aliasescontext`` category (Asterisk 22), or None."""
    general = cfg.first(GENERAL)
    value = general.get_first("aliasescontext") if general is not None else None
    return fold(value) if value else None


def is_mailbox_context(cfg, category):
    """Whether app_voicemail reads the variables of ``category`` as mailboxes."""
    if category.template or category.key in NOT_MAILBOX_CONTEXTS:
        return False
    return category.key != aliases_context(cfg)


class Mailbox:
    """A mailbox as app_voicemail sees it (the variable, and the line that wrote it)."""

    __slots__ = ("context", "name", "variable")

    def __init__(self, context, variable):
        self.context = context
        self.variable = variable
        self.name = variable.name

    @property
    def value(self):
        return self.variable.value_b

    @property
    def pin(self):
        start, end = mailbox_fields(self.value)[0]
        return self.value[start:end]

    @property
    def path(self):
        return self.variable.path

    @property
    def line(self):
        return self.variable.line

    @property
    def object(self):
        """``mailbox@context``, as app_voicemail names a mailbox."""
        return "%s@%s" % (self.name, self.context)

    def report(self):
        """What may be shown about it: never the PIN."""
        return dict(mailbox=self.name, context=self.context, object=self.object, file=self.path,
                    line=self.line)


def mailboxes(cfg):
    """Every mailbox, in the order app_voicemail appends them."""
    out = []
    for category in cfg.categories:
        if is_mailbox_context(cfg, category):
            for var in category.variables:
                out.append(Mailbox(category.name, var))
    return out


def mailbox_statements(cfg):
    """The assignment statements that write mailbox lines (including lines of templates that
    mailbox contexts inherit), in file order."""
    wanted = set()
    for category in cfg.categories:
        if is_mailbox_context(cfg, category):
            for var in category.variables:
                wanted.add(id(var.statement))
    return [s for s in cfg.statements
            if s.kind == ASSIGNMENT and not s.failed and s.parsed.op in ("=", "=>")
            and id(s) in wanted]


def weak_pins(cfg, policy=None):
    """Reports (``Mailbox.report()``) of every mailbox whose PIN breaks ``policy``."""
    return [box.report() for box in mailboxes(cfg) if pin_problems(box.pin, box.name, policy)]


# --- masking -----------------------------------------------------------------------------------

def _pin_offsets(cfg, source_key):
    """File offsets ``(start, end)`` of the PIN field of every mailbox statement of a file."""
    spans = []
    for statement in mailbox_statements(cfg):
        if statement.source.key != source_key:
            continue
        asg = statement.parsed
        lex = statement.lex
        start_i, end_i = asg.value_span
        if start_i == end_i:
            continue
        value = lex.text[start_i:end_i]
        pstart, pend = mailbox_fields(value)[0]
        if pstart == pend:
            continue
        first = lex.offsets[start_i + pstart]
        last = lex.offsets[start_i + pend - 1] + 1
        spans.append((first, last))
    return spans


def mask_pins(data, cfg=None, source_key=None):
    """``data`` (a file's bytes) with every mailbox PIN replaced by ``****``: the PINs of the
    mailbox statements ``cfg`` found in that file, and those of commented-out mailbox lines."""
    spans = _pin_offsets(cfg, source_key) if cfg is not None else []
    for match in _COMMENTED_MAILBOX.finditer(data):
        if match.group(2).strip():
            spans.append((match.start(2), match.start(2) + len(match.group(2).rstrip())))
    out = data
    for start, end in sorted(set(spans), reverse=True):
        out = out[:start] + PIN_MASK + out[end:]
    return out


# --- planning ----------------------------------------------------------------------------------

def c_int(value):
    """``sscanf(value, "%30d")``: the leading integer, or None."""
    if value is None:
        return None
    match = _INT.match(value if isinstance(value, bytes) else value.encode("utf-8"))
    return int(match.group(0)) if match else None


def _text_edit_to_file(statement, start_i, end_i, new):
    """File edit for replacing ``lex.text[start_i:end_i]`` (insert when equal) by ``new``."""
    lex = statement.lex
    data = statement.source.data
    offsets = lex.offsets
    if start_i < end_i:
        for index in range(start_i, end_i - 1):
            gap = offsets[index + 1] - offsets[index]
            if gap == 1:
                continue
            if gap == 2 and data[offsets[index] + 1:offsets[index] + 2] == b"\\" and \
                    lex.text[index + 1:index + 2] == b";":
                continue
            raise AsteriskConfigError(statement.path, statement.line,
                                      "line too complex to edit safely (a block comment splits "
                                      "the value)")
        start, end = offsets[start_i], offsets[end_i - 1] + 1
        if lex.text[start_i:start_i + 1] == b";" and data[start - 1:start] == b"\\":
            start -= 1
    else:
        start = end = offsets[start_i - 1] + 1
    new = escape_value(new)
    if new[-1:] == b"\\" and data[end:end + 1] == b";":
        raise AsteriskConfigError(statement.path, statement.line,
                                  "the new text would escape the ';' that follows it")
    return start, end, new


def _apply(data, edits):
    out = data
    last = None
    for start, end, new in sorted(edits, reverse=True):
        if last is not None and end > last:
            raise AsteriskConfigError("", 0, "overlapping edits (internal error)")
        out = out[:start] + new + out[end:]
        last = start
    return out


class VoicemailPlan(EditPlan):
    """An :class:`EditPlan` over several options, with voicemail facts.

    :ivar general_before: ``{option: [values of every own assignment]}`` before.
    :ivar general_after: the same once the changes are written.
    :ivar mailbox_changes: ``[{mailbox, context, file, line, options}]`` (options touched).
    """

    def __init__(self, config):
        super().__init__(config, None)
        self.general_before = {}
        self.general_after = {}
        self.mailbox_changes = []


def _general_values(cfg, option):
    category = cfg.first(GENERAL)
    if category is None:
        return []
    return [str(v) for v in category.get_all(option)]


class _Session:
    """Applies one step after another, each verified by loading the edited tree in memory."""

    def __init__(self, cfg):
        self.original = cfg
        self.cfg = cfg
        self.actions = []

    def overlay(self, datas):
        return load_config(self.original.root_path, self.original.config_dir, datas)

    def current_data(self):
        return dict((key, source.data) for key, source in self.cfg.files.items())

    def apply_edits(self, edits_by_key):
        datas = self.current_data()
        for key, edits in edits_by_key.items():
            datas[key] = _apply(datas[key], edits)
        return self.overlay(datas)

    def own_general_statements(self, option):
        """Statements assigning ``option`` into the first [general], once each."""
        category = self.cfg.first(GENERAL)
        if category is None:
            return []
        key = fold(option)
        seen = set()
        out = []
        for statement in self.cfg.statements:
            if statement.category is not category or statement.kind != ASSIGNMENT or \
                    statement.failed or statement.parsed.op is None or \
                    fold(statement.parsed.name) != key:
                continue
            mark = (statement.source.key, statement.lex.start)
            if mark not in seen:
                seen.add(mark)
                out.append(statement)
        return out

    def add_general(self, option, value_b):
        """Add ``option=value`` as the last own line of [general] in the file holding its header
        (a new [general] at the end of the root file when there is none)."""
        option_b = _check_name(option)
        line = option_b + b"=" + escape_value(value_b)
        category = self.cfg.first(GENERAL)
        if category is None:
            root = self.cfg.source(self.cfg.root_path)
            data = root.data
            eol = b"\r\n" if b"\r\n" in data else b"\n"
            prefix = eol if data and not data.endswith(b"\n") else b""
            if root.loads and root.loads[-1].lines and root.loads[-1].lines[-1].comment_after:
                raise AsteriskConfigError(root.path, 0, "the file ends inside a block comment")
            self.cfg = self.apply_edits({root.key: [(len(data), len(data),
                                                     prefix + b"[general]" + eol + line + eol)]})
            self.actions.append("%s: new [general] with %s" % (root.path, option))
            return
        source = category.statement.source
        own = [s for s in self.cfg.statements
               if s.category is category and s.source is source and s.kind == ASSIGNMENT
               and not s.failed and s.parsed.op is not None]
        anchor = own[-1] if own else category.statement
        lex = anchor.lex
        if lex.comment_after != 0:
            raise AsteriskConfigError(anchor.path, anchor.line, "the line ends inside a block "
                                      "comment: cannot add %s after it" % option)
        data = source.data
        if data[lex.end - 2:lex.end] == b"\r\n":
            text = line + b"\r\n"
        elif data[lex.end - 1:lex.end] == b"\n":
            text = line + b"\n"
        else:
            text = (b"\r\n" if b"\r\n" in data else b"\n") + line
        self.cfg = self.apply_edits({source.key: [(lex.end, lex.end, text)]})
        self.actions.append("%s: added %s = %s to [general]" % (
            source.path, option, value_b.decode("utf-8", "replace")))

    def rewrite_general(self, option, wanted_b, ok):
        """Rewrite in place every own [general] assignment of ``option`` that ``ok`` rejects."""
        category = self.cfg.first(GENERAL)
        edits = {}
        for var in category.variables_named(option):
            if ok(var.value_b):
                continue
            if not var.own:
                raise AsteriskConfigError(var.path, var.line, "%s in [general] is inherited from "
                                          "[%s]: the engine does not edit templates"
                                          % (option, var.inherited_from))
            if var.appends:
                raise AsteriskConfigError(var.path, var.line, "%s in [general] is built with "
                                          "'+=': fix it by hand" % option)
            statement = var.statement
            start_i, end_i = statement.parsed.value_span
            edit = _text_edit_to_file(statement, start_i, end_i, wanted_b)
            edits.setdefault(statement.source.key, []).append(edit)
            self.actions.append("%s:%d: %s = %s" % (statement.path, statement.line, option,
                                                    wanted_b.decode("utf-8", "replace")))
        if edits:
            self.cfg = self.apply_edits(edits)

    def general_values(self, option):
        category = self.cfg.first(GENERAL)
        return [v.value_b for v in category.variables_named(option)] if category else []

    def general_rewrite(self, option, wanted_b, ok):
        """Phase 1: existing assignments that ``ok`` rejects get ``wanted_b`` (same lines)."""
        if self.general_values(option):
            self.rewrite_general(option, wanted_b, ok)

    def general_add(self, option, wanted_b):
        """Phase 3: add ``option = wanted_b`` when [general] has no assignment of it."""
        if not self.general_values(option):
            self.add_general(option, wanted_b)

    def general_remove(self, options):
        """Phase 2: remove every assignment of ``options``, in one pass (so that the reported
        line numbers are those of the files as they are)."""
        category = self.cfg.first(GENERAL)
        if category is None:
            return
        edits = {}
        for option in options:
            for var in category.variables_named(option):
                if not var.own:
                    raise AsteriskConfigError(var.path, var.line, "%s in [general] is inherited "
                                              "from [%s]: the engine does not edit templates"
                                              % (option, var.inherited_from))
            for statement in self.own_general_statements(option):
                lex = statement.lex
                if not lex.simple:
                    raise AsteriskConfigError(statement.path, statement.line, "line too complex "
                                              "to remove safely (block comment markers on it)")
                edits.setdefault(statement.source.key, []).append((lex.start, lex.end, b""))
                self.actions.append("%s:%d: removed %s from [general]"
                                    % (statement.path, statement.line, option))
        if edits:
            self.cfg = self.apply_edits(edits)

    def mailbox_pins(self, pins, changes):
        edits = {}
        for box, pin in _pin_targets(self.cfg, pins):
            if ast_strip(box.pin) == ast_strip(pin):
                continue
            statement = box.variable.statement
            start_i, end_i = statement.parsed.value_span
            pstart, pend = mailbox_fields(statement.lex.text[start_i:end_i])[0]
            edits.setdefault(statement.source.key, []).append(
                _text_edit_to_file(statement, start_i + pstart, start_i + pend, pin))
            changes.append(dict(mailbox=box.name, context=box.context, file=box.path,
                                line=box.line, options=["pin"]))
            self.actions.append("%s:%d: mailbox %s: new PIN" % (box.path, box.line, box.object))
        if edits:
            self.cfg = self.apply_edits(edits)

    def mailbox_options(self, remove, set_, add_missing, changes):
        edits = {}
        for statement in mailbox_statements(self.cfg):
            asg = statement.parsed
            start_i, end_i = asg.value_span
            value = statement.lex.text[start_i:end_i]
            _new, value_edits, touched = edit_options(value, remove, set_, add_missing)
            if not value_edits:
                continue
            for vstart, vend, new in value_edits:
                edits.setdefault(statement.source.key, []).append(
                    _text_edit_to_file(statement, start_i + vstart, start_i + vend, new))
            name = asg.name.decode("utf-8", "replace")
            context = statement.category.name if statement.category is not None else ""
            changes.append(dict(mailbox=name, context=context, file=statement.path,
                                line=statement.line, options=touched))
            self.actions.append("%s:%d: mailbox %s@%s: %s" % (
                statement.path, statement.line, name, context, ", ".join(touched)))
        if edits:
            self.cfg = self.apply_edits(edits)


def _pin_targets(cfg, pins):
    """``[(Mailbox, new PIN bytes)]`` for ``pins`` (``{"box@context": pin}``, contexts
    case-insensitive); raises when a mailbox is missing or its line is a template's."""
    wanted = {}
    for name, pin in pins.items():
        box, _sep, context = name.partition("@")
        wanted[(box, fold(context or "default"))] = (name, pin.encode("utf-8")
                                                     if isinstance(pin, str) else pin)
    targets = []
    for box in mailboxes(cfg):
        found = wanted.get((box.name, fold(box.context)))
        if found is None:
            continue
        if not box.variable.own:
            raise AsteriskConfigError(box.path, box.line, "mailbox %s comes from a template that "
                                      "other contexts may inherit: change its PIN by hand"
                                      % box.object)
        targets.append((box, found[1]))
    missing = set(name for name, _pin in wanted.values()) - set(
        wanted[(box.name, fold(box.context))][0] for box, _pin in targets)
    if missing:
        raise AsteriskConfigError(cfg.root_path, 0, "no such mailbox: %s (nothing written)"
                                  % ", ".join(sorted(missing)))
    return targets


def _check_mailboxes_after(cfg, remove, set_):
    remove_keys = set(fold(name) for name in remove)
    wanted = dict((fold(name), value.encode("utf-8") if isinstance(value, str) else value)
                  for name, value in (set_ or {}).items())
    for box in mailboxes(cfg):
        spans = mailbox_fields(box.value)
        if len(spans) < 5:
            continue
        start, end = spans[4]
        for item in option_items(box.value[start:end]):
            if item.loose_key in remove_keys:
                raise AsteriskConfigError(box.path, box.line, "mailbox %s@%s would still set %s"
                                          % (box.name, box.context, item.name.decode()))
            if item.value is not None and item.loose_key in wanted and \
                    item.value != wanted[item.loose_key]:
                raise AsteriskConfigError(box.path, box.line, "mailbox %s@%s: %s would not be as "
                                          "wanted" % (box.name, box.context, item.name.decode()))


def plan_voicemail(cfg, general=None, general_min=None, general_max=None,
                   mailbox_options_absent=(), mailbox_options=None, add_missing=False, pins=None):
    """Plan the voicemail.conf edits.

    :param general: ``{option: value or None}`` for ``[general]`` (None removes every
        assignment; a value is given to every assignment, or added when there is none).
    :param general_min: ``{option: int}``: every assignment's integer must be at least that
        (assignments that are not are set to it; added when absent).
    :param general_max: ``{option: int}``: every assignment's integer must be between 1 and that.
    :param mailbox_options_absent: option names removed from every mailbox's options.
    :param mailbox_options: ``{name: value}`` given to every mailbox item of that name (added to
        mailboxes that lack it only with ``add_missing``).
    :param pins: ``{"box@context": new PIN}``: the first field of those mailbox lines.
    :returns: :class:`VoicemailPlan`.
    :raises AsteriskConfigError: an edit cannot be made safely (nothing is to be written).
    """
    plan = VoicemailPlan(cfg)
    session = _Session(cfg)
    names = list(general or {}) + list(general_min or {}) + list(general_max or {})
    for name in names:
        plan.general_before[name] = _general_values(cfg, name)
    rules = []      # (option, wanted bytes or None, acceptable(value bytes))
    for name, value in (general or {}).items():
        if value is None:
            rules.append((name, None, None))
        else:
            wanted = ast_strip(value.encode("utf-8") if isinstance(value, str) else value)
            rules.append((name, wanted, lambda v, w=wanted: v == w))
    for name, bound in (general_min or {}).items():
        bound = int(bound)
        rules.append((name, str(bound).encode(),
                      lambda v, b=bound: c_int(v) is not None and c_int(v) >= b))
    for name, bound in (general_max or {}).items():
        bound = int(bound)
        rules.append((name, str(bound).encode(),
                      lambda v, b=bound: c_int(v) is not None and 1 <= c_int(v) <= b))
    remove = list(mailbox_options_absent or ())
    # Edits that keep line numbers first, so that every reported line is a line of the files as
    # they are now: mailbox lines, then [general] values, then removals, then additions.
    if pins:
        session.mailbox_pins(pins, plan.mailbox_changes)
    if remove or mailbox_options:
        session.mailbox_options(remove, mailbox_options or {}, add_missing, plan.mailbox_changes)
    for name, wanted, ok in rules:
        if wanted is not None:
            session.general_rewrite(name, wanted, ok)
    session.general_remove([name for name, wanted, _ok in rules if wanted is None])
    for name, wanted, ok in rules:
        if wanted is not None:
            session.general_add(name, wanted)
    for name, wanted, ok in rules:
        values = session.general_values(name)
        if wanted is None and values:
            raise AsteriskConfigError(cfg.root_path, 0, "%s would still be set in [general] "
                                      "(nothing written)" % name)
        if wanted is not None and (not values or not all(ok(v) for v in values)):
            raise AsteriskConfigError(cfg.root_path, 0, "%s in [general] would still not be as "
                                      "wanted (nothing written)" % name)
    if remove or mailbox_options:
        _check_mailboxes_after(session.cfg, remove, mailbox_options)
    for box, pin in _pin_targets(session.cfg, pins or {}):
        if ast_strip(box.pin) != ast_strip(pin):
            raise AsteriskConfigError(box.path, box.line, "mailbox %s would not have its new PIN "
                                      "(nothing written)" % box.object)
    new = session.cfg
    # Nothing but voicemail contexts and [general] may differ.
    shape_before = [(c.key, c.template) for c in cfg.categories]
    shape_after = [(c.key, c.template) for c in new.categories]
    if cfg.first(GENERAL) is None and new.first(GENERAL) is not None:
        shape_before.append((b"general", False))        # the one [general] that was added
    if shape_before != shape_after:
        raise AsteriskConfigError(cfg.root_path, 0, "the edit would change the categories of the "
                                  "tree (nothing written)")
    touched = set(fold(name) for name in names)
    for old, cur in zip(cfg.categories, new.categories):
        mailbox_context = is_mailbox_context(cfg, old)
        skip = touched if old.key == b"general" else set()
        before = [(v.key, None if mailbox_context else v.value_b, v.object)
                  for v in old.variables if v.key not in skip]
        after = [(v.key, None if mailbox_context else v.value_b, v.object)
                 for v in cur.variables if v.key not in skip]
        if before != after:
            raise AsteriskConfigError(old.path, old.line, "the edit would also change [%s] "
                                      "(nothing written)" % old.name)
    for name in names:
        plan.general_after[name] = _general_values(new, name)
    for key, source in cfg.files.items():
        after = new.files[key].data if key in new.files else None
        if after is not None and after != source.data:
            plan.changes.append(FileChange(source.path, key, source.data, after))
    for key, source in new.files.items():
        if key not in cfg.files:
            plan.changes.append(FileChange(source.path, key, None, source.data))
    plan.new_config = new
    plan.actions = session.actions
    return plan
