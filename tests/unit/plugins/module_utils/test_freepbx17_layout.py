# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""freepbx_layout on FreePBX 17's tree (tests/images/freepbx17), and FreePBX 16's for PJSIP's
[global]: both write it into pjsip.conf itself, after every generated file, and include
pjsip_custom_post.conf inside it; that file is the one place where a [global] option beats
FreePBX's."""

from __future__ import annotations

import os
import shutil

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import LAYOUT, describe

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "images")


def freepbx_tree(tmp_path, image="freepbx17"):
    """/etc/asterisk of a FreePBX image: its generated and (empty) custom files."""
    for part in ("generated", "custom"):
        folder = os.path.join(IMAGES, image, part)
        for name in os.listdir(folder):
            shutil.copyfile(os.path.join(folder, name), str(tmp_path / name))
    return str(tmp_path)


def plan_global(config_dir, option, value):
    pjsip = LAYOUT["pjsip.conf"]
    cfg = load_config(os.path.join(config_dir, "pjsip.conf"), config_dir)
    return plan_option(cfg, "global", option, value, writable=pjsip["writable"],
                       override_file=os.path.join(config_dir, pjsip["general"]["override"]))


def test_freepbx17_chains_have_no_problem(tmp_path):
    layout = describe(freepbx_tree(tmp_path))
    assert sorted(layout) == ["extensions.conf", "http.conf", "iax.conf", "logger.conf",
                              "manager.conf", "pjsip.conf", "voicemail.conf"]
    assert {root: entry["problems"] for root, entry in layout.items() if entry["problems"]} == {}


@pytest.mark.parametrize("image, shipped", [
    ("freepbx17", "FPBX-17.0.19.32(22.10.1)"),
    ("freepbx16", "FPBX-16.0.40.7(16.28.0)"),
])
def test_pbx_net_005_user_agent_goes_inside_freepbx_global(tmp_path, image, shipped):
    config_dir = freepbx_tree(tmp_path, image)
    plan = plan_global(config_dir, "user_agent", "PBX")
    assert (plan.before, plan.after) == (shipped, "PBX")
    assert [(os.path.basename(change.path), change.before, change.after) for change in plan.changes] == [
        ("pjsip_custom_post.conf", b"", b"user_agent=PBX\n")]


def test_freepbx16_chains_have_no_problem(tmp_path):
    layout = describe(freepbx_tree(tmp_path, "freepbx16"))
    assert {root: entry["problems"] for root, entry in layout.items() if entry["problems"]} == {}
    assert layout["pjsip.conf"]["general"] == "pjsip_custom_post.conf"
