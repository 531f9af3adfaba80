# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The guest context drop-in (PBX-DP-001) gets its owner, group and mode in the atomic write
itself (issue 17 review): a new or rewritten drop-in never shows the tree root's mode, its
attributes are set after the write only when its bytes stay, and a user that may not give the
owner and group is refused before anything is written. Real files in temporary directories; the
module runs in this process (or in a child process as another user)."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import tempfile

import pytest
from ansible.module_utils import _internal
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    EditPlan,
    FileChange,
    merged_changes,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    write_changes,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan import (
    DROPIN,
    MODE,
    Dropin,
    can_give,
    plan_guest_fix,
)
from ansible_collections.pbxsec.hardening.plugins.modules import dialplan_harden

from as_user import run_as

SIP = "[general]\ncontext=public\n[phone1]\ntype=friend\ncontext=from-internal\n"
EXTENSIONS = "[public]\nexten => s,1,Hangup()\n"
ROOT_MODE = 0o604           # the tree root's mode: a new file written as before would get it


@pytest.mark.parametrize("owner, euid, gids, given", [
    ((1000, 1000, MODE), 0, {0}, True),                 # root gives any owner
    ((0, 0, MODE), 0, {0}, True),
    ((1000, 1000, MODE), 1000, {1000}, True),           # its own uid and group
    ((1000, 27, MODE), 1000, {1000, 27}, True),         # its own uid and a supplementary group
    ((0, 0, MODE), 1000, {1000, 0}, False),             # another uid, even in its group
    ((1000, 0, MODE), 1000, {1000}, False),             # its uid, a group it is not in
])
def test_pbx_dp_001_who_may_give_the_dropin_its_owner(owner, euid, gids, given):
    assert can_give(owner, euid, gids) is given


@pytest.fixture
def tree(tmp_path):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    for name, text in (("sip.conf", SIP), ("extensions.conf", EXTENSIONS)):
        (config_dir / name).write_text(text)
    os.chmod(str(config_dir / "extensions.conf"), ROOT_MODE)
    return config_dir


def _module(args):
    with patch_module_args(args):
        return AnsibleModule(argument_spec=dict(config_dir=dict(type="path"),
                                                backup=dict(type="bool", default=False),
                                                strict=dict(type="bool", default=True)))


def _attributes(path):
    info = os.stat(str(path))
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


def test_pbx_dp_001_only_the_dropin_change_carries_attributes(tree):
    fix = plan_guest_fix(str(tree), "pbx-guest-reject",
                         load_config(str(tree / "sip.conf"), str(tree)), [])
    carried = dict((os.path.basename(change.path), change.attributes)
                   for _cfg, plan in fix.trees for change in plan.changes)
    info = os.stat(str(tree / "extensions.conf"))
    assert carried == {DROPIN: (info.st_uid, info.st_gid, MODE), "extensions.conf": None,
                       "sip.conf": None}
    assert fix.rewritten and fix.attributes is None and not fix.attributes_due


def test_pbx_dp_001_a_new_dropin_has_its_mode_right_after_the_write(tree):
    fix = plan_guest_fix(str(tree), "pbx-guest-reject",
                         load_config(str(tree / "sip.conf"), str(tree)), [])
    apply_plans(_module(dict(config_dir=str(tree))), fix.trees, ".test.")
    assert _attributes(tree / DROPIN) == fix.owner
    assert stat.S_IMODE(os.stat(str(tree / "extensions.conf")).st_mode) == ROOT_MODE


def test_a_change_without_attributes_keeps_the_file_s_and_one_with_them_gets_them(tree):
    sip, extensions = str(tree / "sip.conf"), str(tree / "extensions.conf")
    os.chmod(sip, 0o644)
    owner = _attributes(sip)[:2]
    write_changes(_module(dict(config_dir=str(tree))), [
        FileChange(sip, sip, SIP.encode(), b"[general]\n"),
        FileChange(extensions, extensions, EXTENSIONS.encode(), b"", owner + (0o600,))],
        False, ".test.")
    assert _attributes(sip) == owner + (0o644,)
    assert _attributes(extensions) == owner + (0o600,)


def _run_module(capsys, args, check=False):
    # As in test_asterisk_file_modes: run the module as it runs on a host.
    controller, _internal.is_controller = _internal.is_controller, False
    args = dict(args, _ansible_check_mode=check, _ansible_diff=True)
    try:
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                dialplan_harden.main()
    finally:
        _internal.is_controller = controller
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def no_later_attributes(monkeypatch):
    """Fail any call of ``Dropin.set_attributes`` (the change after the write)."""

    def refuse(*_args):
        raise OSError("set_attributes called")

    monkeypatch.setattr(Dropin, "set_attributes", refuse)


def test_pbx_dp_001_a_new_dropin_needs_no_change_after_the_write(tree, capsys,
                                                                 no_later_attributes):
    args = dict(config_dir=str(tree), channels=["sip"], fix_guest_context=True)
    result = _run_module(capsys, args)
    assert not result.get("failed"), result
    assert _attributes(tree / DROPIN) == _attributes(tree / "extensions.conf")[:2] + (MODE,)
    assert not any("owner, group" in entry["after_header"] for entry in result["diff"])


def test_pbx_dp_001_a_rewritten_dropin_gets_its_mode_in_the_write_and_shows_it(
        tree, capsys, no_later_attributes):
    (tree / DROPIN).write_text("; an older drop-in\n[pbx-guest-reject]\n")
    os.chmod(str(tree / DROPIN), 0o666)
    args = dict(config_dir=str(tree), channels=["sip"], fix_guest_context=True)
    predicted = _run_module(capsys, args, check=True)
    real = _run_module(capsys, args)
    assert not real.get("failed"), real
    for key in ("changed", "changed_files", "diff", "msg"):
        assert predicted[key] == real[key], key
    assert [os.path.basename(path) for path in real["changed_files"]] == [
        DROPIN, "extensions.conf", "sip.conf"]
    shown = real["diff"][-1]
    assert shown["after_header"] == "%s (owner, group, mode)" % (tree / DROPIN)
    assert "mode=0666" in shown["before"] and "mode=0640" in shown["after"]
    assert stat.S_IMODE(os.stat(str(tree / DROPIN)).st_mode) == MODE


@pytest.fixture
def shared_tree():
    """A configuration directory that ``nobody`` owns and every user reaches (pytest's own
    temporary directories are root's alone); its files are root's."""
    top = tempfile.mkdtemp()
    os.chmod(top, 0o755)
    config_dir = os.path.join(top, "asterisk")
    os.mkdir(config_dir)
    for name, text in (("sip.conf", SIP), ("extensions.conf", EXTENSIONS)):
        with open(os.path.join(config_dir, name), "w") as handle:
            handle.write(text)
    nobody = pwd.getpwnam("nobody")
    os.chown(config_dir, nobody.pw_uid, nobody.pw_gid)
    yield config_dir, nobody
    shutil.rmtree(top)


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another user needs root")
def test_pbx_dp_001_a_user_that_may_not_give_the_owner_is_refused_before_any_write(
        shared_tree, capsys, snapshot):
    config_dir, nobody = shared_tree
    args = dict(config_dir=config_dir, channels=["sip"], fix_guest_context=True)
    # Root may give the owner: the fix is planned (and every import made before the fork).
    assert _run_module(capsys, args, check=True)["changed"]
    before = snapshot(config_dir)
    result = run_as(nobody, args, dialplan_harden.main)
    assert result["failed"] and result["msg"] == (
        "refusing to write %s: this user (uid %d) may not give it the owner 0 and group 0 of %s; "
        "run the fix as root or as that owner; nothing written"
        % (os.path.join(config_dir, DROPIN), nobody.pw_uid,
           os.path.join(config_dir, "extensions.conf")))
    assert snapshot(config_dir) == before


def test_merged_changes_keep_the_attributes_of_the_last_plan():
    first, last = EditPlan(None, None), EditPlan(None, None)
    first.changes = [FileChange("/x", "/x", b"a", b"b")]
    last.changes = [FileChange("/x", "/x", b"b", b"c", (0, 0, 0o640))]
    [merged] = merged_changes([first, last])
    assert (merged.before, merged.after, merged.attributes) == (b"a", b"c", (0, 0, 0o640))
