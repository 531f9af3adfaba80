# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Categories, templates, inheritance, (+), +=, effective values: process_text_line()'s rules."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import (
    ast_false,
    ast_true,
)


@pytest.fixture
def load(astconf_tree):
    def run(text, **files):
        files["sip.conf"] = text
        root = astconf_tree(files)
        return load_config(str(root / "sip.conf"))
    return run


def fails(load, text, line, message):
    with pytest.raises(AsteriskConfigError) as info:
        load(text)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value) == "%s:%d: %s" % (info.value.path, line, info.value.message)
    assert info.value.path.endswith("sip.conf")


def test_section_lookup_is_ascii_case_insensitive(load):
    cfg = load("[GeNeRaL]\nAllowGuest=no\n")
    assert cfg.first("general").get("allowguest") == "no"
    assert cfg.first("general").get("ALLOWGUEST") == "no"
    cfg = load("[GÉNÉRAL]\na=1\n")
    assert cfg.first("général") is None          # strcasecmp folds ASCII only
    assert cfg.first("GÉNÉRAL").get("a") == "1"


def test_section_name_is_not_stripped(load):
    cfg = load("[ general ]\na=1\n")
    assert cfg.first("general") is None
    assert cfg.first(" general ").get("a") == "1"


def test_section_name_truncated_to_79_bytes(load):
    name = "n" * 100
    cfg = load("[%s]\na=1\n" % name)
    assert cfg.categories[0].name == "n" * 79
    assert cfg.first(name) is None               # the full name no longer matches
    assert cfg.first("n" * 79).get("a") == "1"


def test_text_after_header_is_ignored(load):
    cfg = load("[general] trailing junk\na=1\n")
    assert cfg.first("general").get("a") == "1"


def test_variable_before_any_category_is_fatal(load):
    fails(load, "; hello\nallowguest=no\n[general]\n", 2, "No category context")


def test_missing_closing_bracket_is_fatal(load):
    fails(load, "[general\nallowguest=no\n", 1, "no closing ']'")


def test_missing_closing_paren_is_fatal(load):
    fails(load, "[t](!\n", 1, "no closing ')'")


def test_line_without_equal_sign_is_a_warning(load):
    cfg = load("[general]\nallowguest no\nalwaysauthreject=yes\n=orphan\n")
    assert cfg.first("general").get("allowguest") is None
    assert cfg.first("general").get("alwaysauthreject") == "yes"
    messages = [(d.line, d.message) for d in cfg.warnings]
    assert (2, "No '=' (equal sign) in line") in messages
    assert (4, "No variable name in line") in messages


def test_invalid_escape_is_fatal(load):
    fails(load, "[s]\n\\ x=1\n", 2, "Invalid escape")


def test_escaped_first_character(load):
    cfg = load("[s]\n\\[x]=1\n\\#y=2\n")
    assert cfg.first("s").get("[x]") == "1"
    assert cfg.first("s").get("#y") == "2"


def test_object_flag_and_whitespace(load):
    cfg = load("[ctx]\n  exten   =>   1,1,NoOp( x ) \t\nsame=n,Hangup\n")
    var = cfg.first("ctx").get("exten").variable
    assert var.object and var.value == "1,1,NoOp( x )"
    assert not cfg.first("ctx").get("same").variable.object


def test_escaped_semicolon_in_value(load):
    cfg = load("[general]\nuseragent=PBX\\;1 ; comment\n")
    assert cfg.first("general").get("useragent") == "PBX;1"


def test_repeated_keys_kept_in_order(load):
    cfg = load("[general]\ndisallow=all\nallow=ulaw\nALLOW=alaw\nallow=gsm\n")
    general = cfg.first("general")
    assert general.get_all("allow") == ["ulaw", "alaw", "gsm"]
    assert general.get("allow") == "gsm"
    assert general.get_first("allow") == "ulaw"
    assert cfg.retrieve("general", "allow") == "ulaw"


def test_last_assignment_wins_and_knows_its_line(load):
    cfg = load("[general]\nallowguest=no\nallowguest=yes\n")
    value = cfg.first("general").get("allowguest")
    assert value == "yes" and value.line == 3 and value.own and value.inherited_from is None


def test_second_general_without_plus_is_a_separate_category(load):
    cfg = load("[general]\nallowguest=no\n[peer]\ntype=peer\n[general]\nallowguest=yes\n")
    assert cfg.first("general").get("allowguest") == "no"
    assert [c.name for c in cfg.categories_named("general")] == ["general", "general"]
    assert cfg.category_names() == ["general", "peer", "general"]


def test_plus_appends_to_first_category_of_that_name(load):
    cfg = load("[general]\nallowguest=no\n[general]\nx=1\n[peer]\n[general](+)\nallowguest=yes\n")
    assert cfg.first("general").get("allowguest") == "yes"
    assert cfg.first("general").get("allowguest").line == 7
    assert cfg.categories_named("general")[1].get("allowguest") is None


def test_plus_on_missing_category_is_fatal(load):
    fails(load, "[general]\n[nothere](+)\n", 2,
          "Category addition requested, but category 'nothere' does not exist")


def test_plus_skips_templates(load):
    # (+) with no filter only finds non-template categories.
    fails(load, "[tpl](!)\na=1\n[tpl](+)\nb=2\n", 3, "does not exist")


def test_template_hidden_from_lookup(load):
    cfg = load("[phone](!)\ntype=friend\n[100](phone)\n")
    assert cfg.first("phone") is None
    assert cfg.categories_named("phone", templates=True)[0].is_template
    assert "phone" not in cfg.category_names()


def test_template_then_object_override(load):
    cfg = load("[general]\nallowguest=no\n[tpl](!)\nallowguest=yes\ninsecure=invite\n"
               "[trunk](tpl)\nallowguest=no\n[other](tpl)\n")
    trunk = cfg.first("trunk")
    assert [v.value for v in trunk.variables] == ["yes", "invite", "no"]
    assert trunk.get("allowguest") == "no" and trunk.get("allowguest").own
    inherited = cfg.first("other").get("allowguest")
    assert inherited == "yes" and inherited.inherited_from == "tpl" and inherited.line == 4
    assert trunk.templates == ["tpl"]


def test_inheritance_is_copied_when_header_is_read(load):
    cfg = load("[base]\nnat=no\n[a](base)\n[base](+)\nnat=yes\n[b](base)\n")
    assert cfg.first("a").get("nat") == "no"       # later (+) does not propagate
    assert cfg.first("b").get_all("nat") == ["no", "yes"]


def test_plus_with_templates_filter_reaches_a_template(load):
    cfg = load("[tpl](!)\nnat=no\n[a](tpl)\n[tpl](+TEMPLATES=include)\nnat=yes\n[b](tpl)\n")
    assert cfg.first("a").get("nat") == "no"
    assert cfg.first("b").get("nat") == "yes"


def test_inheritance_from_regular_category_and_several_templates(load):
    cfg = load("[t1](!)\na=1\n[t2](!)\na=2\nb=2\n[base]\nc=3\n[obj](t1,t2,base)\na=9\n")
    obj = cfg.first("obj")
    assert [(v.name, v.value, v.inherited_from) for v in obj.variables] == [
        ("a", "1", "t1"), ("a", "2", "t2"), ("b", "2", "t2"), ("c", "3", "base"),
        ("a", "9", None)]


def test_template_and_inheritance_together(load):
    cfg = load("[t1](!)\na=1\n[t2](!,t1)\nb=2\n[obj](t2)\n")
    assert cfg.first("t2") is None
    assert [v.name for v in cfg.first("obj").variables] == ["a", "b"]


def test_inheritance_of_missing_category_is_fatal(load):
    fails(load, "[a](missing)\n", 1, "Inheritance requested, but category 'missing' does not exist")


def test_inheritance_items_are_not_stripped(load):
    fails(load, "[t](!)\n[a](!, t)\n", 2, "category ' t' does not exist")
    fails(load, "[t](!)\n[a]( !)\n", 2, "category ' !' does not exist")


def test_empty_inheritance_item_copies_the_first_category(load):
    cfg = load("[first]\nx=1\n[obj]()\n")
    assert cfg.first("obj").get("x") == "1"
    fails(load, "[obj]()\n", 1, "category '' does not exist")


def test_inheritance_finds_first_of_name_template_or_not(load):
    cfg = load("[base]\nx=regular\n[base](!)\nx=template\n[obj](base)\n")
    assert cfg.first("obj").get("x") == "regular"


def test_bang_plus_turns_existing_category_into_template(load):
    cfg = load("[a]\nx=1\n[a](!,+)\ny=2\n")
    assert cfg.first("a") is None
    cfg = load("[a]\nx=1\n[a](+,!)\ny=2\n")
    assert cfg.first("a") is None


def test_self_inheritance_with_variables_is_rejected(load):
    with pytest.raises(AsteriskConfigError, match="inherits from itself"):
        load("[a]\nx=1\n[a](+,a)\n")


def test_plus_equal_appends_to_last_exact_name(load):
    cfg = load("[s]\nallow=ulaw\nallow+=,alaw\nAllow+=x\n")
    assert cfg.first("s").get_all("allow") == ["ulaw,alaw", "x"]
    value = cfg.first("s").get_all("allow")[0]
    assert value.line == 2 and [s.line for s in value.variable.appends] == [3]


def test_plus_equal_updates_first_case_insensitive_value_match(load):
    # ast_variable_update() replaces the FIRST variable whose value matches case-insensitively.
    cfg = load("[s]\nfoo=A\nfoo=a\nfoo+=x\n")
    assert cfg.first("s").get_all("foo") == ["ax", "a"]


def test_plus_equal_trims_and_creates(load):
    cfg = load("[s]\nv = a \nv +=  b  \nnew += c\n")
    assert cfg.first("s").get("v") == "a  b"
    assert cfg.first("s").get("new") == "c"


def test_plus_equal_on_inherited_variable(load):
    cfg = load("[t](!)\nallow=ulaw\n[p](t)\nallow+=,gsm\n")
    var = cfg.first("p").get("allow")
    assert var == "ulaw,gsm" and var.inherited_from == "t"


def test_error_in_root_file_fails_the_whole_load_even_after_good_lines(load):
    fails(load, "[general]\nallowguest=no\n[x](+)\n", 3, "does not exist")


@pytest.mark.parametrize("value", ["yes", "YES", "true", "y", "T", "1", "on", "On"])
def test_ast_true(value):
    assert ast_true(value) and not ast_false(value)


@pytest.mark.parametrize("value", ["no", "NO", "false", "n", "F", "0", "off"])
def test_ast_false(value):
    assert ast_false(value) and not ast_true(value)


@pytest.mark.parametrize("value", [None, "", " yes", "yes ", "2", "nat", "oui", "ＹＥＳ"])
def test_neither_true_nor_false(value):
    assert not ast_true(value) and not ast_false(value)


def test_first_of_a_type_skips_other_objects_and_templates_of_that_name(load):
    cfg = load("[100]\ntype=endpoint\n[base](!)\ntype=auth\n[100](!)\ntype=auth\n"
               "[100](base)\nusername=100\n[100]\ntype=AUTH\nusername=second\n")
    assert cfg.first("100").get("type") == "endpoint"
    assert cfg.first("100", "auth").get("username") == "100"   # type inherited from [base]
    assert cfg.first("100", "aor") is None
