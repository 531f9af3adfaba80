# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Roles firewall and fail2ban refuse a variable that would change the text it is written into
(a newline, a brace, a quote) or that lacks its format, naming the variable, before any task
that writes. Each role runs for real (ansible-playbook, check mode) on an inventory of local
hosts, one bad variable per host."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))
_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

# One bad value for every variable the role writes into text; the argument specs catch some
# (types, choices), the preflight the others.
BAD = {
    "firewall": {
        "pbx_config_dir": "/etc/asterisk\n}",
        "pbx_provider_networks": ["27.111.14.0/24 }"],
        "pbx_provider_peering_ip": "27.111.14.66\n",
        "pbx_trusted_networks": ["192.0.2.0/24\n"],
        "pbx_management_networks": ["10.0.0.0/8 } accept"],
        "pbx_firewall_ssh_ports": [22, 0],
        "pbx_firewall_sip_ports": [70000],
        "pbx_firewall_admin_ports": ["5038\n"],
        "pbx_firewall_sip_rate": "50/second } accept",
        "pbx_firewall_sip_burst": "100\n",
        "pbx_firewall_ruleset_path": '/etc/nftables.d/x"; flush ruleset',
        "pbx_firewall_nftables_conf": "/etc/nftables.conf\n",
        "pbx_firewall_rollback_seconds": -1,
        "pbx_firewall_input_policy": "drop\n",
    },
    "fail2ban": {
        "pbx_config_dir": "/etc/asterisk }",
        "pbx_provider_networks": ["27.111.14.0/24\n"],
        "pbx_management_networks": ["10.0.0.0/8 }"],
        "pbx_fail2ban_ignore_networks": ["192.0.2.1/24"],
        "pbx_fail2ban_log_dir": "/var/log/asterisk\nenabled = false",
        "pbx_fail2ban_security_log": "security\n[sshd]",
        "pbx_fail2ban_maxretry": "5\n",
        "pbx_fail2ban_findtime": 0,
        "pbx_fail2ban_bantime": -1,
        "pbx_fail2ban_recidive_maxretry": "5 }",
        "pbx_fail2ban_recidive_findtime": "86400\n",
        "pbx_fail2ban_recidive_bantime": 0,
        "pbx_fail2ban_backend": "auto\n",
    },
}


def _formats(role):
    with open(os.path.join(_REPO, "roles", role, "vars", "main.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["__pbx_%s_input_formats" % role]


@pytest.mark.parametrize("role", sorted(BAD))
def test_every_checked_variable_has_a_bad_value_here(role):
    assert set(_formats(role)) <= set(BAD[role])


def _run(role, tmp_path):
    """``{host: [task results in order]}`` of ``role`` run in check mode, one host per bad
    variable (the host is named after it)."""
    inventory = {"all": {"hosts": dict(
        (name, {name: value, "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable})
        for name, value in BAD[role].items())}}
    (tmp_path / "inventory.yml").write_text(json.dumps(inventory))
    (tmp_path / "play.yml").write_text(json.dumps([{
        "hosts": "all", "gather_facts": False, "roles": ["pbxsec.hardening.%s" % role]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(_REPO, ".cache", "collections"),
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_NOCOLOR="1", ANSIBLE_FORKS="8",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    proc = subprocess.run([_PLAYBOOK, "-i", str(tmp_path / "inventory.yml"), "--check",
                           str(tmp_path / "play.yml")], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    stdout = proc.stdout.decode("utf-8")
    tasks = json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"]
    results = dict((host, []) for host in BAD[role])
    for task in tasks:
        for host, result in task["hosts"].items():
            results[host].append((task["task"]["name"].split(" : ", 1)[-1], result))
    return results


@pytest.mark.parametrize("role", sorted(BAD))
def test_a_bad_value_fails_the_role_naming_the_variable_before_anything_is_written(role,
                                                                                   tmp_path):
    for variable, results in _run(role, tmp_path).items():
        failed = [(name, result) for name, result in results if result.get("failed")]
        assert failed, (variable, results)
        name, result = failed[0]
        assert name.startswith(("Validating arguments", "Preflight | Variables")), (variable, name)
        assert variable in result["msg"], (variable, result["msg"])
        before = results[:results.index(failed[0])]
        assert not any(r.get("changed") for _name, r in before), (variable, before)
        assert all(n.startswith(("Validating arguments", "Preflight |")) for n, _r in before)


def test_fail2ban_on_freepbx_refuses_a_logger_change_freepbx_would_undo(tmp_path):
    """A FreePBX tree whose logger.conf does not read the custom logger file (the common role's
    facts give its layout): the preflight fails naming the file, and nothing changes."""
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    (config_dir / "sip_general_additional.conf").write_text(";--- FreePBX generated ---\n")
    logger = "[general]\n[logfiles]\nfull => notice,warning,error,verbose\n"
    (config_dir / "logger.conf").write_text(logger)
    inventory = {"all": {"hosts": {"fpbx": {
        "pbx_config_dir": str(config_dir), "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable}}}}
    (tmp_path / "inventory.yml").write_text(json.dumps(inventory))
    (tmp_path / "play.yml").write_text(json.dumps([{
        "hosts": "all", "gather_facts": False, "roles": ["pbxsec.hardening.fail2ban"]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(_REPO, ".cache", "collections"),
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    proc = subprocess.run([_PLAYBOOK, "-i", str(tmp_path / "inventory.yml"), str(tmp_path / "play.yml")],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    stdout = proc.stdout.decode("utf-8")
    tasks = json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"]
    failed = [(task["task"]["name"].split(" : ", 1)[-1], task["hosts"]["fpbx"]) for task in tasks
              if task["hosts"].get("fpbx", {}).get("failed")]
    assert len(failed) == 1, failed
    name, result = failed[0]
    assert name.startswith("Preflight | Variables"), name
    assert "custom files would not win" in result["msg"]
    assert "logger_logfiles_custom.conf is not included" in result["msg"]
    assert (config_dir / "logger.conf").read_text() == logger
    assert sorted(path.name for path in config_dir.iterdir()) == ["logger.conf", "sip_general_additional.conf"]
