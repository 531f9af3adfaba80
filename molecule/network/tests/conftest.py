# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the network scenario: its containers, probes from the attacker containers and
playbook runs on the `fresh`, `fpbx` and `managers` containers.

Every probe runs inside an attacker container and targets a PBX container of this scenario by its
address on that attacker's own Docker network: test traffic never leaves the test bed.
"""

import json
import os

import pytest
import testinfra
from pbxsec_testbed import run_json

SCENARIO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = "/opt/pbxsec-net/net_probe.py"
REGISTER = "/opt/pbxsec-tools/sip_register.py"

# Address of each PBX container on each network (molecule.yml), and of the attacker there.
NETWORKS = {"provider": "198.51.100", "internet": "198.18.0", "lan": "198.18.1"}
PBX_HOSTS = {"pbx16": 16, "pbx22": 22, "fresh": 40, "control": 30, "control22": 32, "drop": 50,
             "fpbx": 60, "remote": 80}
HARDENED = ["pbx16", "pbx22"]


def address(pbx, network):
    return "%s.%d" % (NETWORKS[network], PBX_HOSTS[pbx])


def attacker_address(network):
    return "%s.10" % NETWORKS[network]


def container(name):
    return testinfra.get_host("docker://pbxsec-mn-" + name)


@pytest.fixture(scope="session")
def host_of():
    return container


@pytest.fixture(scope="session")
def probe():
    """``probe(network, kind, pbx, port=None, **options)``: the JSON result of net_probe.py run in
    the attacker container of ``network`` against ``pbx``'s address on that network."""

    def run(network, kind, pbx, port=None, **options):
        command = ["python3", PROBE, kind, address(pbx, network)]
        if port:
            command += ["--port", str(port)]
        for key, value in options.items():
            command += ["--" + key, str(value)]
        out = container(network).check_output(" ".join(command))
        return json.loads(out)

    return run


@pytest.fixture(scope="session")
def failed_register():
    """``failed_register(network, pbx)``: one REGISTER with a wrong secret from the attacker of
    ``network``; the SIP status codes it got (empty when nothing answered)."""

    def run(network, pbx):
        out = container(network).check_output(
            "echo not-the-secret | python3 %s %s 100 --timeout 2 || true", REGISTER,
            address(pbx, network))
        return [code for code in json.loads(out)["responses"] if code]

    return run


def nft_json(host, *what):
    """``nft -j list <what>`` on ``host``, as the list of objects."""
    out = host.check_output("nft -j list %s", " ".join(what))
    return json.loads(out)["nftables"]


def counter(host, name):
    """Packets counted so far by the named counter ``name`` of the pbxsec table."""
    objects = nft_json(host, "counter", "inet", "pbxsec", name)
    return [item["counter"]["packets"] for item in objects if "counter" in item][0]


def banned(host):
    """Addresses in the pbxsec table's banned4 set."""
    objects = nft_json(host, "set", "inet", "pbxsec", "banned4")
    elements = [item["set"].get("elem", []) for item in objects if "set" in item][0]
    return [element["elem"]["val"] if isinstance(element, dict) else element
            for element in elements]


def playbook(*args, target="fresh"):
    """Run the scenario's converge playbook on the ``target`` group's container (default: the
    fresh one); (rc, json result, stdout)."""
    return run_json(["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"],
                     os.path.join(SCENARIO, "converge.yml"), "-e",
                     "pbxsec_mn_target=" + target] + list(args))


def assert_stopped(run, message, before, after):
    """A playbook ``run`` failed with ``message``, and the state read ``before`` and ``after``
    it is the same: the role stopped before changing anything."""
    rc, _result, out = run
    assert rc != 0
    assert message in out, out[-3000:]
    assert after == before
