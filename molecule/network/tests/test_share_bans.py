# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet-wide bans (playbook pbxsec.hardening.share_bans): a brute-forcer banned by pbx16 gets no
answer from `remote` (SIP open to all, the LAN not trusted there) after the run; a provider
address banned by hand on pbx16 is never shared; pbx22, which trusts the LAN, does not get the
LAN address; a second run changes nothing; entries expire."""

import os
import time

import pytest

from conftest import attacker_address, banned, counter, nft_json
from pbxsec_testbed import run_json

FLEET = ["pbx16", "pbx22", "drop", "remote"]
MAXRETRY = 5


def shared(host):
    """``{element: expires}`` of the pbxsec table's shared4 set."""
    objects = nft_json(host, "set", "inet", "pbxsec", "shared4")
    elements = [item["set"].get("elem", []) for item in objects if "set" in item][0]
    out = {}
    for element in elements:
        inner = element["elem"] if isinstance(element, dict) and "elem" in element else {
            "val": element}
        out[str(inner["val"])] = inner.get("expires")
    return out


def share_bans(*args):
    """Run the share_bans playbook on the scenario's PBXs; (rc, per-host results of the loading
    task, stdout)."""
    started = time.monotonic()
    rc, result, out = run_json(["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"],
                                "pbxsec.hardening.share_bans", "-e", "pbx_hosts=pbx"]
                               + list(args))
    print("share_bans %s: rc %d in %.1f s" % (" ".join(args), rc, time.monotonic() - started))
    loads = {}
    for play in result.get("plays", []):
        for task in play["tasks"]:
            if task["task"]["name"].startswith("Share bans | Load the bans"):
                loads = dict((name.replace("pbxsec-mn-", ""), host)
                             for name, host in task["hosts"].items())
    return rc, loads, out


@pytest.fixture(scope="module")
def cleanup(host_of):
    """Unban the LAN and provider attackers on pbx16 and empty the shared sets afterwards, so
    that the tests can run again."""
    yield
    for jail in ("asterisk", "recidive"):
        for network in ("lan", "provider"):
            host_of("pbx16").run("fail2ban-client set %s unbanip %s", jail,
                                 attacker_address(network))
    for pbx in FLEET:
        host_of(pbx).run("nft flush set inet pbxsec shared4")


@pytest.fixture(scope="module")
def first_run(host_of, failed_register, probe, cleanup):
    """The LAN attacker brute-forces pbx16 until fail2ban bans it, the provider is banned there
    by hand, then share_bans runs once (timeout 1h)."""
    pbx16, lan, provider = host_of("pbx16"), attacker_address("lan"), attacker_address("provider")
    assert probe("lan", "sip", "remote")["result"] == "answer", "remote must answer before"
    attempts = 0
    while lan not in banned(pbx16) and attempts < MAXRETRY:
        failed_register("lan", "pbx16")
        attempts += 1
        deadline = time.monotonic() + 3
        while lan not in banned(pbx16) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert lan in banned(pbx16)
    pbx16.check_output("fail2ban-client set asterisk banip %s", provider)
    assert provider in banned(pbx16)
    return share_bans("-e", "pbx_share_bans_timeout=1h")


def test_share_bans_reaches_the_other_pbx(first_run, host_of, probe):
    rc, loads, out = first_run
    assert rc == 0, out[-3000:]
    remote = host_of("remote")
    lan = attacker_address("lan")
    assert lan in shared(remote)
    assert loads["remote"]["changed"] and lan in loads["remote"]["added"]
    before = counter(remote, "shared_dropped")
    assert probe("lan", "sip", "remote")["result"] == "silence"
    assert counter(remote, "shared_dropped") > before


def test_share_bans_never_shares_the_provider_nor_a_pbx_s_own_lan(first_run, host_of, probe):
    rc, loads, _out = first_run
    assert rc == 0
    provider, lan = attacker_address("provider"), attacker_address("lan")
    for pbx in FLEET:
        held = shared(host_of(pbx))
        assert provider not in held, pbx
        assert provider in loads[pbx]["excluded"], pbx
    for pbx in ("pbx16", "pbx22", "drop"):          # they trust the LAN (or manage from it)
        assert lan not in shared(host_of(pbx)), pbx
    assert probe("provider", "sip", "remote")["result"] == "answer"
    assert probe("lan", "sip", "pbx22")["result"] == "answer"


def test_share_bans_second_run_changes_nothing(first_run, host_of):
    held = shared(host_of("remote"))
    rc, loads, out = share_bans("-e", "pbx_share_bans_timeout=1h")
    assert rc == 0, out[-3000:]
    assert not any(host["changed"] for host in loads.values()), loads
    assert loads["remote"]["kept"] == 1
    assert set(shared(host_of("remote"))) == set(held)


def test_share_bans_check_mode_predicts_and_changes_nothing(first_run, host_of):
    remote = host_of("remote")
    remote.check_output("nft flush set inet pbxsec shared4")
    rc, loads, out = share_bans("-e", "pbx_share_bans_timeout=1h", "--check", "--diff")
    assert rc == 0, out[-3000:]
    assert loads["remote"]["changed"] and attacker_address("lan") in loads["remote"]["added"]
    assert shared(remote) == {}


def test_share_bans_entries_expire(first_run, host_of):
    remote = host_of("remote")
    remote.check_output("nft flush set inet pbxsec shared4")
    rc, _loads, out = share_bans("-e", "pbx_share_bans_timeout=8s")
    assert rc == 0, out[-3000:]
    assert attacker_address("lan") in shared(remote)
    time.sleep(9)
    assert attacker_address("lan") not in shared(remote)
