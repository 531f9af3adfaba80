# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Plan minimal, verified edits of an Asterisk configuration tree.

Public API::

    cfg = load_config("/etc/asterisk/sip.conf")
    plan = plan_option(cfg, "general", "allowguest", "no")
    plan.changed, plan.changes          # [FileChange(path, before, after, created)]
    plan = plan_remove_section(cfg, "anonymous")

A plan never touches a byte that does not belong to a line carrying the option (or, for
:func:`plan_remove_section`, to the section's header and body lines), except for adding a line
end to a file's last line when a line is added after it.  Bytes are bytes: a file need not be
UTF-8, and every byte outside the edit stays as it was (messages show such bytes as ``\\xNN``).  Every plan is re-evaluated in memory
with the loader before it is returned: the new tree must load, the option (or section) must come
out as wanted, and every other category must be unchanged (categories that inherit from the
edited one may only differ in that option).  When no candidate edit passes, the planner raises
:class:`AsteriskConfigError` and nothing is to be written.

Where an edit goes (single-valued ``present``), first candidate that verifies wins:

1. the value of the winning (last) own assignment, rewritten in place (its indentation,
   spacing, ``=``/``=>`` and trailing comment kept), when its file is writable;
2. a new line in the section's body, in the file holding the section header, right after the
   last own line of the section in that file (when that file is writable);
3. ``override_file``: appended there, under ``[section](+)`` unless the file already ends inside
   the section; created when missing, but only if the tree really reads it.

When the winning assignment sits in a non-writable file, 3 is tried before 2.  ``multiple``
options (``allow``, ``permit``, ``noload``...) only ever get a line added or removed.
"""

from __future__ import annotations

import fnmatch
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import (
    exact_bytes,
    shown,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    file_kind,
    is_credential,
    mask_value,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    ASSIGNMENT,
    HEADER,
    ast_strip,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import (
    CATEGORY_NAME_MAX,
)

_BLANKS = bytes(range(1, 33))


class FileChange:
    """New contents for one file.

    :ivar path: the file (as the tree opened it; for a new file, the override path).
    :ivar key: its real path (where to write).
    :ivar before: old bytes, or None when the file is created.
    :ivar after: new bytes.
    :ivar attributes: ``(uid, gid, mode)`` the file is written with, or None (the default): the
        old file's, for a new file those of the tree's root (see :mod:`astconf_files`).
    """

    __slots__ = ("path", "key", "before", "after", "attributes")

    def __init__(self, path, key, before, after, attributes=None):
        self.path = path
        self.key = key
        self.before = before
        self.after = after
        self.attributes = attributes

    @property
    def created(self):
        return self.before is None

    def __repr__(self):
        return "FileChange(%r%s)" % (self.path, ", created" if self.created else "")


class EditPlan:
    """The outcome of planning.

    :ivar changes: list of :class:`FileChange` (empty when nothing needs to change).
    :ivar before: effective value(s) before (str/None, or a list for ``multiple``).
    :ivar after: effective value(s) once the changes are written.
    :ivar config: the tree as loaded; ``new_config`` the tree with the changes applied.
    :ivar actions: human-readable list of what the plan does, ``"path:line: ..."``.
    """

    def __init__(self, config, before):
        self.config = config
        self.new_config = config
        self.before = before
        self.after = before
        self.changes = []
        self.actions = []

    @property
    def changed(self):
        return bool(self.changes)


# --- helpers -----------------------------------------------------------------------------------

def _fail(where, message):
    if where is None:
        raise AsteriskConfigError("", 0, message)
    raise AsteriskConfigError(where.path, where.line, message)


class _Where:
    def __init__(self, path, line):
        self.path = path
        self.line = line


def _writable_check(cfg, writable):
    """A predicate over source files from a list of glob patterns (None: everything)."""
    if writable is None:
        return lambda path, key: True
    patterns = []
    for pattern in writable:
        pattern = os.fsdecode(pattern)
        if not os.path.isabs(pattern):
            pattern = os.path.join(cfg.config_dir, pattern)
        patterns.append(os.path.normpath(pattern))

    def check(path, key):
        for pattern in patterns:
            if fnmatch.fnmatchcase(os.path.normpath(path), pattern) or \
                    fnmatch.fnmatchcase(key, pattern):
                return True
        return False
    return check


def _check_option(option):
    raw = os.fsencode(option) if isinstance(option, str) else option
    if not raw or ast_strip(raw) != raw:
        _fail(None, "option %r: empty or surrounded by blanks" % option)
    for bad in (b"=", b";", b"\n", b"\r", b"\0"):
        if bad in raw:
            _fail(None, "option %r: must not contain %r" % (option, bad.decode()))
    if raw[:1] in (b"[", b"#", b"\\") or raw.endswith(b"+"):
        _fail(None, "option %r: must not start with '[', '#' or '\\' nor end with '+'" % option)
    return raw


def _check_section(section):
    raw = exact_bytes(section)
    if not raw:
        _fail(None, "section name is empty")
    for bad in (b"]", b";", b"\n", b"\r", b"\0"):
        if bad in raw:
            _fail(None, "section %r: must not contain %r" % (section, bad.decode()))
    if len(raw) > CATEGORY_NAME_MAX:
        _fail(None, "section %r: longer than %d bytes, Asterisk would truncate it"
              % (section, CATEGORY_NAME_MAX))
    return raw


def _check_value(value):
    raw = exact_bytes(value)
    for bad in (b"\n", b"\r", b"\0"):
        if bad in raw:
            _fail(None, "value must not contain line breaks or NUL bytes")
    return ast_strip(raw)


def escape_value(raw):
    """Bytes to write for a value: ``;`` becomes ``\\;`` (Asterisk removes the backslash)."""
    return raw.replace(b";", b"\\;")


def _apply(data, edits):
    out = data
    last = None
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if last is not None and end > last:
            raise ValueError("overlapping edits")
        out = out[:start] + new + out[end:]
        last = start
    return out


def _eol_of(data, lex_end):
    if data[lex_end - 2:lex_end] == b"\r\n":
        return b"\r\n"
    if data[lex_end - 1:lex_end] == b"\n":
        return b"\n"
    return None


def _file_eol(data):
    pos = data.find(b"\n")
    if pos > 0 and data[pos - 1:pos] == b"\r":
        return b"\r\n"
    return b"\n"


def _contiguous(data, offsets):
    """True when the text bytes sit side by side in the file, except for removed ``\\;``
    backslashes."""
    for index in range(len(offsets) - 1):
        gap = offsets[index + 1] - offsets[index]
        if gap == 1:
            continue
        if gap == 2 and data[offsets[index] + 1:offsets[index] + 2] == b"\\" and \
                data[offsets[index + 1]:offsets[index + 1] + 1] == b";":
            continue
        return False
    return True


def _statement_removal(statement):
    """``(start, end, b"")`` removing a statement's line (or only its text on a line shared
    with block comment markers)."""
    lex = statement.lex
    if lex.simple:
        return lex.start, lex.end, b""
    data = statement.source.data
    if not _contiguous(data, lex.offsets):
        _fail(statement, "line too complex to edit safely (a block comment splits the statement)")
    start, end = lex.offsets[0], lex.offsets[-1] + 1
    if data[start - 1:start] == b"\\" and lex.text[:1] == b";":
        start -= 1
    return start, end, b""


def _snapshot(category, skip_key=None):
    return (category.key, category.template,
            [(v.key, v.value_b, v.object) for v in category.variables if v.key != skip_key])


def _affected(cfg, target):
    """Indexes of ``target`` and of the categories that inherited (directly or not) from it."""
    hit = {target.index}
    for category in cfg.categories:
        if any(base.index in hit for base in category.bases):
            hit.add(category.index)
    return hit


# --- the planner -------------------------------------------------------------------------------

class _Planner:
    def __init__(self, cfg, section, writable, override_file, section_type=None):
        self.cfg = cfg
        self.section = section
        self.section_type = section_type
        self.section_b = _check_section(section)
        self.is_writable = _writable_check(cfg, writable)
        self.override = None
        if override_file:
            override = os.fsdecode(override_file)
            if not os.path.isabs(override):
                override = os.path.join(cfg.config_dir, override)
            self.override = os.path.normpath(override)
        self.category = cfg.first(section, section_type)

    def writable(self, source):
        if self.override is not None and source.key == os.path.realpath(self.override):
            return True
        return self.is_writable(source.path, source.key)

    def verify(self, edits, created, check):
        """Load the edited tree in memory; returns ``(new_config, None)`` or ``(None, why)``.
        The edits a tree planned in memory already shows (its overlay) are kept."""
        overlay = dict(self.cfg.overlay)
        for key, items in edits.items():
            source = self.cfg.files.get(key)
            try:
                overlay[key] = _apply(source.data, items) if source is not None else None
            except ValueError as exc:
                return None, str(exc)
        for key, data in created.items():
            overlay[key] = data
        try:
            new = load_config(self.cfg.root_path, self.cfg.config_dir, overlay)
        except AsteriskConfigError as exc:
            return None, "the edited tree would not load: %s" % exc
        why = check(new)
        if why:
            return None, why
        return new, None

    def finish(self, plan, edits, created, new):
        for key, items in edits.items():
            source = self.cfg.files[key]
            after = _apply(source.data, items)
            if after != source.data:
                plan.changes.append(FileChange(source.path, key, source.data, after))
        for key, data in created.items():
            plan.changes.append(FileChange(self.override, key, None, data))
        plan.new_config = new
        return plan

    def unchanged_elsewhere(self, new, option_key, extra=None):
        """Why ``new`` differs from the old tree outside the edited option, or None."""
        old_cats = self.cfg.categories
        new_cats = [c for c in new.categories if extra is None or c.index != extra]
        if len(old_cats) != len(new_cats):
            return "the edit would change the categories of the tree"
        affected = _affected(self.cfg, self.category) if self.category is not None else set()
        for old, cur in zip(old_cats, new_cats):
            skip = option_key if old.index in affected else None
            if _snapshot(old, skip) != _snapshot(cur, skip):
                return "the edit would also change [%s] (%s:%d)" % (old.name, old.path, old.line)
        return None

    # -- building blocks --

    def new_line(self, option_b, value_b, source, anchor_statements):
        """``indent + option + sep + value`` styled after the section's last own assignment."""
        indent, sep = b"", b"="
        for statement in reversed(anchor_statements):
            if statement.kind != ASSIGNMENT or statement.parsed.op not in ("=", "=>"):
                continue
            lex = statement.lex
            data = source.data
            lead = data[lex.start:lex.offsets[0]]
            if lead.strip(b" \t") == b"":
                indent = lead
            asg = statement.parsed
            name_end = lex.offsets[asg.name_span[1] - 1] + 1
            if asg.value_span[0] < asg.value_span[1]:
                gap = data[name_end:lex.offsets[asg.value_span[0]]]
            else:
                gap = data[name_end:lex.offsets[asg.op_end - 1] + 1]
            core = gap.strip(b" \t")
            if core in (b"=", b"=>") and gap.replace(core, b"", 1).strip(b" \t") == b"":
                if core == b"=>" and statement.parsed.name.lower() != option_b.lower():
                    gap = gap.replace(b"=>", b"=", 1)
                sep = gap
            break
        if value_b[:1] == b">" and sep.endswith(b"="):
            sep += b" "
        return indent + option_b + sep + escape_value(value_b)

    def own_statements(self, category, source):
        return [s for s in self.cfg.statements
                if s.category is category and s.source is source and s.kind == ASSIGNMENT
                and not s.failed and s.parsed.op is not None]

    def in_place(self, variable, value_b):
        """Edits rewriting the value of ``variable``'s line, or None with a reason."""
        statement = variable.statement
        if not variable.own:
            return None, None, "it is inherited from [%s]" % variable.inherited_from
        if variable.appends:
            return None, None, "its value is built with '+='"
        if not self.writable(statement.source):
            return None, None, "%s is not writable" % statement.path
        asg = statement.parsed
        lex = statement.lex
        data = statement.source.data
        start_i, end_i = asg.value_span
        new = escape_value(value_b)
        if start_i == end_i:
            start = end = lex.offsets[asg.op_end - 1] + 1
        else:
            offsets = lex.offsets[start_i:end_i]
            if not _contiguous(data, offsets):
                return None, None, "a block comment splits its value"
            start, end = offsets[0], offsets[-1] + 1
            if lex.text[start_i:start_i + 1] == b";" and data[start - 1:start] == b"\\":
                start -= 1
        if new[:1] == b">" and asg.op == "=" and data[start - 1:start] == b"=":
            new = b" " + new
        if new[-1:] in (b"\\", b"-") and data[end:end + 1] == b";":
            new += b" "
        return {statement.source.key: [(start, end, new)]}, {}, None

    def add_in_file(self, option_b, value_b, source=None):
        """A new line right after the last own line of the section in ``source`` (default: the
        file holding the section header)."""
        category = self.category
        if source is None:
            source = category.statement.source
        if not self.writable(source):
            return None, None, "%s (holding [%s]) is not writable" % (shown(source.path),
                                                                      category.name)
        own = self.own_statements(category, source)
        if own:
            anchor = own[-1]
        elif source is category.statement.source:
            anchor = category.statement
        else:
            return None, None, "[%s] has no line in %s" % (category.name, shown(source.path))
        lex = anchor.lex
        if lex.comment_after != 0:
            return None, None, "%s:%d ends inside a block comment" % (anchor.path, anchor.line)
        data = source.data
        eol = _eol_of(data, lex.end)
        line = self.new_line(option_b, value_b, source, own)
        if eol is None:
            # After the last line of a file without a final newline: keep it without one.
            text = _file_eol(data) + line
        else:
            text = line + eol
        return {source.key: [(lex.end, lex.end, text)]}, {}, None

    def add_in_override(self, option_b, value_b, new_section):
        if self.override is None:
            return None, None, "no override_file given"
        key = os.path.realpath(self.override)
        source = self.cfg.files.get(key)
        header_cat = None
        if source is not None:
            data = source.data
            load = source.loads[-1]
            if load.lines and load.lines[-1].comment_after != 0:
                return None, None, "%s ends inside a block comment" % shown(source.path)
            end_category = load.end_category if _opened_in_reach(load) else None
            eol = _file_eol(data)
            prefix = eol if data and not data.endswith(b"\n") else b""
        else:
            if os.path.lexists(self.override):
                return None, None, ("%s exists but the tree does not read it (no #include or "
                                    "#tryinclude reaches it)" % self.override)
            try:
                probe = load_config(self.cfg.root_path, self.cfg.config_dir,
                                    dict(self.cfg.overlay, **{key: b""}))
            except AsteriskConfigError as exc:
                return None, None, "cannot probe %s: %s" % (self.override, exc)
            probe_source = probe.files.get(key)
            if probe_source is None:
                return None, None, ("%s is not read by the tree (no #include or #tryinclude "
                                    "reaches it): not creating it" % self.override)
            probe_load = probe_source.loads[-1]
            end_category = probe_load.end_category if _opened_in_reach(probe_load) else None
            data = b""
            eol = _file_eol(self.category.statement.source.data) \
                if self.category is not None else b"\n"
            prefix = b""
        if self.category is not None and end_category is not None and \
                end_category.index == self.category.index:
            header = b""
        elif new_section:
            header = b"[" + self.section_b + b"]" + eol
        else:
            header = b"[" + self.section_b + b"](+)" + eol
        if self.category is not None:
            header_cat = self.category
        line = self.new_line(option_b, value_b, source,
                             self.own_statements(header_cat, source) if source else [])
        text = prefix + header + line + eol
        if source is not None:
            return {key: [(len(data), len(data), text)]}, {}, None
        return {}, {key: text}, None

    def add_new_section(self, option_b, value_b):
        root = self.cfg.files.get(os.path.realpath(self.cfg.root_path))
        if root is None or not self.writable(root):
            return None, None, "the root file is not writable"
        data = root.data
        eol = _file_eol(data)
        prefix = eol if data and not data.endswith(b"\n") else b""
        line = self.new_line(option_b, value_b, root, [])
        text = prefix + b"[" + self.section_b + b"]" + eol + line + eol
        return {root.key: [(len(data), len(data), text)]}, {}, None


def _opened_in_reach(load):
    """Whether lines appended to the file of ``load`` stay in the category it ends in by design:
    the file opened that category itself, or the file that includes it did (``[general]`` then
    ``#include sip_general_custom.conf``). Otherwise the category was left open by whatever was
    included before, and bare lines would follow that file's last section wherever it moves."""
    category = load.end_category
    if category is None:
        return False
    files = {load.source.key}
    if load.include is not None:
        files.add(load.include.source.key)
    return any(header.source.key in files for header in category.headers)


def _values(category, option):
    return [] if category is None else [v.value_b for v in category.variables_named(option)]


def _shown(values, multiple):
    if multiple:
        return [shown(v) for v in values]
    return shown(values[-1]) if values else None


def _told(value, hidden):
    """How a message quotes a value: ``repr``, or the mask when it is a credential."""
    return repr(mask_value(value) if hidden else value)


def plan_option(cfg, section, option, value=None, state="present", multiple=False,
                writable=None, override_file=None, section_type=None, secret=None):
    """Plan making ``option`` in the first ``section`` of ``cfg`` have ``value`` (or be absent).

    :param cfg: a :class:`~astconf_model.Config` from :func:`load_config`.
    :param section: category name (matched like Asterisk: ASCII case-insensitive, first
        non-template category).
    :param option: option name (case-insensitive).
    :param value: wanted value (blanks around it are stripped, as Asterisk does); required for
        ``present`` and for ``multiple`` + ``absent``.
    :param state: ``"present"`` or ``"absent"``.
    :param multiple: the option may repeat (``allow``, ``permit``, ``noload``): ``present``
        makes sure one assignment has exactly ``value``; ``absent`` removes the assignments that
        have it.  Otherwise ``present`` makes ``value`` the effective (last) one and ``absent``
        removes every own assignment.
    :param writable: glob patterns of files that may be edited (relative ones are relative to
        the config dir); None means every file.
    :param override_file: where a new assignment goes when it cannot go elsewhere.
    :param section_type: only a category whose ``type`` is this (PJSIP: ``[100]`` may be an
        endpoint and an auth); None means the first category of that name.
    :param secret: the values are credentials: no message quotes them.  None: judged by the
        option's name and the kind of the tree (:func:`astconf_credentials.is_credential`).
    :returns: :class:`EditPlan`.
    :raises AsteriskConfigError: no verified edit achieves the wanted state (nothing to write).
    """
    if state not in ("present", "absent"):
        _fail(None, "state must be 'present' or 'absent'")
    option_b = _check_option(option)
    key = option_b.lower()
    value_b = None
    if value is not None:
        value_b = _check_value(value)
    if value_b is None and (state == "present" or multiple):
        _fail(None, "a value is required")
    planner = _Planner(cfg, section, writable, override_file, section_type)
    category = planner.category
    old_values = _values(category, option_b)
    plan = EditPlan(cfg, _shown(old_values, multiple))
    hidden = is_credential(file_kind(cfg.root_path), option) if secret is None else secret
    shown_value = shown(value_b) if value_b is not None else None
    if hidden:
        shown_value = mask_value(shown_value)

    if state == "present":
        if multiple and value_b in old_values:
            return plan
        if not multiple and old_values and old_values[-1] == value_b:
            return plan

        def check(new):
            cat = new.first(section, section_type)
            if cat is None:
                return "[%s] would not exist" % section
            if category is not None and cat.index != category.index:
                return "[%s] would no longer be the same category" % section
            values = _values(cat, option_b)
            if multiple:
                if value_b not in values:
                    return "%s = %s would not be among the values" % (option, shown_value)
                rest = list(values)
                rest.remove(value_b)
                if rest != old_values:
                    return "the other values of %s would change" % option
            elif not values or values[-1] != value_b:
                got = shown(values[-1]) if values else None
                where = cat.get(option)
                return "%s would still be %s%s" % (
                    option, _told(got, hidden),
                    " (from %s)" % where.origin if where is not None else "")
            return planner.unchanged_elsewhere(
                new, key, cat.index if category is None else None)

        candidates = []
        if category is None:
            candidates.append(("a new [%s] at the end of %s" % (section, cfg.root_path),
                               lambda: planner.add_new_section(option_b, value_b)))
            candidates.append(("override_file %s" % (planner.override or ""),
                               lambda: planner.add_in_override(option_b, value_b, True)))
        else:
            winner = category.variables_named(option_b)[-1] if old_values else None
            in_place = ("the assignment at %s:%d" % (winner.path, winner.line)
                        if winner is not None else "",
                        lambda: planner.in_place(winner, value_b))
            header = ("a new line in [%s] in %s" % (section, category.path),
                      lambda: planner.add_in_file(option_b, value_b))
            override = ("override_file %s" % (planner.override or ""),
                        lambda: planner.add_in_override(option_b, value_b, False))
            if winner is not None and not multiple:
                candidates.append(in_place)
            if winner is not None and not planner.writable(winner.statement.source):
                candidates.extend([override, header])
            else:
                candidates.append(header)
                if winner is not None and winner.own and \
                        winner.statement.source is not category.statement.source:
                    source = winner.statement.source
                    candidates.append(("a new line in [%s] in %s" % (section,
                                                                     shown(source.path)),
                                       lambda: planner.add_in_file(option_b, value_b, source)))
                candidates.append(override)
        return _run(planner, plan, candidates, check, section, option, shown_value, multiple,
                    option_b)

    # state == absent
    if category is None or not old_values:
        return plan
    variables = category.variables_named(option_b)
    if multiple:
        targets = [v for v in variables if v.value_b == value_b]
        if not targets:
            return plan
        statements = []
        for var in targets:
            if not var.own:
                _fail(var, "%s = %s in [%s] is inherited from [%s]: the engine does not edit "
                      "templates" % (option, shown_value, section, var.inherited_from))
            if var.appends:
                _fail(var, "%s = %s in [%s] is built with '+=': remove it by hand"
                      % (option, shown_value, section))
            statements.append(var.statement)
    else:
        for var in variables:
            if not var.own:
                _fail(var, "%s in [%s] is inherited from [%s] (%s:%d): the engine does not edit "
                      "templates; override it instead"
                      % (option, section, var.inherited_from, var.path, var.line))
        statements = [s for s in cfg.statements
                      if s.category is category and s.kind == ASSIGNMENT and not s.failed
                      and s.parsed.op is not None and s.parsed.name.lower() == key]
    expected = [v for v in old_values if v != value_b] if multiple else []

    def check_absent(new):
        cat = new.first(section, section_type)
        if cat is None or cat.index != category.index:
            return "[%s] would no longer be the same category" % section
        values = _values(cat, option_b)
        if values != expected:
            return "%s would still be %s" % (option, _told(_shown(values, multiple), hidden))
        return planner.unchanged_elsewhere(new, key)

    edits = _removals(planner, statements)
    new, why = planner.verify(edits, {}, check_absent)
    if new is None:
        _fail(category, "cannot remove %s from [%s]: %s" % (option, section, why))
    for statement in _unique(statements):
        plan.actions.append("%s:%d: removed %s" % (statement.path, statement.line, option))
    plan.after = _shown(_values(new.first(section, section_type), option_b), multiple)
    return planner.finish(plan, edits, {}, new)


def _unique(statements):
    seen = set()
    out = []
    for statement in statements:
        mark = (statement.source.key, statement.lex.start)
        if mark not in seen:
            seen.add(mark)
            out.append(statement)
    return out


def _removals(planner, statements):
    edits = {}
    for statement in _unique(statements):
        if not planner.writable(statement.source):
            _fail(statement, "cannot edit %s: not writable" % statement.path)
        edits.setdefault(statement.source.key, []).append(_statement_removal(statement))
    return edits


def _run(planner, plan, candidates, check, section, option, shown_value, multiple, option_b):
    reasons = []
    for label, make in candidates:
        edits, created, why = make()
        if edits is None:
            if why and label:
                reasons.append("%s: %s" % (label, why))
            continue
        new, why = planner.verify(edits, created, check)
        if new is None:
            reasons.append("%s: %s" % (label, why))
            continue
        plan.actions.append("%s: %s = %s" % (label, option, shown_value))
        plan.after = _shown(_values(new.first(section, planner.section_type), option_b), multiple)
        return planner.finish(plan, edits, created, new)
    where = planner.category if planner.category is not None else _Where(planner.cfg.root_path, 0)
    _fail(where, "cannot make %s = %s in [%s]: %s" % (
        option, shown_value, section, "; ".join(reasons) or "no candidate edit"))
    return plan


def plan_remove_section(cfg, section, writable=None):
    """Plan removing every non-template category named ``section`` with its ``(+)`` parts.

    Removes their header lines and the lines that assigned into them (in every file); ``#include``
    lines are kept.  Fails when that would change any other category (e.g. one inherits from it).

    :returns: :class:`EditPlan` whose ``before``/``after`` are the number of such categories.
    """
    planner = _Planner(cfg, section, writable, None)
    key = planner.section_b.lower()
    targets = [c for c in cfg.categories if c.key == key and not c.template]
    plan = EditPlan(cfg, len(targets))
    if not targets:
        return plan
    ids = set(id(c) for c in targets)
    statements = [s for s in cfg.statements
                  if s.category is not None and id(s.category) in ids and not s.failed
                  and s.kind in (HEADER, ASSIGNMENT)]
    edits = _removals(planner, statements)
    keep = [c for c in cfg.categories if id(c) not in ids]

    def check(new):
        if any(c.key == key and not c.template for c in new.categories):
            return "[%s] would still exist" % section
        if [_snapshot(c) for c in keep] != [_snapshot(c) for c in new.categories]:
            return "removing [%s] would change other categories" % section
        return None

    new, why = planner.verify(edits, {}, check)
    if new is None:
        _fail(targets[0], "cannot remove [%s]: %s" % (section, why))
    for statement in _unique(statements):
        if statement.kind == HEADER:
            plan.actions.append("%s:%d: removed header %s" % (statement.path, statement.line,
                                                              statement.text))
    plan.after = 0
    return planner.finish(plan, edits, {}, new)


class Setting:
    """One option a control owns, for :func:`plan_options`: the arguments of
    :func:`plan_option` (``section``, ``option``, ``value``, ``state``, ``multiple``,
    ``section_type``, ``override_file``) and the ``control`` that owns it."""

    __slots__ = ("control", "section", "option", "value", "state", "multiple", "section_type",
                 "override_file")

    def __init__(self, control, section, option, value=None, state="present", multiple=False,
                 section_type=None, override_file=None):
        self.control = control
        self.section = section
        self.option = option
        self.value = value
        self.state = state
        self.multiple = multiple
        self.section_type = section_type
        self.override_file = override_file


def merged_changes(plans):
    """One :class:`FileChange` per file over ``plans`` made one after the other: the bytes
    before the first plan, after the last one, with the attributes of the last one."""
    merged = {}
    for plan in plans:
        for change in plan.changes:
            first = merged.get(change.key)
            merged[change.key] = change if first is None else FileChange(
                first.path, change.key, first.before, change.after, change.attributes)
    return [change for change in merged.values() if change.before != change.after]


def plan_options(cfg, settings, writable=None, override_file=None):
    """Plan the :class:`Setting` list of one tree together: each is planned on the tree the
    ones before it leave (in memory), so the file gets one write with every change.

    :param override_file: where a new assignment goes when it cannot go elsewhere, unless the
        setting names its own.
    :returns: ``(EditPlan, [(Setting, EditPlan of that setting)])``: the plan's ``changes``
        are one :class:`FileChange` per file (the bytes before the first setting, after the
        last), its ``new_config`` the tree with every change, its ``actions`` all of them.
    :raises AsteriskConfigError: a setting cannot be reached (nothing is to be written).
    """
    current, done = cfg, []
    for setting in settings:
        plan = plan_option(current, setting.section, setting.option, setting.value,
                           state=setting.state, multiple=setting.multiple, writable=writable,
                           override_file=setting.override_file or override_file,
                           section_type=setting.section_type)
        done.append((setting, plan))
        current = plan.new_config
    whole = EditPlan(cfg, None)
    whole.new_config = current
    whole.changes = merged_changes([plan for _setting, plan in done])
    whole.actions = [action for _setting, plan in done for action in plan.actions]
    return whole, done
