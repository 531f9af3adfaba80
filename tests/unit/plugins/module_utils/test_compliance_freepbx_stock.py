# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 19: a stock FreePBX hardened with the defaults ends compliant.

Localhost is one function (``compliance_acl.is_localhost``) for every AMI, HTTP and ACL rule;
FreePBX's own AMI user is judged by what matters for it; its name is read from FreePBX's
settings files in linear time."""

from __future__ import annotations

import time

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils import compliance_freepbx
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import is_localhost
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import (
    parse_credentials,
    read_ami_user,
)
from audit_result import by_id

MODULE = "pbxsec.hardening.pbx_compliance"

# FreePBX 16's manager.conf as it writes it (tests/images/freepbx16/generated/manager.conf),
# bound to loopback the way the manager role leaves it (in its custom file).
FREEPBX_ADMIN = ("[admin]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt3Vb\ndeny=0.0.0.0/0.0.0.0\n"
                 "permit=127.0.0.1/255.255.255.0\n"
                 "read = system,call,log,verbose,command,agent,user,config,dtmf,originate\n"
                 "write = system,call,log,verbose,command,agent,user,config,dtmf,originate\n")
MANAGER = ("[general]\nenabled = yes\nport = 5038\nbindaddr = 0.0.0.0\n\n%s\n"
           "#include manager_additional.conf\n#include manager_custom.conf\n")
CUSTOM = "[general](+)\nbindaddr=127.0.0.1\n"


@pytest.fixture
def judge(astconf_tree, run_module):
    """``judge(files, **options)``: ``{control: entry}`` of the AMI and HTTP controls of a
    configuration tree with FreePBX's generated files (so FreePBX is detected, AMI user admin)."""

    def run(files, **options):
        tree = {"sip_general_additional.conf": "", "manager_additional.conf": "",
                "manager_custom.conf": CUSTOM, "http.conf": "[general]\nenabled=no\n"}
        tree.update(files)
        etc = astconf_tree(dict(("etc/" + name, text) for name, text in tree.items())) / "etc"
        args = dict(config_dir=str(etc), live=False,
                    controls=["PBX-AMI-001", "PBX-AMI-002", "PBX-HTTP-001"])
        args.update(options)
        result = run_module(MODULE, args)
        assert not result.get("failed"), result
        assert result["freepbx"]["ami_user"] == "admin"
        return by_id(result)

    return run


@pytest.mark.parametrize("text", [
    "127.0.0.1", "127.0.0.1/32", "127.0.0.1/255.255.255.0", "127.0.0.0/8", "127.0.0.1/255.0.0.0",
    "127.10.20.30/255.255.0.0", " 127.0.0.1 ", "127.0.0.1:5038", "::1", "[::1]", "[::1]:8088",
    "::1/128",
])
def test_localhost_in_every_form_asterisk_takes(text):
    assert is_localhost(text)


@pytest.mark.parametrize("text", [
    "0.0.0.0", "0.0.0.0/0", "127.0.0.1/7", "126.0.0.1", "128.0.0.1/255.255.255.255", "10.0.0.1",
    "!127.0.0.1", "localhost", "::", "::/0", "::ffff:127.0.0.1", "fe80::1", "", "127.0.0.1/33",
    "[::1", "127.0.0.1/255.0.255.0",
])
def test_not_localhost(text):
    assert not is_localhost(text)


def test_pbx_ami_002_stock_freepbx_own_user_passes_without_waiver(judge):
    """The regression of issue 19: it failed on the rights FreePBX needs, asking for a waiver."""
    entry = judge({"manager.conf": MANAGER % FREEPBX_ADMIN})["PBX-AMI-002"]
    assert entry["status"] == "pass", entry
    assert [(f["object"], f["line"]) for f in entry["findings"]] == [("admin", 6)]
    message = entry["findings"][0]["message"]
    assert message.startswith("FreePBX's own AMI user (AMPMGRUSER, FreePBX's default)")
    assert "waive" not in message


def test_pbx_ami_002_freepbx_own_user_is_held_to_loopback_only(judge):
    lan = FREEPBX_ADMIN + "permit=192.0.2.0/255.255.255.0\n"
    entries = judge({"manager.conf": MANAGER % lan}, management_networks=["192.0.2.0/24"])
    entry = entries["PBX-AMI-002"]
    assert entry["status"] == "fail"
    assert "FreePBX's own AMI user" in entry["findings"][0]["message"]
    assert "192.0.2.0" in entry["findings"][0]["message"]


def test_pbx_ami_002_freepbx_own_user_name_ignores_case(judge):
    entry = judge({"manager.conf": MANAGER % FREEPBX_ADMIN.replace("[admin]", "[Admin]")})
    assert entry["PBX-AMI-002"]["status"] == "pass"


def test_pbx_ami_002_other_users_keep_todays_rule_on_freepbx(judge):
    crm = "[crm]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt3Vb\ndeny=0.0.0.0/0.0.0.0\npermit=127.0.0.1/8\nwrite=originate\n"
    entry = judge({"manager.conf": MANAGER % FREEPBX_ADMIN,
                   "manager_custom.conf": CUSTOM + crm})["PBX-AMI-002"]
    assert entry["status"] == "fail"
    assert [(f["object"], f["message"]) for f in entry["findings"]] == [
        ("crm", "write includes originate")]


@pytest.mark.parametrize("bind, status", [
    ("127.0.0.1", "pass"), ("127.0.0.2", "pass"), ("::1", "pass"), ("[::1]:5038", "pass"),
    ("0.0.0.0", "fail"), ("localhost", "fail"), ("::", "fail"),
])
def test_pbx_ami_001_bind_address_localhost(judge, bind, status):
    custom = "[general](+)\nbindaddr=%s\n" % bind
    entries = judge({"manager.conf": MANAGER % FREEPBX_ADMIN, "manager_custom.conf": custom})
    assert entries["PBX-AMI-001"]["status"] == status, entries["PBX-AMI-001"]


@pytest.mark.parametrize("bind, status", [("::1", "pass"), ("127.0.0.1", "pass"), ("::", "fail")])
def test_pbx_http_001_bind_address_localhost(judge, bind, status):
    http = "[general]\nenabled=yes\nservername=\nbindaddr=%s\n" % bind
    assert judge({"manager.conf": MANAGER % FREEPBX_ADMIN, "http.conf": http})[
        "PBX-HTTP-001"]["status"] == status


def test_pbx_ami_002_freepbx_remediation_names_the_custom_file():
    remediation = compliance_freepbx.remediation("PBX-AMI-002", "plain")
    assert "manager_custom.conf" in remediation and "waive" not in remediation


@pytest.mark.parametrize("text, user", [
    ("AMPMGRUSER=pbxadmin\nAMPMGRPASS=x\n", "pbxadmin"),
    ("AMPMGRUSER = 'quoted'\n", "quoted"),
    ("<?php\n$amp_conf['AMPMGRUSER'] = 'mgr';\n", "mgr"),
    ("<?php\n$amp_conf[\"AMPMGRUSER\"] = \"dq\"; // FreePBX\n", "dq"),
    ("<?php\n$amp_conf['AMPMGRUSER'] = 'it\\'s';\n", "it's"),
    ("AMPMGRUSER=first\nAMPMGRUSER=last\n", "last"),
    ("// $amp_conf['AMPMGRUSER'] = 'commented';\n# AMPMGRUSER=commented\n", "admin"),
    ("AMPMGRUSER=\n", "admin"),
    ("AMPDBUSER=freepbxuser\n", "admin"),
])
def test_freepbx_ami_user_from_its_settings_file(tmp_path, text, user):
    settings = tmp_path / "amportal.conf"
    settings.write_text(text)
    found = compliance_freepbx.detect(str(tmp_path / "none"), [str(settings)])
    assert (found.ami_user, found.ami_user_source) == (
        user, str(settings) if user != "admin" else None)


@pytest.mark.parametrize("hostile", [
    "\n" * 30000 + "x\n",             # was quadratic (8 s for 20,000): ^\s* over the blank lines
    "AMPDBUSER=late" + " " * 30000 + "x\n",      # was quadratic (4 s for 20,000): (.*?)\s*$
    "$amp_conf['AMPMGRUSER'] = '" + "' " * 100000 + "\n",
])
def test_freepbx_settings_are_read_in_linear_time(tmp_path, hostile):
    settings = tmp_path / "amportal.conf"
    settings.write_text(hostile)
    started = time.monotonic()
    read_ami_user([str(settings)])
    parse_credentials(hostile)
    assert time.monotonic() - started < 1.0
