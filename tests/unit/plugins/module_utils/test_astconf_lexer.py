# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Line reading and comment handling, checked against config_text_file_load()'s rules."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    Endless,
    LineFatal,
    ScanState,
    ast_strip,
    classify,
    parse_assignment,
    parse_directive,
    parse_header,
    scan,
)


def texts(data, state=None):
    diags = []
    lines = scan(data, state or ScanState(), "f.conf", diags)
    return [(lex.line, lex.text) for lex in lines if lex.text is not None], diags


def test_plain_comment_and_strip():
    got, _diags = texts(b"  allowguest = no ; guests off\n\t\n; whole line\n")
    assert got == [(1, b"allowguest = no")]


def test_escaped_semicolon_keeps_text_and_drops_backslash():
    got, _diags = texts(b"context=pub\\;lic ; real comment\n")
    assert got == [(1, b"context=pub;lic")]


def test_double_backslash_before_semicolon_removes_one():
    got, _diags = texts(b"x=a\\\\;b\n")
    assert got == [(1, b"x=a\\;b")]


def test_block_comment_spanning_lines_hides_assignments():
    data = b"[general]\n;--\nallowguest=yes\n--;\nallowguest=no\n"
    got, diags = texts(data)
    assert got == [(1, b"[general]"), (5, b"allowguest=no")]
    assert diags == []


def test_block_comment_on_one_line_is_spliced_out():
    got, _diags = texts(b"foo=1 ;-- hidden --; bar=2\n")
    assert got == [(1, b"foo=1  bar=2")]


def test_text_before_open_and_after_close_survive():
    got, _diags = texts(b"a=1 ;-- open\nhidden=1\nstill --; b=2\n")
    assert got == [(1, b"a=1"), (3, b"b=2")]


def test_block_comments_nest():
    got, _diags = texts(b";-- one ;-- two --;\nhidden=1\n--; shown=1\n")
    assert got == [(3, b"shown=1")]


def test_three_dashes_is_a_plain_comment():
    got, _diags = texts(b";--- not a block\nshown=1\n")
    assert got == [(2, b"shown=1")]


def test_open_marker_needs_its_own_dashes_to_close():
    # ";--;" opens a block; the "--" of the opener cannot close it.
    got, _diags = texts(b";--;\nhidden=1\n--;\nshown=1\n")
    assert got == [(4, b"shown=1")]


def test_stray_close_marker_comments_out_the_rest_of_the_file():
    got, diags = texts(b"secret=abc--;\nallowguest=no\n")
    # The stray "--;" is kept in the value and the next line is skipped, as Asterisk does.
    assert got == [(1, b"secret=abc--;")]
    assert "outside a block comment" in diags[0].message


def test_nesting_beyond_128_is_endless():
    with pytest.raises(Endless):
        texts(b";--" * 129 + b"\n")


def test_too_long_line_is_skipped_with_one_warning():
    long_line = b"x=" + b"a" * 9000 + b"\n"
    got, diags = texts(b"[s]\n" + long_line + b"y=1\n")
    assert got == [(1, b"[s]"), (3, b"y=1")]
    assert len(diags) == 1 and "too long" in diags[0].message and diags[0].line == 2


@pytest.mark.parametrize("line, quoted", [
    (b"secret=Pw%sZz", b"secret"),                  # the value starts within 32 bytes
    (b" md5secret = Pw%sZz", b" md5secret "),
    (b";secret=Pw%sZz", b";secret"),                # a commented one
    (b"register => 100:Pw%sZz@sip.example", b"register "),
    (b"x" * 40 + b"=Pw%sZz", b"x" * 32),           # 32 bytes of the name, no '='
])
def test_too_long_line_warning_quotes_nothing_of_the_value(line, quoted):
    # The warning quoted the first 32 bytes of the line: the start of an 8 KiB secret.
    secret = line % (b"Secret" * 1500)
    dummy, diags = texts(b"[s]\n" + secret + b"\n")
    assert len(diags) == 1 and diags[0].line == 2
    message = diags[0].message
    assert message.endswith("It begins with: %s..." % quoted.decode("ascii"))
    assert "Pw" not in message and "Secret" not in message


def test_too_long_line_warning_shows_foreign_bytes_escaped():
    dummy, diags = texts(b"; caf\xe9 " + b"x" * 9000 + b"\n")
    assert diags[0].message.endswith("It begins with: ; caf\\xe9 %s..." % ("x" * 25))


def test_comment_lines_keep_their_place_after_a_too_long_line():
    got, dummy = texts(b"a=1\n" + b"x" * 9000 + b"\n  ; note = 1\n\t;-- opens\nhidden=1\n--; b=2\n")
    assert got == [(1, b"a=1"), (6, b"b=2")]


def test_indented_comment_lines_hide_everything_and_open_blocks_only_with_two_dashes():
    got, dummy = texts(b"  ; a=1\n\t;--- b=2\nc=3\n ;--\nd=4\n--;\ne=5 ;-- x --; f\n")
    assert got == [(3, b"c=3"), (7, b"e=5  f")]


def test_line_of_8190_bytes_plus_newline_is_kept():
    line = b"x=" + b"a" * 8188 + b"\n"
    got, diags = texts(line)
    assert diags == [] and got[0][1] == line[:-1]


def test_bom_skipped_only_on_first_line_of_a_load():
    got, _diags = texts(b"\xef\xbb\xbf[general]\n")
    assert got == [(1, b"[general]")]
    state = ScanState()
    state.lineno = 5        # a second file matched by the same glob
    got, _diags = texts(b"\xef\xbb\xbf[general]\n", state)
    assert got == [(1, b"\xef\xbb\xbf[general]")]


def test_nul_byte_ends_the_line_text():
    got, _diags = texts(b"a=1\x00ignored\nb=2\n")
    assert got == [(1, b"a=1"), (2, b"b=2")]


def test_crlf_and_missing_final_newline():
    got, _diags = texts(b"[s]\r\na = 1 \r\nb=2")
    assert got == [(1, b"[s]"), (2, b"a = 1"), (3, b"b=2")]


def test_lone_cr_is_not_a_line_end():
    got, _diags = texts(b"[s]\ra=1\r")
    assert got == [(1, b"[s]\ra=1")]


def test_comment_state_carries_into_next_file_of_same_load():
    state = ScanState()
    texts(b";-- open\n", state)
    got, _diags = texts(b"hidden=1\n--;\nshown=1\n", state)
    assert got == [(3, b"shown=1")]


def test_offsets_point_into_the_file():
    data = b"  name = va\\;lue ; c\n"
    lines = scan(data, ScanState(), "f", [])
    lex = lines[0]
    rebuilt = bytes(data[o] for o in lex.offsets)
    assert rebuilt == lex.text == b"name = va;lue"
    assert lex.simple      # only an escape: still a simple line


def test_simple_flag():
    lines = scan(b"a=1\nb=2 ;-- x --;\n", ScanState(), "f", [])
    assert [lex.simple for lex in lines] == [True, False]


def test_blank_and_comment_lines_are_left_out_but_block_comment_lines_are_kept():
    data = b"; note\n\n[s]\n  ; a=1\na=1\n;-- opens\nhidden=1\n--;\n; after\n"
    lines = scan(data, ScanState(), "f", [])
    assert [(lex.line, lex.text, lex.comment_before, lex.comment_after) for lex in lines] == [
        (3, b"[s]", 0, 0), (5, b"a=1", 0, 0), (6, None, 0, 1), (7, None, 1, 1), (8, None, 1, 0)]


def test_left_out_lines_still_count_in_the_line_counter():
    state = ScanState()
    scan(b"; one\n\n; three\n", state, "f", [])
    assert state.lineno == 4          # three reads, and the one that finds the end
    scan(b"a=1\n; two", state, "f", [])
    assert state.lineno == 6          # no final newline: no extra turn


def test_ast_strip_uses_bytes_below_33():
    assert ast_strip(b"\x01\t x \x1f\r\n") == b"x"
    assert ast_strip(b"\xc2\xa0x") == b"\xc2\xa0x"


@pytest.mark.parametrize("text,kind", [(b"[a]", "header"), (b"#include x", "directive"),
                                       (b"a=b", "assignment"), (b"\\[a]=b", "assignment")])
def test_classify(text, kind):
    assert classify(text) == kind


def test_parse_header_variants():
    h = parse_header(b"[ general ]")
    assert h.name == b" general " and h.items is None
    h = parse_header(b"[obj](!,tpl1, tpl2)")
    assert h.name == b"obj" and h.items == [b"!", b"tpl1", b" tpl2"]
    h = parse_header(b"[a] (!)")            # "(" must follow "]" directly
    assert h.items is None
    h = parse_header(b"[a]()")
    assert h.items == [b""]
    with pytest.raises(LineFatal, match="no closing ']'"):
        parse_header(b"[general")
    with pytest.raises(LineFatal, match="no closing '\\)'"):
        parse_header(b"[a](!")


def test_parse_directive_quotes():
    assert parse_directive(b'#include "a b.conf"').argument == b"a b.conf"
    assert parse_directive(b"#include <x.conf>").argument == b"x.conf"
    assert parse_directive(b"#include <x.conf").argument == b"<x.conf"
    assert parse_directive(b'#include "').argument == b""
    assert parse_directive(b"#include").argument is None
    d = parse_directive(b"#INCLUDE\tfoo.conf")
    assert d.name == b"INCLUDE" and d.argument == b"foo.conf"
    assert parse_directive(b'#include"x"').name == b'include"x"'


def test_parse_assignment_forms():
    a = parse_assignment(b"allowguest = no")
    assert (a.op, a.name, a.value) == ("=", b"allowguest", b"no")
    a = parse_assignment(b"exten => 1,1,Dial(SIP/x)")
    assert (a.op, a.name, a.value) == ("=>", b"exten", b"1,1,Dial(SIP/x)")
    a = parse_assignment(b"allow += ,alaw")
    assert (a.op, a.name, a.value) == ("+=", b"allow", b" ,alaw")
    a = parse_assignment(b"\\[weird]=1")
    assert (a.op, a.name, a.value) == ("=", b"[weird]", b"1")
    a = parse_assignment(b"novalue")
    assert a.op is None
    a = parse_assignment(b"a=")
    assert a.value == b"" and a.value_span == (2, 2)
    with pytest.raises(LineFatal, match="Invalid escape"):
        parse_assignment(b"\\")
    with pytest.raises(LineFatal, match="Invalid escape"):
        parse_assignment(b"\\\xc3\xa9=1")


def test_value_span_indexes_text():
    text = b"name  =>  some value"
    a = parse_assignment(text)
    assert text[a.value_span[0]:a.value_span[1]] == b"some value"
    assert text[a.name_span[0]:a.name_span[1]] == b"name"
