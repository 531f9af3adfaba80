# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""fail2ban's jail files read in fail2ban's order, and PBX-LOG-002 judged on them (live=false)."""

from __future__ import annotations

import ipaddress
import json

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_fail2ban import (
    action_family,
    action_names,
    read_jail,
    read_order,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils import compliance_logging
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_logging import (
    audit_fail2ban,
    firewall_backend,
)

# Debian's layout: jail.conf pulls paths-debian.conf (which pulls paths-common.conf) first.
DEBIAN = {
    "fail2ban/paths-common.conf": "[DEFAULT]\nasterisk_log = /var/log/asterisk/messages\n",
    "fail2ban/paths-debian.conf": "[INCLUDES]\nbefore = paths-common.conf\n[DEFAULT]\n",
    "fail2ban/jail.conf": "[INCLUDES]\nbefore = paths-debian.conf\n[DEFAULT]\nenabled = false\n"
                          "ignoreip = 127.0.0.1/8\nprotocol = tcp\nchain = <known/chain>\n"
                          "banaction = iptables-multiport\n"
                          "action_ = %(banaction)s[port=\"%(port)s\", protocol=\"%(protocol)s\", "
                          "chain=\"%(chain)s\"]\naction = %(action_)s\n"
                          "[asterisk]\nport = 5060,5061\n"
                          "action = %(banaction)s[name=%(__name__)s-tcp, port=\"%(port)s\", "
                          "protocol=\"tcp\"]\n"
                          "         %(banaction)s[name=%(__name__)s-udp, port=\"%(port)s\", "
                          "protocol=\"udp\"]\n"
                          "logpath = %(asterisk_log)s\n",
}
# fail2ban's own action files, reduced to what decides where a ban goes (their structure as
# shipped: the multiport actions include the common file that defines the command tag).
ACTIONS = {
    "fail2ban/action.d/iptables.conf": "[Definition]\nactionstart = <iptables> -N f2b-<name>\n"
                                       "actionban = <iptables> -I f2b-<name> 1 -s <ip> -j <blocktype>\n"
                                       "[Init]\niptables = iptables <lockingopt>\n",
    "fail2ban/action.d/iptables-multiport.conf": "[INCLUDES]\nbefore = iptables.conf\n"
                                                 "[Definition]\nactionstart = <iptables> -N f2b-<name>\n",
    "fail2ban/action.d/nftables.conf": "[Definition]\nactionstart = <nftables> add table <table_family> "
                                       "<table>\nactionban = <nftables> add element <table_family> "
                                       "<table> <addr_set> { <ip> }\n[Init]\nnftables = nft\n",
    "fail2ban/action.d/nftables-multiport.conf": "[INCLUDES]\nbefore = nftables.conf\n"
                                                 "[Init]\ntype = multiport\n",
    "fail2ban/action.d/sendmail-whois.conf": "[Definition]\nactionban = printf %%b \"banned <ip>\" | "
                                             "/usr/sbin/sendmail -f <sender> <dest>\n",
    "fail2ban/action.d/pbxsec-nftables.conf": "[Definition]\nactionstart =\nactionban = nft add "
                                              "element <table> <set> { <ip> timeout <bantime>s }\n"
                                              "[Init]\ntable = inet pbxsec\nset = banned4\n",
}


class Options:
    provider_nets = []
    management_nets = []


@pytest.fixture
def judge_log(astconf_tree, tmp_path):
    """``judge_log(jail_local or None)`` -> ``(status, findings)`` of PBX-LOG-002; ``{logs}`` in
    the text is the log directory (which holds messages, messages.log and security.log)."""
    def run(jail_local, logger="[logfiles]\nsecurity.log => security\n"):
        logs = tmp_path / "log"
        files = {"etc/logger.conf": logger,
                 "etc/asterisk.conf": "[directories]\nastlogdir => %s\n" % logs,
                 "log/messages": "", "log/messages.log": "", "log/security.log": "",
                 "log/full": ""}
        if jail_local is not None:
            files["fail2ban/jail.conf"] = DEBIAN["fail2ban/jail.conf"]
            files.update(ACTIONS)
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


# FreePBX's logger_logfiles_additional.conf: NOTICE lines go to full; there is no messages.
FREEPBX_LOGGER = ("[logfiles]\nconsole => notice,warning,error,verbose\n"
                  "full => notice,warning,error,debug,verbose,dtmf,fax\n"
                  "security.log => security\n")


def test_pbx_log_002_messages_log_is_where_logger_sends_notice(judge_log):
    status, findings = judge_log(
        "[asterisk]\nenabled = true\nlogpath = {logs}/messages\n  {logs}/security.log\n"
        "ignoreip = 198.51.100.0/24\n", logger=FREEPBX_LOGGER)
    assert status == "fail"
    assert "messages log" in findings[0]["message"] and "/full" in findings[0]["message"]
    status, findings = judge_log(
        "[asterisk]\nenabled = true\nlogpath = {logs}/full\n  {logs}/security.log\n"
        "ignoreip = 198.51.100.0/24\n", logger=FREEPBX_LOGGER)
    assert status == "pass", findings


def test_pbx_log_002_not_installed(judge_log):
    status, findings = judge_log(None)
    assert status == "fail" and "not installed" in findings[0]["message"]


# --- PBX-LOG-002: the ban action acts on the firewall in use -----------------------------------

PBXSEC_RULESET = {"nftables": [{"metainfo": {"json_schema_version": 1}},
                               {"table": {"family": "inet", "name": "pbxsec", "handle": 1}}]}
IPTABLES_NFT_RULESET = {"nftables": [{"metainfo": {"json_schema_version": 1}},
                                     {"table": {"family": "ip", "name": "filter", "handle": 1}}]}
EMPTY_RULESET = {"nftables": [{"metainfo": {"json_schema_version": 1}}]}


class LiveHost:
    """What firewall_backend asks of a live host: the ``nft -j list ruleset`` answer (the JSON
    nft prints) and whether iptables is installed."""

    live = True

    def __init__(self, ruleset, iptables=False):
        self.answer = (0, json.dumps(ruleset)) if ruleset is not None else (127, "")
        self.module = self
        self.iptables = iptables

    def nft_ruleset(self):
        return self.answer

    def get_bin_path(self, name, opt_dirs=None):
        return "/usr/sbin/iptables" if name == "iptables" and self.iptables else None


def test_action_names_one_a_line_with_bracketed_parameters():
    value = 'iptables-multiport[name=a, port="5060,\n 5061"]\n  sendmail-whois[dest=x]\npbxsec-nftables'
    assert action_names(value) == ["iptables-multiport", "sendmail-whois", "pbxsec-nftables"]


@pytest.mark.parametrize("name, family", [
    ("iptables-multiport", "iptables"),      # through its before= iptables.conf
    ("nftables-multiport", "nftables"),
    ("pbxsec-nftables", "nftables"),         # what the fail2ban role writes
    ("sendmail-whois", "notify"),
    ("firewallcmd-ipset", "firewalld"),      # not in action.d: judged by its name
    ("my-own", "unknown"),
])
def test_action_family(astconf_tree, name, family):
    root = astconf_tree(ACTIONS)
    assert action_family(str(root / "fail2ban"), name) == family


@pytest.mark.parametrize("ruleset, iptables, backend", [
    (PBXSEC_RULESET, True, "nftables"),
    (IPTABLES_NFT_RULESET, True, "iptables"),
    (EMPTY_RULESET, True, "iptables"),
    (EMPTY_RULESET, False, "nftables"),
    (None, True, "iptables"),
    (None, False, None),
])
def test_firewall_backend(ruleset, iptables, backend):
    assert firewall_backend(LiveHost(ruleset, iptables))[0] == backend


@pytest.mark.parametrize("action, ruleset, expected", [
    ("pbxsec-nftables", PBXSEC_RULESET, []),
    ("nftables-multiport", PBXSEC_RULESET, []),
    ("iptables-multiport", PBXSEC_RULESET, ["acts on iptables"]),
    ("iptables-multiport", IPTABLES_NFT_RULESET, []),
    ("pbxsec-nftables", IPTABLES_NFT_RULESET, ["inet pbxsec, which is not loaded"]),
    ("sendmail-whois", PBXSEC_RULESET, ["only notify"]),
    ("", PBXSEC_RULESET, ["action is empty"]),
])
def test_pbx_log_002_ban_action_matches_the_firewall(astconf_tree, action, ruleset, expected):
    root = astconf_tree(dict(ACTIONS, **{
        "fail2ban/jail.local": "[asterisk]\nenabled = true\naction = %s\n" % action}))
    jail = read_jail(str(root / "fail2ban"), "asterisk")
    found = compliance_logging._ban_findings(LiveHost(ruleset, True), str(root / "fail2ban"), jail)
    assert len(found) == len(expected), found
    for item, text in zip(found, expected):
        assert text in item["message"]
