# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_file_modes (PBX-FS-001), the real module run through ``ansible`` ad-hoc against
localhost on a temporary tree (and in this process for the races). Changing a file's group needs
root, as on a PBX."""

from __future__ import annotations

import grp
import json
import os
import stat

import pytest
from ansible.module_utils import _internal
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils import file_modes
from ansible_collections.pbxsec.hardening.plugins.modules import asterisk_file_modes

MODULE = "pbxsec.hardening.asterisk_file_modes"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")

TARGET_GROUP = grp.getgrgid(0).gr_name          # root: the group the trees must get
OTHER_GID = 1                                   # daemon on Debian: the group they start with


def _make(path, mode, directory=False):
    if directory:
        path.mkdir()
    else:
        path.write_text("; x\n")
    os.chown(path, -1, OTHER_GID)
    os.chmod(path, mode)
    return path


def _state(path):
    info = os.lstat(path)
    return stat.S_IMODE(info.st_mode), info.st_gid


@pytest.fixture
def trees(tmp_path):
    config = _make(tmp_path / "asterisk", 0o755, directory=True)
    _make(config / "sip.conf", 0o644)
    _make(config / "private.conf", 0o600)
    _make(config / "manager.d", 0o777, directory=True)
    _make(config / "manager.d" / "crm.conf", 0o666)
    outside = _make(tmp_path / "outside.conf", 0o666)
    os.symlink(outside, config / "linked.conf")
    keys = _make(tmp_path / "keys", 0o755, directory=True)
    _make(keys / "pbx.key", 0o640)
    _make(keys / "pbx.pub", 0o644)
    return dict(config_dir=str(config), keys_dir=str(keys), group=TARGET_GROUP), tmp_path


WANTED = {                      # path below tmp_path: (mode before, mode after)
    "asterisk": (0o755, 0o750),
    "asterisk/sip.conf": (0o644, 0o640),
    "asterisk/private.conf": (0o600, 0o600),
    "asterisk/manager.d": (0o777, 0o750),
    "asterisk/manager.d/crm.conf": (0o666, 0o640),
    "keys": (0o755, 0o750),
    "keys/pbx.key": (0o640, 0o600),
    "keys/pbx.pub": (0o644, 0o600),
}


def test_pbx_fs_001_check_mode_predicts_and_changes_nothing(run_module, trees):
    args, root = trees
    result = run_module(MODULE, args, check=True)
    assert result["changed"] is True
    assert {os.path.relpath(c["path"], root): (int(c["mode_before"], 8), int(c["mode"], 8))
            for c in result["changes"]} == WANTED
    assert {c["group"] for c in result["changes"]} == {TARGET_GROUP}
    for name, (before, dummy) in WANTED.items():
        assert _state(root / name) == (before, OTHER_GID), name


def test_pbx_fs_001_run_narrows_modes_sets_group_and_is_idempotent(run_module, trees):
    args, root = trees
    predicted = run_module(MODULE, args, check=True)["changes"]
    result = run_module(MODULE, args)
    assert result["changed"] is True and result["changes"] == predicted
    for name, (dummy, after) in WANTED.items():
        assert _state(root / name) == (after, 0), name
    again = run_module(MODULE, args)
    assert again["changed"] is False and again["changes"] == []


def test_pbx_fs_001_symbolic_links_are_not_followed(run_module, trees):
    args, root = trees
    run_module(MODULE, args)
    assert _state(root / "outside.conf") == (0o666, OTHER_GID)
    assert os.path.islink(root / "asterisk" / "linked.conf")


def test_pbx_fs_001_tree_that_is_a_link_is_left_alone_with_a_warning(run_module, trees, tmp_path):
    args, root = trees
    os.symlink(root / "asterisk", tmp_path / "etc-asterisk")
    result = run_module(MODULE, dict(args, config_dir=str(tmp_path / "etc-asterisk")))
    assert {"path": str(tmp_path / "etc-asterisk"), "reason": "symbolic link"} in result["left_alone"]
    assert any("symbolic link" in warning for warning in result["warnings"])
    assert _state(root / "asterisk" / "sip.conf") == (0o644, OTHER_GID)


def test_pbx_fs_001_missing_key_directory_is_skipped(run_module, trees, tmp_path):
    args, dummy = trees
    result = run_module(MODULE, dict(args, keys_dir=str(tmp_path / "nokeys")))
    assert result["left_alone"] == [{"path": str(tmp_path / "nokeys"), "reason": "does not exist"}]
    assert result["changed"] is True


def test_pbx_fs_001_diff_lists_each_path_with_mode_and_group(run_module, trees):
    args, root = trees
    result = run_module(MODULE, args, check=True, diff=True)
    before, after = result["diff"]["before"], result["diff"]["after"]
    other = grp.getgrgid(OTHER_GID).gr_name
    assert "%s 0644 %s\n" % (root / "asterisk" / "sip.conf", other) in before
    assert "%s 0640 %s\n" % (root / "asterisk" / "sip.conf", TARGET_GROUP) in after


def test_pbx_fs_001_unknown_group_fails_and_changes_nothing(run_module, trees):
    args, root = trees
    result = run_module(MODULE, dict(args, group="pbxsec-no-such-group"))
    assert result["failed"] and "pbxsec-no-such-group" in result["msg"]
    assert _state(root / "asterisk" / "sip.conf") == (0o644, OTHER_GID)


# --- races (issue 16, item 13): the module runs in this process, with a hook on its ``close``
# that replaces an entry between the walk and the change.

def _run_in_process(capsys, args):
    # Once any test of the session has loaded controller code (an action plugin), Ansible marks
    # the process as the controller and module warnings go to the display instead of the result:
    # run the module as it runs on a host.
    controller, _internal.is_controller = _internal.is_controller, False
    try:
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                asterisk_file_modes.main()
    finally:
        _internal.is_controller = controller
    return json.loads(capsys.readouterr().out)


def _hook_close(monkeypatch, name, action):
    """Run ``action(path)`` just before the module changes the entry whose name is ``name``."""
    real = file_modes.close

    def hooked(entry, bits, gid):
        if entry.name == name:
            action(entry.path)
        return real(entry, bits, gid)

    monkeypatch.setattr(file_modes, "close", hooked)


@pytest.fixture
def setuid_victim(tmp_path):
    """A set-uid program outside the trees, group daemon, and how it looks."""
    victim = _make(tmp_path / "victim", 0o4755)
    return victim, _state(victim)


def test_pbx_fs_001_file_swapped_for_a_link_leaves_the_target_alone(monkeypatch, capsys, trees,
                                                                    setuid_victim):
    args, root = trees
    victim, before = setuid_victim

    def swap(path):
        os.unlink(path)
        os.symlink(victim, path)

    _hook_close(monkeypatch, "sip.conf", swap)
    result = _run_in_process(capsys, args)
    assert _state(victim) == before
    assert os.path.islink(root / "asterisk" / "sip.conf")
    assert "sip.conf was replaced" in json.dumps(result["warnings"])
    assert str(root / "asterisk" / "sip.conf") not in [c["path"] for c in result["changes"]]


def test_pbx_fs_001_directory_swapped_for_a_link_is_not_entered(monkeypatch, capsys, trees,
                                                                setuid_victim, tmp_path):
    args, root = trees
    victim, before = setuid_victim
    elsewhere = _make(tmp_path / "elsewhere", 0o777, directory=True)
    os.link(victim, elsewhere / "crm.conf")          # the name the walk expects below manager.d

    def swap(path):
        os.rename(path, path + ".moved")
        os.symlink(elsewhere, path)

    _hook_close(monkeypatch, "manager.d", swap)
    _run_in_process(capsys, args)
    assert _state(victim) == before
    assert _state(elsewhere) == (0o777, OTHER_GID)
