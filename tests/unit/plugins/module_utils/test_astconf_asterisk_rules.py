# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cases settled against a real Asterisk (16.28 and 22, AMI ``GetConfig`` and chan_sip/PJSIP
``show`` commands): each test states what Asterisk did with the tree."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config


def test_bom_of_a_glob_match_after_an_empty_file_is_kept(astconf_tree):
    # Asterisk counts one more line when fgets() finds the end of a file; the empty first match
    # leaves the line counter at 1, so the BOM of the second match is not at "line 1".
    root = astconf_tree({
        "sip.conf": "[general]\n#include d/*.conf\n",
        "d/a.conf": b"",
        "d/b.conf": b"\xef\xbb\xbfallowguest=no\n",
    })
    general = load_config(str(root / "sip.conf")).first("general")
    assert general.get("allowguest") is None
    assert general.get("\ufeffallowguest") == "no"


def test_bom_of_an_included_file_is_skipped(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include b.conf\n",
        "b.conf": b"\xef\xbb\xbfallowguest=no\n",
    })
    assert load_config(str(root / "sip.conf")).first("general").get("allowguest") == "no"


def test_append_keeps_non_ascii_bytes_at_the_end(astconf_tree):
    # ast_str_trim_blanks() compares bytes as unsigned char: only bytes below 33 are blanks.
    root = astconf_tree({"sip.conf": "[general]\nc=x\nc+=é\nd=é\nd+= \ne=1\ne+=ü \n"})
    general = load_config(str(root / "sip.conf")).first("general")
    assert (general.get("c"), general.get("d"), general.get("e")) == ("xé", "é", "1ü")


def test_glob_character_class_inside_brackets(astconf_tree):
    # glob() reads "[[:alpha:]]" as one bracket expression: the first ']' belongs to ":]".
    root = astconf_tree({
        "sip.conf": "[general]\n#include d/[[:alpha:]].conf\n",
        "d/a.conf": "v=a\n",
        "d/1.conf": "v=1\n",
        "d/b.conf": "v=b\n",
    })
    general = load_config(str(root / "sip.conf")).first("general")
    assert general.get_all("v") == ["a", "b"]


def test_glob_collating_symbols_and_unknown_classes(astconf_tree):
    # glibc: "[[.a.]]" and "[[=a=]]" match "a"; an unknown class matches nothing at all.
    root = astconf_tree({
        "sip.conf": "[general]\n#tryinclude d/[[.a.]].conf\n#tryinclude d/[[=b=]].conf\n"
                    "#tryinclude d/[[:nosuch:]a].conf\n",
        "d/a.conf": "v=a\n",
        "d/b.conf": "v=b\n",
    })
    general = load_config(str(root / "sip.conf")).first("general")
    assert general.get_all("v") == ["a", "b"]


def test_empty_name_append_goes_to_the_first_non_template_category(astconf_tree):
    # "[](+)" looks up the name "", which matches every category: the first non-template wins.
    root = astconf_tree({"sip.conf": "[tpl](!)\nt=1\n[general]\nallowguest=yes\n[](+)\n"
                                     "allowguest=no\n"})
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("general").get("allowguest") == "no"
    assert cfg.categories_named("tpl", templates=True)[0].get("allowguest") is None


def test_template_general_is_skipped_and_the_second_general_is_never_read(astconf_tree):
    # chan_sip browses "general": the first non-template [general]; a later [general] (no (+))
    # is a separate category it skips.  Asterisk 16: "Allow unknown access: Yes".
    root = astconf_tree({"sip.conf": "[general](!)\nallowguest=no\n[general]\n"
                                     "alwaysauthreject=no\n[general]\nallowguest=no\n"})
    general = load_config(str(root / "sip.conf")).first("general")
    assert general.get("allowguest") is None
    assert general.get("alwaysauthreject") == "no"


def test_append_to_an_empty_value_updates_the_first_variable_of_that_name(astconf_tree):
    # ast_variable_update() with an empty old value matches the first variable of that name
    # (any case), not the empty one.
    root = astconf_tree({"sip.conf": "[general]\nA=1\na=\na+=x\n"})
    general = load_config(str(root / "sip.conf")).first("general")
    assert [(var.name, var.value) for var in general.variables] == [("a", "x"), ("a", "")]
