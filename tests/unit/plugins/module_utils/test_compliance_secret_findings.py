# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credential findings of a configuration directory (PBX-SEC-001..005, compliance_secret_findings)."""

from __future__ import annotations

import hashlib

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_findings import (
    audit_dir,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy,
)

POLICY = make_policy()
STRONG = "Zq7vKx2mWp9tLr4e"          # 16 characters, letters and digits, no walk, no name


def _by_object(findings):
    return {f.object: f for f in findings}


@pytest.mark.parametrize("line, name", [
    ("4000:Tr?unkPass1234@sip.provider.example/4000", "register line 2"),
    ("4001:NoHostSecret99", "register line 2"),
    ("4000:a//bSecret77@h", "register line 2"),
    ("tls://6491234567:kiwi123@sip.kiwi.example:5061/100~120", "register 6491234567@sip.kiwi.example"),
])
def test_pbx_sec_001_register_object_never_carries_a_secret_byte(astconf_tree, line, name):
    conf = astconf_tree({"sip.conf": "[general]\nregister => %s\n" % line})
    findings, _statuses, _errors = audit_dir(str(conf), POLICY, ["PBX-SEC-001"])
    assert [f.object for f in findings] == [name]
    assert (findings[0].file, findings[0].line) == (str(conf / "sip.conf"), 2)


def test_pbx_sec_001_unparsable_register_line_is_a_finding_of_its_own(astconf_tree):
    conf = astconf_tree({"sip.conf": "[general]\nregister => 4001:NoHostSecret99\n"})
    findings = audit_dir(str(conf), POLICY, ["PBX-SEC-001"])[0]
    assert any("cannot parse" in reason for reason in findings[0].reasons)
    assert "NoHostSecret99" not in repr([f.as_dict() for f in findings])


def test_pbx_sec_001_templates_includes_and_plus(astconf_tree):
    md5 = hashlib.md5(b"103:asterisk:1234").hexdigest()
    conf = astconf_tree({
        "sip.conf": ("[general]\nregister => 6491234567:kiwi123@127.0.0.1/100\n"
                     "[phone](!)\ntype=friend\nhost=dynamic\nsecret=password\n"
                     "[100](phone)\n"
                     "[101](phone)\nsecret=%s\n"
                     "[102](phone)\nsecret=weak\n"
                     "[103](phone)\nmd5secret=%s\n"
                     "[trunk]\ntype=peer\nhost=192.0.2.1\nsecret=kiwi123\n"
                     "#include sip_site.conf\n" % (STRONG, md5)),
        "sip_site.conf": "[102](+)\nsecret=%s\n" % STRONG,
    })
    found = _by_object(audit_dir(str(conf), POLICY)[0])
    assert set(found) == {"100", "103", "trunk", "register 6491234567@127.0.0.1"}
    assert found["100"].file.endswith("sip.conf") and found["100"].line == 6   # the template line
    assert found["100"].rotatable and found["100"].option == "secret"
    assert not found["trunk"].rotatable and "provider" in found["trunk"].why_not_rotatable
    assert found["103"].option == "md5secret" and not found["103"].rotatable
    assert found["register 6491234567@127.0.0.1"].line == 2


def test_pbx_sec_002_pjsip_auths_and_endpoints(astconf_tree):
    conf = astconf_tree({"pjsip.conf": (
        "[200]\ntype=endpoint\nauth=200-auth\n"
        "[200-auth]\ntype=auth\nauth_type=userpass\nusername=200\npassword=200\n"
        "[201]\ntype=endpoint\nauth=201\n"
        "[201]\ntype=auth\nusername=201\npassword=1234\n"
        "[202-auth]\ntype=auth\nauth_type=md5\nmd5_cred=0123456789abcdef0123456789abcdef\n"
        "[trunk]\ntype=endpoint\noutbound_auth=trunk-auth\n"
        "[trunk-auth]\ntype=auth\nusername=u\npassword=kiwi123\n"
        "[trunk]\ntype=identify\nendpoint=trunk\nmatch=192.0.2.1\n"
        "[lobby]\ntype=endpoint\ncontext=internal\n"
        "[anonymous]\ntype=endpoint\n")})
    found = audit_dir(str(conf), POLICY)[0]
    names = sorted((f.object, f.option) for f in found)
    assert names == [("200-auth", "password"), ("201", "password"), ("lobby", "auth"),
                     ("trunk-auth", "password")]
    byname = {(f.object, f.option): f for f in found}
    assert byname[("200-auth", "password")].rotatable
    assert byname[("201", "password")].rotatable              # the auth [201], picked by type
    assert byname[("201", "password")].section_type == "auth"
    assert not byname[("trunk-auth", "password")].rotatable   # outbound only


def test_pbx_sec_002_second_auth_of_a_name_is_not_rotatable(astconf_tree):
    conf = astconf_tree({"pjsip.conf": (
        "[300]\ntype=endpoint\nauth=300\n"
        "[300]\ntype=auth\nusername=300\npassword=Strong1Strong2x\n"
        "[300]\ntype=auth\nusername=300\npassword=300\n")})
    found = audit_dir(str(conf), POLICY)[0]
    assert [(f.object, f.rotatable) for f in found] == [("300", False)]
    assert "auth comes first" in found[0].why_not_rotatable


def test_pbx_sec_003_004_005_iax_ami_ari(astconf_tree):
    conf = astconf_tree({
        "iax.conf": "[general]\n[guest]\ntype=user\n[branch]\ntype=friend\nsecret=branch1\n",
        "manager.conf": "[general]\nenabled=yes\n[admin]\nsecret=%s\n#include \"manager.d/*.conf\"\n"
                        % STRONG,
        "manager.d/crm.conf": "[crm]\nsecret=Zq7vKx2mWp9tLr4\n",
        "ari.conf": "[general]\n[app]\ntype=user\npassword=%s\n[hash]\ntype=user\n"
                    "password_format=crypt\npassword=$6$x\n[weak]\ntype=user\npassword=weak\n"
                    % STRONG,
    })
    findings, statuses, errors = audit_dir(str(conf), POLICY)
    found = {(f.control, f.object) for f in findings}
    assert found == {("PBX-SEC-003", "branch"), ("PBX-SEC-004", "crm"),
                     ("PBX-SEC-005", "weak")}     # admin's 16 characters meet the AMI floor
    assert statuses == {"PBX-SEC-001": "not_applicable", "PBX-SEC-002": "not_applicable",
                        "PBX-SEC-003": "fail", "PBX-SEC-004": "fail", "PBX-SEC-005": "fail"}
    assert not errors
    crm = [f for f in findings if f.object == "crm"][0]
    assert crm.file.endswith("manager.d/crm.conf") and "shorter than 16 characters" in crm.reasons


def test_pbx_sec_tree_asterisk_refuses_is_an_error(astconf_tree):
    conf = astconf_tree({"sip.conf": "#include missing.conf\n[100]\nsecret=1\n"})
    findings, statuses, errors = audit_dir(str(conf), POLICY, ["PBX-SEC-001"])
    assert statuses == {"PBX-SEC-001": "error"} and "PBX-SEC-001" in errors and not findings


def test_rotatable_findings_say_how_a_new_value_is_judged_and_others_say_nothing(astconf_tree):
    conf = astconf_tree({
        "sip.conf": ("[100]\ntype=friend\nhost=dynamic\ndefaultuser=alice\nsecret=weak\n"
                     "[trunk]\ntype=peer\nhost=192.0.2.1\nusername=6491234567\nsecret=kiwi123\n"),
        "manager.conf": "[general]\nenabled=yes\n[admin]\nsecret=short\n",
    })
    found = _by_object(audit_dir(str(conf), POLICY)[0])
    assert (found["100"].names, found["100"].min_length) == (["100", "alice"], None)
    assert (found["admin"].names, found["admin"].min_length) == (["admin"], POLICY["ami_min_length"])
    assert not found["trunk"].rotatable
    assert (found["trunk"].names, found["trunk"].min_length) == ([], None)
    assert "6491234567" not in repr(found["trunk"].as_dict())
