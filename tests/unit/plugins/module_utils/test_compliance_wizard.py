# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The audit judges the objects res_pjsip_config_wizard builds (issue 15 item 3) under the
PJSIP and secret controls, on the test bed's wizard site with ``live=false``: findings name the
``pjsip_wizard.conf`` line and the object Asterisk builds."""

from __future__ import annotations

import json
import os

from test_compliance_controls import ALL_MODULES, judge  # noqa: F401 pylint: disable=unused-import

SITE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "images",
                                    "asterisk22-wizard", "asterisk", "pjsip_wizard_site.conf"))
WIZARD = ALL_MODULES + ("res_pjsip_config_wizard",)
NETWORKS = {"provider_networks": ["198.51.100.0/24"], "trusted_networks": ["127.0.0.1/32"]}


def _site(extra=""):
    with open(SITE, encoding="utf-8") as handle:
        return {"pjsip_wizard.conf": handle.read() + extra,
                "pjsip.conf": "[transport-udp]\ntype=transport\nprotocol=udp\n"}


def _line(text):
    with open(SITE, encoding="utf-8") as handle:
        return [n for n, line in enumerate(handle, 1) if line.startswith(text)][0]


def _found(entry):
    return sorted((f["object"], os.path.basename(f["file"]), f["line"]) for f in entry["findings"])


def test_pbx_wizard_site_fails_sec_002_pjs_002_pjs_004_naming_the_wizard_lines(judge):
    entries = judge(_site(), modules=WIZARD, **NETWORKS)
    assert [entries[c]["status"] for c in ("PBX-SEC-002", "PBX-PJS-002", "PBX-PJS-004")] == \
        ["fail"] * 3
    assert _found(entries["PBX-SEC-002"]) == [
        ("200-iauth", "pjsip_wizard.conf", _line("inbound_auth/password = 200 "))]
    assert _found(entries["PBX-PJS-002"]) == [("carrier", "pjsip_wizard.conf", _line("[carrier]"))]
    assert "callable by name" in entries["PBX-PJS-002"]["findings"][0]["message"]
    assert _found(entries["PBX-PJS-004"]) == [("carrier", "pjsip_wizard.conf", _line("[carrier]"))]
    assert "Vt7-qhWm2-Lr9x" not in json.dumps(entries)


def test_pbx_pjs_002_wizard_identified_from_outside_names_the_remote_hosts_line(judge):
    entries = judge(_site("endpoint/identify_by = ip\n"), modules=WIZARD, **NETWORKS)
    assert entries["PBX-PJS-002"]["status"] == "fail"
    assert _found(entries["PBX-PJS-002"]) == [
        ("carrier-identify", "pjsip_wizard.conf", _line("remote_hosts"))]
    assert "127.0.0.2 is outside" in entries["PBX-PJS-002"]["findings"][0]["message"]


def test_pbx_wizard_fixed_in_its_own_options_passes(judge):
    fixed = "endpoint/identify_by = ip\nendpoint/allow_subscribe = no\n"
    text = _site(fixed)["pjsip_wizard.conf"].replace(
        "inbound_auth/password = 200 ", "inbound_auth/password = Qz4nT8-wLp2rX ")
    networks = dict(NETWORKS, trusted_networks=["127.0.0.1/32", "127.0.0.2/32"])
    entries = judge(dict(_site(), **{"pjsip_wizard.conf": text}), modules=WIZARD, **networks)
    assert [entries[c]["status"] for c in ("PBX-SEC-002", "PBX-PJS-002", "PBX-PJS-004")] == \
        ["pass"] * 3


def test_pbx_wizard_not_loaded_is_not_judged(judge):
    entries = judge(_site(), **NETWORKS)
    assert [entries[c]["status"] for c in ("PBX-SEC-002", "PBX-PJS-002", "PBX-PJS-004")] == \
        ["pass"] * 3


def test_pbx_pjs_001_wizard_named_anonymous(judge):
    entries = judge(_site("[anonymous]\ntype = wizard\naccepts_registrations = yes\n"
                          "endpoint/context = from-wizard-trunk\n"), modules=WIZARD, **NETWORKS)
    assert entries["PBX-PJS-001"]["status"] == "fail"
    assert [f["object"] for f in entries["PBX-PJS-001"]["findings"]] == ["anonymous"]


def test_pbx_pjs_002_wizard_remote_host_with_port_is_judged_by_its_address(judge):
    entries = judge(_site("[isp]\ntype = wizard\nremote_hosts = 198.51.100.7:5060\n"
                          "endpoint/identify_by = ip\nendpoint/allow_subscribe = no\n"),
                    modules=WIZARD, **NETWORKS)
    assert not [f for f in entries["PBX-PJS-002"]["findings"] if f["object"].startswith("isp")]


def test_pbx_wizard_without_pjsip_conf_is_judged(judge):
    entries = judge({"pjsip_wizard.conf": _site()["pjsip_wizard.conf"]}, modules=WIZARD,
                    **NETWORKS)
    assert [entries[c]["status"] for c in ("PBX-SEC-002", "PBX-PJS-002", "PBX-PJS-004")] == \
        ["fail"] * 3
