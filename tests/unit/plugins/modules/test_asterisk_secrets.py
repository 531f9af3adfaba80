# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real asterisk_secrets module, run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

import functools
import json

import pytest

MODULE = "pbxsec.hardening.asterisk_secrets"

# Every secret of the tree below: none may ever show up in any output. Chosen so that none is
# also an object name, a file name or a line number.
SECRETS = ["Wk7pass0rd", "kiwi9876", "Ami5ecretShort", "Zq7vKx2mWp9tLr4eNb3", "sesame42x",
           "Tq8dRr5nV3kLmP7s"]
TREE = {
    "sip.conf": ("[general]\nregister => 6491234567:kiwi9876@192.0.2.1/300\n"
                 "[phone](!)\ntype=friend\nhost=dynamic\n"
                 "[300](phone)\nsecret=Wk7pass0rd\n"
                 "[301](phone)\nsecret=Zq7vKx2mWp9tLr4eNb3\n"),
    "pjsip.conf": ("[300]\ntype=endpoint\nauth=300-auth\n"
                   "[300-auth]\ntype=auth\nusername=300\npassword=sesame42x\n"),
    "manager.conf": "[general]\n[crm]\nsecret=Ami5ecretShort\n#include \"manager.d/*.conf\"\n",
    "manager.d/ok.conf": "[monitor]\nsecret=Zq7vKx2mWp9tLr4eNb3\n",
    "ari.conf": "[app]\ntype=user\npassword=Tq8dRr5nV3kLmP7s\n",
}


@pytest.fixture
def run(run_module):
    """``run(args, check=False)``: the module's result dict."""
    return functools.partial(run_module, MODULE)


@pytest.fixture
def run_verbose(run_module):
    """``run_verbose(args, check=False)``: everything ``-vvv`` prints."""
    return functools.partial(run_module, MODULE, verbosity=3, output="text")


def test_pbx_sec_findings_name_objects_files_lines(astconf_tree, run):
    conf = astconf_tree(TREE)
    result = run({"config_dir": str(conf)})
    assert result["changed"] is False and not result.get("failed")
    found = {(f["control"], f["object"]): f for f in result["findings"]}
    assert set(found) == {("PBX-SEC-001", "300"), ("PBX-SEC-001", "register 6491234567@192.0.2.1"),
                          ("PBX-SEC-002", "300-auth"), ("PBX-SEC-004", "crm")}
    assert found[("PBX-SEC-001", "300")]["line"] == 7
    assert "shorter than 16 characters" in found[("PBX-SEC-004", "crm")]["reasons"]
    assert result["controls"]["PBX-SEC-005"] == "pass"     # plain, but strong enough
    assert result["controls"]["PBX-SEC-003"] == "not_applicable"


def test_pbx_sec_policy_option_and_controls(astconf_tree, run):
    conf = astconf_tree(TREE)
    result = run({"config_dir": str(conf), "controls": ["PBX-SEC-004"],
                  "policy": {"ami_min_length": 12}})
    assert result["findings"] == [] and result["controls"] == {"PBX-SEC-004": "pass"}


def test_pbx_sec_no_secret_in_any_output(astconf_tree, run, run_verbose):
    conf = astconf_tree(TREE)
    for check in (False, True):
        out = run_verbose({"config_dir": str(conf)}, check=check)
        assert "300-auth" in out                       # the run did report findings
        for secret in SECRETS:
            assert secret not in out, "a secret leaked into -vvv output"
    out = json.dumps(run({"config_dir": str(conf)}))
    for secret in SECRETS:
        assert secret not in out


def test_pbx_sec_001_register_objects_carry_no_secret_byte(astconf_tree, run):
    conf = astconf_tree({"sip.conf": ("[general]\n"
                                      "register => 4000:Tr?unkPass1234@sip.provider.example/4000\n"
                                      "register => 4001:NoHostSecret99\n")})
    result = run({"config_dir": str(conf), "controls": ["PBX-SEC-001"]})
    assert sorted(f["object"] for f in result["findings"]) == ["register line 2", "register line 3"]
    shown = json.dumps(result)
    for secret in ("unkPass1234", "NoHostSecret99"):
        assert secret not in shown


# voicemail.conf with weak PINs (4242 is also the Debian stock one); none may ever be shown.
VOICEMAIL = ("[general]\n[default]\n1234 => 4242,Example Mailbox,root@localhost\n"
             "2001 => 97531864,Strong Pin\n[other]\n3001 => 86420,Short\n")


def test_pin_policy_reports_the_weak_pins_as_asterisk_voicemail_does(
        astconf_tree, run, run_module):
    conf = astconf_tree(dict(TREE, **{"voicemail.conf": VOICEMAIL}))
    result = run({"config_dir": str(conf), "controls": [], "pin_policy": {"min_length": 8}})
    assert result["findings"] == [] and result["controls"] == {}
    assert [w["object"] for w in result["weak_pins"]] == ["1234@default", "3001@other"]
    voicemail = run_module("pbxsec.hardening.asterisk_voicemail",
                           {"path": str(conf / "voicemail.conf"), "pin_policy": {"min_length": 8}})
    assert result["weak_pins"] == voicemail["weak_pins"]
    shown = json.dumps(result)
    for pin in ("4242", "97531864", "86420"):
        assert pin not in shown
    # Without pin_policy voicemail.conf is not read; without voicemail.conf nothing is weak.
    assert run({"config_dir": str(conf)})["weak_pins"] == []
    (conf / "voicemail.conf").unlink()
    assert run({"config_dir": str(conf), "pin_policy": {}})["weak_pins"] == []


def test_pin_policy_fails_on_a_voicemail_tree_asterisk_would_refuse(astconf_tree, run):
    conf = astconf_tree({"voicemail.conf": "[default]\n[default\n1 => 4242,A\n"})
    result = run({"config_dir": str(conf), "controls": [], "pin_policy": {}})
    assert result["failed"] is True and "4242" not in json.dumps(result)
