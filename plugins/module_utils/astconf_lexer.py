# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Line reading, comment handling and line classification, as Asterisk's main/config.c does them.

Everything here works on bytes, like the C code (``fgets`` into an 8192 byte buffer, ``strchr``,
``ast_strip``: a "blank" is any byte below 33).  What a line *means* (categories, inheritance,
``+=``) is :mod:`astconf_model`'s job; finding files is :mod:`astconf_loader`'s.

Emulated from ``config_text_file_load()``:

* lines are what ``fgets()`` returns: at most 8191 bytes, ending after ``\\n``.  A longer line is
  skipped with a warning (which, unlike Asterisk's, quotes at most 32 bytes of what comes before
  the first ``=``: the value may be a secret); a NUL byte ends the line's text (C strings); a UTF-8 BOM is skipped only
  on line 1 of one ``config_text_file_load()`` call, whose line counter runs on across the files
  its glob matched (the turn that finds a file's end counts too: even an empty file uses line 1).
* ``;`` starts a comment unless the byte before it is ``\\`` (the backslash is then removed);
  ``;--`` (not ``;---``) opens a block comment and ``--;`` closes one; they nest up to 128
  levels (Asterisk would loop forever at 129: the engine raises).  Text before ``;--`` and after
  the closing ``--;`` is kept, spliced together when both are on the same line.  A ``--;`` outside
  any block comment makes the depth negative, which Asterisk treats as "inside a comment" for the
  rest of that file: reproduced, with a warning.
* the surviving text is stripped of bytes below 33 on both ends.
"""

from __future__ import annotations

import bisect
import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import Diagnostic

LINE_BUFFER = 8192              # char buf[8192] in config_text_file_load()
MAX_LINE = LINE_BUFFER - 1      # fgets() reads at most this many bytes
LONG_LINE_QUOTE = 32            # bytes of a skipped line Asterisk's warning quotes
MAX_NESTED_COMMENTS = 128       # MAX_NESTED_COMMENTS in main/config.c
UTF8_BOM = b"\xef\xbb\xbf"

_SEMI = 0x3B
_DASH = 0x2D
_BSLASH = 0x5C
_NL = 0x0A
_BLANKS = bytes(range(1, 33))
# Where a line that may carry text starts: blanks (bytes 1 to 32 but the newline), then a byte
# that is neither blank nor ';'.  Every other line is blank or a plain comment.
_TEXT_LINE = re.compile(rb"^[\x01-\x09\x0b-\x20]*[^\x00-\x20;]", re.M)


class LineFatal(Exception):
    """Internal: ``process_text_line()`` returned -1 (the file being read becomes invalid)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Endless(Exception):
    """Internal: Asterisk would never finish loading this tree (an endless loop in config.c) or
    the input exceeds an engine bound.  The loader turns it into AsteriskConfigError for the whole
    tree, whichever file it is in."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ScanState:
    """State one ``config_text_file_load()`` call keeps across the files its glob matched.

    Asterisk declares ``lineno`` and the block comment depth once per call, so both carry on from
    one matched file into the next.
    """

    __slots__ = ("comment", "lineno")

    def __init__(self):
        self.comment = 0
        self.lineno = 0


class LexLine:
    """One line as Asterisk reads it.

    :ivar line: physical line number (1-based) in the file.
    :ivar start: file offset where the physical line starts.
    :ivar end: file offset just after the physical line (after its ``\\n`` if any).
    :ivar text: what reaches ``process_text_line()`` (stripped bytes), or None.
    :ivar offsets: for each byte of ``text``, its offset in the file.
    :ivar simple: True when the line involves no block comment marker, no removed BOM, no NUL
        and no over-long split: the whole physical line is this one statement plus maybe a
        plain ``;`` comment, so an editor may rewrite or drop the whole line.
    :ivar comment_before: block comment depth when the line was read.
    :ivar comment_after: block comment depth after it.
    """

    __slots__ = ("line", "start", "end", "text", "offsets", "simple", "comment_before",
                 "comment_after")

    def __init__(self, line, start, end, text, offsets, simple, comment_before, comment_after):
        self.line = line
        self.start = start
        self.end = end
        self.text = text
        self.offsets = offsets
        self.simple = simple
        self.comment_before = comment_before
        self.comment_after = comment_after

    def span(self, first, last):
        """File offsets ``(start, end)`` covering ``text[first:last]`` (``last`` exclusive)."""
        return self.offsets[first], self.offsets[last - 1] + 1


def ast_strip(data):
    """``ast_strip()``: drop bytes below 33 at both ends."""
    return data.strip(_BLANKS)


def c_string(data):
    """The C string view of ``data``: everything before the first NUL byte."""
    nul = data.find(b"\0")
    return data if nul < 0 else data[:nul]


def _signed(byte):
    """A byte as x86 ``char`` sees it (Debian amd64 builds: ``char`` is signed)."""
    return byte - 256 if byte > 127 else byte


def line_starts(data):
    """Offsets where the physical lines of ``data`` start."""
    starts = [0]
    pos = data.find(b"\n")
    while pos >= 0:
        if pos + 1 < len(data):
            starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return starts


def line_number(starts, offset):
    """1-based physical line number of a file offset, given :func:`line_starts`."""
    return bisect.bisect_right(starts, offset)


def _fgets_chunks(data):
    """What successive ``fgets(buf, 8192, f)`` calls return, as ``(start, end)`` offsets."""
    chunks = []
    pos = 0
    size = len(data)
    while pos < size:
        nl = data.find(b"\n", pos, pos + MAX_LINE)
        end = nl + 1 if nl >= 0 else min(pos + MAX_LINE, size)
        chunks.append((pos, end))
        pos = end
    return chunks


class _Hang(Exception):
    pass


class _Kept:
    """The text of one line that survives its comments, built left to right with the file
    offset of every byte.

    ``config_text_file_load()`` edits its buffer in place: it removes escape backslashes and
    splices the text after a closing ``--;`` onto the text before the opening ``;--``, each
    time moving the rest of the line (quadratic on a line of many ``\\;``).  The bytes between
    two semicolons are never changed by those moves, so the same text is obtained by appending
    each run once, in order.
    """

    __slots__ = ("data", "offsets")

    def __init__(self):
        self.data = bytearray()
        self.offsets = []

    def add(self, buf, base, first, last):
        """Append ``buf[first:last]`` (file offsets from ``base``)."""
        if last > first:
            self.data += buf[first:last]
            self.offsets.extend(range(base + first, base + last))

    def stripped(self):
        """``(text, offsets)`` without bytes below 33 at either end; ``(None, None)`` if empty."""
        start, end = 0, len(self.data)
        while start < end and self.data[start] < 33:
            start += 1
        while end > start and self.data[end - 1] < 33:
            end -= 1
        if start == end:
            return None, None
        offsets = self.offsets[start:end]
        if offsets[-1] - offsets[0] == len(offsets) - 1:
            offsets = range(offsets[0], offsets[-1] + 1)
        return bytes(self.data[start:end]), offsets


def _opens_block(buf, semi):
    """True when the ``;`` at ``buf[semi]`` starts ``;--`` (not ``;---``)."""
    return buf[semi + 1:semi + 3] == b"--" and buf[semi + 3:semi + 4] != b"-"


def _scan_comments(buf, base, comment):
    """The comment loop of ``config_text_file_load()`` on one line, in one pass.

    ``buf`` is the line as a C string, ``base`` the file offset of ``buf[0]``.  ``run`` is where
    the bytes not yet looked at start (``new_buf`` in C); ``live`` tells whether they belong to
    the kept text (no NUL was written between the kept text and them).

    Returns ``(text, offsets, comment, touched_block, stray)``.
    """
    if comment == 0:
        rest = buf.lstrip(_BLANKS)
        if b";" not in rest:
            text = rest.rstrip(_BLANKS)
            if not text:
                return None, None, 0, False, False
            start = base + len(buf) - len(rest)
            return text, range(start, start + len(text)), 0, False, False
        if rest[:1] == b";" and not _opens_block(rest, 0):
            # A comment line (a ';' first, not ';--'): nothing before it, nothing to escape.
            return None, None, 0, False, False
    kept = None if comment else _Kept()
    live = kept is not None
    run = 0
    touched = stray = False
    semi = buf.find(b";")
    while semi >= 0:
        if semi > run and buf[semi - 1] == _BSLASH:
            # Escaped semicolons aren't comments: drop the backslash, keep the ';'.
            if live:
                kept.add(buf, base, run, semi - 1)
                kept.add(buf, base, semi, semi + 1)
            run = semi + 1
        elif _opens_block(buf, semi):
            touched = True
            if comment >= MAX_NESTED_COMMENTS:
                raise _Hang()
            if live:
                kept.add(buf, base, run, semi)     # the NUL written at ';' ends the kept text
                live = False
            comment += 1
            run = semi + 3
        elif semi >= run + 2 and buf[semi - 2:semi] == b"--":
            touched = True
            comment -= 1
            if live:
                kept.add(buf, base, run, semi + 1)
            run = semi + 1
            if comment == 0:
                # The text after '--;' is spliced onto the kept text (or starts it).
                kept = kept if kept is not None else _Kept()
                live = True
            elif comment < 0:
                stray = True
        elif comment == 0:
            # A plain comment: the rest of the line is ignored.
            break
        else:
            if live:
                kept.add(buf, base, run, semi + 1)
            run = semi + 1
        semi = buf.find(b";", semi + 1)
    else:
        semi = len(buf)
    if live:
        kept.add(buf, base, run, semi)
    if kept is None:
        return None, None, comment, touched, stray
    return kept.stripped() + (comment, touched, stray)


def scan(data, state, path, diagnostics):
    """Read ``data`` (one file's bytes) the way ``config_text_file_load()`` does.

    :param state: the :class:`ScanState` of the current ``config_text_file_load()`` call.
    :param path: the file's path, for diagnostics.
    :param diagnostics: list that receives :class:`Diagnostic` warnings.
    :returns: list of :class:`LexLine`, one per line read that carries text or is in, opens or
        closes a block comment.  Blank lines and plain comment lines outside block comments,
        most of a stock file, are left out: they mean nothing to Asterisk.
    :raises Endless: when Asterisk would never finish reading the file.
    """
    if _reads_simply(data, state):
        return _scan_by_pattern(data, state)
    return _scan_by_reads(data, state, path, diagnostics)


def _reads_simply(data, state):
    """True when reading ``data`` needs none of the rare rules: outside any block comment, no
    block comment marker, no NUL byte, no BOM to skip, no line longer than ``fgets()`` reads."""
    return (state.comment == 0 and b";--" not in data and b"--;" not in data
            and b"\0" not in data and not (state.lineno == 0 and data.startswith(UTF8_BOM))
            and (len(data) < MAX_LINE or max(map(len, data.split(b"\n"))) < MAX_LINE))


def _scan_by_pattern(data, state):
    """:func:`scan` of a :func:`_reads_simply` file: only the lines that may carry text are
    looked at (each is one ``fgets()`` read and its own C string), found by one regular
    expression."""
    out = []
    line = 1
    counted = 0
    for match in _TEXT_LINE.finditer(data):
        start = match.start()
        line += data.count(b"\n", counted, start)
        counted = start
        newline = data.find(b"\n", start)
        end = len(data) if newline < 0 else newline + 1
        text, offsets = _scan_comments(data[start:end], start, 0)[:2]
        out.append(LexLine(line, start, end, text, offsets, True, 0, 0))
    reads = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    state.lineno += reads + (1 if _reads_past_last_line(data) else 0)
    return out


def _scan_by_reads(data, state, path, diagnostics):
    """:func:`scan` of any file: ``fgets()`` read by read, as ``config_text_file_load()``."""
    starts = line_starts(data)
    ends = starts[1:] + [len(data)]
    chunks = _fgets_chunks(data)
    # The usual file: no line longer than fgets()'s buffer (each read is one whole line) and no
    # NUL byte (each line is its own C string).
    one_read_per_line = len(chunks) == len(starts)
    has_nul = b"\0" in data
    out = []
    index = 0
    while index < len(chunks):
        state.lineno += 1
        off, end = chunks[index]
        index += 1
        phys = index if one_read_per_line else line_number(starts, off)
        pstart, pend = starts[phys - 1], ends[phys - 1]
        whole = (off == pstart and end == pend)
        raw = data[off:end]
        text = c_string(raw) if has_nul else raw
        if len(text) == MAX_LINE and text[MAX_LINE - 1] != _NL:
            diagnostics.append(Diagnostic(
                path, phys, "Line too long (over %d bytes), skipping. It begins with: %s..."
                % (MAX_LINE - 1, shown(_long_line_start(text)))))
            while index < len(chunks):
                more = c_string(data[chunks[index][0]:chunks[index][1]])
                index += 1
                if len(more) != MAX_LINE or more[MAX_LINE - 1] == _NL:
                    break
            if state.comment:
                out.append(LexLine(phys, pstart, pend, None, None, False, state.comment,
                                   state.comment))
            continue
        base = off
        simple = whole and len(text) == len(raw)
        if state.lineno == 1 and text.startswith(UTF8_BOM):
            text = text[len(UTF8_BOM):]
            base += len(UTF8_BOM)
            simple = False
        before = state.comment
        try:
            body, offsets, state.comment, touched, stray = _scan_comments(text, base, state.comment)
        except _Hang:
            raise Endless("line %d: block comments nested deeper than %d: Asterisk loops forever "
                          "on this line" % (phys, MAX_NESTED_COMMENTS))
        if stray:
            diagnostics.append(Diagnostic(
                path, phys, "'--;' outside a block comment: Asterisk now treats the rest of this "
                "file as a comment (and a later ';--' makes its behaviour undefined)"))
        if body is None and before == 0 and state.comment == 0:
            continue
        simple = simple and not touched and before == 0
        out.append(LexLine(phys, pstart, pend, body, offsets, simple, before, state.comment))
    if _reads_past_last_line(data):
        state.lineno += 1
    return out


def _long_line_start(text):
    """What the "Line too long" warning may quote of a skipped line: its first 32 bytes, cut
    before the first ``=`` (``secret=`` followed by 8 KiB is still a secret)."""
    start = text[:LONG_LINE_QUOTE]
    equal = start.find(b"=")
    return start if equal < 0 else start[:equal]


def _reads_past_last_line(data):
    """True when ``while (!feof(f)) { lineno++; fgets(...) }`` turns once more to find the end.

    ``fgets()`` sets end-of-file only when a read runs into it, so a file that ends with ``\\n``
    (or is empty) takes one more turn that reads nothing.
    """
    return not data or data.endswith(b"\n")


# --- line classification (the three branches of process_text_line()) ---------------------------

HEADER = "header"
DIRECTIVE = "directive"
ASSIGNMENT = "assignment"


def classify(text):
    """Which branch of ``process_text_line()`` handles ``text``."""
    if text[:1] == b"[":
        return HEADER
    if text[:1] == b"#":
        return DIRECTIVE
    return ASSIGNMENT


class Header:
    """``[name]`` or ``[name](items)``; ``items`` is None without parentheses."""

    __slots__ = ("name", "items")

    def __init__(self, name, items):
        self.name = name
        self.items = items


def parse_header(text):
    """Split a category header like ``process_text_line()`` does.

    The name is everything between ``[`` and the first ``]`` (not stripped); options follow only
    when ``(`` comes right after ``]``, up to the first ``)``, split on ``,`` (items not stripped).
    Anything after that is ignored.

    :raises LineFatal: no ``]``, or ``(`` without ``)``.
    """
    close = text.find(b"]")
    if close < 0:
        raise LineFatal("parse error: no closing ']'")
    name = text[1:close]
    if text[close + 1:close + 2] != b"(":
        return Header(name, None)
    end = text.find(b")", close + 2)
    if end < 0:
        raise LineFatal("parse error: no closing ')'")
    return Header(name, text[close + 2:end].split(b","))


class Directive:
    """``#name argument``; ``argument`` is dequoted, or None when missing."""

    __slots__ = ("name", "argument")

    def __init__(self, name, argument):
        self.name = name
        self.argument = argument


def parse_directive(text):
    """Split a ``#`` line: the name runs while bytes are above 32 as a signed ``char``."""
    pos = 1
    while pos < len(text) and _signed(text[pos]) > 32:
        pos += 1
    name = text[1:pos]
    argument = ast_strip(text[pos + 1:]) if pos < len(text) else b""
    if not argument:
        return Directive(name, None)
    first = argument[:1]
    if first in (b'"', b"<"):
        quote = b'"' if first == b'"' else b">"
        if argument[-1:] == quote:
            argument = argument[1:-1] if len(argument) >= 2 else b""
    return Directive(name, argument)


class Assignment:
    """A ``name = value`` line.

    :ivar op: ``"="``, ``"=>"``, ``"+="``, or None when the line has no ``=`` (a warning only).
    :ivar name: the stripped name (bytes).
    :ivar value: stripped value for ``=``/``=>``; for ``+=`` the raw text after ``+=``.
    :ivar name_span: ``(start, end)`` of the name within the line's text.
    :ivar op_end: index in the text just after the operator.
    :ivar value_span: ``(start, end)`` of the stripped value within the text (empty span at
        ``op_end`` when the value is empty).
    """

    __slots__ = ("op", "name", "value", "name_span", "op_end", "value_span")

    def __init__(self, op, name, value, name_span, op_end, value_span):
        self.op = op
        self.name = name
        self.value = value
        self.name_span = name_span
        self.op_end = op_end
        self.value_span = value_span


def parse_assignment(text):
    """The variable branch of ``process_text_line()``.

    A leading backslash escapes the first byte of the name (so a name may start with ``[``, ``#``
    or ``=``); the backslash is dropped.  ``+=`` appends to the last variable of that name.

    :raises LineFatal: ``Invalid escape`` (backslash followed by a blank or non-ASCII byte).
    """
    esc = 1 if text[:1] == b"\\" else 0
    if esc and (len(text) < 2 or _signed(text[1]) < 33):
        raise LineFatal("Invalid escape")
    eq = text.find(b"=", 2 * esc)
    if eq < 0:
        return Assignment(None, b"", b"", (esc, esc), len(text), (len(text), len(text)))
    if eq > 2 * esc and text[eq - 1:eq] == b"+":
        name = ast_strip(text[esc:eq - 1])
        start = esc + (len(text[esc:eq - 1]) - len(text[esc:eq - 1].lstrip(_BLANKS)))
        rhs = text[eq + 1:]
        vstart = eq + 1 + (len(rhs) - len(rhs.lstrip(_BLANKS)))
        return Assignment("+=", name, rhs, (start, start + len(name)), eq + 1,
                          (vstart, max(vstart, len(text))))
    op_end = eq + 1
    op = "="
    if text[op_end:op_end + 1] == b">":
        op = "=>"
        op_end += 1
    raw_name = text[esc:eq]
    name = ast_strip(raw_name)
    start = esc + (len(raw_name) - len(raw_name.lstrip(_BLANKS)))
    rhs = text[op_end:]
    value = ast_strip(rhs)
    vstart = op_end + (len(rhs) - len(rhs.lstrip(_BLANKS))) if value else op_end
    return Assignment(op, name, value, (start, start + len(name)), op_end,
                      (vstart, vstart + len(value)))
