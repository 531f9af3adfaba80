# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""FreePBX's Firewall module active (pbx_firewall_freepbx_firewall: trust on `fpbx`): the provider
and trusted networks are in FreePBX's Trusted zone, no second ruleset is loaded, the operator's
own entry stays; check mode predicts without writing; `fail` stops with the message, changing
nothing. fwconsole is the freepbx16 image's stand-in (zones in FreePBX's kvstore table)."""

import pytest

from conftest import assert_stopped, container, playbook

HOST = "pbxsec-mn-fpbx"
PROVIDER, LAN, OPERATOR = "198.51.100.0/24", "198.18.1.0/24", "198.18.2.0/24"
# What the role may change: the Trusted zone, the nftables tables, the ruleset directory.
STATE = ("fwconsole firewall list trusted; nft list tables; ls -la /etc/nftables.d 2>&1;"
         " sha256sum /etc/nftables.conf 2>&1; true")


def trusted():
    out = container("fpbx").check_output("fwconsole firewall list trusted")
    assert out.splitlines()[0] == "All entries in zone 'trusted':"
    return [line.strip() for line in out.splitlines()[1:]]


def state():
    return container("fpbx").check_output(STATE)


def _changed(result):
    return result["stats"][HOST]["changed"]


def test_converge_trusted_the_networks_and_kept_the_operators():
    assert set(trusted()) >= {PROVIDER, LAN, OPERATOR}


def test_no_second_ruleset():
    host = container("fpbx")
    assert host.run("nft list table inet pbxsec").rc != 0
    assert not host.file("/etc/nftables.d/pbxsec.nft").exists


@pytest.fixture(scope="module")
def runs():
    """With the LAN untrusted (as if it were new): `fail`, check mode, real run, second run."""
    host = container("fpbx")
    assert "Success!" in host.check_output("fwconsole firewall untrust %s", LAN)
    before = state()
    fail = playbook("-e", "pbx_firewall_freepbx_firewall=fail", target="fpbx")
    after_fail = state()
    check = playbook("--check", target="fpbx")
    after_check = state()
    first = playbook(target="fpbx")
    after_first = trusted()
    second = playbook(target="fpbx")
    return dict(before=before, fail=fail, after_fail=after_fail, check=check,
                after_check=after_check, first=first, after_first=after_first, second=second)


def test_fail_stops_with_the_message_and_changes_nothing(runs):
    assert_stopped(runs["fail"], "FreePBX's Firewall module is active on this host; the role "
                   "changed nothing", runs["before"], runs["after_fail"])


def test_check_mode_predicts_the_trust_and_writes_nothing(runs):
    assert runs["check"][0] == 0, runs["check"][2][-3000:]
    assert runs["after_check"] == runs["before"]
    assert "fwconsole firewall trust %s" % LAN in runs["check"][2]
    assert runs["first"][0] == 0, runs["first"][2][-3000:]
    print("fpbx: check mode predicted %d changes, the real run made %d"
          % (_changed(runs["check"][1]), _changed(runs["first"][1])))
    assert _changed(runs["check"][1]) == _changed(runs["first"][1]) == 1


def test_real_run_adds_only_what_is_missing_and_second_run_changes_nothing(runs):
    assert set(runs["after_first"]) >= {PROVIDER, LAN, OPERATOR}
    assert len(runs["after_first"]) == len(set(runs["after_first"]))
    assert runs["second"][0] == 0 and _changed(runs["second"][1]) == 0
