# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The common role's handlers make the roles' changes live once: the manager and voicemail roles
run for real by ``ansible-playbook`` on a temporary configuration, each flushing the handlers
before its own check (failures not deferred), then the play's end flushes them again. Each flush
reloads only what changed since the one before; with failures deferred (``harden.yml``), one
reload at the end names every change. Asterisk's CLI is the tests' stand-in, which logs each
command and answers reloads as Asterisk does."""

from __future__ import annotations

import pytest

from asterisk_host import facts_task

MANAGER = "[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"
HTTP = "[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"
VOICEMAIL = "[general]\nmaxlogins = 3\n[default]\n1000 => 918273,Front desk\n"


@pytest.fixture
def play(astconf_tree, run_play, asterisk_cli):
    """``play(defer)``: the manager then the voicemail role on a fresh tree; returns the CLI
    commands run."""

    def run(defer):
        config_dir = astconf_tree({"asterisk/manager.conf": MANAGER, "asterisk/http.conf": HTTP,
                                   "asterisk/voicemail.conf": VOICEMAIL}) / "asterisk"
        facts = {"running": True, "config_dir": str(config_dir),
                 "freepbx": {"detected": False, "evidence": []},
                 "modules": {"app_voicemail": {"loaded": True}},
                 "files": ["http.conf", "manager.conf", "voicemail.conf"]}
        tasks = [facts_task(facts)] + [
            {"name": role, "ansible.builtin.include_role": {"name": "pbxsec.hardening." + role}}
            for role in ("manager", "voicemail")]
        play_vars = {"pbx_config_dir": str(config_dir), "pbx_defer_failures": defer,
                     "pbx_controls_skip": ["PBX-FS-001"]}
        results = run_play(tasks, play_vars, path=[asterisk_cli.bin])
        assert not [result for _name, result in results if result.get("failed")], results
        return asterisk_cli.commands()

    return run


def test_each_flush_reloads_only_what_changed_since_the_last(play):
    assert play(defer=False) == ["module reload manager http", "module reload app_voicemail.so"]


def test_deferred_failures_reload_every_change_once_at_the_end(play):
    assert play(defer=True) == ["module reload manager http app_voicemail.so"]
