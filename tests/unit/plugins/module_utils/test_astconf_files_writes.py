# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The write path of the editing modules (astconf_files) with links in the configuration
(issue 16, item 10): a file whose real path leaves the configuration directory is never written
nor shown, a link that stays inside is written where it points, and a directory swapped for a
link between planning and writing stops the write instead of leading outside."""

from __future__ import annotations

import json
import os

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    refuse_outside,
    write_changes,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

MODULE = "pbxsec.hardening.asterisk_config"
OUTSIDE = b"context=from-internal ; OUTSIDE-MARKER notes kept outside the PBX configuration\n"


@pytest.fixture
def freepbx_link_out(tmp_path):
    """/etc/asterisk-like ``conf`` whose ``sip_general_custom.conf`` links to ``outside.conf``."""
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "sip.conf").write_bytes(b"[general]\ncontext=public\n#include sip_general_custom.conf\n")
    outside = tmp_path / "outside.conf"
    outside.write_bytes(OUTSIDE)
    os.symlink(outside, conf / "sip_general_custom.conf")
    args = dict(path=str(conf / "sip.conf"), section="general", option="allowguest", value="no",
                override_file="sip_general_custom.conf", writable=["sip_general_custom.conf"])
    return conf, outside, args


def test_link_out_of_the_config_dir_is_never_written(run_module, freepbx_link_out):
    conf, outside, args = freepbx_link_out
    result, stdout, stderr = run_module(MODULE, args, diff=True, verbosity=3, output="raw")
    assert result["failed"] is True
    assert "outside the configuration directory" in result["msg"]
    assert outside.read_bytes() == OUTSIDE
    assert b"OUTSIDE-MARKER" not in (stdout + stderr).encode()


def test_link_out_of_the_config_dir_is_never_shown_in_check_mode(run_module, freepbx_link_out):
    conf, outside, args = freepbx_link_out
    result, stdout, stderr = run_module(MODULE, args, check=True, diff=True, output="raw")
    assert b"OUTSIDE-MARKER" not in (stdout + stderr).encode()
    assert result["failed"] is True


def test_link_that_stays_inside_is_written_where_it_points(run_module, tmp_path):
    conf = tmp_path / "conf"
    (conf / "custom").mkdir(parents=True)
    (conf / "sip.conf").write_bytes(b"[general]\ncontext=public\n#include sip_general_custom.conf\n")
    (conf / "custom" / "general.conf").write_bytes(b"context=from-internal\n")
    os.symlink("custom/general.conf", conf / "sip_general_custom.conf")
    result = run_module(MODULE, dict(path=str(conf / "sip.conf"), section="general",
                                     option="allowguest", value="no",
                                     override_file="sip_general_custom.conf",
                                     writable=["sip_general_custom.conf"]))
    assert result["changed"] is True, result
    assert os.path.islink(conf / "sip_general_custom.conf")
    assert (conf / "custom" / "general.conf").read_bytes() == b"context=from-internal\nallowguest=no\n"


def _with_module(path, call):
    """``call(module)`` with an AnsibleModule given ``path`` (as the editing modules are)."""
    with patch_module_args(dict(path=str(path))):
        return call(AnsibleModule(argument_spec=dict(path=dict(type="path"),
                                                     config_dir=dict(type="path"))))


def _failure(capsys, path, call):
    with pytest.raises(SystemExit):
        _with_module(path, call)
    return json.loads(capsys.readouterr().out)


def test_refuse_outside_fails_before_anything_is_shown(capsys, freepbx_link_out):
    conf, dummy, args = freepbx_link_out
    cfg = load_config(args["path"])
    plan = plan_option(cfg, "general", "allowguest", "no", override_file=args["override_file"],
                       writable=args["writable"])
    result = _failure(capsys, args["path"], lambda module: refuse_outside(module, plan.changes))
    assert "refusing to write %s" % (conf / "sip_general_custom.conf") in result["msg"]
    assert "OUTSIDE-MARKER" not in json.dumps(result)


def test_directory_swapped_for_a_link_after_planning_stops_the_write(capsys, tmp_path):
    conf = tmp_path / "conf"
    (conf / "sip.d").mkdir(parents=True)
    (conf / "sip.conf").write_bytes(b"#include sip.d/general.conf\n")
    (conf / "sip.d" / "general.conf").write_bytes(b"[general]\nallowguest=yes\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "general.conf").write_bytes(b"[general]\nallowguest=yes\n")
    before = (elsewhere / "general.conf").read_bytes()
    cfg = load_config(str(conf / "sip.conf"))
    plan = plan_option(cfg, "general", "allowguest", "no")
    assert plan.changed
    os.rename(conf / "sip.d", conf / "sip.d.moved")
    os.symlink(elsewhere, conf / "sip.d")
    result = _failure(capsys, conf / "sip.conf",
                      lambda module: write_changes(module, plan.changes, True, ".test."))
    assert result["failed"] is True
    assert (elsewhere / "general.conf").read_bytes() == before
    assert os.listdir(elsewhere) == ["general.conf"]


def test_backup_and_write_keep_owner_and_mode_through_descriptors(tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "sip.conf").write_bytes(b"[general]\nallowguest=yes\n")
    os.chmod(conf / "sip.conf", 0o640)
    cfg = load_config(str(conf / "sip.conf"))
    plan = plan_option(cfg, "general", "allowguest", "no")
    backups = _with_module(conf / "sip.conf",
                           lambda module: write_changes(module, plan.changes, True, ".test."))
    assert (conf / "sip.conf").read_bytes() == b"[general]\nallowguest=no\n"
    assert len(backups) == 1 and open(backups[0], "rb").read() == b"[general]\nallowguest=yes\n"
    assert {os.stat(path).st_mode & 0o7777 for path in [conf / "sip.conf", backups[0]]} == {0o640}
    assert sorted(os.listdir(conf)) == sorted(["sip.conf", os.path.basename(backups[0])])


def test_no_tree_is_written_when_a_later_one_changed_since_planning(capsys, tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "sip.conf").write_bytes(b"[general]\nallowguest=yes\n")
    (conf / "iax.conf").write_bytes(b"[general]\ndelayreject=no\n")
    trees = []
    for name, option, value in (("sip.conf", "allowguest", "no"), ("iax.conf", "delayreject", "yes")):
        cfg = load_config(str(conf / name))
        trees.append((cfg, plan_option(cfg, "general", option, value)))
    (conf / "iax.conf").write_bytes(b"[general]\ndelayreject=no\n; edited meanwhile\n")
    spec = dict(path=dict(type="path"), config_dir=dict(type="path"),
                strict=dict(type="bool", default=True), backup=dict(type="bool", default=False))
    with patch_module_args(dict(path=str(conf / "sip.conf"), config_dir=str(conf))):
        with pytest.raises(SystemExit):
            apply_plans(AnsibleModule(argument_spec=spec), trees, ".test.")
    result = json.loads(capsys.readouterr().out)
    assert "iax.conf changed while the module was planning; nothing written" in result["msg"]
    assert (conf / "sip.conf").read_bytes() == b"[general]\nallowguest=yes\n"
