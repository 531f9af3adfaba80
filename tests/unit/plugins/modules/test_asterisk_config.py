# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real module, run through ``ansible`` ad-hoc against localhost, on temporary trees."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true

MODULE = "pbxsec.hardening.asterisk_config"


@pytest.fixture
def run(run_module):
    """``run(args, check=False, module=MODULE)``: the module's result dict, run with --diff."""

    def run_with_diff(args, check=False, module=MODULE):
        return run_module(module, args, check=check, diff=True)

    return run_with_diff


def guests_allowed(root):
    """chan_sip's answer: allowguest is yes when absent."""
    value = load_config(str(root / "sip.conf")).first("general").get("allowguest")
    return value is None or ast_true(value)


TRAP = ("[general]\r\ncontext=public\r\n;-- guests were 'disabled' here:\r\nallowguest=no\r\n--;\r\n"
        "\tallowguest = yes    ; the real one\r\nudpbindaddr=0.0.0.0\r\n\r\n[6001]\r\ntype=friend\r\n")


def test_check_mode_writes_nothing_then_real_run_writes_exactly_the_prediction(astconf_tree, run, snapshot):
    root = astconf_tree({"sip.conf": TRAP})
    os.chmod(str(root / "sip.conf"), 0o640)
    os.chown(str(root / "sip.conf"), 4321, 4322)
    before = snapshot(root)
    stat_before = os.stat(str(root / "sip.conf"))
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no"}

    predicted = run(args, check=True)
    assert predicted["changed"] is True and not predicted.get("failed")
    assert snapshot(root) == before
    assert os.stat(str(root / "sip.conf")).st_mtime_ns == stat_before.st_mtime_ns
    assert (predicted["effective_before"], predicted["effective_after"]) == ("yes", "no")
    assert predicted["diff"][0]["before"] == TRAP
    expected = TRAP.replace("allowguest = yes    ;", "allowguest = no    ;")
    assert predicted["diff"][0]["after"] == expected

    done = run(args)
    assert done["changed"] is True and done["files"] == [str(root / "sip.conf")]
    assert (root / "sip.conf").read_bytes() == expected.encode("utf-8")
    info = os.stat(str(root / "sip.conf"))
    assert (info.st_mode & 0o7777, info.st_uid, info.st_gid) == (0o640, 4321, 4322)
    assert not guests_allowed(root)

    again = run(args)
    assert again["changed"] is False and again["diff"] == [] and again["msg"] == "unchanged"


def test_backup(astconf_tree, run):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=yes\n"})
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no", "backup": True})
    assert len(result["backup_files"]) == 1
    with open(result["backup_files"][0], "rb") as handle:
        assert handle.read() == b"[general]\nallowguest=yes\n"


def test_broken_tree_fails_with_file_and_line_and_writes_nothing(astconf_tree, run, snapshot):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=yes\n#include missing.conf\n"})
    before = snapshot(root)
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no"})
    assert result["failed"] is True
    assert result["msg"].startswith("%s:3: The file 'missing.conf' was listed as a #include"
                                    % (root / "sip.conf"))
    assert snapshot(root) == before


def test_freepbx_override_file_created_when_the_tree_reads_it(astconf_tree, run, snapshot):
    root = astconf_tree({
        "sip.conf": "[general]\n#include sip_general_additional.conf\n"
                    "#tryinclude sip_general_custom.conf\n",
        "sip_general_additional.conf": "allowguest=yes\n",
    })
    os.chmod(str(root / "sip.conf"), 0o640)
    before = snapshot(root)
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no", "writable": ["sip.conf", "sip_general_custom.conf"],
                  "override_file": "sip_general_custom.conf"})
    assert result["changed"] is True
    assert result["files"] == [str(root / "sip_general_custom.conf")]
    assert (root / "sip_general_custom.conf").read_bytes() == b"allowguest=no\n"
    assert os.stat(str(root / "sip_general_custom.conf")).st_mode & 0o7777 == 0o640
    after = snapshot(root)
    del after["sip_general_custom.conf"]
    assert after == before
    assert not guests_allowed(root)


def test_remove_pjsip_anonymous_section(astconf_tree, run):
    text = ("[transport-udp]\ntype=transport\n\n[anonymous]\ntype=endpoint\ncontext=public\n\n"
            "[6001]\ntype=endpoint\n")
    root = astconf_tree({"pjsip.conf": text})
    result = run({"path": str(root / "pjsip.conf"), "section": "anonymous", "state": "absent"})
    assert result["changed"] is True
    assert (root / "pjsip.conf").read_text() == ("[transport-udp]\ntype=transport\n\n\n"
                                                 "[6001]\ntype=endpoint\n")
    assert (result["effective_before"], result["effective_after"]) == (1, 0)


def test_multiple_noload(astconf_tree, run):
    root = astconf_tree({"modules.conf": "[modules]\nautoload=yes\nnoload => chan_sip.so\n"})
    args = {"path": str(root / "modules.conf"), "section": "modules", "option": "noload",
            "value": "res_pjsip_endpoint_identifier_anonymous.so", "multiple": True}
    result = run(args)
    assert result["changed"] is True
    assert result["effective_after"] == ["chan_sip.so", "res_pjsip_endpoint_identifier_anonymous.so"]
    assert run(args)["changed"] is False
    args.update(value="chan_sip.so", state="absent")
    result = run(args)
    assert (root / "modules.conf").read_text() == (
        "[modules]\nautoload=yes\nnoload => res_pjsip_endpoint_identifier_anonymous.so\n")


def test_secret_is_hidden(astconf_tree, run):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n[admin]\nsecret=oldoldold123\n"})
    result = run({"path": str(root / "manager.conf"), "section": "admin", "option": "secret",
                  "value": "N3wS3cretValue!", "secret": True})
    dumped = json.dumps(result)
    assert "N3wS3cretValue!" not in dumped and "oldoldold123" not in dumped
    assert result["diff"][0]["after"] == "[general]\nenabled=yes\n[admin]\nsecret = ********\n"
    assert result["effective_before"] == "********"
    assert b"secret=N3wS3cretValue!" in (root / "manager.conf").read_bytes()


def test_exec_reported_not_run(astconf_tree, tmp_path, run):
    marker = tmp_path / "exec-ran"
    root = astconf_tree({"sip.conf": "[general]\n#exec /bin/touch %s\nallowguest=no\n" % marker})
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no"})
    assert result["changed"] is False
    assert result["exec_directives"] == ["%s:2" % (root / "sip.conf")]
    assert any("#exec" in w for w in result.get("warnings", []))
    assert not marker.exists()


def test_refuses_when_a_later_read_only_file_wins(astconf_tree, run, snapshot):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=no\n#include sip_additional.conf\n",
        "sip_additional.conf": "[general](+)\nallowguest=yes\n",
    })
    before = snapshot(root)
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no", "writable": ["sip.conf"]})
    assert result["failed"] is True and "sip_additional.conf:2" in result["msg"]
    assert snapshot(root) == before


# --- what ini_file gets wrong ------------------------------------------------------------------

INI_FILE = "community.general.ini_file"


def test_ini_file_versus_block_comment(astconf_tree, run):
    text = "[general]\ncontext=public\n;--\nallowguest=no\n--;\nallowguest=yes\n"
    root = astconf_tree({"sip.conf": text})
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no"}
    result = run(args, module=INI_FILE)
    assert result["changed"] is True and not result.get("failed")
    # ini_file rewrote the line inside the block comment and dropped the real one: chan_sip now
    # sees no allowguest at all, so guests are allowed (the default).
    assert guests_allowed(root)
    result = run(args)
    assert result["changed"] is True and result["effective_after"] == "no"
    assert not guests_allowed(root)


def test_ini_file_versus_plus_section_in_included_file(astconf_tree, run):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=yes\n#include sip_custom.conf\n",
        "sip_custom.conf": "[general](+)\nallowguest=yes\n",
    })
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no"}
    result = run(args, module=INI_FILE)
    assert result["changed"] is True and not result.get("failed")
    assert b"allowguest = no" in (root / "sip.conf").read_bytes()
    assert guests_allowed(root)             # the (+) in the included file still wins
    result = run(args)
    assert result["changed"] is True and result["files"] == [str(root / "sip_custom.conf")]
    assert not guests_allowed(root)


def test_strict_refuses_a_missing_include_inside_an_included_file(astconf_tree, run, snapshot):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=yes\n#include sip_site.conf\n",
        "sip_site.conf": "alwaysauthreject=yes\n#include gone.conf\nudpbindaddr=0.0.0.0\n",
    })
    before = snapshot(root)
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no"}

    result = run(args)

    assert result["failed"] is True
    assert result["error_path"].endswith("sip_site.conf") and result["error_line"] == 2
    assert "sip_site.conf:2:" in result["msg"]
    assert snapshot(root) == before


def test_strict_false_edits_the_tree_as_asterisk_reads_it(astconf_tree, run):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=yes\n#include sip_site.conf\n",
        "sip_site.conf": "alwaysauthreject=yes\n#include gone.conf\nallowguest=yes\n",
    })
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no", "strict": False}

    result = run(args)

    assert result["changed"] is True and not result.get("failed")
    assert any("gone.conf" in warning for warning in result["warnings"])
    # Asterisk drops the rest of sip_site.conf after the bad include, so the line that counts
    # is the one in sip.conf; the dropped line stays as it was.
    assert (root / "sip.conf").read_text() == "[general]\nallowguest=no\n#include sip_site.conf\n"
    assert not guests_allowed(root)


def _guest_calls_off_checked_then_real(run, root):
    """``[(result, its JSON text)]`` of setting allowguest=no in ``root``'s sip.conf, in check
    mode and then for real; both must report a change."""
    args = {"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
            "value": "no"}
    results = [run(args, check=True), run(args, check=False)]
    assert [result["changed"] for result in results] == [True, True]
    return [(result, json.dumps(result)) for result in results]


def test_credentials_elsewhere_in_the_file_never_reach_the_diff(astconf_tree, run):
    root = astconf_tree({"sip.conf": (
        "[general]\nallowguest=yes\nregister => 6491234567:kiwi123@127.0.0.1:5999\n\n"
        "[100]\ntype=friend\nsecret=ext100pass ; desk\nmd5secret = 0123abcd\n")})
    for result, shown in _guest_calls_off_checked_then_real(run, root):
        for credential in ("kiwi123", "ext100pass", "0123abcd"):
            assert credential not in shown
        assert "secret = ********" in result["diff"][0]["after"]
    assert "secret=ext100pass" in (root / "sip.conf").read_text()


# --- issue 16: secrets never reach output ---------------------------------------------------------

ODD_BREAKS = ("\x0c", "\r", "\u2028", "\x85", "\r\n")


def test_odd_line_breaks_never_shift_the_mask(astconf_tree, run):
    """Asterisk ends a line at \\n only: a form feed, a lone \\r, U+2028 or U+0085 above a peer
    is a byte inside a line, and the mask must stay on the line that carries the secret."""
    peers = "".join("; note%sabove\n[%d]\ntype=friend\nsecret = Phone%dSecret\n" % (brk, 100 + n, 100 + n)
                    for n, brk in enumerate(ODD_BREAKS))
    root = astconf_tree({"sip.conf": "[general]\nallowguest=yes\n" + peers})
    for result, shown in _guest_calls_off_checked_then_real(run, root):
        for number in range(len(ODD_BREAKS)):
            assert "Phone%dSecret" % (100 + number) not in shown
        lines = result["diff"][0]["after"].split("\n")
        assert lines.count("type=friend") == len(ODD_BREAKS)
        assert lines.count("secret = ********") == len(ODD_BREAKS)


def test_a_tree_that_is_not_utf8_is_edited_without_quoting_a_secret(astconf_tree, run):
    # Asterisk loads latin-1 bytes: the module used to fail "not valid UTF-8" (issue 15 item 2).
    data = b"[general]\nallowguest=yes ; d\xe9faut\n[100]\nsecret=L\xe4tin1Secret\n"
    root = astconf_tree({"sip.conf": data})
    result = run({"path": str(root / "sip.conf"), "section": "general", "option": "allowguest",
                  "value": "no"}, check=True)
    assert result["changed"] is True and (root / "sip.conf").read_bytes() == data
    assert result["diff"][0]["after"] == \
        "[general]\nallowguest=no ; d\\xe9faut\n[100]\nsecret = ********\n"
    assert "tin1Secret" not in json.dumps(result)


CREDENTIAL_TREES = [
    ("sip.conf", "[general]\nallowguest=yes\nmwi => 100:MwiSecret42@192.0.2.1/100\n"
                 "[trunk]\ntype=peer\nauth = kiwi:AuthSecret42@kiwi.example\n", ["MwiSecret42", "AuthSecret42"]),
    ("res_config_mysql.conf", "[general]\ndbhost=127.0.0.1\ndbpass = RealtimeSecret42\n"
                              ";dbpass = OldRealtimeSecret42\n", ["RealtimeSecret42"]),
    ("res_odbc.conf", "[general]\ndsn=asterisk\npassword => OdbcSecret42\n", ["OdbcSecret42"]),
    ("iax.conf", "[general]\nallowguest=yes\n[200]\ntype=friend\ndbsecret=iax/200/Sec42ret\n",
     ["Sec42ret"]),
]


@pytest.mark.parametrize("name, text, secrets", CREDENTIAL_TREES, ids=[t[0] for t in CREDENTIAL_TREES])
def test_credentials_of_every_file_kind_are_masked_in_the_diff(astconf_tree, run, name, text, secrets):
    root = astconf_tree({name: text})
    result = run({"path": str(root / name), "section": "general", "option": "allowguest",
                  "value": "no"}, check=True)
    assert result["changed"] is True
    shown = json.dumps(result)
    for secret in secrets:
        assert secret not in shown


def test_failure_message_never_quotes_the_old_secret(astconf_tree, run, snapshot):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n[admin]\nsecret=Short1\n"
                                         "#include manager_site.conf\n",
                         "manager_site.conf": "[admin](+)\nsecret=SiteAdminSecret2\n"})
    before = snapshot(root)
    for secret in (True, False):        # secret of manager.conf: a credential either way
        result = run({"path": str(root / "manager.conf"), "section": "admin", "option": "secret",
                      "value": "N3wAdminSecret!", "secret": secret, "writable": ["manager.conf"]})
        assert result["failed"] is True
        assert "manager_site.conf:2" in result["msg"]
        shown = json.dumps(result)
        for value in ("SiteAdminSecret2", "Short1", "N3wAdminSecret!"):
            assert value not in shown
    assert snapshot(root) == before


def test_a_credential_option_is_secret_without_being_told(astconf_tree, run):
    root = astconf_tree({"pjsip.conf": "[100]\ntype=auth\nusername=100\npassword=OldPjsipPass9\n"})
    result = run({"path": str(root / "pjsip.conf"), "section": "100", "section_type": "auth",
                  "option": "password", "value": "NewPjsipPass9x"}, check=True)
    shown = json.dumps(result)
    assert result["changed"] is True
    assert "OldPjsipPass9" not in shown and "NewPjsipPass9x" not in shown
    assert result["effective_before"] == result["effective_after"] == "********"


def test_voicemail_pins_are_masked_in_the_diff(astconf_tree, run):
    root = astconf_tree({"voicemail.conf": "[general]\noperator=yes\n[default]\n"
                                           "101 => 515151,Bob,,,imapuser=bob|imappassword=ImapSecret1\n"
                                           ";102 = 626262,Old\n"})
    result = run({"path": str(root / "voicemail.conf"), "section": "general", "option": "operator",
                  "value": "no"}, check=True)
    shown = json.dumps(result)
    for secret in ("515151", "ImapSecret1", "626262"):
        assert secret not in shown
    assert "101 => ****,Bob,,,imapuser=bob|imappassword=****" in result["diff"][0]["after"]
