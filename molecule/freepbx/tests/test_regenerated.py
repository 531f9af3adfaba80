# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""FreePBX writes its generated files again (fwconsole reload, or Apply Config in the GUI): the
hardened host must stay compliant, because every change lives in a file FreePBX leaves alone.

Runs after test_hardened.py (file order), on the state that reload leaves."""

import re

import pytest

from freepbx_bed import SIP_PORTS, generated_changes, invite
from pbxsec_testbed import cli, was_rejected

testinfra_hosts = ["pbx"]


@pytest.fixture(scope="module")
def regenerated(host):
    """Make one generated file differ first, so that the reload is seen to rewrite them."""
    host.check_output("echo '; edited by hand' >> /etc/asterisk/sip_general_additional.conf")
    assert generated_changes(host) == ["sip_general_additional.conf"]
    assert "Reload Complete" in host.check_output("fwconsole reload")
    return host


def test_regenerated_files_are_the_originals(regenerated):
    assert generated_changes(regenerated) == []


def test_pbx_sip_001_still_no_guests(regenerated):
    assert re.search(r"Allow unknown access:\s+No\b", cli(regenerated, "sip show settings"))


@pytest.mark.parametrize("port", SIP_PORTS)
def test_pbx_sip_001_pbx_pjs_001_anonymous_invite_still_rejected(regenerated, attacker, port):
    result = invite(attacker, regenerated, port)
    assert was_rejected(result), result


def test_pbx_log_001_security_log_survives(regenerated):
    assert "/var/log/asterisk/security" in cli(regenerated, "logger show channels")
