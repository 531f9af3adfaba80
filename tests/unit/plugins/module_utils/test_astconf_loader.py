# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Files, #include/#tryinclude/#exec, globs and include levels: ast_config_internal_load() and
config_text_file_load()'s rules."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils import astconf_loader
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import (
    load,
    load_config,
)

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "fixtures", "astconf")


def test_load_is_load_config():
    assert load is load_config


def test_relative_include_resolves_against_config_dir_not_including_dir(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include sub/a.conf\n",
        "sub/a.conf": "#include b.conf\n",
        "b.conf": "where=config_dir\n",
        "sub/b.conf": "where=including_dir\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("general").get("where") == "config_dir"
    assert cfg.first("general").get("where").path == str(root / "b.conf")


def test_config_dir_parameter(astconf_tree):
    root = astconf_tree({"etc/sip.conf": "[g]\n#include x.conf\n", "x.conf": "a=1\n",
                         "etc/x.conf": "a=2\n"})
    assert load_config(str(root / "etc/sip.conf")).first("g").get("a") == "2"
    assert load_config(str(root / "etc/sip.conf"), str(root)).first("g").get("a") == "1"


def test_absolute_and_quoted_includes(astconf_tree):
    root = astconf_tree({"sip.conf": "", "abs.conf": "a=1\n", "q.conf": "b=2\n", "lt.conf": "c=3\n"})
    (root / "sip.conf").write_text('[g]\n#include %s\n#include "q.conf"\n#include <lt.conf>\n'
                                   % (root / "abs.conf"))
    general = load_config(str(root / "sip.conf")).first("g")
    assert (general.get("a"), general.get("b"), general.get("c")) == ("1", "2", "3")


def test_included_file_starts_in_current_category_and_parent_keeps_its_own(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include extra.conf\nafter=general\n#include more.conf\n",
        "extra.conf": "inside=general\n[other]\nx=1\n",
        "more.conf": "second=where\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    general = cfg.first("general")
    assert general.get("inside") == "general"
    assert general.get("after") == "general"
    # the second include starts in cfg->current, left at [other] by the first include
    assert cfg.first("other").get("second") == "where"
    assert general.get("second") is None


def test_plus_in_included_file_turns_guests_back_on(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=no\n#include sip_custom.conf\n[peer]\ntype=peer\n",
        "sip_custom.conf": "[general](+)\nallowguest=yes\n",
    })
    value = load_config(str(root / "sip.conf")).first("general").get("allowguest")
    assert value == "yes" and value.path == str(root / "sip_custom.conf") and value.line == 2


def test_missing_include_in_root_fails_whole_load(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=no\n#include nothere.conf\n"})
    with pytest.raises(AsteriskConfigError) as info:
        load_config(str(root / "sip.conf"))
    assert (info.value.path, info.value.line) == (str(root / "sip.conf"), 3)
    assert "listed as a #include but it does not exist" in info.value.message


def test_missing_tryinclude_is_fine(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\n#tryinclude nothere.conf\nallowguest=no\n"})
    assert load_config(str(root / "sip.conf")).first("general").get("allowguest") == "no"


def test_fatal_error_in_included_file_drops_only_the_rest_of_that_file(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include inc.conf\nafter=1\n",
        "inc.conf": "before=1\n#include nothere.conf\ndropped=1\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    general = cfg.first("general")
    assert general.get("before") == "1" and general.get("after") == "1"
    assert general.get("dropped") is None
    assert [(e.path, e.line) for e in cfg.errors] == [(str(root / "inc.conf"), 2)]


def test_include_loop_hits_the_level_limit_but_loads(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nx=1\n#include sip.conf\ny=2\n"})
    cfg = load_config(str(root / "sip.conf"))
    generals = cfg.categories_named("general")
    assert len(generals) == 11                  # root + 10 nested levels
    assert generals[0].get("y") == "2" and generals[-1].get("y") is None
    assert any("Maximum Include level (10) exceeded" in w.message for w in cfg.warnings)
    assert sum("Same File included more than once" in w.message for w in cfg.warnings) == 10
    assert len(cfg.errors) == 1 and "does not exist" in cfg.errors[0].message


def test_two_file_include_loop(astconf_tree):
    root = astconf_tree({"a.conf": "[s]\n#include b.conf\n", "b.conf": "#include a.conf\n"})
    cfg = load_config(str(root / "a.conf"))
    assert len(cfg.errors) == 1 and len(cfg.loads) == 11


def _chain(depth):
    files = {"sip.conf": "[g]\n#include c1.conf\n"}
    for level in range(1, depth + 1):
        nxt = "#include c%d.conf\n" % (level + 1) if level < depth else "deepest=%d\n" % level
        files["c%d.conf" % level] = nxt
    return files


def test_ten_nested_includes_load_eleven_fail(astconf_tree):
    root = astconf_tree(_chain(10))
    assert load_config(str(root / "sip.conf")).first("g").get("deepest") == "10"
    root = astconf_tree(_chain(11))
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("g").get("deepest") is None
    assert cfg.errors[0].path == str(root / "c10.conf")


def test_a_failed_include_does_not_give_its_level_back(astconf_tree):
    files = _chain(10)
    files["sip.conf"] = "[g]\n#include bad.conf\n#include c1.conf\n"
    files["bad.conf"] = "[x](+)\n"
    root = astconf_tree(files)
    cfg = load_config(str(root / "sip.conf"))
    # as in Asterisk, the leaked level makes the 10th nested file unreachable
    assert cfg.first("g").get("deepest") is None
    assert [e.path for e in cfg.errors] == [str(root / "bad.conf"), str(root / "c9.conf")]


def test_glob_includes_sorted_and_braces_in_order(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[g]\n#include custom_*.conf\n#include {z,a}_brace.conf\n",
        "custom_b.conf": "order=b\n", "custom_a.conf": "order=a\n", ".custom_hidden.conf": "x=1\n",
        "z_brace.conf": "brace=z\n", "a_brace.conf": "brace=a\n",
    })
    general = load_config(str(root / "sip.conf")).first("g")
    assert general.get_all("order") == ["a", "b"]
    assert general.get_all("brace") == ["z", "a"]
    assert general.get("x") is None


def test_glob_matching_nothing(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#tryinclude none_*.conf\na=1\n#include none_*.conf\n"})
    with pytest.raises(AsteriskConfigError) as info:
        load_config(str(root / "sip.conf"))
    assert info.value.line == 4


def test_glob_matching_a_directory_warns(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#include d*\n", "d1/x": "", "d2.conf": "a=1\n"})
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("g").get("a") == "1"
    assert any("is not a regular file" in w.message for w in cfg.warnings)


def test_block_comment_state_carries_across_glob_matched_files(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[g]\n#include part*.conf\nroot=1\n",
        "part1.conf": "one=1\n;-- left open\n",
        "part2.conf": "hidden=1\n--;\ntwo=2\n",
    })
    general = load_config(str(root / "sip.conf")).first("g")
    assert (general.get("one"), general.get("hidden"), general.get("two"),
            general.get("root")) == ("1", None, "2", "1")


def test_block_comment_does_not_leak_out_of_an_included_file(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#include inc.conf\nafter=1\n",
                         "inc.conf": ";-- never closed\nhidden=1\n"})
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("g").get("after") == "1" and cfg.first("g").get("hidden") is None
    assert any("Unterminated comment" in w.message for w in cfg.warnings)


def test_symlinked_include_is_one_file(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#include link.conf\n#include real.conf\n",
                         "real.conf": "a=1\n"})
    os.symlink(str(root / "real.conf"), str(root / "link.conf"))
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.first("g").get_all("a") == ["1", "1"]
    assert len(cfg.files) == 2 and len(cfg.loads) == 3


def test_exec_is_recorded_never_run(astconf_tree, tmp_path):
    marker = tmp_path / "ran"
    root = astconf_tree({"sip.conf": "[g]\n#exec /bin/sh -c 'touch %s'\na=1\n" % marker})
    cfg = load_config(str(root / "sip.conf"))
    assert not marker.exists()
    assert [(s.path, s.line) for s in cfg.exec_directives] == [(str(root / "sip.conf"), 2)]
    assert cfg.first("g").get("a") == "1"


def test_unknown_directive_and_missing_argument_are_warnings(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#includ x.conf\n#include\n# include x\na=1\n"})
    cfg = load_config(str(root / "sip.conf"))
    messages = [(w.line, w.message) for w in cfg.warnings]
    assert (2, "Unknown directive '#includ'") in messages
    assert (3, "Directive '#include' needs an argument (filename)") in messages
    assert (4, "Unknown directive '#'") in messages


def test_root_missing(tmp_path):
    with pytest.raises(AsteriskConfigError) as info:
        load_config(str(tmp_path / "nothere.conf"))
    assert info.value.line == 0


def test_a_file_that_is_not_utf8_loads_as_asterisk_loads_it(astconf_tree):
    # Asterisk 16.28 loads latin-1 bytes (issue 15 item 2): the engine used to refuse the tree.
    root = astconf_tree({"sip.conf": "[g]\n#include latin.conf\n",
                         "latin.conf": b"a=1\nb=caf\xe9\n"})
    value = load_config(str(root / "sip.conf")).get("g", "b")
    assert (value.raw, value, value.line) == (b"caf\xe9", "caf\\xe9", 2)


def test_file_size_bound(astconf_tree, monkeypatch):
    monkeypatch.setattr(astconf_loader, "MAX_FILE_SIZE", 100)
    root = astconf_tree({"sip.conf": "[g]\n" + "a=1\n" * 30})
    with pytest.raises(AsteriskConfigError, match="larger than 100 bytes"):
        load_config(str(root / "sip.conf"))


def test_include_loop_with_globs_stays_small(astconf_tree):
    # Each failure at the deepest level leaks one include level, so loops die out quickly.
    files = {"x%d.conf" % n: "#include x*.conf\n" for n in range(3)}
    files["sip.conf"] = "[g]\n#include x*.conf\n"
    root = astconf_tree(files)
    cfg = load_config(str(root / "sip.conf"))
    assert len(cfg.loads) == 20 and len(cfg.errors) == 10


def test_glob_explosion_is_bounded(astconf_tree):
    files = {"x%d.conf" % n: "#tryinclude x*.conf\n" for n in range(3)}
    files["sip.conf"] = "[g]\n#include x*.conf\n"
    root = astconf_tree(files)
    with pytest.raises(AsteriskConfigError, match="more than 1000 files"):
        load_config(str(root / "sip.conf"))


def test_brace_explosion_is_bounded(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#tryinclude " + "{a,b}" * 20 + "\n"})
    with pytest.raises(AsteriskConfigError, match="expands to more than"):
        load_config(str(root / "sip.conf"))


def test_crlf_tabs_and_missing_final_newline_round_trip(astconf_tree):
    data = b"[general]\r\n\tallowguest = no  \r\n;-- c\r\n--;\r\n#include x.conf\r\nlast=1"
    root = astconf_tree({"sip.conf": data, "x.conf": b"a=1\n\n  "})
    cfg = load_config(str(root / "sip.conf"))
    assert cfg.render(str(root / "sip.conf")) == data
    assert cfg.render(str(root / "x.conf")) == b"a=1\n\n  "
    assert cfg.first("general").get("allowguest") == "no"
    assert cfg.first("general").get("last") == "1"


def test_overlay_replaces_disk(astconf_tree):
    root = astconf_tree({"sip.conf": "[g]\n#tryinclude new.conf\na=1\n"})
    overlay = {str(root / "new.conf"): b"b=2\n", str(root / "sip.conf"): b"[g]\n#tryinclude new.conf\n"}
    cfg = load_config(str(root / "sip.conf"), overlay=overlay)
    assert cfg.first("g").get("b") == "2" and cfg.first("g").get("a") is None


def test_debian_like_fixture_tree():
    cfg = load_config(os.path.join(FIXTURES, "debian16", "sip.conf"))
    general = cfg.first("general")
    assert general.get("allowguest") == "yes"
    assert general.get("allowguest").path.endswith("sip_custom.conf")
    assert general.get("context") == "public"
    assert cfg.first("trunk").get("insecure") == "port,invite"
    assert cfg.first("trunk").get("insecure").inherited_from == "provider"
    assert cfg.first("6001").get("secret") == "s3cret;pin"
