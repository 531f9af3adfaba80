# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""fail2ban's jail files read in fail2ban's order, and PBX-LOG-002 judged on them (live=false)."""

from __future__ import annotations

import ipaddress

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_fail2ban import (
    read_jail,
    read_order,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_logging import (
    audit_fail2ban,
)

# Debian's layout: jail.conf pulls paths-debian.conf (which pulls paths-common.conf) first.
DEBIAN = {
    "fail2ban/paths-common.conf": "[DEFAULT]\nasterisk_log = /var/log/asterisk/messages\n",
    "fail2ban/paths-debian.conf": "[INCLUDES]\nbefore = paths-common.conf\n[DEFAULT]\n",
    "fail2ban/jail.conf": "[INCLUDES]\nbefore = paths-debian.conf\n[DEFAULT]\nenabled = false\n"
                          "ignoreip = 127.0.0.1/8\n[asterisk]\nport = 5060,5061\n"
                          "logpath = %(asterisk_log)s\n",
}


class Options:
    provider_nets = []
    management_nets = []


@pytest.fixture
def judge_log(astconf_tree, tmp_path):
    """``judge_log(jail_local or None)`` -> ``(status, findings)`` of PBX-LOG-002; ``{logs}`` in
    the text is the log directory (which holds messages, messages.log and security.log)."""
    def run(jail_local):
        logs = tmp_path / "log"
        files = {"etc/logger.conf": "[logfiles]\nsecurity.log => security\n",
                 "etc/asterisk.conf": "[directories]\nastlogdir => %s\n" % logs,
                 "log/messages": "", "log/messages.log": "", "log/security.log": ""}
        if jail_local is not None:
            files["fail2ban/jail.conf"] = DEBIAN["fail2ban/jail.conf"]
            files["fail2ban/jail.local"] = jail_local.replace("{logs}", str(logs))
        astconf_tree(files)
        options = Options()
        options.provider_nets = [ipaddress.IPv4Network("198.51.100.0/24")]
        options.fail2ban_dir = str(tmp_path / "fail2ban")
        with patch_module_args({}):
            module = AnsibleModule(argument_spec={})
        host = Host(module, str(tmp_path / "etc"), False)
        outcome = audit_fail2ban(host, options)["PBX-LOG-002"]
        return outcome.status, outcome.findings

    return run


def test_read_order_is_conf_then_d_conf_then_local_then_d_local(astconf_tree):
    root = astconf_tree({"fail2ban/jail.conf": "", "fail2ban/jail.local": "",
                         "fail2ban/jail.d/b.conf": "", "fail2ban/jail.d/a.local": "",
                         "fail2ban/jail.d/a.conf": ""})
    names = [p.split("fail2ban/", 1)[1] for p in read_order(str(root / "fail2ban"))]
    assert names == ["jail.conf", "jail.d/a.conf", "jail.d/b.conf", "jail.local", "jail.d/a.local"]


def test_defaults_includes_and_interpolation(astconf_tree):
    root = astconf_tree(DEBIAN)
    jail = read_jail(str(root / "fail2ban"), "asterisk")
    assert not jail.enabled
    assert jail.logpaths == ["/var/log/asterisk/messages"]


def test_later_file_overrides_and_multiline_logpath(astconf_tree):
    files = dict(DEBIAN)
    files["fail2ban/jail.d/pbxsec.conf"] = (
        "[asterisk]\nenabled = true\nlogpath = /var/log/asterisk/messages.log\n"
        "          /var/log/asterisk/security.log tail\nignoreip = 127.0.0.1/8 198.51.100.0/24\n")
    files["fail2ban/jail.local"] = "[asterisk]\nenabled = no\n"
    root = astconf_tree(files)
    jail = read_jail(str(root / "fail2ban"), "asterisk")
    assert not jail.enabled                       # jail.local comes after jail.d/*.conf
    assert jail.logpaths == ["/var/log/asterisk/messages.log", "/var/log/asterisk/security.log"]
    assert jail.list("ignoreip") == ["127.0.0.1/8", "198.51.100.0/24"]


def test_missing_jail_is_none(astconf_tree):
    root = astconf_tree({"fail2ban/jail.conf": "[sshd]\nenabled = true\n"})
    assert read_jail(str(root / "fail2ban"), "asterisk") is None


def test_pbx_log_002_enabled_jail_on_existing_logs(judge_log):
    status, findings = judge_log(
        "[asterisk]\nenabled = true\nlogpath = {logs}/messages*\n  {logs}/security.log\n"
        "ignoreip = 127.0.0.1/8 198.51.100.0/24\n")
    assert status == "pass", findings


def test_pbx_log_002_provider_not_ignored(judge_log):
    status, findings = judge_log(
        "[asterisk]\nenabled = true\nlogpath = {logs}/messages*\n  {logs}/security.log\n"
        "ignoreip = 127.0.0.1/8\n")
    assert status == "fail"
    assert "198.51.100.0/24" in findings[0]["message"]


def test_pbx_log_002_security_log_not_watched(judge_log):
    status, findings = judge_log(
        "[asterisk]\nenabled = true\nlogpath = {logs}/messages\nignoreip = 198.51.100.0/24\n")
    assert status == "fail"
    assert "security log" in findings[0]["message"]


def test_pbx_log_002_not_installed(judge_log):
    status, findings = judge_log(None)
    assert status == "fail" and "not installed" in findings[0]["message"]
