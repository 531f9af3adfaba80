# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real secrets_rotate module, run through ``ansible`` ad-hoc against localhost: every new
value written, each file once, all or nothing, and no value in any output."""

from __future__ import annotations

import functools
import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import mailboxes

MODULE = "pbxsec.hardening.secrets_rotate"

FILES = {
    "sip.conf": "[general]\ncontext=public\n\n[phone](!)\ntype=friend\nhost=dynamic\n\n"
                "[100](phone)\nsecret=100 ; the extension\n\n#include sip_site.conf\n",
    "sip_site.conf": "; ACME phones\n[101](phone)\nsecret=letmein1\n",
    "pjsip.conf": "[200]\ntype=endpoint\nauth=200\n\n[200]\ntype=auth\nauth_type=userpass\n"
                  "username=200\npassword=200\n\n[200]\ntype=aor\nmax_contacts=1\n",
    "iax.conf": "[general]\n\n[300]\ntype=friend\nsecret=qwerty\n",
    "manager.conf": "[general]\nenabled=yes\n\n[admin]\nsecret=amp111\nread=all\n",
    "pjsip_wizard.conf": "[300]\ntype=wizard\naccepts_auth=yes\ninbound_auth/username=300\n"
                         "inbound_auth/password=300300\n",
    "voicemail.conf": "[general]\nformat=wav\n\n[default]\n1234 => 4242,Example\n"
                      "1235 => 1235,Other\n",
}
OLD = ["100", "letmein1", "200", "qwerty", "amp111", "300300", "4242", "1235"]
NEW = {"sip100": "Xq7pLm2Rt9Vw4Ks8Bn3Hd6Zc", "sip101": "Fj4Wn8Qe2Ry7Tu5Pa1Sd9Gk3",
       "pjsip200": "Lm5Nb2Vc8Xz4As7Df1Gh3Jk", "iax300": "Qw9Er4Ty2Ui7Op5As1Df8Gh",
       "ami": "Zx3Cv8Bn1Mq6Wa4Se9Rd2Tf", "wizard300": "Ty6Gh2Bn9Mk4Lp7Qw3Ez5Rx",
       "pin1234": "80613927", "pin1235": "52719836"}


def credentials():
    return [
        {"config": "sip.conf", "section": "100", "option": "secret", "value": NEW["sip100"]},
        {"config": "sip.conf", "section": "101", "option": "secret", "value": NEW["sip101"]},
        {"config": "pjsip.conf", "section": "200", "section_type": "auth", "option": "password",
         "value": NEW["pjsip200"]},
        {"config": "iax.conf", "section": "300", "option": "secret", "value": NEW["iax300"]},
        {"config": "manager.conf", "section": "admin", "option": "secret", "value": NEW["ami"]},
        {"config": "pjsip_wizard.conf", "section": "300", "section_type": "wizard",
         "option": "inbound_auth/password", "value": NEW["wizard300"]},
    ]


PINS = {"1234@default": NEW["pin1234"], "1235": NEW["pin1235"]}


@pytest.fixture
def run(run_module):
    return functools.partial(run_module, MODULE, diff=True)


@pytest.fixture
def run_verbose(run_module):
    return functools.partial(run_module, MODULE, diff=True, verbosity=3, output="text")


def effective(root, name, section, option, section_type=None):
    cfg = load_config(str(root / name))
    for category in cfg.categories:
        if category.name == section and not category.template and (
                section_type is None or category.get_first("type") == section_type):
            return category.get_first(option)
    return None


def test_every_value_written_each_file_once_check_mode_predicts_nothing_shown(
        astconf_tree, snapshot, run, run_verbose):
    root = astconf_tree(FILES)
    args = {"config_dir": str(root), "credentials": credentials(), "pins": PINS}
    before = snapshot(root)

    outputs = [run_verbose(args, check=True)]
    predicted = run(args, check=True)
    assert snapshot(root) == before
    assert predicted["changed"] is True and not predicted.get("failed"), predicted
    names = [os.path.basename(path) for path in predicted["files"]]
    assert sorted(names) == sorted(FILES) and len(names) == len(set(names))
    assert len(predicted["diff"]) == len(FILES)
    assert predicted["reload"] == ["chan_sip.so", "res_pjsip.so", "chan_iax2.so", "manager",
                                   "app_voicemail.so"]

    outputs.append(run_verbose(dict(args, backup=True)))
    after = snapshot(root)
    assert all(after[name] != before[name] for name in FILES)
    # Backups (from the verbose run) hold the old files; nothing else appeared.
    assert len(after) == 2 * len(FILES)

    assert effective(root, "sip.conf", "100", "secret") == NEW["sip100"]
    assert effective(root, "sip.conf", "101", "secret") == NEW["sip101"]
    assert effective(root, "pjsip.conf", "200", "password", "auth") == NEW["pjsip200"]
    assert effective(root, "iax.conf", "300", "secret") == NEW["iax300"]
    assert effective(root, "manager.conf", "admin", "secret") == NEW["ami"]
    assert effective(root, "pjsip_wizard.conf", "300", "inbound_auth/password", "wizard") == \
        NEW["wizard300"]
    # The template other phones inherit is left alone; the comment and the unrelated lines stay.
    sip = (root / "sip.conf").read_bytes()
    assert b"[phone](!)\ntype=friend\nhost=dynamic\n" in sip and b"; the extension" in sip
    assert (root / "sip_site.conf").read_bytes().startswith(b"; ACME phones\n")
    boxes = dict((box.name, box.pin) for box in mailboxes(load_config(str(root / "voicemail.conf"))))
    assert boxes == {"1234": NEW["pin1234"].encode(), "1235": NEW["pin1235"].encode()}

    again = run(args)
    assert again["changed"] is False and again["reload"] == [] and again["msg"] == "unchanged"
    text = "\n".join(outputs + [str(predicted), str(again)])
    for value in list(NEW.values()) + [v for v in OLD if len(v) > 4]:
        assert value not in text, value


ROTATES_NOT = "is not a credential this module rotates"


@pytest.mark.parametrize("change, message", [
    (dict(credentials=[{"config": "sip.conf", "section": "100", "option": "context",
                        "value": "internal"}]), "[100] context " + ROTATES_NOT),
    (dict(credentials=[{"config": "sip.conf", "section": "100", "option": "md5secret",
                        "value": "Ab1cdefghijkl"}]), "[100] md5secret " + ROTATES_NOT),
    (dict(credentials=[{"config": "pjsip.conf", "section": "200", "option": "password",
                        "value": "Ab1cdefghijkl"}]), "[200] password " + ROTATES_NOT),
    (dict(credentials=[{"config": "pjsip.conf", "section": "200", "section_type": "endpoint",
                        "option": "password", "value": "Ab1cdefghijkl"}]),
     "[200] password (type=endpoint) " + ROTATES_NOT),
    (dict(credentials=[{"config": "extensions.conf", "section": "x", "option": "secret",
                        "value": "Ab1cdefghijkl"}]), "[x] secret " + ROTATES_NOT),
    (dict(credentials=[{"config": "sip.conf", "section": "999", "option": "secret",
                        "value": "Ab1cdefghijkl"}]), "no section [999] to rotate"),
    (dict(credentials=[{"config": "sip.conf", "section": "phone", "option": "secret",
                        "value": "Ab1cdefghijkl"}]), "no section [phone] to rotate"),
    (dict(credentials=[{"config": "pjsip_wizard.conf", "section": "300",
                        "section_type": "wizard", "option": "outbound_auth/password",
                        "value": "Ab1cdefghijkl"}]),
     "[300] outbound_auth/password (type=wizard) " + ROTATES_NOT),
    (dict(credentials=[{"config": "pjsip.conf", "section": "201", "section_type": "auth",
                        "option": "password", "value": "Ab1cdefghijkl"}]),
     "no section [201] of type auth to rotate"),
    (dict(pins={"1234": "123456"}), "the new PIN of 1234 is weak (sequential)"),
    (dict(pins={"1234": "12a4567"}), "the new PIN of 1234 is not all digits"),
    (dict(pins={"1234": "\u00b2\u2079\u2074\u2077\u2075\u2078"}),
     "the new PIN of 1234 is not all digits"),
    (dict(pins={"9999": "80613927"}), "no such mailbox: 9999"),
])
def test_one_refused_value_writes_nothing(astconf_tree, snapshot, run, change, message):
    root = astconf_tree(dict(FILES, **{"extensions.conf": "[x]\n"}))
    before = snapshot(root)
    args = dict({"config_dir": str(root), "credentials": credentials(), "pins": PINS}, **change)
    if "credentials" in change:
        args["credentials"] = credentials() + change["credentials"]
    result = run(args)
    assert result["failed"] is True and message in result["msg"], result["msg"]
    assert snapshot(root) == before
    for value in NEW.values():
        assert value not in str(result)


def test_a_tree_asterisk_refuses_writes_nothing_and_names_file_and_line(astconf_tree, snapshot,
                                                                        run):
    root = astconf_tree(dict(FILES, **{"iax.conf": "[general]\n[300\nsecret=qwerty\n"}))
    before = snapshot(root)
    result = run({"config_dir": str(root), "credentials": credentials()})
    assert result["failed"] is True
    assert result.get("error_path", "").endswith("iax.conf") and result["error_line"] == 2
    assert snapshot(root) == before


# --- the prediction of pbx_harden (the action plugin) -----------------------------------------

def _prediction(root, **changes):
    """A prediction of the write of ``credentials()`` and ``PINS`` into ``root`` that the host
    could never give (so that a result saying it came from the prediction)."""
    return dict({"config_dir": str(root), "pins": list(PINS),
                 "credentials": [dict((key, item.get(key)) for key in
                                      ("config", "section", "section_type", "option"))
                                 for item in reversed(credentials())],
                 "result": {"changed": True, "files": ["predicted"], "diff": [], "reload": [],
                            "backup_files": [], "msg": "the prediction"}}, **changes)


def test_check_mode_answers_from_a_prediction_that_covers_the_write(astconf_tree, snapshot, run):
    root = astconf_tree(FILES)
    before = snapshot(root)
    args = {"config_dir": str(root), "credentials": credentials(), "pins": PINS,
            "preview": _prediction(root)}
    result = run(args, check=True)
    assert result["changed"] is True and result["msg"] == "the prediction"
    assert result["files"] == ["predicted"]
    assert snapshot(root) == before


@pytest.mark.parametrize("changes, options", [
    ({"pins": ["1234@default"]}, {}),                            # a PIN it did not foresee
    ({"credentials": []}, {}),                                   # credentials it did not foresee
    ({"config_dir": "/elsewhere"}, {}),                          # another directory
    ({}, {"strict": False}),                                     # options it did not assume
    ({}, {"backup": True}),
    ({"result": "changed"}, {}),                                 # no result to answer with
])
def test_a_prediction_that_does_not_cover_the_write_is_not_used(
        astconf_tree, run, changes, options):
    root = astconf_tree(FILES)
    args = dict({"config_dir": str(root), "credentials": credentials(), "pins": PINS,
                 "preview": _prediction(root, **changes)}, **options)
    result = run(args, check=True)
    assert result["changed"] is True and result["msg"] != "the prediction"
    assert sorted(os.path.basename(path) for path in result["files"]) == sorted(
        ["sip.conf", "sip_site.conf", "pjsip.conf", "iax.conf", "manager.conf",
         "pjsip_wizard.conf", "voicemail.conf"])


def test_a_pin_the_module_would_refuse_is_refused_as_without_a_prediction(
        astconf_tree, snapshot, run):
    root = astconf_tree(FILES)
    before = snapshot(root)
    pins = dict(PINS, **{"1235": "123456"})                     # sequential
    args = {"config_dir": str(root), "credentials": credentials(), "pins": pins,
            "preview": _prediction(root)}
    result = run(args, check=True)
    assert result["failed"] and "1235" in result["msg"] and "123456" not in repr(result)
    assert snapshot(root) == before


def test_a_real_run_never_answers_from_a_prediction(astconf_tree, run):
    root = astconf_tree(FILES)
    args = {"config_dir": str(root), "credentials": credentials(), "pins": PINS,
            "preview": _prediction(root)}
    result = run(args)
    assert result["changed"] is True and result["msg"] != "the prediction"
    assert effective(root, "iax.conf", "300", "secret") == NEW["iax300"]
