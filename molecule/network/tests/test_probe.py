# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outside-in probe (issue 18, item 1, PBX-PRB-001..003): the audit playbook with
``pbx_probe: true`` run from the provider network's and the Internet's attacker containers
(``pbx_probe_host``) on two hardened PBXs and their stock twins of the same image: pbx16 and
control (Asterisk 16, chan_sip), pbx22 and control22 (Asterisk 22, the typical site's PJSIP).

From the Internet the hardened PBXs are silent (firewall): every PBX-PRB control passes there,
while the stock twins answer OPTIONS, let the anonymous INVITE into the dialplan and, on the
site, tell an existing user from a non-existing one by the REGISTER answer. From the provider
network (let through by the firewall) OPTIONS may be answered (PBX-PRB-001 is not judged there),
the hardened PBXs challenge the INVITE and answer both REGISTERs alike (sip role); the stock twins
do neither. Stock Asterisk 16 defines no phone user: PBX-PRB-003 has nothing to compare there."""

import json
import os
import time

import pytest

from conftest import address, attacker_address
from pbxsec_testbed import run_json

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
TWINS = [("pbx16", "control"), ("pbx22", "control22")]       # hardened, stock (same image)
PROBED = [pbx for pair in TWINS for pbx in pair]
PROBE_TASK = "PBX-PRB-001..003 | AUDIT | Probe"
# Per port: UDP sends each of four requests at most three times (RFC 3261 timer A) plus the
# INVITE's CANCEL and ACK or BYE; TCP each request once plus those two.
MAX_PACKETS_PER_PORT = 4 * 3 + 2 + 4 + 2


def audit_with_probe(network, reports):
    """Run playbooks/audit.yml on the probed PBXs with the probe in ``network``'s attacker, each
    PBX at its address on that network (``pbx_probe_address``): ``{pbx: {control: (status,
    findings)}}`` of the PBX-PRB controls in the fleet report, and ``{pbx: probe task result}``."""
    addresses = dict(("pbxsec-mn-" + pbx, address(pbx, network)) for pbx in PROBED)
    extra = {"pbx_hosts": ":".join("pbxsec-mn-" + pbx for pbx in PROBED),
             "pbx_probe": True, "pbx_probe_host": "pbxsec-mn-" + network,
             "pbxsec_probe_addresses": addresses,
             "pbx_probe_address": "{{ pbxsec_probe_addresses[inventory_hostname] }}",
             "pbx_report_dir": str(reports), "pbx_audit_fail": False}
    started = time.monotonic()
    rc, result, out = run_json(["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"],
                               os.path.join(PROJECT, "playbooks", "audit.yml"),
                               "-e", json.dumps(extra)])
    print("audit with the probe from the %s network: rc %d in %.1f s for %d PBXs"
          % (network, rc, time.monotonic() - started, len(PROBED)))
    assert rc == 0, out[-3000:]
    with open(os.path.join(str(reports), "fleet.json"), encoding="utf-8") as handle:
        fleet = json.load(handle)
    # A PBX the audit could not judge (e.g. no sudo for become) has no control, probe or not.
    unjudged = dict((host["name"], host["reason"]) for host in fleet["hosts"]
                    if host["status"] in ("unreachable", "failed"))
    assert not unjudged, "%s\n%s" % (unjudged, out[-3000:])
    verdicts = dict((host["name"].replace("pbxsec-mn-", ""),
                     dict((entry["id"], (entry["status"], entry["findings"]))
                          for entry in host["controls"] if entry["id"].startswith("PBX-PRB-")))
                    for host in fleet["hosts"])
    probes = {}
    for play in result.get("plays", []):
        for task in play["tasks"]:
            if task["task"]["name"].startswith(PROBE_TASK):
                probes = dict((name.replace("pbxsec-mn-", ""), host)
                              for name, host in task["hosts"].items())
    return verdicts, probes


@pytest.fixture(scope="module")
def from_network(tmp_path_factory):
    """``from_network(network)``: :func:`audit_with_probe` from ``network``, run once each."""
    runs = {}

    def run(network):
        if network not in runs:
            runs[network] = audit_with_probe(network, tmp_path_factory.mktemp("probe-" + network))
        return runs[network]

    return run


def status(verdicts, pbx, control):
    return verdicts[pbx][control][0]


def messages(verdicts, pbx, control, where=None):
    return [item["message"] for item in verdicts[pbx][control][1]
            if where is None or item["object"] == where]


@pytest.mark.parametrize("network", ["internet", "provider"])
def test_pbx_prb_probe_goes_to_the_inventory_address_only_and_is_bounded(from_network, network):
    """Every probed PBX is judged by the probe (not "probe not run"), from the attacker's
    address, at the address the inventory gives it, with a bounded number of packets."""
    verdicts, probes = from_network(network)
    assert sorted(verdicts) == sorted(PROBED) and sorted(probes) == sorted(PROBED)
    for pbx in PROBED:
        probe = probes[pbx]
        assert not probe.get("failed"), probe
        assert probe["address"] == address(pbx, network)
        assert probe["source"] == attacker_address(network)
        assert probe["source_inside"] is (network == "provider")
        ports = set(item["port"] for item in probe["probes"])
        assert 0 < probe["packets"] <= MAX_PACKETS_PER_PORT * len(ports), probe["packets"]
        print("%s from the %s network: %d packets to %s, ports %s" % (
            pbx, network, probe["packets"], probe["address"], sorted(ports)))
        for control, (dummy, findings) in verdicts[pbx].items():
            assert findings, control
            assert all(attacker_address(network) in item["message"] for item in findings)


def test_pbx_prb_probe_refuses_an_address_the_inventory_does_not_give():
    """Asked for another address than the inventory's (a stock PBX's, here) or for a host not in
    the inventory, the action refuses before anything is sent."""
    inventory = os.environ["MOLECULE_INVENTORY_FILE"]
    stock = address("control", "internet")
    for host, target in (("pbxsec-mn-pbx16", stock), (stock, None)):
        args = {"host": host}
        if target:
            args["address"] = target
        rc, result, out = run_json(["ansible", "pbxsec-mn-internet", "-i", inventory, "-m",
                                   "pbxsec.hardening.pbx_probe", "-a", json.dumps(args)])
        assert rc != 0, out[-3000:]
        got = result["plays"][0]["tasks"][0]["hosts"]["pbxsec-mn-internet"]
        assert got.get("failed") and "packets" not in got, got
        assert ("refused: %s is not the address the inventory gives" % target in got["msg"]
                if target else "must name a host of the inventory" in got["msg"]), got["msg"]


@pytest.mark.parametrize("hardened,stock", TWINS)
def test_pbx_prb_001_hardened_pbx_is_silent_to_the_internet(from_network, hardened, stock):
    verdicts, dummy = from_network("internet")
    assert status(verdicts, stock, "PBX-PRB-001") == "fail"
    assert any("OPTIONS answered" in text
               for text in messages(verdicts, stock, "PBX-PRB-001", "udp/5060"))
    assert status(verdicts, hardened, "PBX-PRB-001") == "pass"
    assert all("no answer" in text for text in messages(verdicts, hardened, "PBX-PRB-001"))


@pytest.mark.parametrize("pbx", PROBED)
def test_pbx_prb_001_is_not_judged_from_the_provider_network(from_network, pbx):
    """The provider may get OPTIONS answered (the hardened PJSIP site challenges them): the
    probe sees the answer and does not judge it."""
    verdicts, dummy = from_network("provider")
    assert status(verdicts, pbx, "PBX-PRB-001") == "not_applicable"
    assert any("as expected from there" in text
               for text in messages(verdicts, pbx, "PBX-PRB-001", "udp/5060"))


@pytest.mark.parametrize("network", ["internet", "provider"])
@pytest.mark.parametrize("hardened,stock", TWINS)
def test_pbx_prb_002_anonymous_invite_never_reaches_the_dialplan(
        from_network, hardened, stock, network):
    verdicts, dummy = from_network(network)
    assert status(verdicts, stock, "PBX-PRB-002") == "fail"
    assert any("reached the dialplan" in text
               for text in messages(verdicts, stock, "PBX-PRB-002", "udp/5060"))
    assert status(verdicts, hardened, "PBX-PRB-002") == "pass"
    udp = messages(verdicts, hardened, "PBX-PRB-002", "udp/5060")
    # Silence from the Internet (firewall), a challenge from the provider network (sip role).
    wanted = "no answer" if network == "internet" else "anonymous INVITE refused (401"
    assert udp and all(wanted in text for text in udp), udp


@pytest.mark.parametrize("network", ["internet", "provider"])
def test_pbx_prb_003_register_does_not_tell_users_apart(from_network, network):
    verdicts, dummy = from_network(network)
    assert status(verdicts, "control22", "PBX-PRB-003") == "fail"
    assert any("user names can be enumerated" in text
               for text in messages(verdicts, "control22", "PBX-PRB-003", "udp/5060"))
    assert status(verdicts, "pbx22", "PBX-PRB-003") == "pass"
    wanted = "no answer" if network == "internet" else "got the same answer (401 with a digest"
    assert all(wanted in text for text in messages(verdicts, "pbx22", "PBX-PRB-003", "udp/5060"))


@pytest.mark.parametrize("network", ["internet", "provider"])
def test_pbx_prb_003_stock_asterisk16_has_no_user_to_compare(from_network, network):
    """Stock Asterisk 16 defines no phone: PBX-PRB-003 is not applicable on both twins, and says
    why (the audit found no user, so only the non-existing one was asked)."""
    verdicts, dummy = from_network(network)
    for pbx in ("pbx16", "control"):
        assert status(verdicts, pbx, "PBX-PRB-003") == "not_applicable"
        assert all("no user in the configuration to compare" in text
                   for text in messages(verdicts, pbx, "PBX-PRB-003"))
