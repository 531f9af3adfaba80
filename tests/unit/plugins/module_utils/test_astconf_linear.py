# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile input cannot hang the engine (issue 16, items 7-9): category filters, include globs,
escaped semicolons, and the other rules that cost more than a pass over the input.

Each hang is reproduced at a size where the old code took from seconds to forever.  The bounds
count work, never time it (timed ratios flaked on a loaded 2-core machine; timings belong to
``tests/bench/bench_hostile.py``): the work for 8 times the input must stay under 10 times the
work for the input.  Work that grows linearly (plus a constant) gives at most 8, quadratic work
about 64.  Work is counted two ways that do not depend on the machine or its load:

* the lines of the engine's Python code that run (:func:`engine_lines`, a trace function): a loop
  that goes over the input again per statement, per ``;`` or per name shows up there;
* for the comment loop, the bytes its buffers search through and copy (:func:`buffer_bytes`):
  work done in C (``find``, slice copies), which a line count cannot see.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils import astconf_lexer, astconf_model
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_match import (
    PatternError,
    PatternTooComplex,
    compile_ere,
    compile_glob,
)

SETTINGS = settings(max_examples=300, deadline=None)


ENGINE_FILES = frozenset(
    os.path.join(os.path.dirname(astconf_lexer.__file__), name)
    for name in ("astconf_lexer.py", "astconf_loader.py", "astconf_model.py", "astconf_match.py"))


def engine_lines(action):
    """How many lines of the engine's code ``action()`` runs."""
    count = [0]

    def in_engine(frame, event, arg):
        if event == "line":
            count[0] += 1
        return in_engine

    def on_call(frame, event, arg):
        return in_engine if frame.f_code.co_filename in ENGINE_FILES else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        action()
    finally:
        sys.settrace(previous)
    return count[0]


class CountingBuffer(bytearray):
    """The lexer's ``bytearray``, counting the bytes its searches pass and its copies move."""

    handled = 0

    def _passed(self, found, start, end):
        CountingBuffer.handled += (found if found >= 0 else end) - start

    def __add__(self, other):
        return CountingBuffer(bytes(self) + bytes(other))

    def __iadd__(self, other):
        CountingBuffer.handled += len(other)
        return super().__iadd__(other)

    def __setitem__(self, key, value):
        if isinstance(key, slice):
            CountingBuffer.handled += len(value)
        super().__setitem__(key, value)

    def find(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        found = super().find(sub, start, end)
        self._passed(found, start, end)
        return found

    def index(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        found = super().index(sub, start, end)
        self._passed(found, start, end)
        return found


def buffer_bytes(monkeypatch):
    """A work measure: the bytes the lexer's buffers handle while ``action()`` runs (its
    ``bytearray`` replaced by :class:`CountingBuffer`)."""
    monkeypatch.setattr(astconf_lexer, "bytearray", CountingBuffer, raising=False)

    def measure(action):
        CountingBuffer.handled = 0
        action()
        return CountingBuffer.handled + 1
    return measure


def assert_linear(make_action, size, work=engine_lines):
    """The work for 8 times the input is under 10 times the work for the input (linear work
    plus a constant: at most 8; quadratic: about 64).  Compiled filters are not reused from one
    measure to the next."""
    measures = []
    for scale in (1, 8):
        action = make_action(scale * size)
        astconf_model._PATTERNS.clear()
        measures.append(work(action))
    small, large = measures
    assert 0 < large < 10 * small, "size %d: %d, size %d: %d" % (size, small, 8 * size, large)


def loader(astconf_tree, files):
    root = astconf_tree(files)
    return lambda: load_config(str(root / "a.conf"))


# --- item 7: category filters ---------------------------------------------------------------

def test_nested_dot_star_filter_loads_at_once(astconf_tree):
    # 12 repeats never finished in 60 s with Python's backtracking re.
    root = astconf_tree({"a.conf": "[general]\nfoo=%s\n[general](+foo=%s!)\nx=1\n"
                         % ("x" * 40, ".*" * 12)})
    with pytest.raises(AsteriskConfigError, match=r"a\.conf:3: Category addition requested"):
        load_config(str(root / "a.conf"))


def test_nested_dot_star_filter_that_matches_appends(astconf_tree):
    root = astconf_tree({"a.conf": "[general]\nfoo=%s!\n[general](+foo=%s!)\nx=1\n"
                         % ("x" * 40, ".*" * 12)})
    assert load_config(str(root / "a.conf")).get("general", "x") == "1"


def test_filter_work_is_linear_in_the_value(astconf_tree):
    # The first [general] does not match (the search that backtracked without end), the
    # second one does.  The old code searched with Python's re: this load never finished at
    # the small size (see the test above), whatever is counted.
    def make(size):
        return loader(astconf_tree, {"a.conf": "[general]\nfoo=%s\n[general]\nfoo=!\n"
                                     "[general](+foo=%s!)\nx=1\n" % ("x" * size, ".*" * 12)})
    assert [c.get("x") for c in make(10)().categories_named("general")] == [None, "1"]
    assert_linear(make, 800)


def test_a_header_filter_cannot_hold_a_group(astconf_tree):
    # The header's items end at the first ')': the filter is 'foo=(a', which does not compile,
    # so a back-reference (which needs a group) never reaches the matcher from a file.
    root = astconf_tree({"a.conf": "[general]\nfoo=aa\n\n[general](+foo=(a)\\1)\n"})
    with pytest.raises(AsteriskConfigError, match=r"a\.conf:4: Category addition requested"):
        load_config(str(root / "a.conf"))


def test_back_references_are_refused():
    with pytest.raises(PatternTooComplex, match="back-references"):
        compile_ere("(a)\\1")
    with pytest.raises(PatternError):
        compile_ere("a\\1")          # no such group: regcomp() fails with REG_ESUBREG


def test_filter_that_does_not_compile_matches_nothing(astconf_tree):
    # regcomp() fails: Asterisk logs an error and does_category_match() returns 0.
    root = astconf_tree({"a.conf": "[general]\nfoo=a\n[general](+foo=*a)\n"})
    with pytest.raises(AsteriskConfigError, match="does not exist"):
        load_config(str(root / "a.conf"))


def test_posix_bracket_backslash_is_a_member(astconf_tree):
    # In a POSIX bracket expression '\' is an ordinary member: [\d] is '\' or 'd', not a digit.
    root = astconf_tree({"a.conf": "[g]\ntype=d\n[g]\ntype=7\n[g](+type=^[\\d]$)\nx=1\n"})
    cfg = load_config(str(root / "a.conf"))
    assert [c.get("x") for c in cfg.categories_named("g")] == ["1", None]


def test_filter_searches_each_category_of_the_name_in_order(astconf_tree):
    root = astconf_tree({"a.conf": "[p]\ntype=aor\n[p]\ntype=endpoint\n[p](+type=^endp)\nx=1\n"
                         "[p](+type=o)\ny=2\n"})
    cfg = load_config(str(root / "a.conf"))
    assert [(c.get("x"), c.get("y")) for c in cfg.categories_named("p")] == [
        (None, "2"), ("1", None)]


def test_many_filters_over_many_categories_end_in_an_error_not_a_hang(astconf_tree):
    # Each header searches every [p] (Asterisk's rule): quadratic, so the work meter stops it.
    body = "[p]\n" + "v=1\n" * 50
    headers = "[p](+v=2)\n" * 2000
    root = astconf_tree({"a.conf": body * 2000 + "[p]\nv=2\n" + headers})
    with pytest.raises(AsteriskConfigError, match="more work than the engine allows"):
        load_config(str(root / "a.conf"))


@pytest.mark.parametrize("pattern, text, expected", [
    ("\\bfoo\\b", "a foo b", True), ("\\bfoo\\b", "afoo", False), ("\\<fo", "x fo", True),
    ("o\\>", "foo", True), ("o\\>", "foox", False), ("\\w+\\s\\W", "ab !", True),
    ("^a|b$", "xb", True), ("a^b", "a^b", False), ("[[:alpha:]]{3}", "ab1cde", True),
    ("x{2,}", "axxb", True), ("x{,1}y", "y", True), ("(a|)+b", "b", True), ("a)", "a)", True),
    ("[]a]", "]", True), ("[^]a]", "]", False), ("[a-]", "-", True), ("[%--]", ",", True),
    ("", "", True), ("()", "x", True), ("(){30000}", "x", True), ("\\.", "a", False),
])
def test_posix_ere_examples(pattern, text, expected):
    assert compile_ere(pattern).search(text) is expected


@pytest.mark.parametrize("pattern", ["*a", "a|*b", "^*", "a{", "a{1", "a{2,1}", "a{99999}",
                                     "[a", "[[:nope:]]", "[z-a]", "[a-c-e]", "(a", "a\\"])
def test_posix_ere_compile_errors(pattern):
    with pytest.raises(PatternError):
        compile_ere(pattern)


def test_posix_ere_automaton_size_is_bounded():
    with pytest.raises(PatternTooComplex):
        compile_ere("(a{100}){100}")


SAFE_ATOMS = st.sampled_from(["a", "b", ".", "[ab]", "[^a]", "[a-c]", "(a|b)", "(ab)", "(a|)",
                              "^", "$"])
SAFE_QUANTIFIERS = st.sampled_from(["", "", "*", "+", "?", "{2}", "{0,2}", "{1,}"])


@st.composite
def safe_ere(draw):
    """ERE that Python's re reads the same way (no anchors repeated, no stacked quantifiers)."""
    parts = []
    for atom in draw(st.lists(SAFE_ATOMS, max_size=5)):
        parts.append(atom + ("" if atom in "^$" else draw(SAFE_QUANTIFIERS)))
    branches = ["".join(parts)]
    if draw(st.booleans()):
        branches.append(draw(st.sampled_from(["a", "b+", "c", "^b"])))
    return "|".join(branches)


@SETTINGS
@given(safe_ere(), st.text(alphabet="abc", max_size=8))
def test_ere_search_agrees_with_re_search(pattern, text):
    assert compile_ere(pattern).search(text) == bool(re.search(pattern, text))


# --- item 8: include globs ------------------------------------------------------------------

def test_star_glob_beside_long_name_loads_at_once(astconf_tree):
    # 8 repeats took 50 s with a regex built from the glob.
    root = astconf_tree({"a.conf": "[g]\n#tryinclude %s*b\nx=1\n" % ("*a" * 30), "a" * 60: "y=2\n",
                         "a" * 59 + "b": "z=3\n"})
    cfg = load_config(str(root / "a.conf"))
    assert (cfg.get("g", "y"), cfg.get("g", "z")) == (None, "3")


def test_glob_work_is_linear_in_the_number_of_names(astconf_tree):
    # The old code matched each name with a regular expression built from the glob (the
    # backtracking of test_star_glob_beside_long_name_loads_at_once); this one counts the
    # matcher's steps over many names, each step a line of the engine.
    def make(count):
        files = {"a.conf": "[g]\n#tryinclude *a*a*b\n"}
        files.update(("a" * 100 + "%05d" % number, "") for number in range(count))
        return loader(astconf_tree, files)
    assert_linear(make, 200)


def test_star_globs_over_many_names_end_in_an_error_not_a_hang(astconf_tree):
    # The two-pointer matcher's worst case: the star retried at every position, each retry
    # comparing 100 characters.  Linear per line, but the lines add up.
    files = {"a.conf": "[g]\n" + "#tryinclude *%sb\n" % ("a" * 100) * 50}
    files.update(("a" * 200 + "%02d" % number, "") for number in range(20))
    root = astconf_tree(files)
    with pytest.raises(AsteriskConfigError, match=r"a\.conf:\d+: include glob: evaluating"):
        load_config(str(root / "a.conf"))


@pytest.mark.parametrize("pattern, name, expected", [
    ("\\*", "*", True), ("\\*", "a", False), ("[!a]", "b", True), ("[^a]", "a", False),
    ("[[:digit:]]x", "5x", True), ("[[:nope:]]", "a", None), ("[z-a]", "a", None),
    ("[]]", "]", True), ("[", "[", True), ("a[b", "a[b", True), ("[[.-.]]", "-", True),
    ("*.conf", "x.conf", True), ("?", "", False),
])
def test_glob_examples(pattern, name, expected):
    try:
        matcher = compile_glob(pattern)
    except PatternError:
        assert expected is None
        return
    assert matcher.match(name) is expected


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", "*", "?", "[ab]", "[!a]", "[a-b]"]), max_size=8)
       .map("".join),
       st.text(alphabet="ab", max_size=10))
def test_glob_agrees_with_fnmatchcase(pattern, name):
    assert compile_glob(pattern).match(name) == fnmatch.fnmatchcase(name, pattern)


# --- item 9: escaped semicolons, and the lexer in general -----------------------------------

def test_escaped_semicolons_cost_linear_work(astconf_tree, monkeypatch):
    # The old loop removed each escape backslash by moving the rest of the line (memmove, as
    # config.c does) and looked for the line's end again: n escapes, about n*n bytes handled.
    def make(escapes):
        return loader(astconf_tree, {"a.conf": "[g]\nx=%s\n" % ("\\;" * escapes)})
    assert_linear(make, 500)
    assert_linear(make, 500, buffer_bytes(monkeypatch))


def test_semicolons_inside_a_block_comment_cost_linear_work(astconf_tree, monkeypatch):
    # The old loop looked for the end of the line again (index of the NUL) at every ';'.
    def make(count):
        return loader(astconf_tree, {"a.conf": "[g]\nx=1 ;-- %s --; y\n" % (";" * count)})
    assert_linear(make, 500)
    assert_linear(make, 500, buffer_bytes(monkeypatch))


def test_escaped_semicolons_keep_their_text(astconf_tree):
    root = astconf_tree({"a.conf": "[g]\nx=%s ; c\n" % ("a\\;" * 2000)})
    assert load_config(str(root / "a.conf")).get("g", "x") == "a;" * 2000


def reference_scan_comments(buf, base, comment):
    """The comment loop as main/config.c writes it, in-place buffer edits and all (quadratic):
    the oracle the one-pass lexer is compared with."""
    mem = bytearray(buf) + b"\0\0\0\0"
    org = list(range(base, base + len(buf))) + [-1] * 4
    new_buf, process_buf = 0, (None if comment else 0)
    touched = stray = False
    while True:
        end = mem.index(0, new_buf)
        semi = mem.find(b";", new_buf, end)
        if semi < 0:
            break
        if semi > new_buf and mem[semi - 1] == 0x5C:
            size = mem.index(0, semi) - semi + 1
            mem[semi - 1:semi - 1 + size] = mem[semi:semi + size]
            org[semi - 1:semi - 1 + size] = org[semi:semi + size]
            new_buf = semi
        elif mem[semi + 1:semi + 3] == b"--" and mem[semi + 3] != 0x2D:
            touched = True
            if comment >= astconf_lexer.MAX_NESTED_COMMENTS:
                return "hang"
            mem[semi] = 0
            new_buf, comment = semi + 3, comment + 1
        elif semi >= new_buf + 2 and mem[semi - 2:semi] == b"--":
            touched = True
            comment -= 1
            new_buf = semi + 1
            if comment == 0 and process_buf is not None:
                old = mem.index(0, process_buf)
                size = mem.index(0, new_buf) - new_buf + 1
                mem[old:old + size] = mem[new_buf:new_buf + size]
                org[old:old + size] = org[new_buf:new_buf + size]
                new_buf = old
            elif comment == 0:
                process_buf = new_buf
            stray = stray or comment < 0
        elif comment == 0:
            mem[semi] = 0
            new_buf = semi
        else:
            new_buf = semi + 1
    if process_buf is None:
        return None, None, comment, touched, stray
    text = bytes(mem[process_buf:mem.index(0, process_buf)])
    offsets = org[process_buf:process_buf + len(text)]
    start = len(text) - len(text.lstrip(astconf_lexer._BLANKS))
    end = len(text.rstrip(astconf_lexer._BLANKS))
    if start >= end:
        return None, None, comment, touched, stray
    return text[start:end], offsets[start:end], comment, touched, stray


LINE_PIECES = st.sampled_from([b";", b"-", b"\\", b"a", b" ", b";--", b"--;", b"\\;", b";---"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(LINE_PIECES, max_size=14).map(b"".join),
       st.sampled_from([0, 0, 0, 1, 2, -1, astconf_lexer.MAX_NESTED_COMMENTS]))
def test_one_pass_comment_loop_agrees_with_the_c_loop(line, comment):
    expected = reference_scan_comments(line, 5, comment)
    try:
        got = astconf_lexer._scan_comments(line, 5, comment)
    except astconf_lexer._Hang:
        got = "hang"
    if got != "hang" and got[1] is not None:
        got = (got[0], list(got[1])) + got[2:]
    assert got == expected


# --- other rules that cost more than a pass ---------------------------------------------------

def test_many_plus_headers_cost_linear_work(astconf_tree, monkeypatch):
    # Each (+) header used to look through every header the category already had ('statement
    # not in found.headers', a scan in C): counted here as comparisons of statements.
    def make(count):
        return loader(astconf_tree, {"a.conf": "[g]\nx=1\n" + "[g](+)\n" * count})
    assert_linear(make, 2000)
    compared = [0]

    def counting_eq(statement, other):
        compared[0] += 1
        return statement is other

    def comparisons(action):
        compared[0] = 0
        action()
        return compared[0] + 1
    monkeypatch.setattr(astconf_model.Statement, "__eq__", counting_eq)
    assert_linear(make, 2000, comparisons)


def test_many_appends_keep_their_order(astconf_tree):
    root = astconf_tree({"a.conf": "[g]\na=x\n" + "a+=y\n" * 3000})
    value = load_config(str(root / "a.conf")).get("g", "a")
    assert value == "x" + "y" * 3000
    assert [statement.line for statement in value.variable.appends] == list(range(3, 3003))


def test_appends_to_a_huge_category_end_in_an_error_not_a_hang(astconf_tree):
    # Each '+=' looks through its category (Asterisk's rule): 40,000 x 40,000 steps.
    root = astconf_tree({"a.conf": "[g]\n" + "v=1\n" * 40000 + "v+=2\n" * 40000})
    with pytest.raises(AsteriskConfigError, match=r"a\.conf:\d+: '\+=': evaluating"):
        load_config(str(root / "a.conf"))


def test_long_inheritance_chain_is_bounded(astconf_tree):
    lines = ["[t0](!)", "v=1"] + ["[t%d](!,t%d)\nv%d=1" % (n, n - 1, n) for n in range(1, 3000)]
    root = astconf_tree({"a.conf": "\n".join(lines) + "\n"})
    with pytest.raises(AsteriskConfigError, match="inheritance from|more than"):
        load_config(str(root / "a.conf"))
