# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_settings: several controls' options of one tree, one write per file, run through
``ansible`` ad-hoc against localhost on temporary trees, and judged by the engine's loader."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

MODULE = "pbxsec.hardening.asterisk_settings"
SIP = ("[general]\ncontext=public ; keep this comment\nallowguest=yes\n#include sip_general.conf\n"
       "\n[6001]\ntype=friend\n")
GENERAL_SETTINGS = [
    {"control": "PBX-SIP-001", "section": "general", "option": "allowguest", "value": "no"},
    {"control": "PBX-SIP-002", "section": "general", "option": "alwaysauthreject", "value": "yes"},
    {"control": "PBX-SIP-003", "section": "general", "option": "autocreatepeer", "value": "no"},
    {"control": "PBX-NET-005", "section": "general", "option": "useragent", "value": "PBX"},
]


@pytest.fixture
def run(run_module):
    def run_with_diff(args, check=False):
        return run_module(MODULE, args, check=check, diff=True)

    return run_with_diff


def general(root):
    return dict((key, load_config(str(root / "sip.conf")).first("general").get(key))
                for key in ("allowguest", "alwaysauthreject", "autocreatepeer", "useragent",
                            "context"))


def test_every_setting_lands_in_one_write_and_check_mode_predicts_it(
        astconf_tree, run, snapshot):
    root = astconf_tree({"sip.conf": SIP, "sip_general.conf": "autocreatepeer=yes\n"})
    before = snapshot(root)
    args = {"path": str(root / "sip.conf"), "settings": GENERAL_SETTINGS}

    predicted = run(args, check=True)
    assert predicted["changed"] is True and snapshot(root) == before
    assert sorted(predicted["files"]) == sorted([str(root / "sip.conf"),
                                                 str(root / "sip_general.conf")])
    assert [(s["control"], s["changed"], s["effective_before"], s["effective_after"])
            for s in predicted["settings"]] == [
        ("PBX-SIP-001", True, "yes", "no"), ("PBX-SIP-002", True, None, "yes"),
        ("PBX-SIP-003", True, "yes", "no"), ("PBX-NET-005", True, None, "PBX")]

    done = run(args)
    assert done["files"] == predicted["files"]
    after = dict((path, open(path, encoding="utf-8").read()) for path in done["files"])
    assert after == dict((d["after_header"], d["after"]) for d in predicted["diff"])
    assert general(root) == {"allowguest": "no", "alwaysauthreject": "yes",
                             "autocreatepeer": "no", "useragent": "PBX", "context": "public"}
    assert "context=public ; keep this comment\n" in after[str(root / "sip.conf")]

    again = run(args)
    assert again["changed"] is False and again["diff"] == []
    assert not any(s["changed"] for s in again["settings"])


def test_one_unreachable_setting_writes_nothing(astconf_tree, run, snapshot):
    root = astconf_tree({"sip.conf": SIP, "sip_general.conf": "autocreatepeer=yes\n"})
    before = snapshot(root)
    result = run({"path": str(root / "sip.conf"), "writable": ["sip.conf"],
                  "settings": GENERAL_SETTINGS})
    assert result.get("failed") and "autocreatepeer" in result["msg"]
    assert snapshot(root) == before


def test_a_later_setting_sees_the_override_file_an_earlier_one_created(astconf_tree, run):
    sip = "[general]\nallowguest=yes\n#tryinclude sip_custom.conf\n"
    root = astconf_tree({"sip.conf": sip})
    os.chmod(str(root), 0o755)
    result = run({"path": str(root / "sip.conf"), "writable": ["sip_custom.conf"],
                  "override_file": "sip_custom.conf", "settings": GENERAL_SETTINGS[:2]})
    assert result["changed"] and result["files"] == [str(root / "sip_custom.conf")]
    assert (root / "sip.conf").read_text() == sip
    assert general(root)["allowguest"] == "no" and general(root)["alwaysauthreject"] == "yes"


def test_credentials_are_refused(astconf_tree, run):
    root = astconf_tree({"sip.conf": SIP})
    result = run({"path": str(root / "sip.conf"), "settings": [
        {"control": "PBX-SEC-001", "section": "6001", "option": "secret", "value": "x"}]})
    assert result.get("failed") and "credential" in result["msg"]
    assert "secret=" not in (root / "sip.conf").read_text()
