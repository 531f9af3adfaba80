# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Minimal, verified edits of voicemail.conf: ``[general]`` options and mailbox options, set
the way ``app_voicemail`` reads them (see ``astconf_mailboxes`` for its reading rules: the
FIRST ``[general]`` assignment wins, so the planner makes EVERY own assignment carry the wanted
value; mailbox options are split on ``|``, the last item of a name wins).

Public API::

    edit_options(value, remove=[...], set_={...})          # (new value, [(start, end, new)])
    plan = plan_voicemail(cfg, general={...}, mailbox_options_absent=[...], ...)

Nothing here ever puts a PIN into a message, an exception or a result.
"""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import (
    exact_bytes,
    shown,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    is_credential,
    mask_value,
)
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
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    GENERAL,
    c_int,
    is_mailbox_context,
    mailbox_fields,
    mailbox_statements,
    mailboxes,
    option_items,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import fold


# --- mailbox options ---------------------------------------------------------------------------

def _check_name(name):
    raw = exact_bytes(name)
    if not raw or ast_strip(raw) != raw:
        raise AsteriskConfigError("", 0, "mailbox option %r: empty or surrounded by blanks" % name)
    for bad in (b"=", b"|", b",", b";", b"\n", b"\r", b"\0"):
        if bad in raw:
            raise AsteriskConfigError("", 0, "mailbox option %r must not contain %r"
                                      % (name, bad.decode()))
    return raw


def _check_item_value(name, value):
    raw = exact_bytes(value)
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
            touched.add(shown(item.loose_key))
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
                touched.add(shown(item.loose_key))
        if add_missing:
            present = set(item.loose_key for item in kept if item.value is not None)
            missing = [key for key in sorted(wanted) if key not in present]
            if missing:
                text = b"|".join(wanted[key][0] + b"=" + wanted[key][1] for key in missing)
                has_items = any(item.name or item.value is not None for item in kept)
                edits.append((len(value), len(value), (b"|" if has_items else b"") + text))
                touched.update(shown(key) for key in missing)
    elif add_missing and wanted:
        text = b"|".join(wanted[key][0] + b"=" + wanted[key][1] for key in sorted(wanted))
        edits.append((len(value), len(value), b"," * (5 - len(spans)) + text))
        touched.update(shown(key) for key in wanted)
    new_value = value
    for start, end, new in sorted(edits, reverse=True):
        new_value = new_value[:start] + new + new_value[end:]
    return new_value, sorted(edits), sorted(touched)


# --- planning ----------------------------------------------------------------------------------

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
    """Values of every [general] assignment of ``option``, masked for a credential option."""
    category = cfg.first(GENERAL)
    if category is None:
        return []
    return [_shown(option, v) for v in category.get_all(option)]


def _shown(option, value):
    """How results and messages show a [general] value: masked for a credential option."""
    if is_credential("voicemail", option):
        return mask_value(value)
    return shown(value)


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
            shown(source.path), option, _shown(option, value_b)))

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
                                                    _shown(option, wanted_b)))
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
            name = shown(asg.name)
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
        wanted[(box, fold(context or "default"))] = (name, exact_bytes(pin))
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
    wanted = dict((fold(name), exact_bytes(value)) for name, value in (set_ or {}).items())
    for box in mailboxes(cfg):
        spans = mailbox_fields(box.value)
        if len(spans) < 5:
            continue
        start, end = spans[4]
        for item in option_items(box.value[start:end]):
            if item.loose_key in remove_keys:
                raise AsteriskConfigError(box.path, box.line, "mailbox %s@%s would still set %s"
                                          % (box.name, box.context, shown(item.name)))
            if item.value is not None and item.loose_key in wanted and \
                    item.value != wanted[item.loose_key]:
                raise AsteriskConfigError(box.path, box.line, "mailbox %s@%s: %s would not be as "
                                          "wanted" % (box.name, box.context, shown(item.name)))


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
            wanted = ast_strip(exact_bytes(value))
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
