# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""FreePBX writes its generated files again (fwconsole reload, or Apply Config in the GUI): the
hardened host must stay compliant, because every change lives in a file FreePBX leaves alone.

Runs after test_hardened.py (file order), on the state that reload leaves."""

import json
import re

import pytest

from freepbx17_bed import SIP_PORT, anonymous_identifier_running, pjsip_setting
from freepbx_bed import generated_changes, invite
from pbxsec_testbed import cli, was_rejected
from test_compliant import NOT_JUDGED_HERE

testinfra_hosts = ["pbx"]


@pytest.fixture(scope="module")
def regenerated(host):
    """Make one generated file differ first, so that the reload is seen to rewrite them."""
    host.check_output("echo '; edited by hand' >> /etc/asterisk/pjsip.endpoint.conf")
    assert generated_changes(host) == ["pjsip.endpoint.conf"]
    assert "Reload Complete" in host.check_output("fwconsole reload")
    return host


def test_regenerated_files_are_the_originals(regenerated):
    assert generated_changes(regenerated) == []


def test_pbx_pjs_001_anonymous_invite_still_rejected(regenerated, attacker):
    result = invite(attacker, regenerated, SIP_PORT)
    assert was_rejected(result), result


def test_pbx_pjs_001_anonymous_identifier_still_not_running(regenerated):
    assert not anonymous_identifier_running(regenerated)


def test_pbx_net_005_user_agent_still_hidden(regenerated):
    assert pjsip_setting(regenerated, "user_agent") == "PBX"


def test_pbx_ami_001_still_bound_to_loopback(regenerated):
    assert re.search(r"TCP Bindaddress:\s+127\.0\.0\.1:5038", cli(regenerated, "manager show settings"))


def test_pbx_log_001_security_log_survives(regenerated):
    assert "/var/log/asterisk/security" in cli(regenerated, "logger show channels")


def test_every_control_still_passes_without_a_waiver(regenerated):
    """test_compliant.py's audit, on the files FreePBX wrote again (it runs before this file)."""
    args = {"provider_networks": ["198.51.100.0/24"], "trusted_networks": ["127.0.0.1/32"],
            "skip": ["PBX-LOG-002"]}
    result = regenerated.ansible("pbxsec.hardening.pbx_compliance", json.dumps(args), check=True,
                                 become=False)
    assert not result.get("failed"), result
    left = dict((entry["id"], entry["status"]) for entry in result["controls"]
                if entry["id"] not in NOT_JUDGED_HERE
                and entry["status"] not in ("pass", "not_applicable"))
    assert left == {}
