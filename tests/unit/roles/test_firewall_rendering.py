# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Static checks of roles firewall and fail2ban: their defaults, their documentation, and what
their templates render from the defaults (rendered by Ansible itself, with the role's defaults
and vars as Ansible loads them; no Asterisk, no nft needed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))
_ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")


def _role(name, *parts):
    return os.path.join(_REPO, "roles", name, *parts)


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def render(role, template, **extra):
    """``template`` of ``role`` rendered by Ansible with the role's defaults and vars (and the
    variables in ``extra``, the way registered results or facts would arrive)."""
    return evaluate(role, "{{ lookup('ansible.builtin.template', '%s') }}" % _role(
        role, "templates", template), **extra)


# What asterisk_facts reads from a stock configuration (tests/unit/plugins/module_utils/
# test_astconf_ports.py proves how it reads them).
STOCK_PORTS = {"sip": [5060, 5061], "iax2": 4569, "rtp": [5000, 31000]}


def evaluate(role, expression, **extra):
    """``expression`` evaluated by Ansible with the defaults of ``role`` and of the role it
    depends on (common), its vars and ``extra`` (the facts of a stock Asterisk's ports unless
    ``extra`` has its own)."""
    facts = dict(extra.get("ansible_facts") or {})
    facts["asterisk"] = dict({"ports": STOCK_PORTS}, **facts.get("asterisk", {}))
    extra["ansible_facts"] = facts
    # a play of every tag, as ansible-playbook without --tags runs it
    extra = dict({"ansible_run_tags": ["all"], "ansible_skip_tags": []}, **extra)
    result = _ansible(["-e", "@" + _role("common", "defaults", "main.yml"),
                       "-e", "@" + _role(role, "defaults", "main.yml"),
                       "-e", "@" + _role(role, "vars", "main.yml"),
                       "-e", json.dumps(extra),
                       "-m", "ansible.builtin.debug", "-a", json.dumps({"msg": expression})])
    assert not result.get("failed"), result
    return result["msg"]


def _ansible(arguments, prefix=()):
    """The result of one ``ansible localhost`` run (``prefix``: a command to run it under)."""
    command = list(prefix) + [_ANSIBLE, "localhost", "-i", "localhost,", "-c", "local",
                              "-e", "ansible_python_interpreter=%s" % sys.executable] + arguments
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(_REPO, ".cache", "collections"),
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    stdout = proc.stdout.decode("utf-8")
    assert "{" in stdout, proc.stderr.decode("utf-8")
    return json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"][0]["hosts"]["localhost"]


def test_pbx_net_001_default_ruleset_scopes_sip_to_kiwi_voip():
    ruleset = render("firewall", "pbxsec.nft.j2")
    assert "set provider4 {" in ruleset
    assert "elements = { 27.111.14.0/24 }" in ruleset
    assert "ip saddr @provider4 udp dport { 5060, 5061 } accept" in ruleset
    assert 'udp dport { 5060, 5061 } counter name "sip_dropped" drop' in ruleset
    assert "policy accept;" in ruleset


def test_pbx_net_001_peering_ip_replaces_the_provider_networks():
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_provider_peering_ip="27.111.14.66")
    assert "elements = { 27.111.14.66/32 }" in ruleset
    assert "27.111.14.0/24" not in ruleset


def test_pbx_net_002_rtp_range_defaults_to_asterisk_s_own():
    """Without rtp.conf, Asterisk uses 5000-31000."""
    ruleset = render("firewall", "pbxsec.nft.j2")
    assert "ip saddr @provider4 udp dport 5000-31000 accept" in ruleset


def test_pbx_net_001_ports_come_from_the_facts_and_the_operator():
    """FreePBX style: chan_sip on 5160 (udp) and 5161 (tls), PJSIP on 5060; 5070 added."""
    ports = dict(STOCK_PORTS, sip=[5060, 5061, 5160, 5161], rtp=[10000, 20000], iax2=4570)
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_firewall_sip_ports=[5070],
                     ansible_facts={"asterisk": {"ports": ports}})
    assert "ip saddr @provider4 udp dport { 5060, 5061, 5070, 5160, 5161 } accept" in ruleset
    assert "ip saddr @provider4 udp dport 10000-20000 accept" in ruleset
    assert "udp dport 4570" in ruleset


def test_pbx_net_004_rate_limit_and_its_counter():
    ruleset = render("firewall", "pbxsec.nft.j2")
    assert ("update @sip_meter4 { ip saddr limit rate over 50/second burst 100 packets }"
            ' counter name "sip_flood_dropped" drop') in ruleset


def test_skipped_controls_leave_their_rules_out():
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_controls_skip=["PBX-NET-004"],
                     pbx_waivers={"PBX-NET-002": "media gateway outside the provider ranges"})
    assert "sip_meter4" not in ruleset
    assert "rtp_dropped\" drop" not in ruleset
    assert 'counter name "sip_dropped" drop' in ruleset


@pytest.mark.parametrize("env,rule", [
    ({"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2 22"}, "ip saddr 198.51.100.9"),
    ({"SSH_CONNECTION": "::ffff:198.51.100.9 50000 ::ffff:10.0.0.2 22"}, "ip saddr 198.51.100.9"),
    ({"SSH_CLIENT": "2001:db8::9 50000 22"}, "ip6 saddr 2001:db8::9"),
])
def test_ssh_stays_open_to_the_ansible_connection(env, rule):
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_firewall_input_policy="drop",
                     ansible_facts={"env": env})
    assert "policy drop;" in ruleset
    assert rule + " tcp dport { 22 } accept" in ruleset
    assert "ip saddr @management4 tcp dport { 22 } accept" in ruleset


SSH_2222 = {"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2 2222"}


@pytest.mark.parametrize("env,extra,rule", [
    (SSH_2222, {}, "ip saddr 198.51.100.9 tcp dport { 22, 2222 } accept"),
    ({"SSH_CONNECTION": "2001:db8::9 50000 2001:db8::2 2222"}, {},
     "ip6 saddr 2001:db8::9 tcp dport { 22, 2222 } accept"),
    ({"SSH_CLIENT": "198.51.100.9 50000 2222"}, {},
     "ip saddr 198.51.100.9 tcp dport { 22, 2222 } accept"),
    ({"SSH_CONNECTION": "198.51.100.9 50000 10.0.0.2 22"}, {"ansible_port": 2200},
     "ip saddr 198.51.100.9 tcp dport { 22, 2200 } accept"),
])
def test_ssh_stays_open_on_the_port_the_ansible_connection_uses(env, extra, rule):
    """sshd on 2222 (issue 16, item 14): the port the connection came in on and ansible_port
    stay open, to the connection's address and to the management networks."""
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_firewall_input_policy="drop",
                     ansible_facts={"env": env}, **extra)
    assert rule in ruleset
    ports = rule[rule.index("{"):rule.index("}") + 1]
    assert "ip saddr @management4 tcp dport %s accept" % ports in ruleset


def test_a_local_or_docker_connection_has_nothing_to_keep():
    ruleset = render("firewall", "pbxsec.nft.j2", pbx_firewall_input_policy="drop",
                     ansible_facts={"env": {"HOME": "/root"}})
    assert "ip saddr @management4 tcp dport { 22 } accept" in ruleset
    assert " saddr 198.51.100.9" not in ruleset
    assert evaluate("firewall", "{{ __pbx_firewall_kept_connections }}",
                    ansible_facts={"env": {"HOME": "/root"}}) == []


def test_the_rendered_ruleset_with_sshd_on_2222_keeps_the_connection(tmp_path):
    """The role's ruleset and the connection it must keep, given to nft_ruleset in check mode
    (in a network namespace of its own): nft_ruleset loads it alone and shows that a new
    connection from the controller to 2222 is accepted."""
    if not (shutil.which("unshare") and shutil.which("nft")):
        pytest.skip("needs unshare and nft")
    facts = {"env": SSH_2222}
    args = dict(path=str(tmp_path / "pbxsec.nft"), state_path=str(tmp_path / "state.json"),
                content=render("firewall", "pbxsec.nft.j2", pbx_firewall_input_policy="drop",
                               ansible_facts=facts),
                dynamic_sets=evaluate("firewall", "{{ __pbx_firewall_dynamic_sets }}"),
                keep_connections=evaluate("firewall", "{{ __pbx_firewall_kept_connections }}",
                                          ansible_facts=facts))
    result = _ansible(["-m", "pbxsec.hardening.nft_ruleset", "-a", json.dumps(args), "--check"],
                      prefix=["unshare", "-rn"])
    if "Operation not permitted" in result.get("msg", ""):
        pytest.skip("cannot make a network namespace here")
    assert not result.get("failed"), result
    assert result["connections_kept"] == ["tcp/2222 from 198.51.100.9"]


def _fwconsole_list(*entries):
    """What ``fwconsole firewall list trusted`` prints (FreePBX's Console/Firewall.class.php)."""
    lines = ["All entries in zone 'trusted':"] + ["\t" + entry for entry in entries]
    return {"stdout_lines": lines}


@pytest.mark.parametrize("listed,extra,missing", [
    ((), {}, ["27.111.14.0/24"]),
    (("27.111.14.0/24",), {}, []),
    (("198.18.2.0/24", "27.111.14.0/24"), {"pbx_trusted_networks": ["198.18.1.0/24"]},
     ["198.18.1.0/24"]),
    (("27.111.14.66/32",), {"pbx_provider_peering_ip": "27.111.14.66"}, []),
    ((), {"pbx_provider_peering_ip": "27.111.14.66"}, ["27.111.14.66/32"]),
])
def test_pbx_net_001_freepbx_trusts_only_the_missing_networks(listed, extra, missing):
    """The networks FreePBX's Trusted zone lacks, as written there; the operator's own entries
    (198.18.2.0/24) are neither missing nor touched."""
    result = evaluate("firewall", "{{ __pbx_firewall_freepbx_missing }}",
                      pbx_discovered_firewall_freepbx_trusted=_fwconsole_list(*listed), **extra)
    assert result == missing


@pytest.mark.parametrize("major,freepbx,messages", [(16, False, "messages"),
                                                    (19, False, "messages.log"),
                                                    (22, False, "messages.log"),
                                                    (16, True, "full"), (20, True, "full")])
def test_pbx_log_002_jail_reads_the_messages_file_of_the_version(major, freepbx, messages):
    """Stock Asterisk logs NOTICE lines to messages (messages.log from 19); FreePBX to full."""
    jail = render("fail2ban", "pbxsec-asterisk.local.j2",
                  ansible_facts={"asterisk": {"version_major": major,
                                              "freepbx": {"detected": freepbx}}})
    assert "logpath  = /var/log/asterisk/%s\n           /var/log/asterisk/security\n" % messages \
        in jail


def test_pbx_log_002_default_jail_ignores_the_provider_not_the_trusted_lans():
    jail = render("fail2ban", "pbxsec-asterisk.local.j2", pbx_trusted_networks=["192.0.2.0/24"],
                  ansible_facts={"asterisk": {"version_major": 16, "freepbx": {"detected": False}}})
    assert "ignoreip = 127.0.0.1/8 ::1 27.111.14.0/24\n" in jail
    assert "action   = pbxsec-nftables\n" in jail
    assert "[recidive]\nenabled  = true\n" in jail


def test_pbx_log_002_ban_action_fills_the_firewall_sets():
    action = render("fail2ban", "pbxsec-nftables.conf.j2")
    firewall = render("firewall", "pbxsec.nft.j2")
    assert "actionban = nft add element <table> <set> { <ip> timeout <bantime>s }" in action
    assert "table = inet pbxsec\nset = banned4\n" in action
    assert "[Init?family=inet6]\nset = banned6\n" in action
    assert "ip saddr @banned4 counter" in firewall and "ip6 saddr @banned6 counter" in firewall


def test_shared_bans_have_their_sets_and_drop_before_anything_else():
    """The share_bans playbook loads the fleet's bans into shared4/shared6 (interval, timeout),
    apart from fail2ban's banned4/banned6; their drop comes before the SIP accepts, and a reload
    check ignores their elements."""
    ruleset = render("firewall", "pbxsec.nft.j2")
    for name, kind in (("shared4", "ipv4_addr"), ("shared6", "ipv6_addr")):
        assert "set %s {\n\t\ttype %s\n\t\tflags interval,timeout\n\t}" % (name, kind) in ruleset
    drop4 = ruleset.index('ip saddr @shared4 counter name "shared_dropped" drop')
    assert ruleset.index('ip6 saddr @shared6 counter name "shared_dropped" drop') > drop4
    assert drop4 < ruleset.index("ct state established,related accept")
    assert drop4 < ruleset.index("ip saddr @provider4 udp dport")
    assert {"shared4", "shared6"} <= set(evaluate("firewall", "{{ __pbx_firewall_dynamic_sets }}"))
