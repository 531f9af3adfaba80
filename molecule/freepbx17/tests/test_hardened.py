# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened FreePBX 17 layout host: controls proven live on Asterisk 22, FreePBX's generated
files untouched, its settings changed in its database."""

import re

from freepbx17_bed import ANONYMOUS_IDENTIFIER, SIP_PORT, anonymous_identifier_running, pjsip_setting
from freepbx_bed import changed_before_reloads, generated_changes, invite
from pbxsec_testbed import cli, was_rejected

testinfra_hosts = ["pbx"]


def test_pbx_pjs_001_anonymous_invite_is_rejected(host, attacker):
    result = invite(attacker, host, SIP_PORT)
    assert was_rejected(result), result


def test_pbx_pjs_001_anonymous_identifier_not_running(host):
    assert not anonymous_identifier_running(host)


def test_pbx_net_005_user_agent_hidden(host):
    assert pjsip_setting(host, "user_agent") == "PBX"


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


def test_changes_are_in_the_custom_files(host):
    assert "[general](+)" in host.file("/etc/asterisk/manager_custom.conf").content_string
    post = host.file("/etc/asterisk/pjsip_custom_post.conf").content_string
    assert re.search(r"^user_agent\s*=\s*PBX$", post, re.M), post


def test_pbx_pjs_001_anonymous_identifier_noloaded(host):
    """FreePBX does not write modules.conf: the role's noload survives every reload."""
    modules = host.file("/etc/asterisk/modules.conf").content_string
    assert re.search(r"^noload\s*=>\s*%s$" % re.escape(ANONYMOUS_IDENTIFIER), modules, re.M), modules


def test_pbx_log_001_security_log_in_the_custom_logger_file(host):
    custom = host.file("/etc/asterisk/logger_logfiles_custom.conf").content_string
    assert re.search(r"^security\s*=>?\s*security$", custom, re.M), custom
    assert "/var/log/asterisk/security" in cli(host, "logger show channels")
