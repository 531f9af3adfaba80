# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened FreePBX-layout host: controls proven live, FreePBX's generated files untouched, its
settings changed in its database."""

import re

import pytest

from freepbx_bed import SIP_PORTS, changed_before_reloads, generated_changes, invite, setting
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


def test_pbx_ami_001_bound_to_loopback(host):
    assert re.search(r"TCP Bindaddress:\s+127\.0\.0\.1:5038", cli(host, "manager show settings"))


def test_pbx_http_001_server_off(host):
    assert "Server Disabled" in cli(host, "http show status")


def test_generated_files_untouched(host):
    assert generated_changes(host) == []


def test_generated_files_untouched_before_every_reload(host):
    """The roles (converge and idempotence) ran fwconsole reload; each time, before it wrote
    FreePBX's files again, every one was byte-identical to the image's."""
    before = changed_before_reloads(host)
    assert before and all(changed == [] for changed in before), before


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


def test_pbx_log_001_security_log_in_the_custom_logger_file(host):
    custom = host.file("/etc/asterisk/logger_logfiles_custom.conf").content_string
    assert re.search(r"^security\s*=>?\s*security$", custom, re.M), custom
    assert "/var/log/asterisk/security" in cli(host, "logger show channels")


def test_pbx_log_001_control_has_no_security_log(control):
    assert "/var/log/asterisk/security" not in cli(control, "logger show channels")
