# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property tests: lossless reading, no stray exceptions, edits that do what they say."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    credential_lines,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    ScanState,
    _reads_simply,
    _scan_by_pattern,
    _scan_by_reads,
    scan,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# --- generators -------------------------------------------------------------------------------

SYNTAX = st.text(alphabet=st.sampled_from(list("ab=>+;-\\[]()!#, \t\r\n") + ["é", "\x00", "€"]),
                 max_size=60)

HEADERS = st.sampled_from(["[general]", "[general](+)", "[peer]", "[peer](+)", "[tpl](!)",
                           "[obj](tpl)", "[GENERAL](+)", "[general] ; c"])
OPTIONS = st.sampled_from(["allowguest", "AllowGuest", "nat", "allow"])
OPS = st.sampled_from(["=", " = ", "=>", " += ", "\t=\t"])
VALUES = st.text(alphabet=st.sampled_from(list("yesno;\\-, >")), max_size=6)
COMMENTS = st.sampled_from(["", " ; c", " ;-- x --;", " ;--", "--;", " \\; y"])
INDENT = st.sampled_from(["", "  ", "\t"])


@st.composite
def assignment(draw):
    return "%s%s%s%s%s" % (draw(INDENT), draw(OPTIONS), draw(OPS), draw(VALUES), draw(COMMENTS))


LINES = st.one_of(HEADERS, assignment(), assignment(), COMMENTS, st.just(""),
                  st.sampled_from([";-- open", "close --;", "junk line"]))


@st.composite
def config_file(draw, includes=False):
    lines = draw(st.lists(LINES, max_size=12))
    if includes:
        position = draw(st.integers(0, len(lines)))
        lines.insert(position, draw(st.sampled_from(["#include inc.conf", "#tryinclude inc.conf"])))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(lines)
    if draw(st.booleans()):
        text += eol
    return text


def write_tree(directory, files):
    for name, content in files.items():
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    return os.path.join(directory, "sip.conf")


def try_load(root):
    try:
        return load_config(root)
    except AsteriskConfigError:
        return None


# --- (1) round trip ---------------------------------------------------------------------------

def check_lossless(cfg):
    for source in cfg.files.values():
        with open(source.key, "rb") as handle:
            disk = handle.read()
        assert cfg.render(source.key) == disk
        for load in source.loads:
            for lex in load.lines:
                if lex.text is not None:
                    assert bytes(disk[o] for o in lex.offsets) == lex.text


@SETTINGS
@given(SYNTAX)
def test_round_trip_single_file(text):
    with tempfile.TemporaryDirectory() as directory:
        root = write_tree(directory, {"sip.conf": "[s]\n" + text})
        cfg = try_load(root)
        if cfg is not None:
            check_lossless(cfg)


@SETTINGS
@given(config_file(includes=True), config_file())
def test_round_trip_with_includes(root_text, inc_text):
    with tempfile.TemporaryDirectory() as directory:
        root = write_tree(directory, {"sip.conf": "[general]\n" + root_text, "inc.conf": inc_text})
        cfg = try_load(root)
        if cfg is not None:
            check_lossless(cfg)
            assert len(cfg.files) in (1, 2)


# --- (2) nothing but AsteriskConfigError ------------------------------------------------------

@SETTINGS
@given(st.binary(max_size=200), st.binary(max_size=100))
def test_arbitrary_bytes_raise_only_engine_errors(root_bytes, inc_bytes):
    with tempfile.TemporaryDirectory() as directory:
        root = write_tree(directory, {"sip.conf": root_bytes, "inc.conf": inc_bytes})
        try_load(root)


@SETTINGS
@given(SYNTAX, SYNTAX)
def test_arbitrary_text_raises_only_engine_errors(root_text, inc_text):
    with tempfile.TemporaryDirectory() as directory:
        root = write_tree(directory, {"sip.conf": root_text + "\n#include inc.conf\n" + root_text,
                                      "inc.conf": inc_text})
        try_load(root)


# --- (3) edits do what they say and nothing else ----------------------------------------------

def check_only_option_lines_changed(before, after_bytes, option, section):
    """Some alignment of old and new lines exists in which every old line that does not carry the
    option is kept unchanged, in order, and every other new line carries the option, is the
    section header the edit added, or is what is left of an option line (comment markers)."""
    old_lines = before.decode("utf-8").splitlines()
    new_lines = after_bytes.decode("utf-8").splitlines()
    old_carrying = credential_lines(before, None, extra=(option,))
    new_carrying = credential_lines(after_bytes, None, extra=(option,))
    headers = ("[%s]" % section, "[%s](+)" % section)

    def carried(number):
        return number + 1 in old_carrying

    def added(number):
        return number + 1 in new_carrying or new_lines[number].strip() in headers

    def remnant(number):
        return not any(lex.text for lex in scan(new_lines[number].encode("utf-8"),
                                                ScanState(), "", []))

    rows, cols = len(old_lines), len(new_lines)
    reach = [[False] * (cols + 1) for _row in range(rows + 1)]
    reach[0][0] = True
    for i in range(rows + 1):
        for j in range(cols + 1):
            if not reach[i][j]:
                continue
            if i < rows and j < cols and old_lines[i] == new_lines[j]:
                reach[i + 1][j + 1] = True
            if i < rows and carried(i):
                reach[i + 1][j] = True
                if j < cols and (added(j) or remnant(j)):
                    reach[i + 1][j + 1] = True
            if j < cols and added(j):
                reach[i][j + 1] = True
    assert reach[rows][cols], (old_lines, new_lines)


@SETTINGS
@given(config_file(includes=True), config_file(),
       st.sampled_from(["general", "peer", "obj"]),
       st.sampled_from(["allowguest", "nat", "allow", "newopt"]),
       st.sampled_from(["no", "yes", "a;b", ">x", "v-", " spaced "]),
       st.sampled_from(["present", "absent"]), st.booleans())
def test_edits_reach_the_wanted_value_and_touch_only_option_lines(
        root_text, inc_text, section, option, value, state, multiple):
    with tempfile.TemporaryDirectory() as directory:
        files = {"sip.conf": ("[general]\n" + root_text).encode("utf-8"),
                 "inc.conf": inc_text.encode("utf-8")}
        root = write_tree(directory, files)
        cfg = try_load(root)
        if cfg is None:
            event("tree Asterisk refuses")
            return
        try:
            plan = plan_option(cfg, section, option, value, state=state, multiple=multiple)
        except AsteriskConfigError:
            event("edit refused")
            return
        event("edit planned" if plan.changed else "already as wanted")
        for change in plan.changes:
            with open(change.key, "wb") as handle:
                handle.write(change.after)
        new = load_config(root)
        wanted = value.strip()
        category = new.first(section)
        values = [] if category is None else [str(v) for v in category.get_all(option)]
        if state == "present" and multiple:
            assert wanted in values
        elif state == "present":
            assert values and values[-1] == wanted
        elif multiple:
            assert wanted not in values
        else:
            assert values == []
        for change in plan.changes:
            before = files[os.path.basename(change.path)]
            check_only_option_lines_changed(before, change.after, option, section)
        again = plan_option(new, section, option, value, state=state, multiple=multiple)
        assert not again.changed


def test_the_line_checker_itself_catches_collateral_changes():
    before = b"[general]\nallowguest=yes\nnat=no\n"
    check_only_option_lines_changed(before, b"[general]\nallowguest=no\nnat=no\n",
                                    "allowguest", "general")
    for bad in (b"[general]\nallowguest=no\nnat=yes\n", b"[general]\nnat=no\n[x]\n",
                b"[general]\nallowguest=yes\n"):
        try:
            check_only_option_lines_changed(before, bad, "allowguest", "general")
        except AssertionError:
            continue
        raise AssertionError("checker accepted %r" % bad)


def _lexed(lines):
    return [(lex.line, lex.start, lex.end, lex.text, None if lex.offsets is None
             else list(lex.offsets), lex.simple, lex.comment_before, lex.comment_after)
            for lex in lines]


# Mostly files the fast reading takes: what it must get right (escapes, CRs, comments after text,
# indented comments, a missing final newline, bytes above 127, a BOM that is not on the first
# line of a load); now and then a block marker sends one to the read-by-read path.
SIMPLE_SYNTAX = st.text(alphabet=st.sampled_from(list("ab=;-\\[] \t\r\n\x0b\x7f")
                                                 + ["é", "\ufeff"]), max_size=80)


def _read_both_ways(data, lineno):
    by_reads, by_pattern = ScanState(), ScanState()
    by_reads.lineno = by_pattern.lineno = lineno
    if not _reads_simply(data, by_pattern):
        return False
    diagnostics = []
    assert _lexed(_scan_by_pattern(data, by_pattern)) == _lexed(
        _scan_by_reads(data, by_reads, "f", diagnostics))
    assert by_pattern.lineno == by_reads.lineno and diagnostics == []
    return True


@settings(max_examples=400, deadline=None)
@given(SIMPLE_SYNTAX, st.integers(min_value=0, max_value=3))
def test_files_read_alike_read_by_read_and_by_pattern(text, lineno):
    """The fast reading (no block comment marker, NUL, BOM to skip or long line) gives what the
    fgets()-by-fgets() reading gives, down to offsets, flags and the line counter."""
    if not _read_both_ways(text.encode("utf-8"), lineno):
        event("read by reads only")


@pytest.mark.parametrize("ending", [b"", b"\n", b"\r\n"])
@pytest.mark.parametrize("length", [8189, 8190, 8191, 8192])
def test_lines_near_the_fgets_buffer_read_alike_or_by_reads_only(length, ending):
    line = b"x=" + b"a" * (length - 2)
    for data in (b"[s]\n" + line + ending, b"[s]\n" + line + ending + b"\ny=1\n"):
        # Taken by pattern only when each line, less its "\n", fits one fgets() read.
        assert _read_both_ways(data, 0) == (length + ending.count(b"\r") < 8191)


@pytest.mark.parametrize("lineno", [0, 1])
def test_a_bom_is_read_alike_or_by_reads_only(lineno):
    data = b"\xef\xbb\xbf[general]\n; c\nallowguest=no\n"
    assert _read_both_ways(data, lineno) == (lineno > 0)
