# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_config_info, the real module run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

import functools

import pytest

MODULE = "pbxsec.hardening.asterisk_config_info"


@pytest.fixture
def run(run_module):
    """``run(args, check=False)``: the module's result dict."""
    return functools.partial(run_module, MODULE)


MANAGER = """\
[general]
enabled = yes
bindaddr = 0.0.0.0
;-- a commented-out user is not a user
[ghost]
secret = boo
--;
[ami-tpl](!)
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read = all

[monitor](ami-tpl)
secret = Sup3r-Secret-Monitor
write = call,reporting

#include "manager.d/*.conf"
"""

DROPIN = """\
[crm]
Secret = Dropin-Secret-CRM
write = system,call
permit=10.1.2.0/255.255.255.0
[monitor](+)
permit = 192.0.2.7/255.255.255.255
"""


def tree(astconf_tree):
    return astconf_tree({"manager.conf": MANAGER, "manager.d/crm.conf": DROPIN})


def test_categories_with_where_they_come_from(astconf_tree, run):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf")})
    assert result["changed"] is False and not result.get("failed"), result
    manager, dropin = str(root / "manager.conf"), str(root / "manager.d" / "crm.conf")
    assert result["root"] == manager
    assert result["files"] == [manager, dropin]
    listed = [(c["name"], c["is_template"], c["templates"], c["path"], c["line"])
              for c in result["categories"]]
    assert listed == [
        ("general", False, [], manager, 1),
        ("ami-tpl", True, [], manager, 8),
        ("monitor", False, ["ami-tpl"], manager, 13),
        ("crm", False, [], dropin, 1),
    ]
    assert result["errors"] == [] and result["exec_directives"] == []


def test_effective_values_with_templates_additions_and_includes(astconf_tree, run):
    root = tree(astconf_tree)
    manager, dropin = str(root / "manager.conf"), str(root / "manager.d" / "crm.conf")
    result = run({"path": str(root / "manager.conf"), "get": ["write", "READ", "bindaddr"],
                  "get_all": ["permit", "deny"]})
    by_name = {c["name"]: c for c in result["categories"]}
    monitor = by_name["monitor"]
    assert monitor["effective"] == {"write": "call,reporting", "READ": "all", "bindaddr": None}
    assert monitor["origin"]["READ"] == "%s:11 (inherited from [ami-tpl])" % manager
    assert monitor["origin"]["write"] == "%s:15" % manager
    assert monitor["effective_all"]["permit"] == ["127.0.0.1/255.255.255.255",
                                                  "192.0.2.7/255.255.255.255"]
    assert monitor["origin_all"]["permit"] == ["%s:10 (inherited from [ami-tpl])" % manager,
                                               "%s:6" % dropin]
    assert monitor["effective_all"]["deny"] == ["0.0.0.0/0.0.0.0"]
    # inherited first (deny, permit, read), then own (secret, write), then the (+) part
    assert monitor["index_all"] == {"deny": [0], "permit": [1, 5]}
    crm = by_name["crm"]
    assert crm["effective"]["write"] == "system,call"
    assert crm["origin"]["write"] == "%s:3" % dropin
    assert crm["effective_all"] == {"permit": ["10.1.2.0/255.255.255.0"], "deny": []}
    assert by_name["general"]["effective"]["bindaddr"] == "0.0.0.0"
    assert "ghost" not in by_name


def test_templates_can_be_left_out(astconf_tree, run):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf"), "templates": False})
    assert [c["name"] for c in result["categories"]] == ["general", "monitor", "crm"]


def test_secrets_are_masked_in_results_and_at_vvv(astconf_tree, run, run_module):
    root = astconf_tree({
        "manager.conf": MANAGER, "manager.d/crm.conf": DROPIN,
        "sip.conf": "[tpl](!)\nmd5secret=Md5-Secret-Value\n[6001](tpl)\nremotesecret=Remote-Secret"
                    "\npassword=Pass-Word-Value\ncallerid=Alice Private <6001>\n",
    })
    secrets = ["Sup3r-Secret-Monitor", "Dropin-Secret-CRM", "Md5-Secret-Value", "Remote-Secret",
               "Pass-Word-Value", "Alice Private"]
    for path, get in (("manager.conf", ["secret", "SECRET", "write"]),
                      ("sip.conf", ["md5secret", "remotesecret", "password", "callerid"])):
        args = {"path": str(root / path), "get": get, "get_all": get, "mask": ["CallerID"]}
        result, stdout, stderr = run_module(MODULE, args, verbosity=3, output="raw")
        assert not result.get("failed"), result
        for secret in secrets:
            assert secret not in stdout and secret not in stderr, secret
        assert "********" in stdout
    result = run({"path": str(root / "manager.conf"), "get": ["secret"], "get_all": ["Secret"]})
    by_name = {c["name"]: c for c in result["categories"]}
    assert by_name["monitor"]["effective"]["secret"] == "********"
    assert by_name["crm"]["effective_all"]["Secret"] == ["********"]
    assert by_name["crm"]["origin"]["secret"].endswith("crm.conf:2")   # where, never what
    assert by_name["general"]["effective"]["secret"] is None           # absent stays visible
    result = run({"path": str(root / "sip.conf"), "get": ["md5secret", "password"]})
    peer = [c for c in result["categories"] if c["name"] == "6001"][0]
    assert peer["effective"] == {"md5secret": "********", "password": "********"}


def test_check_mode_reads_only_and_returns_the_same(astconf_tree, run, snapshot):
    root = tree(astconf_tree)
    before = snapshot(root)
    args = {"path": str(root / "manager.conf"), "get": ["write"], "get_all": ["permit"]}
    checked = run(args, check=True)
    assert checked["changed"] is False and not checked.get("failed")
    assert snapshot(root) == before
    real = run(args)
    assert snapshot(root) == before
    assert checked["categories"] == real["categories"]


def test_a_tree_asterisk_refuses_fails_with_file_and_line(astconf_tree, run):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n#include missing.conf\n"})
    result = run({"path": str(root / "manager.conf")})
    assert result["failed"] is True
    assert result["msg"].startswith("%s:3: " % (root / "manager.conf"))


def test_error_in_an_included_file_is_reported_not_fatal(astconf_tree, run):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n#include sub.conf\n[b]\n",
                         "sub.conf": "[a]\n#include nothere.conf\nwrite=system\n"})
    result = run({"path": str(root / "manager.conf"), "get": ["write"]})
    assert not result.get("failed"), result
    assert len(result["errors"]) == 1 and "sub.conf:2" in result["errors"][0]
    by_name = {c["name"]: c for c in result["categories"]}
    assert by_name["a"]["effective"]["write"] is None        # rest of sub.conf dropped
    assert "b" in by_name


def test_exec_is_reported_never_run(astconf_tree, run):
    root = astconf_tree({"manager.conf": "[general]\n#exec /bin/touch /tmp/pbxsec-never\n"})
    result = run({"path": str(root / "manager.conf")})
    assert result["exec_directives"] == ["%s:2" % (root / "manager.conf")]
    assert any("execincludes" in line for line in result["diagnostics"])


def test_blank_option_name_is_refused(astconf_tree, run):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf"), "get": [" write"]})
    assert result["failed"] is True and "blanks" in result["msg"]


# --- issue 16: one list of credential options -----------------------------------------------------

@pytest.mark.parametrize("name, text, get", [
    ("sip.conf", "[general]\nregister => 4000:RegSecret42@sip.example/4000\n"
                 "[trunk]\nauth = kiwi:AuthSecret42@kiwi.example\n", ["register", "auth"]),
    ("pjsip.conf", "[100]\ntype=auth\nauth_type=md5\nmd5_cred=Md5CredSecret42\n", ["md5_cred"]),
    ("iax.conf", "[200]\ntype=friend\ndbsecret=iax/DbSecret42\n", ["dbsecret"]),
    ("res_pgsql.conf", "[general]\ndbpass=PgSecret42\n", ["dbpass"]),
    ("voicemail.conf", "[general]\nauthpassword=ImapMaster42\n[default]\n"
                       "101 => 515151,Bob,,,imappassword=ImapSecret42\n", ["authpassword", "101"]),
])
def test_credentials_of_every_file_kind_read_masked(astconf_tree, run, name, text, get):
    root = astconf_tree({name: text})
    result = run({"path": str(root / name), "get": get, "get_all": get})
    assert not result.get("failed"), result
    shown = repr(result)
    for secret in ("Secret42", "ImapMaster42", "515151"):
        assert secret not in shown
    assert any(value is not None for category in result["categories"]
               for value in category["effective"].values())


def test_pjsip_auth_names_a_section_and_is_shown(astconf_tree, run):
    root = astconf_tree({"pjsip.conf": "[100]\ntype=endpoint\nauth=100-auth\n"})
    result = run({"path": str(root / "pjsip.conf"), "get": ["auth"]})
    assert result["categories"][0]["effective"] == {"auth": "100-auth"}


def test_a_too_long_secret_line_reaches_no_output(run_module, astconf_tree):
    # Asterisk's "Line too long" warning quotes the line's first 32 bytes: the engine's quoted
    # the start of the secret, and the module printed it in its diagnostics and at -vvv.
    secret = "Pw" + "Qx7Lm2" * 1500
    root = astconf_tree({"sip.conf": "[general]\n[100]\ntype=friend\nsecret=%s\n" % secret})
    args = dict(path=str(root / "sip.conf"), get=["type"])
    result = run_module(MODULE, args)
    assert result["diagnostics"] == ["%s:4: Line too long (over 8190 bytes), skipping. It begins "
                                     "with: secret..." % (root / "sip.conf")]
    text = run_module(MODULE, args, verbosity=3, output="text")
    assert "Qx7Lm2" not in text and "PwQx" not in text
