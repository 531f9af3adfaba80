# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened FreePBX 16 layout host, chan_sip and PJSIP: controls proven live, the changes in the
custom files, its settings changed in its database (what holds alike on FreePBX 17 is in
molecule/shared/freepbx/test_hardened_alike.py)."""

import re

import pytest

from freepbx_bed import SIP_PORTS, invite, setting
from pbxsec_testbed import cli, was_rejected

testinfra_hosts = ["pbx"]


def test_pbx_sip_001_live_setting_disallows_guests(host):
    assert re.search(r"Allow unknown access:\s+No\b", cli(host, "sip show settings"))


def test_pbx_sip_004_live_setting_no_overlap(host):
    assert re.search(r"Allow overlap dialing:\s+No\b", cli(host, "sip show settings"))


def test_pbx_net_005_user_agent_hidden(host):
    assert re.search(r"User Agent:\s+PBX$", cli(host, "sip show settings"), re.M)


@pytest.mark.parametrize("port", SIP_PORTS)
def test_pbx_sip_001_pbx_pjs_001_anonymous_invite_is_rejected(host, attacker, port):
    result = invite(attacker, host, port)
    assert was_rejected(result), result


def test_pbx_dp_001_guest_context_in_the_custom_files(host):
    general = host.file("/etc/asterisk/sip_general_custom.conf").content_string
    assert re.search(r"^context\s*=\s*pbx-guest-reject$", general, re.M), general
    custom = host.file("/etc/asterisk/extensions_custom.conf").content_string
    assert "#tryinclude extensions_pbxsec.conf" in custom
    assert re.search(r"Context:\s+pbx-guest-reject$", cli(host, "sip show settings"), re.M)


def test_changes_are_in_the_custom_files(host):
    general = host.file("/etc/asterisk/sip_general_custom.conf").content_string
    assert re.search(r"^allowguest\s*=\s*no$", general, re.M)
    post = host.file("/etc/asterisk/sip_custom_post.conf").content_string
    assert "[provider-out](+)" in post
    assert "[general](+)" in host.file("/etc/asterisk/manager_custom.conf").content_string


def test_pbx_sip_001_freepbx_allow_sip_guests_off(host):
    assert setting(host, "sipsettings", "keyword", "data", "allowguest").strip() == "no"


def test_pbx_net_005_user_agent_inside_freepbx_global(host):
    """FreePBX writes [global] into pjsip.conf and includes pjsip_custom_post.conf inside it."""
    post = host.file("/etc/asterisk/pjsip_custom_post.conf").content_string
    assert re.search(r"^user_agent\s*=\s*PBX$", post, re.M), post
    assert re.search(r"^\s*user_agent\s*:\s*PBX$", cli(host, "pjsip show settings"), re.M)


def test_pbx_log_001_control_has_no_security_log(control):
    assert "/var/log/asterisk/security" not in cli(control, "logger show channels")
