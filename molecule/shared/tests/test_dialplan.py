"""Role dialplan on Asterisk 16 and 22: the dialplan audit on the live PBXs.

The unhardened control hosts (group control) must show the findings the controls exist for (the
typical site lets guests reach from-internal's international route; Debian's stock dialplan
lets them reach the demo's VoiceMailMain), or the hardened tests prove nothing. Hardened hosts
(group pbx) with pbx_dialplan_fix_guest_context on must send chan_sip guests to the reject
context.
"""

import pytest

testinfra_hosts = ["pbx", "control"]

MODULE = "pbxsec.hardening.asterisk_dialplan_info"


def _vars(host):
    return host.ansible.get_variables()


def _audit(host, **args):
    args.setdefault("config_dir", "/etc/asterisk")
    result = host.ansible(MODULE, " ".join("%s=%s" % item for item in args.items()),
                          check=True, become=False)
    assert not result.get("failed"), result.get("msg")
    return result


def _findings(result, control):
    return [f for f in result["findings"] if f["control"] == control]


@pytest.fixture
def guest_fixed(hardened_host):
    host = hardened_host
    if not _vars(host).get("pbx_dialplan_fix_guest_context"):
        pytest.skip("pbx_dialplan_fix_guest_context is off for this host")
    if not host.file("/usr/lib/x86_64-linux-gnu/asterisk/modules/chan_sip.so").exists and \
            not host.file("/usr/lib/asterisk/modules/chan_sip.so").exists:
        pytest.skip("no chan_sip (Asterisk 21 and later)")
    return host


def test_pbx_dp_001_control_guests_reach_dial(control_host):
    result = _audit(control_host)
    findings = _findings(result, "PBX-DP-001")
    assert findings, "the unhardened PBX must show PBX-DP-001 findings"
    if control_host.file("/etc/asterisk/extensions_site.conf").exists:
        international = [f for f in findings
                         if f["context"] == "from-internal" and f["extension"] == "_00."]
        assert international, findings
        chain = international[0]["chain"]
        assert chain[0].startswith("[public]") or chain[0].startswith("[from-sip-external]")
        assert any("include from-internal" in step for step in chain)
        assert international[0]["file"] == "/etc/asterisk/extensions_site.conf"
    else:
        # Debian's stock dialplan: [public] includes [demo], whose 8500 is VoiceMailMain().
        assert any(f["context"] == "demo" and f["extension"] == "8500" for f in findings)


def test_pbx_dp_002_control_international_route_reachable(control_host):
    if not control_host.file("/etc/asterisk/extensions_site.conf").exists:
        pytest.skip("the stock dialplan routes no international number from [public]")
    result = _audit(control_host)
    assert {f["extension"] for f in _findings(result, "PBX-DP-002")} >= {"_00.", "_0900."}


def test_pbx_vm_006_control_voicemailmain_reachable(control_host):
    assert _findings(_audit(control_host), "PBX-VM-006")


def test_pbx_dp_004_asterisk_not_root(host):
    result = _audit(host)
    assert result["controls"]["PBX-DP-004"]["status"] == "pass", _findings(result, "PBX-DP-004")


def test_pbx_dp_001_reject_context_loaded(guest_fixed):
    context = _vars(guest_fixed).get("pbx_dialplan_guest_context", "pbx-guest-reject")
    out = guest_fixed.check_output('asterisk -rx "dialplan show %s"' % context)
    assert "Context '%s' created by 'pbx_config'" % context in out
    assert "Hangup(21)" in out
    assert "Dial(" not in out


def test_pbx_dp_001_sip_guest_context_is_reject(guest_fixed):
    context = _vars(guest_fixed).get("pbx_dialplan_guest_context", "pbx-guest-reject")
    out = guest_fixed.check_output('asterisk -rx "sip show settings"')
    assert [line.split(":", 1)[1].strip() for line in out.splitlines()
            if line.strip().startswith("Context:")] == [context]
    result = _audit(guest_fixed, channels="sip")
    assert result["controls"]["PBX-DP-001"]["status"] == "pass", _findings(result, "PBX-DP-001")
