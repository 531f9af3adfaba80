# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Other firewall managers, Debian's own packages on `managers`: ufw active -> the role coexists
and says so; firewalld running -> the role stops and changes nothing, unless
pbx_firewall_other_managers: coexist. The fresh host (neither) is the control."""

import pytest

from conftest import assert_stopped, container, playbook

STATE = ("nft list tables; nft list table inet pbxsec 2>&1; sha256sum /etc/nftables.d/* 2>&1;"
         " true")
FIREWALLD = ("firewalld; for i in $(seq 50); do firewall-cmd --state 2>/dev/null && exit 0;"
             " sleep 0.2; done; exit 1")


@pytest.fixture(scope="module")
def runs():
    host = container("managers")
    ufw = playbook(target="managers")
    tables = host.check_output("nft list tables")
    ufw_filter = host.check_output("nft list table ip filter")
    host.check_output(FIREWALLD)
    before = host.check_output(STATE)
    firewalld = playbook(target="managers")
    after = host.check_output(STATE)
    coexist = playbook("-e", "pbx_firewall_other_managers=coexist", target="managers")
    return dict(ufw=ufw, tables=tables, ufw_filter=ufw_filter, before=before,
                firewalld=firewalld, after=after, coexist=coexist)


def test_ufw_active_coexists_and_says_so(runs):
    rc, _result, out = runs["ufw"]
    assert rc == 0, out[-3000:]
    assert "ufw is active: its tables stay, ours is added" in out
    assert "table inet pbxsec" in runs["tables"]
    assert "ufw-before-input" in runs["ufw_filter"]          # ufw's own chains stay


def test_fresh_host_has_neither_manager():
    rc, _result, out = playbook("--check")
    assert rc == 0
    assert "ufw is not active; firewalld does not run" in out


def test_firewalld_running_stops_the_role_and_changes_nothing(runs):
    assert_stopped(runs["firewalld"], "firewalld runs on this host; the role changed nothing",
                   runs["before"], runs["after"])


def test_firewalld_coexist_when_told(runs):
    rc, _result, out = runs["coexist"]
    assert rc == 0, out[-3000:]
    assert "firewalld runs (coexisting)" in out
