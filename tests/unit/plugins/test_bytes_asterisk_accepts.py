# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bytes Asterisk accepts (issue 15 item 2): a tree with latin-1 comments, caller ID names,
mailbox names, a category name and an include file name (Asterisk 16.28 loads it: ``sip show
peer jos\\xe9-phone`` shows the caller ID byte for byte) is judged, read and edited like any
other.  The audit reports no ``error``, an edit changes the bytes of one option and no other,
diffs and results show the other bytes as ``\\xNN`` and stay valid UTF-8 JSON (ansible-core
fails a task whose result holds a lone surrogate: "Refusing to deserialize an invalid UTF8
string value").

The modules run as Ansible runs them (ad-hoc against localhost, results read back as JSON), so
a result that is not valid UTF-8 fails these tests the way it would fail a playbook.
"""

from __future__ import annotations

import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import (
    printable,
    shown,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

INCLUDED = os.fsdecode(b"sip_\xe9quipe.conf")          # a file name that is not UTF-8
SIP = (b"; R\xe9seau SIP du si\xe8ge\n"
       b"[general]\n"
       b"allowguest=yes\n"
       b"context=public ; entr\xe9e publique\n"
       b"#include \"sip_\xe9quipe.conf\"\n")
PHONE = (b"; P\xe9riph\xe9riques de l'\xe9quipe\n"
         b"[jos\xe9-phone]\n"
         b"type=friend\n"
         b"host=dynamic\n"
         b"secret=Kx7Weak\n"
         b"context=from-internal\n"
         b"callerid=\"Jos\xe9 M\xfcller\" <100>\n")
VOICEMAIL = (b"; Bo\xeetes vocales\n"
             b"[general]\n"
             b"maxlogins=3\n"
             b"[default]\n"
             b"100 => 482731,Jos\xe9 M\xfcller,jose@example.com\n"
             b"101 => 1234,Fran\xe7oise\n")
SECRETS = ("Kx7Weak", "482731", "1234")


def write_tree(root, files):
    """Write ``{name: bytes}`` under ``root`` (names may hold surrogates: bytes of the name)."""
    for name, data in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    return root


def read(root, name):
    with open(os.path.join(str(root), name), "rb") as handle:
        return handle.read()


def latin_tree(root):
    modules = os.path.join(str(root), "modules")
    os.makedirs(modules)
    for name in ("chan_sip", "app_voicemail"):
        write_tree(modules, {name + ".so": b""})
    return write_tree(os.path.join(str(root), "etc"), {
        "asterisk.conf": b"[directories]\nastmoddir => %s\n[options]\nrunuser=asterisk\n"
                         % os.fsencode(modules),
        "modules.conf": b"[modules]\nautoload=yes ; charg\xe9s au d\xe9marrage\n",
        "sip.conf": SIP, INCLUDED: PHONE, "voicemail.conf": VOICEMAIL,
        "manager.conf": b"[general]\nenabled=no ; d\xe9sactiv\xe9\n",
        "logger.conf": b"[logfiles]\nmessages => notice,warning,error,security ; s\xfbret\xe9\n",
    })


def assert_no_secret(result):
    text = json.dumps(result)
    for secret in SECRETS:
        assert secret not in text, secret


# --- the audit ----------------------------------------------------------------------------------

def test_the_audit_judges_a_latin1_tree_without_error(run_module, tmp_path):
    etc = latin_tree(tmp_path)
    result = run_module("pbxsec.hardening.pbx_compliance", dict(
        config_dir=etc, live=False, keys_dir="/nonexistent", fail2ban_dir="/nonexistent"))
    statuses = dict((entry["id"], entry["status"]) for entry in result["controls"])
    errors = [(entry["id"], entry["findings"]) for entry in result["controls"]
              if entry["status"] == "error"]
    assert not errors
    assert statuses["PBX-SIP-001"] == "fail"              # allowguest=yes in the latin-1 file
    named = [(finding["file"], finding["object"]) for entry in result["controls"]
             for finding in entry["findings"] if finding["object"] == "jos\\xe9-phone"]
    assert named and named[0][0] == os.path.join(etc, "sip_\\xe9quipe.conf")
    assert_no_secret(result)


# --- the modules that read ----------------------------------------------------------------------

def test_asterisk_config_info_shows_latin1_names_and_values_escaped(run_module, tmp_path):
    etc = latin_tree(tmp_path)
    result = run_module("pbxsec.hardening.asterisk_config_info", dict(
        path=os.path.join(etc, "sip.conf"), get=["callerid", "secret", "context"]))
    phone = [category for category in result["categories"] if category["name"] == "jos\\xe9-phone"]
    assert len(phone) == 1
    assert phone[0]["effective"] == {"callerid": '"Jos\\xe9 M\\xfcller" <100>',
                                     "secret": "********", "context": "from-internal"}
    assert phone[0]["path"] == os.path.join(etc, "sip_\\xe9quipe.conf")
    assert os.path.join(etc, "sip_\\xe9quipe.conf") in result["files"]
    assert_no_secret(result)


def test_asterisk_secrets_judges_latin1_objects(run_module, tmp_path):
    etc = latin_tree(tmp_path)
    result = run_module("pbxsec.hardening.asterisk_secrets", dict(config_dir=etc))
    assert not result.get("failed") and result["errors"] == {}
    assert any(finding["object"] == "jos\\xe9-phone" for finding in result["findings"])
    assert_no_secret(result)


# --- the modules that write: one option, every other byte kept ----------------------------------

def test_asterisk_config_edits_one_option_of_a_latin1_tree(run_module, tmp_path):
    etc = latin_tree(tmp_path)
    args = dict(path=os.path.join(etc, "sip.conf"), section="general", option="allowguest",
                value="no")
    checked = run_module("pbxsec.hardening.asterisk_config", args, check=True, diff=True)
    assert checked["changed"] is True and read(etc, "sip.conf") == SIP
    assert "; R\\xe9seau SIP du si\\xe8ge\n" in checked["diff"][0]["before"]
    assert "allowguest=no\ncontext=public ; entr\\xe9e publique\n" in checked["diff"][0]["after"]
    written = run_module("pbxsec.hardening.asterisk_config", args, diff=True)
    assert written["changed"] is True and written["diff"] == checked["diff"]
    assert read(etc, "sip.conf") == SIP.replace(b"allowguest=yes", b"allowguest=no")
    assert read(etc, INCLUDED) == PHONE
    assert_no_secret(written)


def test_asterisk_voicemail_edits_general_of_a_latin1_tree(run_module, tmp_path):
    etc = latin_tree(tmp_path)
    result = run_module("pbxsec.hardening.asterisk_voicemail", dict(
        path=os.path.join(etc, "voicemail.conf"), general=dict(maxlogins="1")), diff=True)
    assert result["changed"] is True
    assert read(etc, "voicemail.conf") == VOICEMAIL.replace(b"maxlogins=3", b"maxlogins=1")
    assert "Fran\\xe7oise" in result["diff"][0]["after"]
    assert [box["mailbox"] for box in result["weak_pins"]] == ["101"]
    assert_no_secret(result)


def test_a_category_named_in_latin1_is_found_by_its_shown_name_and_edited(tmp_path):
    etc = latin_tree(tmp_path)
    cfg = load_config(os.path.join(etc, "sip.conf"))
    phone = cfg.categories[1]
    assert phone.name == "jos\\xe9-phone" and phone.name_b == b"jos\xe9-phone"
    plan = plan_option(cfg, phone.name, "context", "phones")
    assert [change.after for change in plan.changes] == [
        PHONE.replace(b"context=from-internal", b"context=phones")]
    assert plan.actions == ["the assignment at %s:6: context = phones"
                            % os.path.join(etc, "sip_\\xe9quipe.conf")]


# --- what is shown ------------------------------------------------------------------------------

def test_printable_results_hold_no_lone_surrogate():
    result = printable({os.fsdecode(b"f\xe9"): [os.fsdecode(b"x\xff"), ("caf\u00e9", 1, None)]})
    assert result == {"f\\xe9": ["x\\xff", ["caf\u00e9", 1, None]]}
    json.dumps(result, ensure_ascii=False).encode("utf-8")
    assert shown("\ud800") == "\\ud800"                      # no byte of a file gives this one


# --- property: foreign bytes in comments and values change nothing but the edited option --------

# Any bytes but those that make a line something else (a header, a directive, a block comment).
FOREIGN = st.binary(min_size=1, max_size=12).map(
    lambda data: bytes(byte for byte in data if byte not in b"\n\0;\\[]=#-") or b"\xe9")
HIGH = st.binary(min_size=1, max_size=12).map(lambda data: bytes(byte | 0x80 for byte in data))
LINES = st.lists(st.one_of(
    FOREIGN.map(lambda data: b";" + data),                           # a comment line
    FOREIGN.map(lambda data: b"note=" + data),                       # a value
    FOREIGN.map(lambda data: b"name=x ; " + data),                   # a trailing comment
), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, LINES, HIGH)
def test_foreign_bytes_never_change_but_the_edited_option(before, after, value):
    head = b"[general]\n" + b"".join(line + b"\n" for line in before)
    tail = b"".join(line + b"\n" for line in after)
    data = head + b"allowguest=" + value + b"\n" + tail
    with tempfile.TemporaryDirectory() as directory:
        write_tree(directory, {"sip.conf": data})
        cfg = load_config(os.path.join(directory, "sip.conf"))
        assert cfg.get("general", "allowguest").raw == value
        plan = plan_option(cfg, "general", "allowguest", "no")
    assert [change.after for change in plan.changes] == [head + b"allowguest=no\n" + tail]
    assert plan.new_config.get("general", "allowguest") == "no"
