# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PBX-LOG-001 and PBX-LOG-002: the security log, and brute force banned in the pbxsec table."""

import time

import pytest

from conftest import HARDENED, attacker_address, banned, counter

MAXRETRY = 5


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_log_001_security_channel_is_live(host_of, pbx):
    channels = host_of(pbx).check_output("asterisk -rx 'logger show channels'")
    assert any(line.split()[0] == "/var/log/asterisk/security" and "SECURITY" in line
               for line in channels.splitlines() if line.strip())


def test_pbx_log_001_control_has_no_security_channel(host_of):
    channels = host_of("control").check_output("asterisk -rx 'logger show channels'")
    assert "SECURITY" not in channels


@pytest.mark.parametrize("pbx,messages", [("pbx16", "messages"), ("pbx22", "messages.log")])
def test_pbx_log_002_jail_reads_the_logs_of_this_version(host_of, pbx, messages):
    status = host_of(pbx).check_output("fail2ban-client status asterisk")
    assert "/var/log/asterisk/%s /var/log/asterisk/security" % messages in status
    assert "Jail list:\tasterisk, recidive" in host_of(pbx).check_output("fail2ban-client status")


@pytest.fixture
def unban(host_of):
    """Unban the LAN attacker afterwards, so that the tests can run again."""
    yield
    for pbx in HARDENED:
        for jail in ("asterisk", "recidive"):
            host_of(pbx).run("fail2ban-client set %s unbanip %s", jail, attacker_address("lan"))


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_log_002_brute_force_from_the_lan_is_banned(host_of, failed_register, probe, unban,
                                                        pbx):
    """The LAN is trusted for SIP but not ignored by fail2ban: wrong secrets get it banned
    within maxretry attempts, and then nothing answers it."""
    host = host_of(pbx)
    lan = attacker_address("lan")
    assert lan not in banned(host)
    attempts, answered = 0, time.monotonic()
    while lan not in banned(host) and attempts < MAXRETRY:
        assert failed_register("lan", pbx), "the PBX must answer before the ban"
        attempts += 1
        answered = time.monotonic()
        while lan not in banned(host) and time.monotonic() < answered + 3:
            time.sleep(0.1)
    print("%s: banned after %d failed REGISTERs, %.1f s after the last answer" % (
        pbx, attempts, time.monotonic() - answered))
    assert lan in banned(host)
    before = counter(host, "banned_dropped")
    assert failed_register("lan", pbx) == []
    assert probe("lan", "sip", pbx)["result"] == "silence"
    assert counter(host, "banned_dropped") > before


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_log_002_provider_is_never_banned(host_of, failed_register, pbx):
    host = host_of(pbx)
    for attempt in range(2 * MAXRETRY):
        print("%s: failed REGISTER %d from the provider" % (pbx, attempt + 1))
        assert failed_register("provider", pbx)
    time.sleep(3)
    assert attacker_address("provider") not in banned(host)
    assert failed_register("provider", pbx)
