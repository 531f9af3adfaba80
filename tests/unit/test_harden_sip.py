# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sip role's planning (module sip_harden, module_utils harden_sip*), on trees in a
temporary directory: what each control changes, what it leaves to FreePBX or a template, and
what stops the role before anything changes. The plans are judged by the audit's own model
(compliance_acl, astconf_wizard) where it has one."""

from __future__ import annotations

import pytest
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    category_acl,
    networks,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import BY_ID
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip import general_settings
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_common import (
    HardenError,
    network_problems,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_iax import (
    without_plaintext,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_run import (
    Inputs,
    plan_host,
)

PROVIDER = "27.111.14.0/24"
PROVIDER_PERMIT = "27.111.14.0/255.255.255.0"
ALL = ["PBX-SIP-001", "PBX-SIP-002", "PBX-SIP-003", "PBX-SIP-004", "PBX-SIP-005", "PBX-SIP-006",
       "PBX-NET-005", "PBX-PJS-001", "PBX-PJS-002", "PBX-PJS-003", "PBX-PJS-004", "PBX-IAX-001",
       "PBX-IAX-002"]


def _inputs(config_dir, drivers, controls=None, **more):
    controls = ALL if controls is None else controls
    params = dict(config_dir=str(config_dir), module_dir=None, drivers=drivers, freepbx=False,
                  controls=controls, sip_conf_controls=controls, pjsip_conf_controls=controls,
                  provider_networks=[PROVIDER], trusted_networks=[], provider_peering_ip="",
                  sip_trunks=[], useragent="PBX", allowsubscribe_general=True,
                  noload_anonymous_identifier=True)
    params.update(more)
    return Inputs(params)


def _tree(tmp_path, files):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    for name, text in files.items():
        (config_dir / name).write_text(text)
    return config_dir


def _write(host):
    for _cfg, plan in host.trees:
        for change in plan.changes:
            with open(change.key, "wb") as handle:
                handle.write(change.after)


def test_general_values_come_from_the_catalogue_and_the_user_agent_from_the_role():
    wanted = dict((s.option, s.value) for control in ("PBX-SIP-001", "PBX-SIP-002", "PBX-SIP-003",
                                                      "PBX-SIP-004")
                  for s in BY_ID[control].settings)
    got = dict((s.option, s.value) for s in general_settings("Phone", True))
    assert got == dict(wanted, useragent="Phone", sdpsession="Phone")
    assert [(s.option, s.value) for s in general_settings("Phone", False)][-1] == (
        "allowsubscribe", "no")


@pytest.mark.parametrize("entry, name", [
    ("10.1.1.1/8", "pbx_provider_networks"), ("10.0.0.0", "pbx_provider_networks")])
def test_network_inputs_are_checked_before_anything(entry, name):
    assert network_problems([entry], [], "")[0].startswith("%s %r: " % (name, entry))
    assert network_problems([], [], "") == ["pbx_provider_networks is empty"]
    assert network_problems([PROVIDER], ["x"], "1.2.3.4")[0].startswith("pbx_trusted_networks")
    with pytest.raises(HardenError, match="Fix the role's network variables"):
        _inputs("/nonexistent", [], provider_networks=[entry])


def test_pbx_sip_005_006_trunk_and_invite_peers_read_insecure_as_the_audit_does(tmp_path):
    peers = "".join("[%s]\ntype=peer\nhost=27.111.14.9\n%s\n" % (
        name, "insecure=%s" % insecure if insecure else "") for name, insecure in (
        ("carrier", "port,invite"), ("old", "very"), ("nat-only", "port"), ("phone", None),
        ("off", "very-no"), ("off2", "No")))
    config_dir = _tree(tmp_path, {"sip.conf": "[general]\n" + peers})
    host = plan_host(_inputs(config_dir, ["chan_sip"]))
    subscribed = host.findings["PBX-SIP-005"]
    assert [p for p in ("carrier", "old", "nat-only", "phone", "off", "off2")
            if any("[%s]" % p in s for s in subscribed)] == ["carrier", "old", "nat-only"]
    _write(host)
    cfg = load_config(str(config_dir / "sip.conf"), str(config_dir))
    for peer in ("carrier", "old"):
        assert category_acl(cfg.first(peer)).leaks(networks([PROVIDER])) == []
    assert cfg.first("nat-only").get("deny") is None
    assert cfg.first("general").get("allowguest") == "no"
    assert host.reload == ["chan_sip"] and host.closed == ["sip_guest"]
    assert plan_host(_inputs(config_dir, ["chan_sip"])).trees[0][1].changes == []


def test_pbx_sip_006_a_permit_from_a_template_that_follows_the_deny_is_left(tmp_path):
    config_dir = _tree(tmp_path, {"sip.conf": (
        "[general]\n[tpl](!)\ndeny=0.0.0.0/0.0.0.0\npermit=0.0.0.0/0.0.0.0\n"
        "[legacy](tpl)\ntype=peer\ninsecure=invite\n")})
    host = plan_host(_inputs(config_dir, ["chan_sip"], controls=["PBX-SIP-006"]))
    [left] = host.left["PBX-SIP-006"]
    assert left.startswith("[legacy] permit = 0.0.0.0/0.0.0.0 (")
    assert "after the deny-all rule" in left and "change it in the template" in left
    assert host.trees[0][1].changes == []


def test_iax_guests_removed_and_plaintext_dropped(tmp_path):
    config_dir = _tree(tmp_path, {"iax.conf": (
        "[general]\nauth=plaintext,md5\n[guest]\ntype=user\ncontext=x\n"
        "[peer1]\ntype=friend\nsecret=Kq9-xx7Lm\nauth=plaintext\n")})
    host = plan_host(_inputs(config_dir, ["iax2"]))
    _write(host)
    cfg = load_config(str(config_dir / "iax.conf"), str(config_dir))
    assert cfg.first("guest") is None
    assert (cfg.first("general").get("auth"), cfg.first("peer1").get("auth")) == ("md5", "md5")
    assert host.closed == ["iax2_guests"] and host.left["PBX-IAX-001"] == []
    assert "Kq9" not in repr(host.findings)


def test_iax_guest_sharing_its_name_stops_the_role(tmp_path):
    config_dir = _tree(tmp_path, {"iax.conf": "[guest]\ntype=user\n[guest]\ntype=peer\nsecret=x\n"})
    with pytest.raises(HardenError, match=r"iax.conf \[guest\] .* shares its name"):
        plan_host(_inputs(config_dir, ["iax2"]))


@pytest.mark.parametrize("auth, wanted", [
    ("plaintext", "md5"), ("md5, PlainText ,rsa", "md5,rsa"), ("plaintext,", "md5")])
def test_without_plaintext(auth, wanted):
    assert without_plaintext(auth) == wanted


def test_pjsip_anonymous_removed_and_endpoints_fixed_in_one_write(tmp_path):
    config_dir = _tree(tmp_path, {
        "pjsip.conf": ("[anonymous]\ntype=endpoint\ncontext=x\n"
                       "[carrier]\ntype=endpoint\nallow_unauthenticated_options=yes\n"
                       "[carrier-id]\ntype=identify\nendpoint=carrier\nmatch=27.111.14.9\n"),
        "modules.conf": "[modules]\nautoload=yes\n"})
    host = plan_host(_inputs(config_dir, ["pjsip"]))
    assert [len(plan.changes) for _cfg, plan in host.trees] == [1, 1]
    assert host.reload == ["pjsip", "anonymous_identifier"]
    _write(host)
    cfg = load_config(str(config_dir / "pjsip.conf"), str(config_dir))
    carrier = cfg.first("carrier")
    assert cfg.first("anonymous") is None
    assert [carrier.get(o) for o in ("identify_by", "allow_unauthenticated_options",
                                     "allow_subscribe")] == ["ip", "no", "no"]
    assert cfg.first("global").get("user_agent") == "PBX"
    assert plan_host(_inputs(config_dir, ["pjsip"])).reload == []


def test_pjsip_endpoint_without_auth_matched_from_outside_stops_the_role(tmp_path):
    config_dir = _tree(tmp_path, {"pjsip.conf": (
        "[carrier]\ntype=endpoint\n[carrier-id]\ntype=identify\nendpoint=carrier\n"
        "match=203.0.113.0/24\n")})
    with pytest.raises(HardenError, match="matches 203.0.113.0/24, outside"):
        plan_host(_inputs(config_dir, ["pjsip"], controls=["PBX-PJS-002"]))


def test_module_check_predicts_the_real_run_and_the_diff_hides_secrets(tmp_path, run_play):
    secret = "Zt4-9qPw-Lm2x"
    config_dir = _tree(tmp_path, {"sip.conf": (
        "[general]\n[carrier]\ntype=peer\nsecret=%s\ninsecure=invite\npermit=0.0.0.0/0\n"
        % secret)})
    task = {"name": "harden", "register": "out", "pbxsec.hardening.sip_harden": {
        "config_dir": str(config_dir), "drivers": ["chan_sip"], "controls": ALL,
        "sip_conf_controls": ALL, "pjsip_conf_controls": ALL, "provider_networks": [PROVIDER],
        "useragent": "PBX"}}
    before = (config_dir / "sip.conf").read_text()
    [(_name, predicted)] = run_play([task], check=True, diff=True)
    assert (config_dir / "sip.conf").read_text() == before
    [(_name, real)] = run_play([task], diff=True)
    assert predicted["changed"] and real["changed"]
    assert predicted["files"] == real["files"] == [str(config_dir / "sip.conf")]
    assert predicted["reload"] == real["reload"] == ["chan_sip"]
    assert secret not in repr(predicted) and secret not in repr(real)
    assert secret in (config_dir / "sip.conf").read_text()
    [(_name, again)] = run_play([task])
    assert not again["changed"] and again["reload"] == []
