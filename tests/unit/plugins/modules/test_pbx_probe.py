# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``pbxsec.hardening.pbx_probe`` run through ``ansible`` ad-hoc (issue 18, item 1): probes go
only to the address the inventory gives the host, run in check mode, judge a real loopback SIP
answerer (replaying Asterisk 16's captured answers) with the operator's waivers; the audit tells
the probe the SIP surface (ports, a user) and reports PBX-PRB-001..003 not_applicable until
``pbx_report`` merges the probe's verdicts (``probe_var``)."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils import report_model
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    CATALOGUE,
    PROBE_CONTROL_IDS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    apply_choices,
)
from audit_result import by_id
from sip_answerer import ANSWERS, Answerer

# The stock Asterisk 16 of the test bed, as captured: OPTIONS 200, INVITE 404, REGISTER 401.
STOCK_ASTERISK16 = {"OPTIONS": [ANSWERS["asterisk16-stock-options"]],
                    "INVITE": [ANSWERS["asterisk16-stock-invite"]],
                    "REGISTER": [ANSWERS["asterisk16-stock-register-unknown"]]}


def test_pbx_probe_refuses_an_address_the_inventory_does_not_give(run_module):
    result = run_module("pbxsec.hardening.pbx_probe", dict(host="localhost", address="192.0.2.7"))
    assert result["failed"] is True
    assert result["msg"].startswith("refused: 192.0.2.7 is not the address the inventory gives "
                                    "localhost")
    result = run_module("pbxsec.hardening.pbx_probe", dict(host="pbx-not-in-inventory"))
    assert result["failed"] is True and "host of the inventory" in result["msg"]


def test_pbx_probe_rejects_unbounded_options(run_module):
    result = run_module("pbxsec.hardening.pbx_probe", dict(
        host="localhost", rate=50, deadline=6000, ports=list(range(5060, 5070)),
        number="+999\r\nX-Injected: 1"))
    assert result["failed"] is True
    for part in ("rate must be", "deadline must be", "ports must be", "number must be"):
        assert part in result["msg"]


def test_pbx_prb_probe_judges_a_real_answerer_in_check_mode(run_module):
    server = Answerer(STOCK_ASTERISK16)
    try:
        result = run_module("pbxsec.hardening.pbx_probe", dict(
            host="localhost", ports=[server.port], transports=["udp"], user="100",
            trusted_networks=["127.0.0.0/8"], timeout=1,
            waivers={"PBX-PRB-003": "lab answerer, same answer for every user"}), check=True)
    finally:
        server.close()
    assert result["changed"] is False and (result["address"], result["source"]) == \
        ("127.0.0.1", "127.0.0.1") and result["source_inside"] is True
    controls = by_id(result)
    assert [entry["id"] for entry in result["controls"]] == list(PROBE_CONTROL_IDS)
    assert controls["PBX-PRB-001"]["status"] == "not_applicable"       # from a trusted source
    assert controls["PBX-PRB-002"]["status"] == "fail"
    assert controls["PBX-PRB-002"]["findings"][0]["object"] == "udp/%d" % server.port
    assert "from 127.0.0.1: anonymous INVITE answered 404" in \
        controls["PBX-PRB-002"]["findings"][0]["message"]
    assert controls["PBX-PRB-003"]["status"] == "pass"                 # both got the same 401
    assert server.methods() == ["OPTIONS", "INVITE", "ACK", "REGISTER", "REGISTER"]
    assert result["packets"] == 5


def test_pbx_prb_skipped_controls_send_nothing(run_module):
    server = Answerer(STOCK_ASTERISK16)
    try:
        result = run_module("pbxsec.hardening.pbx_probe", dict(
            host="localhost", ports=[server.port], transports=["udp"], timeout=1,
            skip=["PBX-PRB-001", "PBX-PRB-003"]))
    finally:
        server.close()
    assert server.methods() == ["INVITE", "ACK"]
    assert by_id(result)["PBX-PRB-001"]["findings"][0]["message"] == \
        "skipped by the operator (skip option)"


def test_pbx_prb_compliance_says_probe_not_run_and_gives_the_sip_surface(
        run_module, astconf_tree):
    root = astconf_tree({
        "modules.conf": "[modules]\nautoload=yes\n",
        "sip.conf": "[general]\nudpbindaddr=0.0.0.0:5160\ntcpenable=yes\n"
                    "tcpbindaddr=0.0.0.0:5161\n[trunk]\ntype=peer\ninsecure=invite\n"
                    "[300]\ntype=friend\nsecret=Abcdef123456789\n",
        "pjsip.conf": "[t1]\ntype=transport\nprotocol=udp\nbind=0.0.0.0\n"
                      "[t2]\ntype=transport\nprotocol=tls\nbind=0.0.0.0:5061\n",
    })
    result = run_module("pbxsec.hardening.pbx_compliance", dict(
        config_dir=str(root), live=False, asterisk_version=16))
    assert result["sip_surface"] == {"ports": [5060, 5160, 5161], "user": "300"}
    for control in PROBE_CONTROL_IDS:
        entry = by_id(result)[control]
        assert entry["status"] == "not_applicable"
        assert entry["findings"][0]["message"].startswith("probe not run")


def _audit():
    return dict(controls=apply_choices(dict((control.id, Outcome("pass"))
                                            for control in CATALOGUE)))


def test_pbx_prb_report_merges_the_probe_and_errors_a_failed_probe():
    probe = dict(controls=[dict(id="PBX-PRB-002", title="x", severity="low", status="fail",
                                findings=[dict(file=None, line=None, object="udp/5060",
                                               message="from 198.18.0.10: answered 404")],
                                remediation="y"),
                           dict(id="PBX-SIP-001", title="x", severity="low", status="fail",
                                findings=[], remediation="a probe cannot judge this")])
    hosts = [("pbx1", dict(pbx_audit=_audit(), pbx_audit_probe=probe)),
             ("pbx2", dict(pbx_audit=_audit(),
                           pbx_audit_probe=dict(failed=True, msg="cannot reach pbx2"))),
             ("pbx3", dict(pbx_audit=_audit(), pbx_audit_probe=dict(skipped=True)))]
    results, dummy, dummy2 = report_model.sort_hosts(hosts, "pbx_audit", "pbx_audit_reach",
                                                     "pbx_audit_probe")
    report = report_model.build(results)
    status = dict(((host["name"], entry["id"]), entry) for host in report["hosts"]
                  for entry in host["controls"])
    assert status[("pbx1", "PBX-PRB-002")]["status"] == "fail"
    assert status[("pbx1", "PBX-PRB-002")]["title"].startswith("Probe: an anonymous INVITE")
    assert status[("pbx1", "PBX-SIP-001")]["status"] == "pass"        # only PRB IDs merge
    assert status[("pbx2", "PBX-PRB-001")]["status"] == "error"
    assert "the probe failed: cannot reach pbx2" in \
        status[("pbx2", "PBX-PRB-001")]["findings"][0]["message"]
    assert status[("pbx3", "PBX-PRB-003")]["status"] == "pass"        # as the audit said
    assert [host["status"] for host in report["hosts"]] == ["noncompliant", "noncompliant",
                                                            "compliant"]


def test_pbx_probe_takes_networks_as_the_roles_do(run_module):
    """One validator of an operator's networks (compliance_acl): what the roles' preflight and
    pbx_compliance refuse, the probe refuses too, naming the option and the entry, and sends
    nothing."""
    result = run_module("pbxsec.hardening.pbx_probe", dict(
        host="localhost", provider_networks=["198.51.100.7"],
        trusted_networks=["127.0.0.1/8", "10.0.0.0/8"]), check=True)
    assert result["failed"] is True
    assert "provider_networks: '198.51.100.7': not written as address/prefix" in result["msg"]
    assert "trusted_networks: '127.0.0.1/8': 127.0.0.1/8 has host bits set" in result["msg"]
    assert "10.0.0.0/8" not in result["msg"]
