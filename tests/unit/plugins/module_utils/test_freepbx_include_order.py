# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""freepbx_layout: FreePBX's include chains judged on real trees loaded by the engine."""

from __future__ import annotations

from fnmatch import fnmatch

from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import (
    LAYOUT,
    describe,
    layout_problems,
)

SIP = """[general]
#include sip_general_additional.conf
#include sip_general_custom.conf
#include sip_nat.conf
#include sip_registrations_custom.conf
#include sip_registrations.conf
#include sip_custom.conf
#include sip_additional.conf
#include sip_custom_post.conf
"""
SIP_FILES = {name: "" for name in (
    "sip_general_additional.conf", "sip_general_custom.conf", "sip_nat.conf",
    "sip_registrations_custom.conf", "sip_registrations.conf", "sip_custom.conf",
    "sip_additional.conf", "sip_custom_post.conf")}


def test_freepbx_chain_has_no_problem(astconf_tree):
    root = astconf_tree(dict(SIP_FILES, **{"sip.conf": SIP}))
    layout = describe(str(root))
    assert list(layout) == ["sip.conf"]
    assert layout["sip.conf"]["problems"] == []
    assert layout["sip.conf"]["general"] == "sip_general_custom.conf"
    assert layout["sip.conf"]["objects"] == "sip_custom_post.conf"
    assert "sip_general_additional.conf" not in layout["sip.conf"]["writable"]


def test_custom_file_read_before_the_generated_one_is_a_problem(astconf_tree):
    swapped = SIP.replace("#include sip_general_additional.conf\n#include sip_general_custom.conf",
                          "#include sip_general_custom.conf\n#include sip_general_additional.conf")
    root = astconf_tree(dict(SIP_FILES, **{"sip.conf": swapped}))
    assert describe(str(root))["sip.conf"]["problems"] == [
        "sip.conf: sip_general_custom.conf is read before sip_general_additional.conf, so the "
        "generated values would win"]


def test_missing_include_of_the_override_is_a_problem(astconf_tree):
    root = astconf_tree(dict(SIP_FILES, **{"sip.conf": SIP.replace("#include sip_custom_post.conf\n", "")}))
    problems = describe(str(root))["sip.conf"]["problems"]
    assert len(problems) == 1 and problems[0].startswith("sip.conf: sip_custom_post.conf is not included")


def test_override_nested_in_an_included_file_counts_in_read_order(astconf_tree):
    nested = SIP.replace("#include sip_custom_post.conf\n", "#include post.d/all.conf\n")
    files = dict(SIP_FILES, **{"sip.conf": nested, "post.d/all.conf": "#include sip_custom_post.conf\n"})
    assert describe(str(astconf_tree(files)))["sip.conf"]["problems"] == []


def test_tree_asterisk_refuses_is_reported_not_raised(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\n#include sip_general_additional.conf\n"})
    problems = describe(str(root), ["sip.conf"])["sip.conf"]["problems"]
    assert len(problems) == 1 and "sip_general_additional.conf" in problems[0]


def test_roots_that_do_not_exist_are_left_out(astconf_tree):
    root = astconf_tree({"voicemail.conf": "[general]\n"})
    assert describe(str(root)) == {"voicemail.conf": {
        "path": str(root / "voicemail.conf"), "writable": [], "problems": [],
        "gui": "Settings > Voicemail Admin > Settings"}}


def test_every_override_is_writable_and_no_generated_file_is():
    for root, entry in LAYOUT.items():
        for kind in ("general", "objects", "logfiles"):
            if kind in entry:
                assert any(fnmatch(entry[kind]["override"], p) for p in entry["writable"]), root
                assert not any(fnmatch(entry[kind]["beats"], p) for p in entry["writable"]), root


def test_generated_file_not_read_at_all_is_no_problem():
    order = ["sip.conf", "sip_general_custom.conf", "sip_custom_post.conf"]
    assert layout_problems("sip.conf", order) == []
