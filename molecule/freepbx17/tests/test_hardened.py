# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened FreePBX 17 layout host, PJSIP on Asterisk 22: controls proven live, the changes in the
custom files (what holds alike on FreePBX 16 is in
molecule/shared/freepbx/test_hardened_alike.py)."""

import re

from freepbx17_bed import ANONYMOUS_IDENTIFIER, SIP_PORT, anonymous_identifier_running, pjsip_setting
from freepbx_bed import invite
from pbxsec_testbed import was_rejected

testinfra_hosts = ["pbx"]


def test_pbx_pjs_001_anonymous_invite_is_rejected(host, attacker):
    result = invite(attacker, host, SIP_PORT)
    assert was_rejected(result), result


def test_pbx_pjs_001_anonymous_identifier_not_running(host):
    assert not anonymous_identifier_running(host)


def test_pbx_net_005_user_agent_hidden(host):
    assert pjsip_setting(host, "user_agent") == "PBX"


def test_changes_are_in_the_custom_files(host):
    assert "[general](+)" in host.file("/etc/asterisk/manager_custom.conf").content_string
    post = host.file("/etc/asterisk/pjsip_custom_post.conf").content_string
    assert re.search(r"^user_agent\s*=\s*PBX$", post, re.M), post


def test_pbx_pjs_001_anonymous_identifier_noloaded(host):
    """FreePBX does not write modules.conf: the role's noload survives every reload."""
    modules = host.file("/etc/asterisk/modules.conf").content_string
    assert re.search(r"^noload\s*=>\s*%s$" % re.escape(ANONYMOUS_IDENTIFIER), modules, re.M), modules
