# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role manager, PBX-AMI-002: whatever order a user's ``permit``/``deny`` lines come in, every
AMI user ends with the ACL "deny everything, permit localhost and the management networks", as
Asterisk applies it (acl.c ``ast_apply_ha()``: rules in order, the last match wins). The project's
own model of Asterisk's ACLs (compliance_acl, the audit's judge) reads the edited tree.

The role's AMI and HTTP tasks run for real (ansible-playbook, connection local) on a tree in a temporary
directory. Only the facts of asterisk_facts are given (an Asterisk host that runs, whose
``asterisk`` command is the tests' stand-in that answers reloads, so the reload handler runs
too)."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil

import pytest
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    LOOPBACK,
    category_acl,
    networks,
)
from asterisk_host import facts_task

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))
MANAGEMENT = ["192.0.2.0/24", "198.51.100.7/32"]
HOST_ONLY = [ipaddress.IPv4Network("127.0.0.1/32")]

GENERAL = "[general]\nenabled = yes\nport = 5038\nbindaddr = 127.0.0.1\n\n"
USERS = {
    # A deny that is not deny-all comes first: the loopback permit between it and the deny-all
    # rule stops counting (review finding 1).
    "crm": "[crm]\nsecret = crm-secret-1\ndeny = 10.0.0.0/255.0.0.0\n"
           "permit = 127.0.0.1/255.255.255.255\ndeny = 0.0.0.0/0.0.0.0\nread = call\n",
    # The loopback permit and no deny-all: the deny appended after it used to cut loopback off,
    # the permit already being there (review finding 2). A management network the same way.
    "monitor": "[monitor]\nsecret = monitor-secret-2\npermit = 127.0.0.1/255.255.255.255\n"
               "permit = 192.0.2.0/255.255.255.0\nread = system\n",
    # Deny-all written the short way, the loopback permit after it, and a permit for the whole
    # Internet: a second deny-all appended at the end used to cut loopback off.
    "dialer": "[dialer]\nsecret = dialer-secret-3\ndeny = 0.0.0.0/0\n"
              "permit = 127.0.0.1/255.255.255.255\npermit = 0.0.0.0/0.0.0.0\nread = call\n",
    # Already right (FreePBX's stock form of a loopback permit): nothing to change.
    "stock": "[stock]\nsecret = stock-secret-4\ndeny = 0.0.0.0/0.0.0.0\n"
             "permit = 127.0.0.1/255.255.255.0\npermit = 192.0.2.0/255.255.255.0\n"
             "permit = 198.51.100.7/255.255.255.255\nread = call\n",
    # No ACL at all.
    "bare": "[bare]\nsecret = bare-secret-5\nread = call\n",
}


def _tree(tmp_path, users):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    (config_dir / "manager.conf").write_text(GENERAL + "\n".join(USERS[name] for name in users))
    return config_dir


@pytest.fixture
def play(run_play, asterisk_cli):
    """``play(config_dir, check=False)``: the role's AMI tasks on ``config_dir``, as
    ``[(task name, result)]`` in order."""
    facts = {"running": True, "freepbx": {"detected": False, "evidence": []},
             "files": ["manager.conf"]}

    def run(config_dir, check=False):
        tasks = [
            facts_task(dict(facts, config_dir=str(config_dir))),
            {"name": "AMI", "ansible.builtin.include_role": {
                "name": "pbxsec.hardening.manager", "tasks_from": "main.yml"}},
        ]
        play_vars = {"pbx_config_dir": str(config_dir), "pbx_management_networks": MANAGEMENT,
                     "pbx_controls_skip": ["PBX-AMI-001", "PBX-FS-001"]}
        return run_play(tasks, play_vars, check=check, diff=True, path=[asterisk_cli.bin])

    return run


def _failed(results):
    return [(name, result) for name, result in results if result.get("failed")]


def _changed(results):
    return [name for name, result in results if result.get("changed")]


def _acl(config_dir, user):
    cfg = load_config(str(config_dir / "manager.conf"), str(config_dir))
    return category_acl(cfg.first(user))


def _shut_out(config_dir, user):
    """What the model of Asterisk's ACLs keeps out of localhost (127.0.0.1) and the management
    networks for ``user``."""
    return _acl(config_dir, user).refused(HOST_ONLY + networks(MANAGEMENT))


def _let_in(config_dir, user):
    """What it lets in from outside localhost (127.0.0.0/8) and the management networks."""
    return _acl(config_dir, user).leaks([LOOPBACK] + networks(MANAGEMENT))


@pytest.mark.parametrize("user", ["crm", "monitor", "dialer"])
def test_pbx_ami_002_user_keeps_localhost_and_management_networks_behind_deny_all(tmp_path, play, user):
    config_dir = _tree(tmp_path, [user])
    assert _shut_out(config_dir, user) or _let_in(config_dir, user)
    results = play(config_dir)
    assert _failed(results) == []
    assert _shut_out(config_dir, user) == []
    assert _let_in(config_dir, user) == []


def test_pbx_ami_002_every_user_ends_deny_all_then_localhost_and_management_networks(tmp_path, play):
    config_dir = _tree(tmp_path, list(USERS))
    before = (config_dir / "manager.conf").read_bytes()
    predicted = play(config_dir, check=True)
    assert (config_dir / "manager.conf").read_bytes() == before
    assert _failed(predicted) == []

    results = play(config_dir)
    assert _failed(results) == []
    assert _changed(results) == _changed(predicted) and _changed(results)
    for user in USERS:
        assert _shut_out(config_dir, user) == [], user
        assert _let_in(config_dir, user) == [], user
    text = (config_dir / "manager.conf").read_text()
    assert text.startswith(GENERAL) and USERS["stock"] in text
    assert all("secret = %s-secret-" % name in text for name in USERS)
    output = json.dumps(results)
    assert not [name for name in USERS if "%s-secret" % name in output]

    again = play(config_dir)
    assert _failed(again) == [] and _changed(again) == []
    assert (config_dir / "manager.conf").read_text() == text


@pytest.mark.parametrize("users, left", [
    ("[office](!)\ndeny = 0.0.0.0/0.0.0.0\npermit = 203.0.113.0/255.255.255.0\n"
     "[crm](office)\nsecret = crm-secret-1\n",
     "[crm] permit = 203.0.113.0/255.255.255.0 after the deny-all rule comes from a template"),
    ("[local](!)\npermit = 127.0.0.1/255.255.255.255\n[crm](local)\nsecret = crm-secret-1\n",
     "[crm] permit = 127.0.0.1/255.255.255.255 comes before the deny-all rule in a line the role "
     "may not edit"),
    ("[crm]\nsecret = crm-secret-1\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/255.255.255.255\n"
     "acl = office\n",
     "[crm] acl = office after the deny-all rule may let other addresses in"),
], ids=["template-permit-after-deny-all", "template-loopback-before-deny-all", "named-acl"])
def test_pbx_ami_002_what_a_template_or_named_acl_holds_fails_the_host(tmp_path, play, users,
                                                                       left):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    (config_dir / "manager.conf").write_text(GENERAL + users)
    failed = _failed(play(config_dir))
    assert [name for name, _result in failed] == [
        "PBX-AMI-002 | AUDIT | Fail on AMI users that may run system or CLI commands or "
        "originate calls, or that only FreePBX can close"]
    message = " ".join(failed[0][1]["msg"].split())
    assert left in message and "crm-secret" not in message


FREEPBX_MANAGER = os.path.join(_REPO, "tests", "images", "freepbx16", "generated", "manager.conf")
FREEPBX_USERS = (
    # FreePBX wrote a permit for everyone after the deny-all rule: only FreePBX can take it out.
    "[crm]\nsecret = crm-secret-1\ndeny = 0.0.0.0/0.0.0.0\npermit = 0.0.0.0/0.0.0.0\nread = call\n"
    # No deny-all: the rules appended in manager_custom.conf outrank what FreePBX wrote.
    "[ops]\nsecret = ops-secret-2\npermit = 203.0.113.0/255.255.255.0\n"
    "permit = 127.0.0.1/255.255.255.0\nread = call\n")


def test_pbx_ami_002_freepbx_users_are_closed_in_manager_custom_conf(tmp_path, run_play):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    shutil.copy(FREEPBX_MANAGER, str(config_dir / "manager.conf"))
    (config_dir / "manager_additional.conf").write_text(FREEPBX_USERS)
    (config_dir / "manager_custom.conf").write_text("")
    generated = [(config_dir / name).read_bytes()
                 for name in ("manager.conf", "manager_additional.conf")]
    fwconsole = tmp_path / "fwconsole"
    os.symlink(shutil.which("true"), str(fwconsole))
    facts = {"running": True, "freepbx": {"detected": True, "evidence": [str(fwconsole)],
                                          "ami_user": "admin"},
             "files": ["manager.conf"]}
    tasks = [
        facts_task(dict(facts, config_dir=str(config_dir)), "Facts of a FreePBX host"),
        {"name": "AMI", "ansible.builtin.include_role": {
            "name": "pbxsec.hardening.manager", "tasks_from": "main.yml"}},
    ]
    play_vars = {"pbx_config_dir": str(config_dir), "pbx_management_networks": MANAGEMENT,
                 "pbx_controls_skip": ["PBX-AMI-001", "PBX-FS-001"], "pbx_defer_failures": True}

    failed = _failed(run_play(tasks, play_vars))
    message = " ".join(failed[0][1]["msg"].split())
    assert len(failed) == 1 and "[crm] permit = 0.0.0.0/0.0.0.0 (%s:4) is in a file FreePBX " \
        "writes again" % (config_dir / "manager_additional.conf") in message
    assert "[ops]" not in message and "[admin]" not in message
    assert [(config_dir / name).read_bytes()
            for name in ("manager.conf", "manager_additional.conf")] == generated
    assert _shut_out(config_dir, "ops") == [] and _let_in(config_dir, "ops") == []
    admin = _acl(config_dir, "admin")
    assert admin.refused(HOST_ONLY) == [] and admin.leaks([LOOPBACK]) == []
    assert _changed(run_play(tasks, play_vars)) == []
