# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unhardened FreePBX-layout host: every probe of test_hardened.py and
shared/freepbx/test_hardened_alike.py must fail here, so that a pass there means the role did it."""

import re

import pytest

from freepbx_bed import SIP_PORTS, generated_changes, invite, setting
from pbxsec_testbed import cli, was_rejected

testinfra_hosts = ["control"]


def test_control_allows_guests(host):
    assert re.search(r"Allow unknown access:\s+Yes\b", cli(host, "sip show settings"))


@pytest.mark.parametrize("port", SIP_PORTS)
def test_control_anonymous_invite_reaches_the_dialplan(host, attacker, port):
    result = invite(attacker, host, port)
    assert result["responses"] and not was_rejected(result), result


def test_control_ami_on_every_address(host):
    assert re.search(r"TCP Bindaddress:\s+0\.0\.0\.0:5038", cli(host, "manager show settings"))


def test_control_freepbx_settings_allow_guests(host):
    assert setting(host, "sipsettings", "keyword", "data", "allowguest").strip() == "yes"
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowanon").strip() == "Yes"
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowguest").strip() == "yes"


def test_control_generated_files_are_the_originals(host):
    assert generated_changes(host) == []


def test_freepbx_setting_check_mode_predicts_and_writes_nothing(host):
    result = host.ansible("pbxsec.hardening.freepbx_setting", "name=allowguest value=no",
                          check=True, become=False)
    assert result["changed"] and result["before"] == ["yes"], result
    assert setting(host, "sipsettings", "keyword", "data", "allowguest").strip() == "yes"
