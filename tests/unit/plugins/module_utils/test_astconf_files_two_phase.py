# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One module call writes all its files or none (astconf_files.apply_plans): a write that fails
for a later tree leaves the earlier trees' files, and the directory, as they were (no temporary
file, no backup left), and two trees whose plans change one shared file are refused before
anything is written. Real files in temporary directories; the failing write runs as ``nobody``
in a child process, which may not give a file root's owner."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import tempfile

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import apply_plans
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

from as_user import run_as

SPEC = dict(path=dict(type="path"), config_dir=dict(type="path"),
            strict=dict(type="bool", default=True), backup=dict(type="bool", default=False))


def _plans(config_dir, edits):
    """``[(tree, plan)]``: for each ``(root file, option, value)`` the plan setting it in
    ``[general]``."""
    trees = []
    for name, option, value in edits:
        cfg = load_config(os.path.join(config_dir, name))
        trees.append((cfg, plan_option(cfg, "general", option, value)))
    return trees


def _apply(config_dir, trees, backup=False):
    """Call apply_plans as a module of ``config_dir`` does (its result, printed on failure)."""
    with patch_module_args(dict(config_dir=config_dir, backup=backup)):
        return apply_plans(AnsibleModule(argument_spec=SPEC), trees, ".test.")


@pytest.fixture
def nobody_dir():
    """A configuration directory and files that ``nobody`` owns (pytest's own temporary
    directories are root's alone)."""
    top = tempfile.mkdtemp()
    os.chmod(top, 0o755)
    config_dir = os.path.join(top, "asterisk")
    os.mkdir(config_dir)
    for name, text in (("sip.conf", "[general]\nallowguest=yes\n"),
                       ("iax.conf", "[general]\ndelayreject=no\n")):
        with open(os.path.join(config_dir, name), "w") as handle:
            handle.write(text)
    nobody = pwd.getpwnam("nobody")
    for path in (config_dir, os.path.join(config_dir, "sip.conf"),
                 os.path.join(config_dir, "iax.conf")):
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    yield config_dir, nobody
    shutil.rmtree(top)


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another user needs root")
def test_a_failed_write_of_a_later_tree_leaves_every_file_as_it_was(nobody_dir, snapshot):
    config_dir, nobody = nobody_dir
    trees = _plans(config_dir, [("sip.conf", "allowguest", "no"), ("iax.conf", "delayreject", "yes")])
    # The iax.conf change must carry root's owner, which nobody may not give: its write fails
    # after sip.conf's new file (and both backups) could be made.
    trees[1][1].changes[0].attributes = (0, 0, 0o640)
    before = snapshot(config_dir)

    def main():
        _apply(config_dir, trees, backup=True)

    result = run_as(nobody, dict(config_dir=config_dir, backup=True), main)
    assert result["failed"] is True
    assert result["msg"].startswith("cannot write %s: " % os.path.join(config_dir, "iax.conf"))
    assert result["msg"].endswith("; nothing written")
    assert snapshot(config_dir) == before           # no new file, no temporary file, no backup


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another user needs root")
def test_the_same_trees_are_written_together_when_every_write_can_be_made(nobody_dir):
    config_dir, nobody = nobody_dir
    trees = _plans(config_dir, [("sip.conf", "allowguest", "no"), ("iax.conf", "delayreject", "yes")])

    def main():
        diffs, backups, _execs = _apply(config_dir, trees, backup=True)
        print(json.dumps(dict(diffs=len(diffs), backups=backups)))
        raise SystemExit(0)

    result = run_as(nobody, dict(config_dir=config_dir, backup=True), main)
    assert result["diffs"] == 2 and len(result["backups"]) == 2
    with open(os.path.join(config_dir, "sip.conf")) as handle:
        assert handle.read() == "[general]\nallowguest=no\n"
    with open(os.path.join(config_dir, "iax.conf")) as handle:
        assert handle.read() == "[general]\ndelayreject=yes\n"
    assert sorted(os.listdir(config_dir)) == sorted(
        ["sip.conf", "iax.conf"] + [os.path.basename(path) for path in result["backups"]])


def test_two_trees_that_change_one_shared_file_are_refused(tmp_path, capsys, snapshot):
    (tmp_path / "sip.conf").write_text("#include common.conf\n")
    (tmp_path / "iax.conf").write_text("#include common.conf\n")
    (tmp_path / "common.conf").write_text("[general]\nallowguest=yes\ndelayreject=no\n")
    trees = _plans(str(tmp_path), [("sip.conf", "allowguest", "no"),
                                   ("iax.conf", "delayreject", "yes")])
    assert [change.key for _cfg, plan in trees for change in plan.changes] == \
        [str(tmp_path / "common.conf")] * 2
    before = snapshot(tmp_path)
    with pytest.raises(SystemExit):
        _apply(str(tmp_path), trees)
    result = json.loads(capsys.readouterr().out)
    assert result["msg"] == (
        "refusing to write %s: the plans for %s and %s both change it; nothing written"
        % (tmp_path / "common.conf", tmp_path / "sip.conf", tmp_path / "iax.conf"))
    assert snapshot(tmp_path) == before
