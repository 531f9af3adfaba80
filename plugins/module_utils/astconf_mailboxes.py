# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""voicemail.conf as ``app_voicemail`` reads it, on top of the Asterisk config engine: mailbox
lines, their options, PIN policy and PIN masking.  Reading only: the edits are in
``astconf_voicemail``, so that the audit does not carry the editor.

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
    mailboxes(cfg)                                         # [Mailbox, ...]
    pin_problems(pin, mailbox, policy)                     # [] when the PIN is acceptable
    mask_pins(data, cfg_or_none)                           # file bytes with every PIN as ****
    mask_mailbox_value("1234,Bob")                         # "****,Bob"

Nothing here ever puts a PIN into a message, an exception or a result.
"""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import (
    exact_bytes,
    shown,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    carrying_lines,
    is_credential,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    ASSIGNMENT,
    ast_strip,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import fold

PIN_MASK = b"****"
GENERAL = "general"
NOT_MAILBOX_CONTEXTS = (b"general", b"zonemessages")
DEFAULT_POLICY = dict(min_length=6, forbid_mailbox=True, forbid_sequential=True,
                      forbid_repeated=True)
# The argument spec of a module's ``pin_policy`` option (asterisk_voicemail, asterisk_secrets).
PIN_POLICY_OPTIONS = dict(
    (key, dict(type="int" if key == "min_length" else "bool", default=value))
    for key, value in DEFAULT_POLICY.items())
_INT = re.compile(rb"^[ \t\n\v\f\r]*[+-]?[0-9]+")
_BLANKS = bytes(range(1, 33))


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


# --- PIN policy --------------------------------------------------------------------------------

def _sequential(pin):
    if len(pin) < 3 or not (pin.isascii() and pin.isdigit()):
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


def pin_policy_problem(policy):
    """Why a module's ``pin_policy`` cannot be used, or None."""
    if policy.get("min_length") is not None and policy["min_length"] < 1:
        return "pin_policy.min_length must be at least 1"
    return None


def pin_problems(pin, mailbox, policy=None):
    """Names of the rules a PIN breaks (``[]`` when acceptable).  Never returns the PIN.

    The PIN is judged stripped of blanks.  Rules: ``empty``, ``short`` (fewer than
    ``min_length`` characters), ``starts_with_star`` (Asterisk refuses it), ``mailbox`` (equal to
    the mailbox number or its reverse), ``sequential`` (123456, 987654), ``repeated`` (111111,
    121212, 123123).
    """
    rules = dict(DEFAULT_POLICY)
    rules.update(policy or {})
    pin = ast_strip(exact_bytes(pin))
    box = ast_strip(exact_bytes(mailbox))
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
    text = pin.decode("latin-1")            # one character per byte, whatever the bytes
    if rules["forbid_sequential"] and _sequential(text):
        found.append("sequential")
    if rules["forbid_repeated"] and _repeated(text):
        found.append("repeated")
    return found


def new_pins(pins, policy=None):
    """``pins`` (``{mailbox: new PIN}``) as strings.

    :raises ValueError: a new PIN is not all (ASCII) digits or breaks a rule of ``policy``; the
        message names the mailbox, never the PIN.
    """
    out = {}
    for mailbox, pin in pins.items():
        mailbox, pin = str(mailbox), str(pin)
        if not (pin.isascii() and pin.isdigit()):
            raise ValueError("the new PIN of %s is not all digits" % mailbox)
        problems = pin_problems(pin, mailbox, policy)
        if problems:
            raise ValueError("the new PIN of %s is weak (%s)" % (mailbox, ", ".join(problems)))
        out[mailbox] = pin
    return out


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

def _secret_spans(value):
    """Spans ``(start, end)`` in a mailbox value of what must never be shown: the PIN and the
    value of every credential item of the options field (``imappassword=``)."""
    fields = mailbox_fields(value)
    spans = [fields[0]]
    if len(fields) == 5:
        offset = fields[4][0]
        for item in option_items(value[offset:fields[4][1]]):
            if item.value is not None and is_credential("voicemail", item.loose_key):
                spans.append((offset + item.end - len(item.value), offset + item.end))
    return [(start, end) for start, end in spans if start < end]


def _statement_spans(cfg, source_key):
    """File offsets ``(start, end)`` of the secrets of every mailbox statement of a file."""
    spans = []
    for statement in mailbox_statements(cfg):
        if statement.source.key != source_key:
            continue
        start_i, end_i = statement.parsed.value_span
        offsets = statement.lex.offsets
        for start, end in _secret_spans(statement.lex.text[start_i:end_i]):
            spans.append((offsets[start_i + start], offsets[start_i + end - 1] + 1))
    return spans


def _skip(line, pos, chars):
    while pos < len(line) and (line[pos] in chars or line[pos] < 33):
        pos += 1
    return pos


def _mailbox_value_start(line, pos):
    """Where the value starts if ``line[pos:]`` reads ``box =|=> value`` (a mailbox line once
    comment markers are skipped), else None.  One pass, no regular expression."""
    pos = _skip(line, pos, b";-")
    name_start = pos
    while pos < len(line) and line[pos] > 32 and line[pos] not in b"=;,[]#":
        pos += 1
    if pos == name_start:
        return None
    pos = _skip(line, pos, b"")
    if line[pos:pos + 1] != b"=":
        return None
    pos += 2 if line[pos + 1:pos + 2] == b">" else 1
    return _skip(line, pos, b"")


def _commented_spans(line, base, carries_statement):
    """File offsets of the secrets of a mailbox line written in a comment of ``line`` (a
    physical line starting at offset ``base``): the whole line when it carries no text for
    Asterisk (a comment, a block comment), else what follows its first unescaped ``;``."""
    pos = 0
    if carries_statement:
        pos = line.find(b";")
        while pos > 0 and line[pos - 1:pos] == b"\\":
            pos = line.find(b";", pos + 1)
        if pos < 0:
            return []
    start = _mailbox_value_start(line, pos)
    if start is None:
        return []
    end = line.find(b";", start)
    value = line[start:len(line) if end < 0 else end].rstrip(_BLANKS)
    return [(base + start + first, base + start + last) for first, last in _secret_spans(value)]


def mask_pins(data, cfg=None, source_key=None):
    """``data`` (a file's bytes) with every mailbox PIN and mailbox credential option
    (``imappassword=``) replaced by ``****``: those of the mailbox statements ``cfg`` found in
    that file, and those of mailbox lines written in comments or block comments (``;101 => 5151``
    or ``;101 = 5151``: a commented line may hold a real PIN).  Lines end at ``\\n`` only, as
    Asterisk reads them."""
    spans = _statement_spans(cfg, source_key) if cfg is not None else []
    statement_lines = carrying_lines(data, cfg, source_key)
    base = 0
    for number, line in enumerate(data.split(b"\n"), 1):
        spans.extend(_commented_spans(line, base, number in statement_lines))
        base += len(line) + 1
    return _replaced(data, spans, PIN_MASK)


def mask_mailbox_value(value):
    """A mailbox value (``pin,name,email,pager,options``: an engine ``Value``, text or bytes)
    fit to show: the PIN and the credential options as ``****``."""
    raw = exact_bytes(value)
    return shown(_replaced(raw, _secret_spans(raw), PIN_MASK))


def _replaced(data, spans, mask):
    """``data`` with every span replaced by ``mask``; overlapping spans are masked once."""
    out = []
    done = 0
    for start, end in sorted(spans):
        if end <= done:
            continue
        out.extend((data[done:max(start, done)], mask))
        done = end
    out.append(data[done:])
    return b"".join(out)


def c_int(value):
    """``sscanf(value, "%30d")``: the leading integer, or None."""
    if value is None:
        return None
    match = _INT.match(exact_bytes(value))
    return int(match.group(0)) if match else None
