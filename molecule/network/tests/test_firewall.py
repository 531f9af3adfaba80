# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PBX-NET-001..003: who gets an answer, on the hardened PBXs and on the unhardened control."""

import pytest

from conftest import HARDENED, counter

# (control, what the probe sends, port)
PORTS = [
    ("PBX-NET-001", "sip", 5060),
    ("PBX-NET-001", "tcp", 5060),
    ("PBX-NET-003", "iax", 4569),
    ("PBX-NET-003", "tcp", 5038),
]
IDS = ["%s-%s-%d" % port for port in PORTS]


@pytest.mark.parametrize("control_id,kind,port", PORTS, ids=IDS)
def test_control_answers_the_internet(probe, control_id, kind, port):
    """The probe can see an answer: the unhardened control gives one to the Internet attacker."""
    assert probe("internet", kind, "control", port)["result"] == "answer", control_id


@pytest.mark.parametrize("pbx", HARDENED)
@pytest.mark.parametrize("control_id,kind,port", PORTS, ids=IDS)
def test_pbx_net_00x_no_answer_to_the_internet(probe, host_of, pbx, control_id, kind, port):
    assert probe("internet", kind, pbx, port)["result"] == "silence", control_id


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_001_provider_and_lan_get_sip_answers(probe, pbx):
    assert probe("provider", "sip", pbx)["result"] == "answer"
    assert probe("lan", "sip", pbx)["result"] == "answer"


def test_pbx_net_003_iax2_answers_the_provider(probe):
    assert probe("provider", "iax", "pbx16")["result"] == "answer"


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_003_ami_closed_to_provider_and_lan(probe, pbx):
    """AMI is for loopback and the management networks (198.18.1.240/28) only."""
    assert probe("provider", "tcp", pbx, 5038)["result"] == "silence"
    assert probe("lan", "tcp", pbx, 5038)["result"] == "silence"


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_001_drops_are_counted(probe, host_of, pbx):
    host = host_of(pbx)
    before = counter(host, "sip_dropped")
    assert probe("internet", "sip", pbx)["result"] == "silence"
    assert counter(host, "sip_dropped") > before


@pytest.mark.parametrize("pbx", HARDENED)
def test_pbx_net_002_rtp_range_is_the_one_rtp_conf_sets(host_of, pbx):
    """Debian's rtp.conf sets 10000-20000 (Asterisk's own default would be 5000-31000)."""
    host = host_of(pbx)
    assert host.file("/etc/asterisk/rtp.conf").contains("^rtpstart=10000")
    ruleset = host.file("/etc/nftables.d/pbxsec.nft").content_string
    assert "ip saddr @provider4 udp dport 10000-20000 accept" in ruleset
    assert "udp dport 10000-20000 counter name \"rtp_dropped\" drop" in ruleset


@pytest.mark.parametrize("pbx", HARDENED)
def test_only_the_pbxsec_table_is_ours_and_it_loads_at_boot(host_of, pbx):
    host = host_of(pbx)
    ruleset = host.file("/etc/nftables.d/pbxsec.nft")
    assert ruleset.mode == 0o640
    assert ruleset.content_string.startswith("#!/usr/sbin/nft -f\n")
    assert "table inet pbxsec {}\ndelete table inet pbxsec\n" in ruleset.content_string
    conf = host.file("/etc/nftables.conf").content_string
    assert conf.count('include "/etc/nftables.d/pbxsec.nft"') == 1
    assert "flush ruleset" in conf                          # Debian's own lines are kept
    assert host.run("nft -c -f /etc/nftables.conf").rc == 0


def test_rollback_guard_was_confirmed(host_of):
    """pbx22 converges with pbx_firewall_rollback_seconds: 30; the play cancelled the revert."""
    host = host_of("pbx22")
    assert not host.file("/etc/nftables.d/pbxsec.nft.rollback").exists
    assert host.run("nft list table inet pbxsec").rc == 0
