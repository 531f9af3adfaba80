"""Asterisk 22: PBX-PJS-002..004, PBX-NET-005 (PJSIP user_agent). IAX: shared/tests/test_iax.py.

Every test runs on the hardened hosts (group ``pbx``) and on the unhardened control (group
``control``, the typical-site image), where it must see the control fail. Where the site is
already compliant (allow_unauthenticated_options), the control test writes the
non-compliant setting into the control container, proves the probe sees it, and restores the file.
Trunk checks need the ``kiwi-trunk`` endpoint (typical-site image); they skip where it is absent.
"""

import json
import re

import pytest

from pbxsec_testbed import appended, cli, hardened, inventory_name, was_rejected

testinfra_hosts = ["pbx", "control"]

# The attacker claims to be the trunk by name (From: kiwi-trunk@...), from an address that no
# type=identify matches. Reuses the test bed's probe, changing only the From user.
SPOOF = r"""
import json, sys
sys.path.insert(0, '/opt/pbxsec-tools')
import sip_probe as p
orig = p.build_request
def spoof(*a, **k):
    req, branch = orig(*a, **k)
    return req.replace(b'anonymous@anonymous.invalid', b'kiwi-trunk@' + sys.argv[1].encode()), branch
p.build_request = spoof
print(json.dumps(p.probe(sys.argv[1], 5060, '0044201234567', 6)))
"""


def endpoint(host, name="kiwi-trunk"):
    out = cli(host, "pjsip show endpoint %s" % name)
    if "Unable to find object" in out:
        pytest.skip("no %s endpoint on this image (typical-site image only)" % name)
    return out


def option(out, name):
    match = re.search(r"^[ \t]*%s[ \t]*:[ \t]*(.*?)[ \t]*$" % re.escape(name), out, re.M)
    assert match, "%s not shown" % name
    return match.group(1)


def test_pbx_net_005_pjsip_user_agent_hides_version(host):
    agent = option(cli(host, "pjsip show settings"), "user_agent")
    if hardened(host):
        assert agent == "PBX"
    else:
        assert agent.startswith("Asterisk PBX 22."), agent


def test_pbx_pjs_002_no_auth_trunk_identified_by_ip_only(host):
    out = endpoint(host)
    assert option(out, "auth") == ""
    expected = "ip" if hardened(host) else "username,ip"
    assert option(out, "identify_by") == expected


def test_pbx_pjs_002_trunk_name_from_foreign_address_is_rejected(host, attacker):
    """Without identify_by=ip, an INVITE from any address with From: kiwi-trunk is taken as
    the trunk (no auth) and dials the international number through it."""
    endpoint(host)
    out = attacker.check_output("python3 -c %s %s", SPOOF, inventory_name(host))
    result = json.loads(out)
    if hardened(host):
        assert was_rejected(result), result
    else:
        assert 100 in result["responses"] and not was_rejected(result), result


def test_pbx_pjs_003_unauthenticated_options_refused(host):
    if hardened(host):
        for name in ("kiwi-trunk", "100", "101"):
            assert option(endpoint(host, name), "allow_unauthenticated_options") == "false"
        return
    endpoint(host, "100")
    with appended(host, "/etc/asterisk/pjsip.conf",
                  "\n[100](+)\nallow_unauthenticated_options=yes\n",
                  "module reload res_pjsip.so"):
        assert option(endpoint(host, "100"), "allow_unauthenticated_options") == "true"


def test_pbx_pjs_004_trunk_endpoint_refuses_subscriptions(host):
    expected = "false" if hardened(host) else "true"
    assert option(endpoint(host), "allow_subscribe") == expected
