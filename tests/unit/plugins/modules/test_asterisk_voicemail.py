# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real asterisk_voicemail module, run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

import functools
import os
import re

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import mailboxes

MODULE = "pbxsec.hardening.asterisk_voicemail"

# The typical-site overlay of the test bed images, included at the end of a stock-like file.
SITE = ("; ACME Ltd voicemail. Included at the end of Debian's stock voicemail.conf.\n\n"
        "[general](+)\n"
        "dialout=from-internal       ; callers can dial out from the voicemail menu\n"
        "callback=from-internal\n"
        "operator=yes\n\n"
        "[default](+)\n"
        "100 => 1000,Reception,,,dialout=from-internal|callback=from-internal\n"
        "101 => 101,Sales\n")
STOCK = ("[general]\nformat=wav49|gsm|wav\nmaxlogins=3\nsendvoicemail=yes\n\n[zonemessages]\n"
         "eastern=America/New_York|'vm-received' Q 'digits/at' IMp\n\n[default]\n"
         "1234 => 4242,Example Mailbox,root@localhost\n"
         "2001 => 97531864,Strong Pin,,,operator=yes|dialout=from-internal\n"
         ";4300 => 35328642,Commented Out,x@example.com\n\n"
         "[other]\n3001 => 86420,Short,,,callback=other\n\n#include voicemail_site.conf\n")
# Every PIN of the tree above; none may ever show up in any output.
PINS = ["4242", "97531864", "35328642", "86420", "1000"]
HARDEN = {"general": {"dialout": None, "callback": None, "operator": "no"},
          "general_min": {"minpassword": 6}, "general_max": {"maxlogins": 3},
          "mailbox_options_absent": ["dialout", "callback"], "mailbox_options": {"operator": "no"}}


@pytest.fixture
def run(run_module):
    """``run(args, check=False)``: the module's result dict, run with --diff."""
    return functools.partial(run_module, MODULE, diff=True)


@pytest.fixture
def run_verbose(run_module):
    """``run_verbose(args, check=False)``: everything the module printed with -vvv and --diff."""
    return functools.partial(run_module, MODULE, diff=True, verbosity=3, output="text")


def tree(astconf_tree):
    root = astconf_tree({"voicemail.conf": STOCK, "voicemail_site.conf": SITE})
    for name in ("voicemail.conf", "voicemail_site.conf"):
        os.chmod(str(root / name), 0o640)
        os.chown(str(root / name), 4321, 4322)
    return root


def snapshot(root):
    files = {}
    for name in sorted(os.listdir(str(root))):
        path = os.path.join(str(root), name)
        with open(path, "rb") as handle:
            files[name] = (handle.read(), os.stat(path).st_mtime_ns)
    return files


def hits(text, pin):
    return re.findall(r"(?<![0-9])%s(?![0-9])" % pin, text)


def test_check_mode_predicts_then_real_run_writes_it_then_nothing_left(astconf_tree, run):
    root = tree(astconf_tree)
    args = dict(HARDEN, path=str(root / "voicemail.conf"))
    before = snapshot(root)

    predicted = run(args, check=True)
    assert predicted["changed"] is True and not predicted.get("failed"), predicted
    assert snapshot(root) == before
    assert sorted(os.path.basename(f) for f in predicted["files"]) == [
        "voicemail.conf", "voicemail_site.conf"]

    done = run(args)
    assert done["changed"] is True and done["files"] == predicted["files"]
    assert done["diff"] == predicted["diff"]
    assert done["mailbox_changes"] == predicted["mailbox_changes"]
    site = (root / "voicemail_site.conf").read_text()
    assert "100 => 1000,Reception,,,\n" in site
    assert "dialout" not in site and "callback" not in site
    assert "[general](+)\noperator=no\n" in site
    stock = (root / "voicemail.conf").read_text()
    assert "2001 => 97531864,Strong Pin,,,operator=no\n" in stock
    assert "3001 => 86420,Short,,,\n" in stock
    assert "sendvoicemail=yes\nminpassword=6\n" in stock
    for name in ("voicemail.conf", "voicemail_site.conf"):
        info = os.stat(str(root / name))
        assert (info.st_mode & 0o7777, info.st_uid, info.st_gid) == (0o640, 4321, 4322)
    cfg = load_config(str(root / "voicemail.conf"))
    general = cfg.first("general")
    assert general.get_all("dialout") == [] and general.get_all("callback") == []
    assert general.get_first("operator") == "no" and general.get_first("minpassword") == "6"
    assert all(b"dialout" not in box.value and b"callback" not in box.value
               for box in mailboxes(cfg))

    again = run(args)
    assert again["changed"] is False and again["diff"] == [] and again["msg"] == "unchanged"
    assert run(args, check=True)["changed"] is False


def test_weak_pins_are_reported_without_the_pins(astconf_tree, run):
    root = tree(astconf_tree)
    result = run({"path": str(root / "voicemail.conf")})
    assert result["changed"] is False and result["mailboxes"] == 5
    assert [(w["mailbox"], w["context"], os.path.basename(w["file"]), w["line"])
            for w in result["weak_pins"]] == [
        ("1234", "default", "voicemail.conf", 10), ("100", "default", "voicemail_site.conf", 9),
        ("101", "default", "voicemail_site.conf", 10), ("3001", "other", "voicemail.conf", 15)]
    assert all(set(w) == {"mailbox", "context", "object", "file", "line"}
               for w in result["weak_pins"])
    assert result["weak_pins"][3]["object"] == "3001@other"
    relaxed = run({"path": str(root / "voicemail.conf"), "pin_policy": {"min_length": 4,
                                                                        "forbid_repeated": False}})
    assert [w["mailbox"] for w in relaxed["weak_pins"]] == ["101"]


def test_pins_never_appear_in_verbose_output_or_diffs(astconf_tree, run, run_verbose):
    root = tree(astconf_tree)
    args = dict(HARDEN, path=str(root / "voicemail.conf"))
    outputs = [run_verbose(args, check=True), run_verbose(args), run_verbose(args)]
    predicted = run(dict(args, path=str(root / "voicemail.conf")), check=True)
    assert predicted["changed"] is False
    text = "\n".join(outputs)
    assert "****" in outputs[0] and "minpassword=6" in outputs[0]
    for pin in PINS:
        assert hits(text, pin) == [], pin
    # ...although they are in the files (the module does not change PINs).
    files = (root / "voicemail.conf").read_text() + (root / "voicemail_site.conf").read_text()
    for pin in PINS:
        assert hits(files, pin), pin


def test_failure_names_file_and_line_and_writes_nothing(astconf_tree, run):
    root = astconf_tree({"voicemail.conf": "[base](!)\ndialout=x\n[general](base)\n"
                                           "[default]\n1 => 739154,A,,,dialout=y\n"})
    before = snapshot(root)
    result = run(dict(HARDEN, path=str(root / "voicemail.conf")))
    assert result["failed"] is True
    assert result["msg"].startswith("%s:2: dialout in [general] is inherited"
                                    % (root / "voicemail.conf"))
    assert snapshot(root) == before


def test_boolean_values_must_be_quoted(astconf_tree, run):
    root = astconf_tree({"voicemail.conf": "[general]\n"})
    result = run({"path": str(root / "voicemail.conf"), "general": {"operator": False}})
    assert result["failed"] is True and "quote" in result["msg"]


def test_backup(astconf_tree, run):
    root = astconf_tree({"voicemail.conf": "[general]\noperator=yes\n"})
    result = run({"path": str(root / "voicemail.conf"), "general": {"operator": "no"},
                  "backup": True})
    assert len(result["backup_files"]) == 1
    with open(result["backup_files"][0], "rb") as handle:
        assert handle.read() == b"[general]\noperator=yes\n"


NEW_PINS = {"1234@default": "80613927", "3001@OTHER": "52719836", "100": "61835294"}


def test_pins_replace_only_the_pin_field_check_mode_predicts_and_nothing_is_shown(
        astconf_tree, run, run_verbose):
    root = tree(astconf_tree)
    args = {"path": str(root / "voicemail.conf"), "pins": NEW_PINS}
    before = snapshot(root)
    outputs = [run_verbose(args, check=True)]
    assert snapshot(root) == before
    result = run(args)
    assert result["changed"] is True
    assert sorted((c["mailbox"], c["options"]) for c in result["mailbox_changes"]) == [
        ("100", ["pin"]), ("1234", ["pin"]), ("3001", ["pin"])]
    assert [w["object"] for w in result["weak_pins"]] == ["101@default"]
    stock = (root / "voicemail.conf").read_text()
    assert "1234 => 80613927,Example Mailbox,root@localhost\n" in stock
    assert "3001 => 52719836,Short,,,callback=other\n" in stock
    assert "100 => 61835294,Reception,,,dialout=from-internal|callback=from-internal\n" in \
        (root / "voicemail_site.conf").read_text()
    assert stock.replace("80613927", "4242").replace("52719836", "86420") == STOCK
    outputs.append(run_verbose(args))
    text = "\n".join(outputs)
    for pin in PINS + list(NEW_PINS.values()):
        assert hits(text, pin) == [], pin
    assert run(args, check=True)["changed"] is False


@pytest.mark.parametrize("pins, message", [
    ({"1234@default": "12345678"}, "the new PIN of 1234@default is weak (sequential)"),
    ({"1234@default": "80 61"}, "the new PIN of 1234@default is not all digits"),
    ({"999@default": "80613927"}, "no such mailbox: 999@default"),
])
def test_bad_new_pins_write_nothing(astconf_tree, run, pins, message):
    root = tree(astconf_tree)
    before = snapshot(root)
    result = run({"path": str(root / "voicemail.conf"), "pins": pins})
    assert result["failed"] is True and message in result["msg"]
    assert snapshot(root) == before


def test_pin_of_a_template_mailbox_is_refused(astconf_tree, run):
    root = astconf_tree({"voicemail.conf": "[boxes](!)\n1 => 4242,A\n[default](boxes)\n"})
    result = run({"path": str(root / "voicemail.conf"), "pins": {"1@default": "80613927"}})
    assert result["failed"] is True
    assert result["msg"] == "%s:2: mailbox 1@default comes from a template that other " \
        "contexts may inherit: change its PIN by hand" % (root / "voicemail.conf")
