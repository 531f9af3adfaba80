# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wizard site (tests/images/asterisk22-wizard, issue 15 item 3): PJSIP objects built by
res_pjsip_config_wizard from pjsip_wizard.conf. Unhardened (group wizard_control), phone 200's
inbound password is its extension and the carrier, without inbound auth, takes calls by name from
anywhere and from 127.0.0.2, outside the provider networks: the audit fails PBX-SEC-002,
PBX-PJS-002 and PBX-PJS-004 naming the wizard lines, and the attacks get in. Hardened
(pbxsec-m22-wizard, 127.0.0.2 made a trusted network by its host_vars), the roles fix the wizard's
own options (``inbound_auth/password`` rotated, ``endpoint/identify_by = ip``,
``endpoint/allow_subscribe = no``): the same attacks are refused and the audit passes."""

import base64
import json

import pytest
from pbxsec_testbed import cli, first_host, inventory_name

testinfra_hosts = ["pbxsec-m22-wizard"]

WIZARD_FILE = "/etc/asterisk/pjsip_wizard_site.conf"
WEAK = "200"                                    # phone 200's inbound password on the image
NETWORKS = {"provider_networks": ["198.51.100.0/24"], "trusted_networks": ["127.0.0.1/32"]}
CONTROLS = ("PBX-SEC-002", "PBX-PJS-002", "PBX-PJS-004")
REGISTER = "/opt/pbxsec-tools/sip_register.py"

# An INVITE sent inside the PBX container from SOURCE (a loopback address: 127.0.0.2 is the
# carrier's remote host) with From: USER, to 127.0.0.1:5060; prints the response codes.
INVITE = r'''
import random, socket, sys, time
source, user, number = sys.argv[1:4]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((source, 0))
sock.connect(("127.0.0.1", 5060))
ip, port = sock.getsockname()
tag, call = "%08x" % random.getrandbits(32), "%016x@wizard-test" % random.getrandbits(64)
uri = "sip:%s@127.0.0.1:5060" % number
sdp = "v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n" % (ip, ip)
def request(method, branch, body=""):
    head = ["%s %s SIP/2.0" % (method, uri), "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (ip, port, branch),
            "Max-Forwards: 70", "From: <sip:%s@%s>;tag=%s" % (user, ip, tag), "To: <%s>" % uri,
            "Call-ID: " + call, "CSeq: 1 " + method, "Contact: <sip:%s@%s:%d>" % (user, ip, port)]
    head += ["Content-Type: application/sdp"] if body else []
    return ("\r\n".join(head + ["Content-Length: %d" % len(body)]) + "\r\n\r\n" + body).encode()
branch = "z9hG4bK%08x" % random.getrandbits(32)
sock.send(request("INVITE", branch, sdp))
codes, end = [], time.monotonic() + 5
while time.monotonic() < end:
    sock.settimeout(max(0.05, end - time.monotonic()))
    try:
        code = int(sock.recv(65535).split(b" ", 2)[1])
    except socket.timeout:
        break
    codes.append(code)
    if code >= 200:
        sock.send(request("ACK", branch))
        break
print(codes)
'''


@pytest.fixture(scope="module")
def unhardened():
    """The unhardened wizard twin, fully booted."""
    control = first_host("wizard_control")
    assert "fully booted" in cli(control, "core waitfullybooted")
    return control


def audit(host, networks=None):
    args = dict(networks or NETWORKS, live=True)
    result = host.ansible("pbxsec.hardening.pbx_compliance", json.dumps(args), check=True,
                          become=False)
    assert not result.get("failed"), result
    assert "inbound_auth/password = %s" % WEAK not in json.dumps(result)
    return dict((entry["id"], entry) for entry in result["controls"])


def call_in(host, source, user, number):
    """``(SIP responses, number the wizard site's dialplan saw or '')`` of an INVITE."""
    cli(host, "database del pbxsec wizard_reached")
    script = base64.b64encode(INVITE.encode()).decode()
    codes = json.loads(host.check_output(
        "printf '%%s' %s | base64 -d | python3 - %s %s %s", script, source, user, number))
    reached = cli(host, "database get pbxsec wizard_reached")
    return codes, reached.split("Value: ", 1)[1].strip() if "Value: " in reached else ""


def register(attacker, target, user, secret):
    """Final answer to a REGISTER as ``user`` with ``secret`` (read from standard input)."""
    out = attacker.run("echo %s | python3 %s %s %s --timeout 6", secret, REGISTER, target, user)
    return json.loads(out.stdout)["final"]


def test_wizard_objects_are_live_as_the_audit_expands_them(unhardened):
    listing = cli(unhardened, "pjsip show endpoints")
    assert "InAuth:  200-iauth/200" in listing
    assert "Identify:  carrier-identify/carrier" in listing


def test_pbx_wizard_unhardened_audit_fails_naming_the_wizard_lines(unhardened):
    entries = audit(unhardened)
    assert dict((c, entries[c]["status"]) for c in CONTROLS) == dict.fromkeys(CONTROLS, "fail")
    for control in CONTROLS:
        assert all(f["file"] == WIZARD_FILE for f in entries[control]["findings"]), control
    assert [f["object"] for f in entries["PBX-SEC-002"]["findings"]] == ["200-iauth"]


def test_pbx_sec_002_unhardened_phone_registers_with_its_extension(unhardened, attacker):
    assert register(attacker, inventory_name(unhardened), "200", WEAK) == 200


def test_pbx_sec_002_hardened_phone_refuses_its_extension(host, attacker):
    assert register(attacker, inventory_name(host), "200", WEAK) in (401, 403)


@pytest.mark.parametrize("source, user", [("127.0.0.1", "carrier"), ("127.0.0.2", "anyone")])
def test_pbx_pjs_002_unhardened_carrier_takes_calls_without_auth(unhardened, source, user):
    codes, reached = call_in(unhardened, source, user, "0011")
    assert 100 in codes and reached == "0011", codes


def test_pbx_pjs_002_hardened_carrier_is_not_callable_by_name(host):
    codes, reached = call_in(host, "127.0.0.1", "carrier", "0022")
    assert codes and set(codes) <= {401, 403} and reached == "", codes


def test_pbx_pjs_004_hardened_carrier_refuses_subscriptions(host):
    shown = cli(host, "pjsip show endpoint carrier")
    assert [line.split(":")[1].strip() for line in shown.splitlines()
            if line.strip().startswith(("allow_subscribe ", "identify_by "))] == ["false", "ip"]


def test_pbx_wizard_hardened_audit_passes_with_the_hosts_networks(host):
    networks = dict(NETWORKS, trusted_networks=["127.0.0.1/32", "127.0.0.2/32"])
    entries = audit(host, networks)
    assert dict((c, entries[c]["status"]) for c in CONTROLS) == dict.fromkeys(CONTROLS, "pass")
