# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outside-in probe (issue 18, item 1): the audit with ``pbx_probe: true`` run from the
provider network's and the Internet's attacker containers (``pbx_probe_host``) against the
hardened PBXs (pbx16: chan_sip, pbx22: PJSIP site) and the never hardened control.

From the Internet the hardened PBXs are silent (firewall), the control answers OPTIONS and lets
the anonymous INVITE into its dialplan. From the provider network OPTIONS may be answered
(PBX-PRB-001 not judged there), the hardened PBXs challenge the INVITE and answer REGISTER the
same for an existing and a non-existing user; the control's INVITE still reaches the dialplan."""

import json
import os
import subprocess
import time

import pytest

from conftest import NETWORKS, PBX_HOSTS

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
PROBED = ["pbx16", "pbx22", "control"]


def audit_with_probe(network, reports):
    """Run playbooks/audit.yml on the probed PBXs with the probe in ``network``'s attacker; the
    fleet report, and the seconds the run took."""
    addresses = dict(("pbxsec-mn-" + pbx, "%s.%d" % (NETWORKS[network], PBX_HOSTS[pbx]))
                     for pbx in PROBED)
    extra = {"pbx_hosts": ":".join("pbxsec-mn-" + pbx for pbx in PROBED),
             "pbx_probe": True, "pbx_probe_host": "pbxsec-mn-" + network,
             "pbxsec_probe_addresses": addresses,
             "pbx_probe_address": "{{ pbxsec_probe_addresses[inventory_hostname] }}",
             "pbx_report_dir": str(reports), "pbx_audit_fail": False}
    started = time.monotonic()
    proc = subprocess.run(
        ["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"],
         os.path.join(PROJECT, "playbooks", "audit.yml"), "-e", json.dumps(extra)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout.decode("utf-8", "replace")[-3000:]
    with open(os.path.join(str(reports), "fleet.json"), encoding="utf-8") as handle:
        return json.load(handle), took


def verdicts(fleet):
    """``{pbx: {control: (status, findings)}}`` of the PBX-PRB controls."""
    return dict((host["name"].replace("pbxsec-mn-", ""),
                 dict((entry["id"], (entry["status"], entry["findings"]))
                      for entry in host["controls"] if entry["id"].startswith("PBX-PRB-")))
                for host in fleet["hosts"])


@pytest.fixture(scope="module")
def from_internet(tmp_path_factory):
    fleet, took = audit_with_probe("internet", tmp_path_factory.mktemp("probe-internet"))
    print("audit with the probe from the Internet: %.1f s for %d PBXs" % (took, len(PROBED)))
    return verdicts(fleet)


@pytest.fixture(scope="module")
def from_provider(tmp_path_factory):
    fleet, took = audit_with_probe("provider", tmp_path_factory.mktemp("probe-provider"))
    print("audit with the probe from the provider network: %.1f s for %d PBXs"
          % (took, len(PROBED)))
    return verdicts(fleet)


# Stock Asterisk 16 defines no phone user: there is no existing user to compare REGISTER with.
REGISTER_COMPARED = {"pbx16": "not_applicable", "pbx22": "pass"}


@pytest.mark.parametrize("pbx", ["pbx16", "pbx22"])
def test_pbx_prb_hardened_pbx_is_silent_to_the_internet(from_internet, pbx):
    got = from_internet[pbx]
    assert dict((control, status) for control, (status, dummy) in got.items()) == {
        "PBX-PRB-001": "pass", "PBX-PRB-002": "pass", "PBX-PRB-003": REGISTER_COMPARED[pbx]}
    source = "%s.10" % NETWORKS["internet"]
    assert all(source in item["message"] for dummy, findings in got.values() for item in findings)


def test_pbx_prb_control_answers_the_internet_and_lets_the_call_in(from_internet):
    got = from_internet["control"]
    assert got["PBX-PRB-001"][0] == "fail" and got["PBX-PRB-002"][0] == "fail"
    assert any(item["object"] == "udp/5060" and "reached the dialplan" in item["message"]
               for item in got["PBX-PRB-002"][1])


@pytest.mark.parametrize("pbx", ["pbx16", "pbx22"])
def test_pbx_prb_hardened_pbx_challenges_the_provider_network(from_provider, pbx):
    got = from_provider[pbx]
    assert got["PBX-PRB-001"][0] == "not_applicable"       # OPTIONS may be answered there
    assert got["PBX-PRB-002"][0] == "pass"
    assert got["PBX-PRB-003"][0] == REGISTER_COMPARED[pbx]


def test_pbx_prb_control_lets_the_providers_call_in_too(from_provider):
    assert from_provider["control"]["PBX-PRB-002"][0] == "fail"
