# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a loaded Asterisk configuration means: categories, templates, inheritance, ``(+)``,
``+=``, effective values, ``ast_true()``/``ast_false()``.

Semantics follow Asterisk's ``main/config.c`` (``process_text_line()``, ``ast_category_get()``,
``does_category_match()``, ``ast_category_inherit()``, ``ast_variable_update()``,
``ast_variable_retrieve()``) and ``main/utils.c`` (``ast_true()``, ``ast_false()``):

* Category names are matched with ``strcasecmp()`` (ASCII case-insensitive) against the name as
  stored, which Asterisk truncates to 79 bytes; names are not stripped (``[ a ]`` is " a ").
* Lookups by name (:meth:`Config.first`) skip templates and return the FIRST category of that
  name: a second ``[general]`` without ``(+)`` is a separate category that
  ``ast_variable_retrieve()`` never sees.
* ``[x](+)`` appends to the first non-template category named ``x`` (fatal if none);
  ``[x](tpl)`` copies ``tpl``'s variables at that moment (the first category named ``tpl``,
  template or not; fatal if none); later changes to ``tpl`` do not propagate.
* ``name += text`` appends to the last variable spelled exactly ``name`` in the current category
  (``strcmp``), or creates it.
* Option names compare case-insensitively (ASCII).  Values compare exactly.
"""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import (
    Shown,
    exact,
    exact_bytes,
    shown,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    Endless,
    LineFatal,
    ast_strip,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_match import (
    PatternError,
    PatternTooComplex,
    compile_ere,
)

CATEGORY_NAME_MAX = 79          # char name[80] in struct ast_category
MAX_VARIABLES = 1000000         # engine bound: inheritance can multiply variables
MAX_VALUE = 1024 * 1024         # engine bound: '+=' can grow a value without limit
MAX_FILTER_PATTERN = 256        # engine bound: bytes of one category filter expression
WORK_BASE = 5000000             # engine bound: evaluation steps any load may take...
WORK_PER_BYTE = 16              # ...plus this many per byte read (see WorkMeter)
# What the steps cost, in units of about 0.1 microsecond.
_COST_LOOKUP = 50               # one category looked at by a (+filter) or (template) header
_COST_SEARCH = 30               # one variable searched by a filter...
_COST_PER_CHAR = 3              # ...plus this per character of its name and value
_COST_COPY = 40                 # one variable copied by inheritance or '+='

_TRUE = frozenset((b"yes", b"true", b"y", b"t", b"1", b"on"))
_FALSE = frozenset((b"no", b"false", b"n", b"f", b"0", b"off"))


def fold(text):
    """ASCII case folding, as ``strcasecmp()`` does in the C locale."""
    return exact_bytes(text).lower()


def ast_true(value):
    """``ast_true()`` of main/utils.c: yes, true, y, t, 1, on (ASCII case-insensitive).

    None and the empty string are not true.  Surrounding blanks are NOT stripped (Asterisk strips
    values when it reads them, so values from the engine never have them).
    """
    if value is None:
        return False
    return fold(value) in _TRUE


def ast_false(value):
    """``ast_false()`` of main/utils.c: no, false, n, f, 0, off (ASCII case-insensitive).

    A value can be neither true nor false (e.g. ``nat=force_rport``, or None).
    """
    if value is None:
        return False
    return fold(value) in _FALSE


class Value(str):
    """A setting's value.  It is a ``str`` (its :func:`~astconf_bytes.shown` text: bytes that
    are not UTF-8 read ``\\xNN``); it also knows its bytes and where it comes from.

    :ivar variable: the :class:`Variable` holding it.
    """

    def __new__(cls, variable):
        obj = str.__new__(cls, variable.value)
        obj.variable = variable
        return obj

    @property
    def raw(self):
        """The value's bytes, exactly as Asterisk holds them."""
        return self.variable.value_b

    @property
    def path(self):
        """File of the line that set it (the template's line when inherited)."""
        return self.variable.path

    @property
    def line(self):
        """Line number of that line."""
        return self.variable.line

    @property
    def inherited_from(self):
        """Name of the category it was inherited from, or None when set in the category itself."""
        return self.variable.inherited_from

    @property
    def own(self):
        """True when set by the category's own lines (not copied from a template)."""
        return self.variable.inherited_from is None

    @property
    def origin(self):
        """``"path:line"``, plus ``" (inherited from [tpl])"`` when inherited."""
        text = "%s:%d" % (self.path, self.line)
        if self.inherited_from is not None:
            text += " (inherited from [%s])" % self.inherited_from
        return text


class Variable:
    """One ``name = value`` in a category, as Asterisk keeps it.

    :ivar name_b: option name (bytes, as written); ``name`` its text (a
        :class:`~astconf_bytes.Shown`).
    :ivar value_b: value (bytes), after ``+=`` appends if any; ``value`` its shown text.
    :ivar object: True for ``=>``.
    :ivar statement: the :class:`Statement` that created it (a template's line when inherited).
    :ivar inherited_from: name of the category it was copied from by ``(tpl)``, else None.
    :ivar appends: statements (``+=`` lines) that extended its value, in order.
    :ivar appended_chain: the same as a chain ``(earlier chain, last statement)`` or None, so
        that each ``+=`` adds one link instead of copying the earlier ones.
    """

    __slots__ = ("name_b", "value_b", "object", "statement", "inherited_from", "appended_chain",
                 "key")

    def __init__(self, name_b, value_b, obj, statement, inherited_from=None, appended=None):
        self.name_b = name_b
        self.value_b = value_b
        self.object = bool(obj)
        self.statement = statement
        self.inherited_from = inherited_from
        self.appended_chain = appended
        self.key = name_b.lower()

    @property
    def name(self):
        return Shown(self.name_b)

    @property
    def value(self):
        return shown(self.value_b)

    @property
    def appends(self):
        """The ``+=`` statements that extended the value, in order (a tuple)."""
        chain = self.appended_chain
        found = []
        while chain is not None:
            chain, statement = chain
            found.append(statement)
        return tuple(reversed(found))

    @property
    def path(self):
        return self.statement.path

    @property
    def line(self):
        return self.statement.line

    @property
    def own(self):
        return self.inherited_from is None

    def __repr__(self):
        return "Variable(%r, %r, %s:%d%s)" % (
            self.name, self.value, self.path, self.line,
            "" if self.inherited_from is None else " from [%s]" % self.inherited_from)


class Category:
    """A category (``[name]``) with its variables in Asterisk's order (inherited ones first).

    :ivar name_b: the name (bytes) as Asterisk stores it (truncated to 79 bytes); ``name`` its
        text (a :class:`~astconf_bytes.Shown`).
    :ivar template: True for ``(!)`` templates (hidden from lookups by name).
    :ivar statement: the header :class:`Statement` that created it.
    :ivar headers: that header plus every ``(+)`` header that appended to it.
    :ivar variables: list of :class:`Variable`.
    :ivar templates: names of the categories it inherited from, in order.
    :ivar bases: the :class:`Category` objects it inherited from, in order.
    """

    __slots__ = ("name_b", "name", "key", "template", "statement", "headers", "variables",
                 "templates", "bases", "index")

    def __init__(self, name_b, statement):
        self.name_b = name_b[:CATEGORY_NAME_MAX]
        self.name = Shown(self.name_b)
        self.key = self.name_b.lower()
        self.template = False
        self.statement = statement
        self.headers = [statement]
        self.variables = []
        self.templates = []
        self.bases = []
        self.index = -1

    @property
    def is_template(self):
        return self.template

    @property
    def path(self):
        """File holding the header that created the category."""
        return self.statement.path

    @property
    def line(self):
        return self.statement.line

    def variables_named(self, option):
        """Every :class:`Variable` named ``option`` (case-insensitive), in order."""
        key = fold(option)
        return [var for var in self.variables if var.key == key]

    def get(self, option):
        """Effective value of ``option``: the LAST assignment wins (inherited ones come first).

        This is what modules that walk a category (chan_sip, PJSIP sorcery, manager, http...)
        end up with.  Returns a :class:`Value` (a str with its origin) or None when absent.
        """
        found = self.variables_named(option)
        return Value(found[-1]) if found else None

    def get_first(self, option):
        """The FIRST assignment, as ``ast_variable_retrieve()`` returns it (voicemail's
        ``maxlogins`` for instance is read this way).  :class:`Value` or None."""
        found = self.variables_named(option)
        return Value(found[0]) if found else None

    def get_all(self, option):
        """Every value of ``option`` in order (multi-valued options: ``allow``, ``permit``,
        ``deny``, ``noload``, ``load``...), as a list of :class:`Value`."""
        return [Value(var) for var in self.variables_named(option)]

    def items(self):
        """``[(name, Value), ...]`` of every variable in order."""
        return [(var.name, Value(var)) for var in self.variables]

    def __repr__(self):
        return "Category(%r%s, %s:%d, %d variables)" % (
            self.name, "(!)" if self.template else "", self.path, self.line, len(self.variables))


class Statement:
    """One line that reached ``process_text_line()``, in evaluation order.

    :ivar kind: ``"header"``, ``"assignment"`` or ``"directive"``.
    :ivar source: the :class:`SourceFile`.
    :ivar lex: the :class:`~astconf_lexer.LexLine`.
    :ivar load: the :class:`FileLoad` (one reading of the file) it belongs to.
    :ivar category: the category it applied to (for a header: the one it opened or appended to);
        None when there was none or the line failed.
    :ivar parsed: :class:`~astconf_lexer.Header`, :class:`~astconf_lexer.Directive` or
        :class:`~astconf_lexer.Assignment`.
    """

    __slots__ = ("kind", "source", "lex", "load", "category", "parsed", "failed")

    def __init__(self, kind, source, lex, load):
        self.kind = kind
        self.source = source
        self.lex = lex
        self.load = load
        self.category = None
        self.parsed = None
        self.failed = False

    @property
    def path(self):
        """The file's path fit to show (a name that is not UTF-8 reads ``\\xNN``)."""
        return shown(self.source.path)

    @property
    def line(self):
        return self.lex.line

    @property
    def text(self):
        """The line's text as Asterisk processed it (comments removed, stripped), shown."""
        return shown(self.lex.text)

    def __repr__(self):
        return "Statement(%s, %s:%d, %r)" % (self.kind, self.path, self.line, self.text)


class SourceFile:
    """A file of the tree.

    :ivar key: its real path (symlinks resolved): one object per file on disk.
    :ivar path: the path Asterisk used to open it the first time (as ``os.fsdecode`` gives it:
        show it with :func:`~astconf_bytes.shown`).
    :ivar data: its bytes, exactly as read.
    """

    __slots__ = ("key", "path", "data", "loads")

    def __init__(self, key, path, data):
        self.key = key
        self.path = path
        self.data = data
        self.loads = []


class FileLoad:
    """One reading of a file (a file included twice is read twice).

    :ivar start_category: the category in effect when reading began (``cfg->current``).
    :ivar end_category: the category in effect when it ended (the file's local ``cat``).
    :ivar invalid: True when a fatal error stopped the reading.
    """

    __slots__ = ("source", "include", "start_category", "end_category", "invalid", "lines")

    def __init__(self, source, include, start_category):
        self.source = source
        self.include = include
        self.start_category = start_category
        self.end_category = start_category
        self.invalid = False
        self.lines = []


def _strip_quoted(token):
    """``ast_strip_quoted(token, "'\\"", "'\\"")``."""
    token = ast_strip(token)
    if token[:1] in (b"'", b'"') and token[-1:] == token[:1]:
        return token[1:-1] if len(token) >= 2 else b""
    return token


def _strsep(text, sep):
    """``ast_strsep(&text, sep, AST_STRSEP_STRIP)``: ``(token, rest)``; token None at the end."""
    if not text:
        return None, None
    stack = [0] * 8
    inquote = 0
    pos = 0
    size = len(text)
    while pos < size:
        char = text[pos]
        if char == 0x5C:
            pos += 2
            if pos >= size:
                break
            char = text[pos]
        if char in (0x22, 0x27):
            if char == stack[inquote]:
                stack[inquote] = 0
                inquote -= 1
            else:
                inquote += 1
                if inquote >= len(stack):
                    return None, None
                stack[inquote] = char
        if char == sep and not inquote:
            return _strip_quoted(text[:pos]), text[pos + 1:]
        pos += 1
    return _strip_quoted(text), None


class WorkMeter:
    """Keeps the evaluation of one tree linear in the bytes read.

    Some of Asterisk's rules cost more than one pass over the input when a file is hostile:
    every ``(+filter)`` header searches the variables of every category of that name, every
    ``+=`` looks through its category, every ``(template)`` copies variables.  Each such step
    is charged here (a step costs about 0.1 microsecond); a load may take :data:`WORK_BASE`
    steps plus :data:`WORK_PER_BYTE` per byte read, and a tree that needs more fails with :class:`Endless` (an error naming the
    line) instead of hanging.  Ordinary trees use a small fraction of it.
    """

    __slots__ = ("left",)

    def __init__(self, allowance=WORK_BASE):
        self.left = allowance

    def grant(self, steps):
        """Allow ``steps`` more (the loader grants :data:`WORK_PER_BYTE` per byte it reads)."""
        self.left += steps

    def charge(self, steps, what):
        """Spend ``steps`` on ``what``.

        :raises Endless: the allowance is exhausted.
        """
        self.left -= steps
        if self.left < 0:
            raise Endless("%s: evaluating this configuration takes more work than the engine "
                          "allows (%d steps plus %d per byte read)"
                          % (what, WORK_BASE, WORK_PER_BYTE))


_PATTERNS = {}                  # filter expression (bytes) -> compiled matcher, or None


def _regex(pattern):
    """The matcher of a filter expression, as ``regcomp(REG_EXTENDED | REG_NOSUB)`` reads it;
    None when it does not compile (Asterisk logs an error and the filter matches nothing).

    :raises Endless: a pattern the engine cannot match in linear time (back-references) or
        over its bounds.
    """
    if pattern in _PATTERNS:
        return _PATTERNS[pattern]
    if len(pattern) > MAX_FILTER_PATTERN:
        raise Endless("category filter regular expression of %d bytes: the engine reads at "
                      "most %d" % (len(pattern), MAX_FILTER_PATTERN))
    try:
        matcher = compile_ere(exact(pattern))
    except PatternError:
        matcher = None
    except PatternTooComplex as exc:
        raise Endless("category filter regular expression '%s': %s" % (shown(pattern), exc))
    if len(_PATTERNS) >= 1024:
        _PATTERNS.clear()
    _PATTERNS[pattern] = matcher
    return matcher


def _type_of(category):
    """The folded first ``type`` of a category (its own or inherited), or None."""
    found = category.get_first("type")
    return fold(found.raw.strip()) if found is not None else None


def does_category_match(category, name, match, sep, meter=None):
    """``does_category_match()``: name (ASCII case-insensitive, empty matches all) and filter.

    ``match`` is a filter such as ``TEMPLATES=include`` or ``type=endpoint&...``; empty or None
    means "not a template".  Its regular expressions are POSIX ERE, searched (not anchored) in
    each variable's name and value (their :func:`~astconf_bytes.exact` text: a byte that is not
    UTF-8 is one character) by :mod:`astconf_match` in linear time.

    :param meter: the :class:`WorkMeter` charged for the searches, if any.
    """
    if name and category.key != name.lower():
        return False
    if not match:
        return not category.template
    found = 0
    expressions = 0
    template_ok = False
    rest = match
    while True:
        nvp, rest = _strsep(rest, sep)
        if nvp is None:
            break
        expressions += 1
        match_name, nvp_rest = _strsep(nvp, 0x3D)
        match_value, _unused = _strsep(nvp_rest, 0x3D)
        if match_value is None:
            break
        if match_name == b"TEMPLATES":
            value = match_value.lower()
            if value == b"include":
                template_ok = template_ok or category.template
                found += 1
            elif value == b"restrict":
                if not category.template:
                    break
                found += 1
                template_ok = True
            continue
        name_re = _regex(match_name)
        value_re = _regex(match_value)
        if name_re is None or value_re is None:
            return False
        if _any_variable_matches(category, name_re, value_re, meter):
            found += 1
    return found == expressions and (not category.template or template_ok)


def _any_variable_matches(category, name_re, value_re, meter):
    """True when one variable's name matches ``name_re`` and its value ``value_re``."""
    for var in category.variables:
        if meter is not None:
            meter.charge(_COST_SEARCH + _COST_PER_CHAR * (len(var.name_b) + len(var.value_b)),
                         "category filter")
        if name_re.search(exact(var.name_b)) and value_re.search(exact(var.value_b)):
            return True
    return False


class Config:
    """A loaded configuration tree, as Asterisk holds it after ``ast_config_load()``.

    Build one with :func:`astconf_loader.load_config`.

    :ivar root_path: the root file.
    :ivar config_dir: directory relative ``#include`` names resolve against.
    :ivar categories: every :class:`Category` in order, templates included.
    :ivar statements: every :class:`Statement` in evaluation order (includes expanded in place).
    :ivar files: ``{real path: SourceFile}`` of every file read, in first-read order.
    :ivar loads: every :class:`FileLoad` in order.
    :ivar diagnostics: :class:`~astconf_errors.Diagnostic` list (warnings Asterisk logs, and
        fatal errors inside included files, which Asterisk survives by dropping the rest of that
        file).
    :ivar exec_directives: ``#exec`` statements (never executed; Asterisk runs them only with
        ``execincludes = yes`` in asterisk.conf, so their output is not part of this model).
    :ivar overlay: ``{path: bytes or None}`` read instead of the disk (planned edits: a tree
        the editor loaded in memory); empty for a tree read from the disk alone.
    """

    max_include_level = 10          # MAX_INCLUDE_LEVEL in main/config.c

    def __init__(self, root_path, config_dir):
        self.root_path = root_path
        self.config_dir = config_dir
        self.categories = []
        self._named = {}            # folded name -> its categories in order (lookups by name)
        self.statements = []
        self.files = {}
        self.loads = []
        self.diagnostics = []
        self.exec_directives = []
        self.overlay = {}
        self.current = None
        self.include_level = 0
        self.variable_count = 0
        self.meter = WorkMeter()

    # --- lookups (the public part) ---------------------------------------------------------

    @property
    def warnings(self):
        """Diagnostics of level ``warning``."""
        return [d for d in self.diagnostics if d.level == "warning"]

    @property
    def errors(self):
        """Fatal errors inside included files (each dropped the rest of its file)."""
        return [d for d in self.diagnostics if d.level == "error"]

    def first(self, name, kind=None):
        """The category ``ast_category_get(cfg, name, NULL)`` returns: the first non-template
        category with that name (ASCII case-insensitive), or None.

        With ``kind``, the first such category whose (first) ``type`` is ``kind``
        (case-insensitive), as PJSIP's sorcery picks an object: ``[100]`` may be both an
        endpoint and an auth."""
        key = fold(name)
        for category in self._named.get(key, ()):
            if does_category_match(category, key, None, 0x2C) and (
                    kind is None or _type_of(category) == fold(kind)):
                return category
        return None

    def categories_named(self, name, templates=False):
        """Every category with that name, in order (duplicates are separate categories);
        templates only when ``templates`` is True."""
        key = fold(name)
        named = self._named.get(key, ()) if key else self.categories
        return [c for c in named if templates or not c.template]

    def category_names(self):
        """Names as ``ast_category_browse()`` lists them: non-templates, in order, repeated."""
        return [c.name for c in self.categories if not c.template]

    def get(self, section, option):
        """Effective value of ``option`` in the first ``section`` (last assignment wins)."""
        category = self.first(section)
        return category.get(option) if category is not None else None

    def get_all(self, section, option):
        """Every value of ``option`` in the first ``section``."""
        category = self.first(section)
        return category.get_all(option) if category is not None else []

    def retrieve(self, section, option):
        """``ast_variable_retrieve(cfg, section, option)``: first assignment of the first
        category (any category when ``section`` is None)."""
        if section is None:
            for category in self.categories:
                found = category.get_first(option)
                if found is not None:
                    return found
            return None
        category = self.first(section)
        return category.get_first(option) if category is not None else None

    def source(self, path):
        """The :class:`SourceFile` read from ``path`` (real or as-opened path), or None."""
        if path in self.files:
            return self.files[path]
        for source in self.files.values():
            if source.path == path:
                return source
        return None

    def render(self, path):
        """The bytes of a file of the tree, exactly as read (the engine never reformats)."""
        source = self.source(path)
        if source is None:
            raise KeyError(path)
        return source.data

    # --- building (used by the loader) -----------------------------------------------------

    def category_get_sep(self, name, match, sep):
        """``category_get_sep(cfg, name, match, sep, 0)``."""
        for category in self._named.get(name.lower(), ()) if name else self.categories:
            self.meter.charge(_COST_LOOKUP + len(match or b""), "category lookup")
            if does_category_match(category, name, match, sep, self.meter):
                return category
        return None

    def append_category(self, category):
        category.index = len(self.categories)
        self.categories.append(category)
        self._named.setdefault(category.key, []).append(category)
        self.current = category

    def _count(self, number):
        self.variable_count += number
        if self.variable_count > MAX_VARIABLES:
            raise Endless("more than %d variables (inheritance explosion?)" % MAX_VARIABLES)

    def inherit(self, category, base):
        """``ast_category_inherit()``: copy ``base``'s variables now, in order."""
        if base is category and base.variables:
            raise Endless("category '%s' inherits from itself: Asterisk would copy its variables "
                          "forever" % base.name)
        self._count(len(base.variables))
        self.meter.charge(_COST_COPY * len(base.variables), "inheritance from '%s'" % base.name)
        category.templates.append(base.name)
        category.bases.append(base)
        for var in base.variables:
            category.variables.append(Variable(var.name_b, var.value_b, var.object, var.statement,
                                               base.name, var.appended_chain))

    def apply_header(self, header, statement):
        """The category branch of ``process_text_line()``.  Returns the new current category.

        :raises LineFatal: ``(+)`` or inheritance naming a category that does not exist.
        """
        newcat = Category(header.name, statement)
        current = newcat
        for item in header.items or ():
            if item == b"!":
                current.template = True
            elif item[:1] == b"+":
                found = self.category_get_sep(header.name, item[1:], 0x26)
                if found is None:
                    raise LineFatal("Category addition requested, but category '%s' does not "
                                    "exist" % shown(header.name))
                current = found
                if found.headers[-1] is not statement:
                    found.headers.append(statement)
                if newcat is not None:
                    self.current = found
                    found.template = found.template or newcat.template
                    found.variables.extend(newcat.variables)
                    newcat = None
            else:
                base = self.category_get_sep(item, b"TEMPLATES=include", 0x2C)
                if base is None:
                    raise LineFatal("Inheritance requested, but category '%s' does not exist"
                                    % shown(item))
                self.inherit(current, base)
        if newcat is not None:
            self.append_category(newcat)
        statement.category = current
        return current

    def apply_assignment(self, category, assignment, statement):
        """The variable branch of ``process_text_line()``; returns a warning message or None.

        :raises LineFatal: no category yet.
        """
        if category is None:
            raise LineFatal("parse error: No category context")
        statement.category = category
        if assignment.op is None:
            return "No '=' (equal sign) in line"
        if assignment.op == "+=":
            self.meter.charge(len(category.variables), "'+='")
            replace = None
            for var in category.variables:
                if var.name_b == assignment.name:
                    replace = var
            if replace is not None:
                # ast_str_trim_blanks() then ast_skip_blanks(): bytes below 33 at both ends.
                joined = ast_strip(replace.value_b + assignment.value)
                if len(joined) > MAX_VALUE:
                    raise Endless("value of '%s' grows over %d bytes with '+='"
                                  % (replace.name, MAX_VALUE))
                self.meter.charge(_COST_COPY + len(joined) // 32, "'+='")
                self._update(category, replace, joined, statement)
                return None
            value = ast_strip(assignment.value)
            obj = False
        else:
            value = assignment.value
            obj = assignment.op == "=>"
        if not assignment.name:
            return "No variable name in line"
        self._count(1)
        category.variables.append(Variable(assignment.name, value, obj, statement))
        return None

    def _update(self, category, replace, value, statement):
        """``ast_variable_update(cat, replace->name, value, replace->value, 0)``: the FIRST
        variable with that name (ASCII case-insensitive) and, unless the old value is empty, that
        value (ASCII case-insensitive) is replaced, keeping its place, line and ``=>`` flag."""
        for index, var in enumerate(category.variables):
            if var.key != replace.key:
                continue
            if not self._same_value(var, replace):
                continue
            category.variables[index] = Variable(replace.name_b, value, var.object, var.statement,
                                                 var.inherited_from, (var.appended_chain, statement))
            return

    def _same_value(self, var, replace):
        """``strcasecmp(var->value, replace->value) == 0``, or True when that value is empty.

        ASCII case folding keeps lengths, so only values of the same length are folded (and
        that folding is charged: a long value compared with many others is a hostile file's).
        """
        old = replace.value_b
        if var is replace or not old:
            return True
        if len(var.value_b) != len(old):
            return False
        self.meter.charge(len(old) // 64, "'+='")
        return var.value_b.lower() == old.lower()
