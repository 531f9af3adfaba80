# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module dialplan_harden and role dialplan, run for real by ansible-playbook on a temporary
configuration: one call audits the dialplan as asterisk_dialplan_info does and makes the guest
context fix (PBX-DP-001); check mode writes nothing and predicts the real run, a second run
changes nothing, and the role's handler reloads the dialplan before chan_sip, only what changed,
and not at all in check mode (Asterisk's CLI is a stand-in that logs what it is asked)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan import DROPIN
from asterisk_host import facts_task

SIP = ("[general]\ncontext=public\n[phone1]\ntype=friend\nsecret=Never-Shown-Secret-1\n"
       "context=from-internal\n")
EXTENSIONS = ("[globals]\nTRUNKPASS=Never-Shown-Global-2\n"
              "[public]\ninclude => demo\n[demo]\nexten => 8500,1,VoiceMailMain()\n"
              "[from-internal]\nexten => _00.,1,Dial(SIP/kiwi/${EXTEN})\n")
ASTERISK = "[options]\nrunuser = asterisk\nrungroup = asterisk\n"
KEYS = ("changed", "changed_files", "reload", "findings", "latent_findings", "controls",
        "sip_general_context_users", "msg")


@pytest.fixture
def tree(tmp_path):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    for name, text in (("sip.conf", SIP), ("extensions.conf", EXTENSIONS),
                       ("asterisk.conf", ASTERISK)):
        (config_dir / name).write_text(text)
    return config_dir


def _files(config_dir):
    return dict((path.name, path.read_bytes()) for path in sorted(config_dir.iterdir()))


@pytest.fixture
def harden(tree, run_play):
    """``harden(check=False, **options)``: one dialplan_harden task (the guest context fix on)
    on ``tree``; returns its result."""

    def run(check=False, **options):
        args = dict(config_dir=str(tree), channels=["sip"], fix_guest_context=True)
        args.update(options)
        results = run_play([{"name": "Dialplan", "pbxsec.hardening.dialplan_harden": args}],
                           check=check, diff=True)
        return results[0][1]

    return run


def test_pbx_dp_001_one_call_check_predicts_real_and_second_changes_nothing(
        tree, harden, run_module):
    before = _files(tree)
    # The audit is asterisk_dialplan_info's, judged with the guest context closed by the fix.
    audit = run_module("pbxsec.hardening.asterisk_dialplan_info", dict(
        config_dir=str(tree), channels=["sip"], closed_entry_points=["sip_guest"]))
    predicted = harden(check=True)
    assert _files(tree) == before
    real = harden()
    assert not real.get("failed"), real
    for key in ("findings", "latent_findings", "controls", "entry_points", "trunk_contexts"):
        assert real[key] == audit[key], key
    assert real["controls"]["PBX-DP-001"]["status"] == "pass"
    for key in KEYS + ("diff",):
        assert predicted[key] == real[key], key
    assert [os.path.basename(path) for path in real["changed_files"]] == [
        DROPIN, "extensions.conf", "sip.conf"]
    assert real["reload"] == ["dialplan", "chan_sip"]
    # extensions.conf's diff shows the appended line alone: the engine masks no dialplan secret.
    assert [entry["after_header"].rsplit("/", 1)[-1] for entry in real["diff"]] == [
        DROPIN, "extensions.conf (the line appended at its end)", "sip.conf"]
    assert real["diff"][1]["after"] == "#tryinclude %s\n" % DROPIN
    assert "Never-Shown" not in json.dumps(real) and "Never-Shown" not in json.dumps(predicted)
    after = _files(tree)
    assert after["extensions.conf"] == before["extensions.conf"] + b"#tryinclude %s\n" % (
        DROPIN.encode())
    assert b"context=pbx-guest-reject\n" in after["sip.conf"]
    info = os.stat(str(tree / DROPIN))
    includer = os.stat(str(tree / "extensions.conf"))
    assert stat.S_IMODE(info.st_mode) == 0o640
    assert (info.st_uid, info.st_gid) == (includer.st_uid, includer.st_gid)
    again = harden()
    assert not again["changed"] and again["reload"] == [] and again["diff"] == []
    assert _files(tree) == after


def test_pbx_dp_001_owner_group_and_mode_of_an_existing_dropin_are_set(tree, harden):
    harden()
    os.chmod(str(tree / DROPIN), 0o644)
    predicted = harden(check=True)
    assert stat.S_IMODE(os.stat(str(tree / DROPIN)).st_mode) == 0o644
    real = harden()
    assert predicted["changed"] and real["changed"] and real["reload"] == []
    assert real["diff"] == predicted["diff"]
    assert "mode=0644" in real["diff"][0]["before"] and "mode=0640" in real["diff"][0]["after"]
    assert stat.S_IMODE(os.stat(str(tree / DROPIN)).st_mode) == 0o640
    assert not harden()["changed"]


def test_pbx_dp_001_a_link_in_the_dropin_place_changes_nothing_and_shows_nothing(
        tree, harden, tmp_path):
    (tmp_path / "outside.conf").write_text("[x]\nsecret=Outside-Never-Shown\n")
    os.symlink(str(tmp_path / "outside.conf"), str(tree / DROPIN))
    before = _files(tree)
    for check in (True, False):
        result = harden(check=check)
        assert result["failed"] and "it is a link" in result["msg"]
        assert "Outside-Never-Shown" not in json.dumps(result)
    assert _files(tree) == before


def test_pbx_dp_001_an_includer_outside_the_config_dir_is_refused_before_any_write(
        tree, harden, tmp_path):
    (tmp_path / "outside.conf").write_text(EXTENSIONS + "; Outside-Never-Shown\n")
    (tree / "extensions.conf").unlink()
    os.symlink(str(tmp_path / "outside.conf"), str(tree / "extensions.conf"))
    before = _files(tree)
    for check in (True, False):
        result = harden(check=check)
        assert result["failed"] and result["msg"].startswith(
            "refusing to write %s: it resolves to %s, outside the configuration directory"
            % (tree / "extensions.conf", tmp_path / "outside.conf"))
        assert "Outside-Never-Shown" not in json.dumps(result)
    assert _files(tree) == before and not (tree / DROPIN).exists()
    assert (tmp_path / "outside.conf").read_text().endswith("; Outside-Never-Shown\n")


def test_pbx_dp_001_a_peer_using_the_general_context_stops_the_fix(tree, harden):
    (tree / "sip.conf").write_text(SIP + "[phone2]\ntype=friend\nsecret=x\n")
    before = _files(tree)
    result = harden()
    assert result["failed"] and "would move into [pbx-guest-reject]" in result["msg"]
    assert "phone2" in result["msg"] and _files(tree) == before


def test_audit_only_without_the_fix_or_without_pbx_dp_001(tree, harden):
    before = _files(tree)
    for options in (dict(fix_guest_context=False), dict(controls=["PBX-DP-002", "PBX-DP-003"])):
        result = harden(**options)
        assert not result["changed"] and result["reload"] == [] and result["msg"] == "unchanged"
    assert result["controls"]["PBX-DP-001"]["status"] == "skipped"
    assert _files(tree) == before
    result = harden(fix_guest_context=False)
    assert result["controls"]["PBX-DP-001"]["status"] == "fail"     # [public] reaches 8500
    assert harden(disa_min_length=3)["msg"] == "disa_min_length must be at least 4 (got 3)"


# --- the role -----------------------------------------------------------------------------------

@pytest.fixture
def role(tree, run_play, asterisk_cli):
    """``role(check=False, **variables)``: the dialplan role on ``tree`` (chan_sip installed,
    Asterisk running; its CLI a stand-in that logs each command); returns ``([(task name,
    result)], [CLI commands run])``."""
    facts = {"running": True, "config_dir": str(tree), "chan_sip": {"installed": True},
             "pjsip": {"installed": False}, "iax2": {"installed": False},
             "freepbx": {"detected": False, "evidence": []},
             "files": ["extensions.conf", "sip.conf"]}

    def run(check=False, **variables):
        asterisk_cli.commands()
        tasks = [
            facts_task(facts),
            {"name": "Dialplan", "ansible.builtin.include_role": {
                "name": "pbxsec.hardening.dialplan"}},
        ]
        play_vars = dict({"pbx_config_dir": str(tree), "pbx_dialplan_fix_guest_context": True,
                          "pbx_waivers": {"PBX-DP-002": "site dialplan"}}, **variables)
        results = run_play(tasks, play_vars, check=check, path=[asterisk_cli.bin])
        return results, asterisk_cli.commands()

    return run


def _changed(results):
    return [name for name, result in results if result.get("changed")]


def test_pbx_dp_001_role_reloads_the_dialplan_then_chan_sip_only_for_real(tree, role):
    before = _files(tree)
    results, commands = role(check=True)
    assert commands == [] and _files(tree) == before
    predicted = _changed(results)
    # Where Asterisk runs, check mode notifies no reload (it would be skipped): no handler task.
    assert [name for name, _result in results if name.startswith(("Reload", "Remember"))] == []
    results, commands = role()
    assert [name for name, result in results if result.get("failed")] == []
    assert _changed(results) == predicted and len(predicted) == 1
    assert commands == ["module reload pbx_config.so chan_sip.so"]
    verdict = [result for name, result in results if name.startswith("PBX-DP-001 | AUDIT | Fail")]
    assert verdict and not verdict[0].get("failed")
    results, commands = role()
    assert _changed(results) == [] and commands == []
    # Only chan_sip's file changed: the dialplan is reloaded first all the same, in case an
    # earlier run wrote the drop-in and stopped before its reload.
    (tree / "sip.conf").write_text(SIP)
    assert role()[1] == ["module reload pbx_config.so chan_sip.so"]
