# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``--tags`` and ``--skip-tags`` select controls, not tasks: the manager role, whose
manager.conf write serves PBX-AMI-001 and PBX-AMI-002 at once, run for real by
``ansible-playbook`` on a temporary configuration. Skipping one control leaves the other's
change in place; selecting one changes only its options."""

from __future__ import annotations

import shutil

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from asterisk_host import facts_task

MANAGER = ("[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"
           "[crm]\nsecret = Xy7Kq2Lm9Pw4Zz8Rt\nwrite = call\n")
HTTP = "[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"
DENY_ALL = "0.0.0.0/0.0.0.0"


@pytest.fixture
def harden(tmp_path, run_play, asterisk_cli):
    """``harden(*args)``: the manager role with ``args`` on a fresh configuration (Asterisk's CLI
    a stand-in that answers reloads); returns ``(manager.conf, http.conf)`` as the engine reads
    them afterwards."""
    def run(*args):
        config_dir = tmp_path / "asterisk"
        shutil.rmtree(str(config_dir), ignore_errors=True)
        config_dir.mkdir()
        (config_dir / "manager.conf").write_text(MANAGER)
        (config_dir / "http.conf").write_text(HTTP)
        facts = {"running": True, "config_dir": str(config_dir),
                 "freepbx": {"detected": False, "evidence": []},
                 "files": ["http.conf", "manager.conf"]}
        tasks = [
            facts_task(facts, tags=["always"]),
            {"name": "Manager", "ansible.builtin.include_role": {
                "name": "pbxsec.hardening.manager"}, "tags": ["always"]},
        ]
        play_vars = {"pbx_config_dir": str(config_dir), "pbx_controls_skip": ["PBX-FS-001"]}
        results = run_play(tasks, play_vars, path=[asterisk_cli.bin], args=args)
        assert not [name for name, result in results if result.get("failed")], results
        return (load_config(str(config_dir / "manager.conf"), str(config_dir)),
                load_config(str(config_dir / "http.conf"), str(config_dir)))

    return run


def _ami_bind(manager):
    return str(manager.get("general", "bindaddr"))


def _crm_denies(manager):
    return [str(value) for value in manager.get_all("crm", "deny")]


def _http_enabled(http):        # PBX-HTTP-001 switches the HTTP server off by default
    return str(http.get("general", "enabled"))


def test_every_control_without_tags(harden):
    manager, http = harden()
    assert _ami_bind(manager) == "127.0.0.1" and _crm_denies(manager) == [DENY_ALL]
    assert _http_enabled(http) == "no"


def test_skipping_one_control_of_a_shared_write_keeps_the_other(harden):
    manager, http = harden("--skip-tags", "PBX-AMI-001")
    assert _ami_bind(manager) == "0.0.0.0"                 # PBX-AMI-001 left out
    assert _crm_denies(manager) == [DENY_ALL]               # PBX-AMI-002 still applied
    assert _http_enabled(http) == "no"


def test_selecting_one_control_changes_only_its_options(harden):
    manager, http = harden("--tags", "PBX-AMI-002")
    assert _ami_bind(manager) == "0.0.0.0" and _crm_denies(manager) == [DENY_ALL]
    assert _http_enabled(http) == "yes"


def test_an_area_tag_with_a_skipped_control_of_it(harden):
    manager, http = harden("--tags", "ami", "--skip-tags", "PBX-AMI-002")
    assert _ami_bind(manager) == "127.0.0.1" and _crm_denies(manager) == []
    assert _http_enabled(http) == "yes"
