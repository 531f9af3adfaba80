# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pbx_compliance, the real module run through ``ansible`` ad-hoc (``live: false``): dialplan reach
through entry points Asterisk does not take calls through now (chan_sip guests refused, a channel
driver or the PJSIP anonymous identifier not loaded) is latent: the control passes, and the reach
is shown as findings whose message starts "Latent, not reachable now", never as reachable."""

from __future__ import annotations

import json

import pytest

from audit_result import by_id

MODULE = "pbxsec.hardening.pbx_compliance"
LATENT = "Latent, not reachable now: "
MODULES = ("chan_sip", "res_pjsip", "chan_pjsip", "chan_iax2", "app_voicemail",
           "res_pjsip_endpoint_identifier_anonymous")
# The dialplan of stock Debian Asterisk 16, cut to what matters: guests land in [public], which
# includes [demo], where Dial and VoiceMailMain are.
EXTENSIONS = """\
[general]
static=yes
[public]
include => demo
[demo]
exten => 1000,1,Dial(SIP/1000,20)
exten => 8500,1,VoiceMailMain(${CALLERID(num)}@default)
"""


@pytest.fixture
def audit(astconf_tree, tmp_path, run_module):
    """``audit(files, noload=(), object_waivers=None)``: ``{control ID: entry}`` of the audit of
    a tree in which the modules of MODULES are installed, ``noload`` ones excepted."""

    def run(files, noload=(), object_waivers=None):
        moddir = tmp_path / "modules"
        moddir.mkdir(exist_ok=True)
        for name in MODULES:
            (moddir / (name + ".so")).write_bytes(b"")
        tree = {"extensions.conf": EXTENSIONS,
                "asterisk.conf": "[directories]\nastmoddir => %s\n[options]\nrunuser=asterisk\n"
                                 % moddir,
                "modules.conf": "[modules]\nautoload=yes\n"
                                + "".join("noload => %s.so\n" % name for name in noload)}
        tree.update(files)
        root = astconf_tree(dict(("etc/" + name, text) for name, text in tree.items()))
        result = run_module(MODULE, dict(config_dir=str(root / "etc"), live=False,
                                         keys_dir=str(tmp_path / "keys"),
                                         fail2ban_dir=str(tmp_path / "fail2ban"),
                                         object_waivers=object_waivers or {}))
        assert "Never-Shown" not in json.dumps(result)
        return by_id(result)

    return run


def _latent(entry):
    """The latent findings of a control entry (the result keeps the four keys of a finding)."""
    assert all(sorted(item) == ["file", "line", "message", "object"] for item in entry["findings"])
    return [item for item in entry["findings"] if item["message"].startswith(LATENT)]


SIP_HARDENED = "[general]\ncontext=public\nallowguest=no\nsecret=Never-Shown-1\n"


def test_pbx_dp_001_allowguest_no_passes_with_latent_findings(audit):
    controls = audit({"sip.conf": SIP_HARDENED})
    for control, extension in (("PBX-DP-001", "1000"), ("PBX-VM-006", "8500")):
        assert controls[control]["status"] == "pass"
        latent = [item for item in _latent(controls[control])
                  if item["object"] == "demo," + extension]
        assert len(latent) == 1
        assert "reachable if guests are allowed again" in latent[0]["message"]
    assert len(controls["PBX-DP-001"]["findings"]) == 2          # Dial and VoiceMailMain


def test_pbx_dp_001_allowguest_no_with_autocreatepeer_is_reachable(audit):
    controls = audit({"sip.conf": SIP_HARDENED + "autocreatepeer=yes\n"})
    assert controls["PBX-DP-001"]["status"] == "fail"
    assert _latent(controls["PBX-DP-001"]) == []


@pytest.mark.parametrize("files, noload, why", [
    ({"sip.conf": "[general]\ncontext=public\nallowguest=yes\n"}, ["chan_sip"],
     "reachable if chan_sip is loaded: chan_sip is not loaded (predicted from modules.conf)"),
    ({"pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=public\n"},
     ["res_pjsip_endpoint_identifier_anonymous"],
     "reachable if res_pjsip_endpoint_identifier_anonymous is loaded"),
    ({"iax.conf": "[guest]\ntype=user\ncontext=public\n"}, ["chan_iax2"],
     "reachable if chan_iax2 is loaded"),
])
def test_entry_points_asterisk_does_not_load_are_latent(audit, files, noload, why):
    controls = audit(files, noload)
    assert controls["PBX-DP-001"]["status"] == "pass"
    latent = _latent(controls["PBX-DP-001"])
    assert len(latent) == 2 and all(why in item["message"] for item in latent)


def test_the_same_entry_points_loaded_are_reachable(audit):
    controls = audit({"sip.conf": "[general]\ncontext=public\nallowguest=yes\n",
                      "pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=public\n",
                      "iax.conf": "[guest]\ntype=user\ncontext=public\n"})
    assert controls["PBX-DP-001"]["status"] == "fail"
    assert controls["PBX-IAX-001"]["status"] == "fail"
    assert _latent(controls["PBX-DP-001"]) == []


def test_latent_findings_need_no_object_waiver(audit):
    """The trunk's international route (open, waived by object) and the one guests would reach
    (latent, not waived): the control is waived, the latent finding kept."""
    sip = SIP_HARDENED + "[carrier]\ntype=peer\ninsecure=invite\nhost=192.0.2.1\n" \
                         "context=from-carrier\n"
    route = "exten => _00.,1,Dial(SIP/carrier/${EXTEN})\n"
    extensions = "[public]\ninclude => demo\n[demo]\n%s[from-carrier]\n%s" % (route, route)
    controls = audit({"sip.conf": sip, "extensions.conf": extensions},
                     object_waivers={"PBX-DP-002": {"from-carrier,_00.": "the provider bars it"}})
    entry = controls["PBX-DP-002"]
    assert entry["status"] == "waived"
    assert [item["object"] for item in entry["findings"]] == ["from-carrier,_00.", "demo,_00."]
    assert _latent(entry) == entry["findings"][1:]
