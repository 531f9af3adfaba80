# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_dialplan_info, the real module run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

import functools
import json

import pytest

MODULE = "pbxsec.hardening.asterisk_dialplan_info"


@pytest.fixture
def run(run_module):
    """``run(args, check=False)``: the module's result dict."""
    return functools.partial(run_module, MODULE)


EXTENSIONS = """\
[general]
static=yes
[public]
include => demo
[demo]
exten => 8500,1,VoiceMailMain()
#include extensions_site.conf
"""

SITE = """\
[from-internal]
exten => _00.,1,Dial(SIP/kiwi-trunk/${EXTEN},60)
exten => *98,1,VoiceMailMain(${CALLERID(num)}@default)
[from-trunk]
exten => _X.,1,Goto(from-internal,${EXTEN},1)
[public](+)
include => from-internal
"""

SIP = """\
[general]
context=public
secret=Never-Shown-Secret-1
[kiwi-trunk]
type=peer
secret=Trunk-Secret-Never-Shown
insecure=port,invite
context=from-trunk
"""

ASTERISK = "[options]\nrunuser = asterisk\nrungroup = asterisk\n"


def _tree(astconf_tree, **extra):
    files = {"extensions.conf": EXTENSIONS, "extensions_site.conf": SITE, "sip.conf": SIP,
             "asterisk.conf": ASTERISK}
    files.update(extra)
    return astconf_tree(files)


def test_pbx_dp_001_site_chain_and_check_mode(astconf_tree, run, snapshot):
    root = _tree(astconf_tree)
    before = snapshot(root)
    result = run({"config_dir": str(root)}, check=True)
    assert snapshot(root) == before
    assert result["changed"] is False
    assert result["controls"]["PBX-DP-001"]["status"] == "fail"
    dial = [f for f in result["findings"]
            if f["control"] == "PBX-DP-001" and f["extension"] == "_00."][0]
    assert dial["context"] == "from-internal"
    assert dial["file"] == str(root / "extensions_site.conf") and dial["line"] == 2
    assert dial["chain"][0].startswith("[public] (chan_sip guest context")
    assert "include from-internal" in dial["chain"][1]
    assert result["controls"]["PBX-DP-004"]["status"] == "pass"
    text = json.dumps(result)
    assert "Never-Shown" not in text


def test_pbx_dp_002_and_vm_006_from_the_trunk_after_the_guest_fix(astconf_tree, run):
    root = _tree(astconf_tree, **{"sip.conf": SIP.replace("context=public",
                                                          "context=pbx-guest-reject"),
                                  "extensions_pbxsec.conf":
                                      "[pbx-guest-reject]\nexten => _X.,1,Hangup(21)\n"})
    with open(str(root / "extensions.conf"), "a") as handle:
        handle.write("#tryinclude extensions_pbxsec.conf\n")
    result = run({"config_dir": str(root), "channels": ["sip"]})
    assert result["controls"]["PBX-DP-001"] == {"status": "pass", "findings": 0}
    assert [f["extension"] for f in result["findings"] if f["control"] == "PBX-DP-002"] == ["_00."]
    assert [f["extension"] for f in result["findings"] if f["control"] == "PBX-VM-006"] == ["*98"]
    assert result["entry_points"][0]["exists"] is True


def test_pbx_dp_001_allowguest_no_passes_with_latent_reach(astconf_tree, run):
    """Stock Debian Asterisk 16 after harden: [general] context=public, allowguest=no.  No
    unauthenticated caller reaches [public]; the dialplan role's checks (which fail on
    findings) pass, and the reach is reported apart as latent."""
    sip = SIP.replace("context=public", "context=public\nallowguest=no")
    root = _tree(astconf_tree, **{"sip.conf": sip})
    result = run({"config_dir": str(root), "channels": ["sip"]})
    assert result["controls"]["PBX-DP-001"] == {"status": "pass", "findings": 0}
    assert [f["control"] for f in result["findings"]] == ["PBX-DP-002", "PBX-VM-006"]  # trunk
    assert result["entry_points"] == []
    assert [e["latent"] for e in result["latent_entry_points"]] == \
        ["reachable if guests are allowed again"]
    latent = dict(((f["control"], f["extension"]), f) for f in result["latent_findings"])
    assert sorted(latent) == [("PBX-DP-001", "*98"), ("PBX-DP-001", "8500"), ("PBX-DP-001", "_00."),
                              ("PBX-VM-006", "8500")]
    assert latent[("PBX-DP-001", "_00.")]["message"].startswith(
        "Latent, not reachable now: Dial reachable by unauthenticated callers: [public] (chan_sip "
        "guest context, %s:2, allowguest=no (%s:3), autocreatepeer off; reachable if guests are "
        "allowed again)" % (root / "sip.conf", root / "sip.conf"))
    assert "Never-Shown" not in json.dumps(result)


def test_controls_option_skips(astconf_tree, run):
    root = _tree(astconf_tree)
    result = run({"config_dir": str(root), "controls": ["PBX-DP-003"]})
    assert result["findings"] == []
    assert result["controls"]["PBX-DP-001"]["status"] == "skipped"
    assert result["controls"]["PBX-DP-003"]["status"] == "pass"


def test_missing_extensions_conf_fails(tmp_path, run):
    result = run({"config_dir": str(tmp_path)})
    assert result["failed"] is True and "extensions.conf" in result["msg"]


IAX = "[general]\n[guest]\ntype=user\ncontext=public\n"
PJSIP = "[anonymous]\ntype=endpoint\ncontext=public\n"


@pytest.mark.parametrize("closed, entries", [
    ([], ["sip", "pjsip", "iax2"]),
    (["pjsip_anonymous", "iax2_guests"], ["sip"]),
    (["sip_guest", "pjsip_anonymous", "iax2_guests"], []),
])
def test_closed_entry_points_are_latent(astconf_tree, run, closed, entries):
    root = _tree(astconf_tree, **{"iax.conf": IAX, "pjsip.conf": PJSIP})
    result = run({"config_dir": str(root), "closed_entry_points": closed})
    assert [entry["channel"] for entry in result["entry_points"]] == entries
    assert [entry["channel"] for entry in result["latent_entry_points"]] == \
        [channel for channel in ("sip", "pjsip", "iax2") if channel not in entries]
    dp_001 = [f for f in result["findings"] if f["control"] == "PBX-DP-001"]
    assert bool(dp_001) is bool(entries)
    # what only closed entry points reach is reported apart, saying why it is not open
    latent = [f for f in result["latent_findings"] if f["control"] == "PBX-DP-001"]
    assert bool(latent) is not bool(entries)
    assert all("this play closes it" in f["message"] and f["latent"] for f in latent)
    # The trunk context is no guest entry point: PBX-DP-002 holds whatever is closed.
    assert [f["extension"] for f in result["findings"] if f["control"] == "PBX-DP-002"] == ["_00."]
