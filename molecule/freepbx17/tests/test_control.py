# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unhardened FreePBX 17 layout host: every probe of test_hardened.py and
shared/freepbx/test_hardened_alike.py must fail here, so that a pass there means the role did it."""

import re

from freepbx17_bed import SIP_PORT, anonymous_identifier_running, endpoints, pjsip_setting
from freepbx_bed import generated_changes, invite, setting
from pbxsec_testbed import cli, was_rejected

testinfra_hosts = ["control"]


def test_control_anonymous_endpoint_live(host):
    assert "anonymous" in endpoints(host)
    assert anonymous_identifier_running(host)


def test_control_anonymous_invite_reaches_the_dialplan(host, attacker):
    result = invite(attacker, host, SIP_PORT)
    assert result["responses"] and not was_rejected(result), result


def test_control_user_agent_gives_freepbx_away(host):
    assert pjsip_setting(host, "user_agent").startswith("FPBX-17.")


def test_control_no_chan_sip(host):
    assert "0 modules loaded" in cli(host, "module show like chan_sip.so")


def test_control_ami_on_every_address(host):
    assert re.search(r"TCP Bindaddress:\s+0\.0\.0\.0:5038", cli(host, "manager show settings"))


def test_control_freepbx_settings_allow_guests_and_anonymous(host):
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowanon").strip() == "Yes"
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowguest").strip() == "yes"


def test_control_generated_files_are_the_originals(host):
    assert generated_changes(host) == []


def test_freepbx_setting_check_mode_predicts_and_writes_nothing(host):
    result = host.ansible("pbxsec.hardening.freepbx_setting",
                          "table=kvstore_Sipsettings name=allowanon value=No",
                          check=True, become=False)
    assert result["changed"] and result["before"] == ["Yes"], result
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowanon").strip() == "Yes"


def test_pbx_log_001_control_has_no_security_log(host):
    assert "/var/log/asterisk/security" not in cli(host, "logger show channels")
