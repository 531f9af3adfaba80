# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pbx_firewall_input_policy: drop closes a port the role does not name (a listener on tcp 8000),
where the default accept policy leaves it answering; SSH stays open to the management networks,
the provider still gets SIP answers and the Ansible connection (docker exec) keeps working."""

import json

import pytest

# pbx16 converges with the default policy (accept), drop with pbx_firewall_input_policy: drop.
UNNAMED = 8000


@pytest.mark.parametrize("pbx", ["control", "pbx16"])
@pytest.mark.parametrize("network", ["internet", "lan"])
def test_accept_policy_leaves_an_unnamed_port_answering(probe, pbx, network):
    assert probe(network, "tcp", pbx, UNNAMED)["result"] == "answer"


@pytest.mark.parametrize("network", ["internet", "lan"])
def test_drop_policy_closes_an_unnamed_port(probe, network):
    assert probe(network, "tcp", "drop", UNNAMED)["result"] == "silence"


def test_drop_policy_is_the_chain_policy(host_of):
    """The docker exec connection of testinfra works, and the chain's policy is drop."""
    out = host_of("drop").check_output("nft -j list chain inet pbxsec input")
    chain = [item["chain"] for item in json.loads(out)["nftables"] if "chain" in item][0]
    assert chain["policy"] == "drop"


def test_drop_policy_keeps_ssh_for_the_management_networks(probe):
    """The LAN attacker (198.18.1.10/32) is a management address on this host; the Internet
    attacker is not. A listener stands in for sshd on 22."""
    assert probe("lan", "tcp", "drop", 22)["result"] == "answer"
    assert probe("internet", "tcp", "drop", 22)["result"] == "silence"


def test_drop_policy_still_answers_sip_from_the_provider_and_the_lan(probe):
    assert probe("provider", "sip", "drop")["result"] == "answer"
    assert probe("lan", "sip", "drop")["result"] == "answer"
    assert probe("internet", "sip", "drop")["result"] == "silence"
