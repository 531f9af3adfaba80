# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load an Asterisk configuration tree the way ``ast_config_load()`` does.

Public API::

    from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
    cfg = load_config("/etc/asterisk/sip.conf")          # config_dir defaults to the file's dir
    general = cfg.first("general")
    general.get("allowguest")        # 'no' (a str that also has .path, .line, .inherited_from)

Emulated from ``ast_config_internal_load()`` and ``config_text_file_load()``:

* A relative ``#include``/``#tryinclude`` name resolves against the config directory (never the
  including file's directory); an absolute one is used as is.  Paths are cut at 255 bytes
  (``char fn[256]``).  Quotes ``"..."`` and ``<...>`` around the name are removed.
* Every name is expanded with ``glob(GLOB_NOMAGIC | GLOB_BRACE)`` (glibc): ``*``, ``?``,
  ``[...]``, ``{a,b}``; results sorted per brace alternative; a dotfile needs an explicit dot; a
  name without wildcards is used even when nothing matches.  Matches that are not regular files
  are skipped with a warning.
* An include that reads no file is fatal for the file holding ``#include`` (not for
  ``#tryinclude``).  A fatal error makes that file invalid: the rest of it is dropped.  When that
  file is the root file the whole load fails (:class:`AsteriskConfigError`); when it is an
  included file Asterisk goes on with the including file (the error is kept in
  ``cfg.errors``).
* Include depth is limited (``MAX_INCLUDE_LEVEL`` 10); an include loop therefore ends with a
  "Maximum Include level" warning and a failed ``#include`` at the deepest level.  Like Asterisk,
  a failed file does not give its include level back.
* An included file starts in the category current at that point (``cfg->current``), and the
  including file carries on in its own current category afterwards.
* ``#exec`` is never executed: it is recorded in ``cfg.exec_directives`` and, as Asterisk does
  without ``execincludes``, ignored with a warning.

Engine bounds (hostile input cannot eat the host): a file over 16 MiB, more than 1000 file
readings, more than 64 MiB read in total, or more than a million variables raise
:class:`AsteriskConfigError`.

Like Asterisk, the loader takes any bytes: a file need not be UTF-8, nor a file name (see
:mod:`astconf_bytes` for the text made of them).  Paths in diagnostics and errors are shown
(``\\xNN`` for a byte of a name that is not UTF-8).
"""

from __future__ import annotations

import os
import stat as stat_module

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
    Diagnostic,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    DIRECTIVE,
    HEADER,
    Endless,
    LineFatal,
    ScanState,
    classify,
    parse_assignment,
    parse_directive,
    parse_header,
    scan,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_match import (
    PatternError,
    compile_glob,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import (
    WORK_PER_BYTE,
    Config,
    FileLoad,
    SourceFile,
    Statement,
)

MAX_FILE_SIZE = 16 * 1024 * 1024
MAX_FILE_LOADS = 1000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_STATEMENTS = 500000
MAX_GLOB_PATTERNS = 10000
PATH_MAX_BYTES = 255            # char fn[256]
GLOB_COST_PER_STEP = 3          # WorkMeter steps per character a glob compares

_MISSING = None                 # CONFIG_STATUS_FILEMISSING
_OK = "ok"
_INVALID = "invalid"            # CONFIG_STATUS_FILEINVALID


class _FileSystem:
    """The disk, seen through an optional overlay ``{absolute path: bytes or None}``."""

    def __init__(self, overlay):
        self.overlay = {}
        self.listings = {}
        for path, data in (overlay or {}).items():
            self.overlay[self.realpath(path)] = data

    def _over(self, path):
        if not self.overlay:
            return False
        return self.overlay.get(self.realpath(path), False)

    def kind(self, path):
        """``"file"``, ``"dir"``, ``"other"`` or None (does not exist)."""
        over = self._over(path)
        if over is None:
            return None
        if over is not False:
            return "file"
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            return None
        if stat_module.S_ISREG(mode):
            return "file"
        if stat_module.S_ISDIR(mode):
            return "dir"
        return "other"

    def exists(self, path):
        if self._over(path) is not False:
            return self._over(path) is not None
        return os.path.lexists(path)

    def size(self, path):
        over = self._over(path)
        if over not in (None, False):
            return len(over)
        return os.stat(path).st_size

    def read(self, path, limit):
        over = self._over(path)
        if over not in (None, False):
            return bytes(over)
        with open(path, "rb") as handle:
            return handle.read(limit + 1)

    def listdir(self, path):
        """Sorted names in directory ``path`` (read once per load: brace alternatives and
        repeated includes glob the same directories again and again)."""
        if path not in self.listings:
            self.listings[path] = self._listdir(path)
        return self.listings[path]

    def _listdir(self, path):
        names = set()
        try:
            names.update(os.listdir(path or "."))
        except (OSError, ValueError):
            pass
        base = self.realpath(path or ".")
        for over, data in self.overlay.items():
            if os.path.dirname(over) == base:
                if data is None:
                    names.discard(os.path.basename(over))
                else:
                    names.add(os.path.basename(over))
        return sorted(names | {".", ".."}, key=os.fsencode)

    @staticmethod
    def realpath(path):
        try:
            return os.path.realpath(path)
        except (OSError, ValueError):
            return os.path.abspath(path)


# --- glob(GLOB_NOMAGIC | GLOB_BRACE), as glibc does it ---------------------------------------

def _pattern_type(pattern):
    """glibc ``__glob_pattern_type()``: True when the pattern has wildcards."""
    pos = 0
    bracket = False
    while pos < len(pattern):
        char = pattern[pos]
        if char in "?*":
            return True
        if char == "\\":
            if pos + 1 < len(pattern):
                pos += 1
        elif char == "[":
            bracket = True
        elif char == "]" and bracket:
            return True
        pos += 1
    return False


def _unescape(pattern):
    out = []
    pos = 0
    while pos < len(pattern):
        if pattern[pos] == "\\" and pos + 1 < len(pattern):
            pos += 1
        out.append(pattern[pos])
        pos += 1
    return "".join(out)


def _next_brace_sub(pattern, pos):
    depth = 0
    while pos < len(pattern):
        char = pattern[pos]
        if char == "\\":
            pos += 1
            if pos >= len(pattern):
                return -1
            pos += 1
            continue
        if (char == "}" and depth == 0) or (char == "," and depth == 0):
            return pos
        if char == "}":
            depth -= 1
        if char == "{":
            depth += 1
        pos += 1
    return -1


def _first_brace(pattern):
    """``(prefix, [alternatives], suffix)`` of the first well-formed brace group, or None."""
    pos = 0
    while pos < len(pattern):
        if pattern[pos] == "\\" and pos + 1 < len(pattern):
            pos += 2
            continue
        if pattern[pos] == "{":
            break
        pos += 1
    else:
        return None
    alternatives = []
    start = pos + 1
    nxt = _next_brace_sub(pattern, start)
    if nxt < 0:
        return None
    while True:
        alternatives.append(pattern[start:nxt])
        if pattern[nxt] == "}":
            break
        start = nxt + 1
        nxt = _next_brace_sub(pattern, start)
        if nxt < 0:
            return None
    return pattern[:pos], alternatives, pattern[nxt + 1:]


def _matching_names(fs, base, segment, meter):
    """Names in directory ``base`` that the wildcard ``segment`` matches, as ``fnmatch()``
    with ``FNM_PERIOD``: a leading dot must be matched by a dot.  The comparisons are charged
    to ``meter`` (a :class:`~astconf_model.WorkMeter` or None)."""
    try:
        matcher = compile_glob(segment)
    except PatternError:
        return []
    explicit_dot = segment.startswith(".") or segment.startswith("\\.")
    names = [name for name in fs.listdir(base)
             if (explicit_dot or not name.startswith(".")) and matcher.match(name)]
    if meter is not None:
        meter.charge(GLOB_COST_PER_STEP * matcher.steps, "include glob")
    return names


def _glob_one(fs, pattern, nomagic, meter):
    """glob() of one pattern without braces.  Sorted like glibc (C locale)."""
    if not _pattern_type(pattern):
        path = _unescape(pattern)
        if nomagic or fs.exists(path):
            return [path]
        return []
    parts = pattern.split("/")
    paths = ["/" if pattern.startswith("/") else ""]
    segments = [part for part in parts if part]
    for number, segment in enumerate(segments):
        last = number == len(segments) - 1
        found = []
        for base in paths:
            if _pattern_type(segment):
                found.extend(os.path.join(base, name) if base else name
                             for name in _matching_names(fs, base, segment, meter))
            else:
                name = _unescape(segment)
                found.append(os.path.join(base, name) if base else name)
        if last:
            paths = [path for path in found if fs.exists(path)]
        else:
            paths = [path for path in found if fs.kind(path) == "dir"]
    return sorted(paths, key=os.fsencode)


def glob_config(fs, pattern, nomagic=True, budget=None, meter=None):
    """``glob(pattern, GLOB_NOMAGIC | GLOB_BRACE)`` as glibc does it.

    :param meter: the :class:`~astconf_model.WorkMeter` charged for the name comparisons.
    :raises Endless: the braces expand to more than 10000 patterns, or the meter runs out.
    """
    if budget is None:
        budget = [MAX_GLOB_PATTERNS]
    budget[0] -= 1
    if budget[0] < 0:
        raise Endless("glob pattern '%s' expands to more than %d patterns"
                      % (shown(pattern), MAX_GLOB_PATTERNS))
    brace = _first_brace(pattern)
    if brace is not None:
        prefix, alternatives, suffix = brace
        results = []
        for alternative in alternatives:
            results.extend(glob_config(fs, prefix + alternative + suffix, False, budget, meter))
        if results or not nomagic:
            return results
    return _glob_one(fs, pattern, nomagic, meter)


def _cut(path):
    raw = os.fsencode(path)
    if len(raw) > PATH_MAX_BYTES:
        return os.fsdecode(raw[:PATH_MAX_BYTES])
    return path


class _Loader:
    def __init__(self, cfg, fs):
        self.cfg = cfg
        self.fs = fs
        self.file_loads = 0
        self.total_bytes = 0
        self.fatal = None
        self.included = set()

    def warn(self, where, message, level="warning"):
        if where is None:
            self.cfg.diagnostics.append(Diagnostic(shown(self.cfg.root_path), 0, message, level))
        else:
            self.cfg.diagnostics.append(Diagnostic(where.path, where.line, message, level))

    def internal_load(self, filename, include):
        """``ast_config_internal_load()``: include-level bookkeeping around one load."""
        cfg = self.cfg
        if cfg.max_include_level > 0 and cfg.include_level == cfg.max_include_level + 1:
            self.warn(include, "Maximum Include level (%d) exceeded" % cfg.max_include_level)
            return _MISSING
        cfg.include_level += 1
        result = self.text_file_load(filename, include)
        if result != _INVALID:
            cfg.include_level -= 1
        return result

    def _read(self, path):
        """The bytes of the file ``path``, whatever they are, within the engine's bounds."""
        where = shown(path)
        size = self.fs.size(path)
        if size > MAX_FILE_SIZE:
            raise AsteriskConfigError(where, 0, "file is larger than %d bytes: refusing to read "
                                      "it" % MAX_FILE_SIZE)
        data = self.fs.read(path, MAX_FILE_SIZE)
        if len(data) > MAX_FILE_SIZE:
            raise AsteriskConfigError(where, 0, "file is larger than %d bytes: refusing to read "
                                      "it" % MAX_FILE_SIZE)
        self.file_loads += 1
        if self.file_loads > MAX_FILE_LOADS:
            raise AsteriskConfigError(where, 0, "more than %d files read while loading %s "
                                      "(include loop or glob explosion?)"
                                      % (MAX_FILE_LOADS, shown(self.cfg.root_path)))
        self.total_bytes += len(data)
        self.cfg.meter.grant(len(data) * WORK_PER_BYTE)
        if self.total_bytes > MAX_TOTAL_BYTES:
            raise AsteriskConfigError(where, 0, "more than %d bytes read while loading %s"
                                      % (MAX_TOTAL_BYTES, shown(self.cfg.root_path)))
        return data

    def _source(self, path, data):
        key = self.fs.realpath(path)
        source = self.cfg.files.get(key)
        if source is None:
            source = SourceFile(key, path, data)
            self.cfg.files[key] = source
        elif source.data != data:
            # The same file read twice with different contents (changed while loading).
            raise AsteriskConfigError(shown(path), 0, "file changed while it was being read")
        return source

    def text_file_load(self, filename, include):
        """``config_text_file_load()``: glob, then read every match in order."""
        cfg = self.cfg
        current = [cfg.current]
        if filename.startswith("/"):
            pattern = filename
        else:
            pattern = "%s/%s" % (cfg.config_dir, filename)
        pattern = _cut(pattern)
        state = ScanState()
        count = 0
        try:
            matches = glob_config(self.fs, pattern, meter=cfg.meter)
        except Endless as exc:
            where = include if include is not None else _Where(shown(cfg.root_path), 0)
            raise AsteriskConfigError(where.path, where.line, exc.message)
        for match in matches:
            path = _cut(match)
            kind = self.fs.kind(path)
            if kind is None:
                continue
            if kind != "file":
                self.warn(include, "'%s' is not a regular file, ignoring" % shown(path))
                continue
            try:
                data = self._read(path)
            except OSError as exc:
                self.warn(include, "'%s' cannot be read: %s" % (shown(path),
                                                                shown(exc.strerror or str(exc))))
                continue
            count += 1
            source = self._source(path, data)
            load = FileLoad(source, include, current[0])
            source.loads.append(load)
            cfg.loads.append(load)
            where = shown(source.path)
            try:
                lines = scan(data, state, where, cfg.diagnostics)
            except Endless as exc:
                raise AsteriskConfigError(where, 0, exc.message)
            if len(cfg.statements) + len(lines) > MAX_STATEMENTS:
                raise AsteriskConfigError(where, 0, "more than %d lines to evaluate"
                                          % MAX_STATEMENTS)
            load.lines = lines
            failed = self._process(load, lines, current)
            load.end_category = current[0]
            if state.comment > 0:
                opened = [lex.line for lex in lines if lex.comment_after > lex.comment_before]
                self.warn(_Where(where, opened[-1] if opened else 0),
                          "Unterminated comment detected")
            if failed:
                load.invalid = True
                return _INVALID
        return _MISSING if count == 0 else _OK

    def _process(self, load, lines, current):
        """``process_text_line()`` for every line of one file; True when one was fatal."""
        cfg = self.cfg
        for lex in lines:
            if lex.text is None:
                continue
            kind = classify(lex.text)
            statement = Statement(kind, load.source, lex, load)
            cfg.statements.append(statement)
            try:
                if kind == HEADER:
                    statement.parsed = parse_header(lex.text)
                    current[0] = cfg.apply_header(statement.parsed, statement)
                elif kind == DIRECTIVE:
                    statement.parsed = parse_directive(lex.text)
                    self._directive(statement)
                else:
                    statement.parsed = parse_assignment(lex.text)
                    message = cfg.apply_assignment(current[0], statement.parsed, statement)
                    if message:
                        self.warn(statement, message)
            except LineFatal as exc:
                statement.failed = True
                self.warn(statement, exc.message, "error")
                self.fatal = cfg.diagnostics[-1]
                return True
            except Endless as exc:
                raise AsteriskConfigError(statement.path, statement.line, exc.message)
        return False

    def _directive(self, statement):
        directive = statement.parsed
        name = directive.name.lower()
        if name == b"exec":
            self.cfg.exec_directives.append(statement)
            self.warn(statement, "Cannot perform #exec unless execincludes option is enabled in "
                      "asterisk.conf (options section)! (the engine never runs #exec)")
            return
        if name not in (b"include", b"tryinclude"):
            self.warn(statement, "Unknown directive '#%s'" % shown(directive.name))
            return
        if directive.argument is None:
            self.warn(statement, "Directive '#%s' needs an argument (filename)"
                      % shown(directive.name))
            return
        target = os.fsdecode(directive.argument)
        if target in self.included:
            # ast_include_new() notices a name included before (loops, repeated includes).
            self.warn(statement, "Same File included more than once! ('%s')" % shown(target))
        self.included.add(target)
        result = self.internal_load(target, statement)
        if result is _MISSING and name == b"include":
            raise LineFatal("The file '%s' was listed as a #include but it does not exist."
                            % shown(target))


class _Where:
    __slots__ = ("path", "line")

    def __init__(self, path, line):
        self.path = path
        self.line = line


def load_config(path, config_dir=None, overlay=None):
    """Load the tree rooted at ``path`` as Asterisk would.

    :param path: root file, e.g. ``/etc/asterisk/sip.conf`` (a relative path is taken relative
        to ``config_dir``).
    :param config_dir: directory relative include names resolve against (Asterisk's
        ``astetcdir``); defaults to the directory of ``path``.
    :param overlay: ``{absolute path: bytes or None}`` read instead of the disk (None: the file
        does not exist).  The editor uses it to evaluate planned edits in memory.
    :returns: :class:`~astconf_model.Config`.
    :raises AsteriskConfigError: Asterisk would refuse the tree (fatal error in the root file,
        root file missing), or an engine bound was exceeded.
    """
    try:
        return _load(path, config_dir, overlay)
    except AsteriskConfigError:
        raise
    except RecursionError:
        raise AsteriskConfigError(shown(path), 0, "configuration nests too deeply")
    except MemoryError:
        raise AsteriskConfigError(shown(path), 0, "configuration too large to load")
    except (OSError, ValueError, UnicodeError) as exc:
        raise AsteriskConfigError(shown(path), 0, "cannot load: %s" % shown(str(exc)))


def _load(path, config_dir, overlay):
    path = os.fsdecode(path)
    if config_dir is None:
        config_dir = os.path.dirname(os.path.abspath(path))
    config_dir = os.path.abspath(os.fsdecode(config_dir))
    if "\0" in path or "\0" in config_dir:
        raise AsteriskConfigError(shown(path), 0, "path contains a NUL byte")
    if not os.path.isabs(path):
        path = os.path.join(config_dir, path)
    cfg = Config(path, config_dir)
    cfg.overlay = dict(overlay or {})
    fs = _FileSystem(overlay)
    loader = _Loader(cfg, fs)
    result = loader.internal_load(path, None)
    if result is _MISSING:
        raise AsteriskConfigError(shown(path), 0, "cannot load: no such readable file")
    if result == _INVALID:
        fatal = loader.fatal
        raise AsteriskConfigError(fatal.path, fatal.line, fatal.message)
    return cfg


load = load_config
