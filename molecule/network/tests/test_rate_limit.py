# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PBX-NET-004: a SIP flood from one provider address is cut to the rate limit (50/s, burst 100)."""

import pytest

from conftest import HARDENED, counter

FLOOD = dict(count=1000, rate=1000, timeout=2)      # 1000 OPTIONS in one second


def test_control_answers_the_whole_flood(probe):
    result = probe("provider", "flood", "control", **FLOOD)
    print("control flood: %s" % result)
    assert result["answered"] >= 0.9 * result["sent"]


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_004_flood_is_cut_and_counted(probe, host_of, pbx):
    host = host_of(pbx)
    before = counter(host, "sip_flood_dropped")
    result = probe("provider", "flood", pbx, **FLOOD)
    dropped = counter(host, "sip_flood_dropped") - before
    print("%s flood: %s, sip_flood_dropped +%d" % (pbx, result, dropped))
    # burst 100 + 50/s over about one second get through; the rest is dropped and counted.
    assert result["answered"] <= 100 + 50 * (result["send_seconds"] + 1) + 10
    assert dropped >= result["sent"] - 100 - 50 * (result["send_seconds"] + 1) - 10
    assert probe("provider", "sip", pbx, timeout=3)["result"] == "answer"


TCP_FLOOD = dict(count=300, timeout=0.8)            # 300 connections at once, before a SYN retry


def test_control_answers_the_whole_tcp_flood(probe):
    result = probe("provider", "tcpflood", "control", **TCP_FLOOD)
    print("control TCP flood: %s" % result)
    assert result["answered"] == result["sent"]


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_004_tcp_flood_is_cut_per_source(probe, host_of, pbx):
    """New TCP connections to 5060 from one provider address are cut to the burst plus the rate,
    the drops are counted; a second source (the LAN) right after is not punished."""
    host = host_of(pbx)
    before = counter(host, "sip_flood_dropped")
    result = probe("provider", "tcpflood", pbx, **TCP_FLOOD)
    second = probe("lan", "tcpflood", pbx, count=50, timeout=0.8)
    dropped = counter(host, "sip_flood_dropped") - before
    print("%s TCP flood: %s, sip_flood_dropped +%d; second source: %s" % (
        pbx, result, dropped, second))
    assert result["answered"] <= 100 + 50 * (result["send_seconds"] + 1) + 10
    assert dropped >= result["sent"] - result["answered"]
    assert second["answered"] == second["sent"]
