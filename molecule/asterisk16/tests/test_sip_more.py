"""Asterisk 16: PBX-SIP-003..006, PBX-NET-005 (chan_sip user agent). IAX: shared/tests/test_iax.py.

Every test runs on the hardened hosts (group ``pbx``) and on the unhardened control (group
``control``), where it must see the control fail. Where Debian's stock configuration is already
compliant (autocreatepeer, allowoverlap), the control test writes the non-compliant
setting into the control container, proves the probe sees it, and restores the file.
Trunk checks need the typical-site image (the ``kiwi-trunk`` peer); they skip where it is absent.
"""

import base64
import json
import os
import re

import pytest

from pbxsec_testbed import appended, cli, hardened, was_rejected

testinfra_hosts = ["pbx", "control"]

PROBE = os.path.join(os.environ.get("MOLECULE_PROJECT_DIRECTORY", "."), "tests", "tools",
                     "sip_probe.py")


def sip_settings(host):
    return cli(host, "sip show settings")


def trunk(host):
    out = cli(host, "sip show peer kiwi-trunk")
    if "not found" in out:
        pytest.skip("no kiwi-trunk peer on this image (typical-site image only)")
    return out


def test_pbx_sip_003_autocreatepeer_off(host):
    if hardened(host):
        assert re.search(r"AutoCreate Peer:\s+Off\b", sip_settings(host))
        return
    with appended(host, "/etc/asterisk/sip.conf", "\n[general](+)\nautocreatepeer=yes\n",
                  "sip reload"):
        # "Volatile" for yes, "Persisted" for persist
        assert re.search(r"AutoCreate Peer:\s+(Volatile|Persisted)\b", sip_settings(host))


def test_pbx_sip_004_overlap_dialing_off(host):
    if hardened(host):
        assert re.search(r"Allow overlap dialing:\s+No\b", sip_settings(host))
        return
    with appended(host, "/etc/asterisk/sip.conf", "\n[general](+)\nallowoverlap=yes\n",
                  "sip reload"):
        assert re.search(r"Allow overlap dialing:\s+Yes\b", sip_settings(host))


def test_pbx_net_005_sip_user_agent_hides_version(host):
    out = sip_settings(host)
    if hardened(host):
        assert re.search(r"User Agent:\s+PBX\s*$", out, re.M), out
        assert re.search(r"SDP Session Name:\s+PBX\s*$", out, re.M), out
    else:
        assert re.search(r"User Agent:\s+Asterisk PBX 16\.", out), out


def test_pbx_sip_005_trunk_peer_refuses_subscriptions(host):
    out = trunk(host)
    expected = "No" if hardened(host) else "Yes"
    assert re.search(r"Subscriptions:\s+%s\b" % expected, out), out


def test_pbx_sip_006_trunk_peer_has_acl(host):
    out = trunk(host)
    expected = "Yes" if hardened(host) else "No"
    assert re.search(r"^\s*ACL\s+:\s+%s\b" % expected, out, re.M), out


def test_pbx_sip_006_invite_from_trunk_address_outside_provider_networks(host):
    """An INVITE from the trunk's own address (127.0.0.1, outside the provider networks):
    the ACL refuses it (403); without the ACL, insecure=port,invite lets it into the dialplan."""
    trunk(host)
    with open(PROBE, "rb") as handle:
        code = base64.b64encode(handle.read()).decode()
    host.check_output("printf '%%s' %s | base64 -d > /tmp/pbxsec_sip_probe.py" % code)
    result = json.loads(host.check_output(
        "python3 /tmp/pbxsec_sip_probe.py 127.0.0.1 --timeout 6"))
    if hardened(host):
        assert result["final"] == 403, result
    else:
        assert 100 in result["responses"] and not was_rejected(result), result
