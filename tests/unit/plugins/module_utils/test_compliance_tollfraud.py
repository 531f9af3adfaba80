# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""compliance_tollfraud: PBX-DP-001..003 and PBX-VM-006 on the dialplan's reach."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    entry_points,
    load_dialplan,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_tollfraud import (
    audit_dialplan,
    weak_passcode,
)
from dialplan_site import SIP, site

LATENT = "Latent, not reachable now: "


GUEST_DIALS = {("from-internal", "_1XX"), ("from-internal", "_00."), ("from-internal", "_0900."),
               ("from-internal", "*98")}


def _by_control(findings, control, latent=False):
    return [f for f in findings if f["control"] == control and f["latent"] is latent]


def test_pbx_dp_001_chain_from_sip_guest_context(astconf_tree):
    root = site(astconf_tree, {"sip.conf": SIP.replace("allowguest=no", "allowguest=yes")})
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, users = entry_points(str(root), ["sip"])
    assert [(g["context"], g["latent"]) for g in guests] == [("public", None)]
    assert "allowguest=yes" in guests[0]["source"]
    assert [t["context"] for t in trunks] == ["from-trunk"]
    assert users == ["200"]                         # [100] gets context= from its template
    findings, reach = audit_dialplan(plan, guests, trunks)
    dp1 = _by_control(findings, "PBX-DP-001")
    assert {(f["context"], f["extension"]) for f in dp1} == GUEST_DIALS
    international = [f for f in dp1 if f["extension"] == "_00."][0]
    assert international["chain"][0].startswith("[public]")
    assert "include from-internal" in international["message"]
    assert international["line"] == 4
    assert "from-trunk" not in reach["guest"]      # not reachable by guests
    assert not [f for f in findings if f["latent"]]


def test_pbx_dp_001_allowguest_no_is_latent_reach_not_a_finding(astconf_tree):
    """Stock Debian Asterisk 16 hardened: [general] context=public, allowguest=no, no
    autocreatepeer.  No unauthenticated caller reaches [public]: what it reaches is latent."""
    root = site(astconf_tree)
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, _users = entry_points(str(root), ["sip"])
    assert guests[0]["latent"] == "reachable if guests are allowed again"
    assert "allowguest=no (%s:3), autocreatepeer off" % (root / "sip.conf") in guests[0]["source"]
    findings, reach = audit_dialplan(plan, guests, trunks)
    assert _by_control(findings, "PBX-DP-001") == []
    assert reach["guest"] == {} and "from-internal" in reach["latent_guest"]
    latent = _by_control(findings, "PBX-DP-001", latent=True)
    assert {(f["context"], f["extension"]) for f in latent} == GUEST_DIALS
    assert all(f["message"].startswith(LATENT) for f in latent)
    assert all("reachable if guests are allowed again" in f["chain"][0] for f in latent)
    # the trunk's reach is open, and not repeated as latent
    assert [f["extension"] for f in _by_control(findings, "PBX-DP-002")] == ["_00.", "_0900."]
    assert _by_control(findings, "PBX-DP-002", latent=True) == []


def test_insecure_invite_peer_in_the_guest_context_is_trunk_reach(astconf_tree):
    """allowguest=no, but a peer with insecure=invite and no context= of its own takes calls
    from its host without authentication into the [general] context: open trunk reach."""
    root = site(astconf_tree, {"sip.conf": SIP + "[carrier]\ntype=peer\ninsecure=invite\n"
                                                 "host=192.0.2.1\n"})
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, _users = entry_points(str(root), ["sip"])
    assert [(t["object"], t["context"], t["latent"]) for t in trunks] == \
        [("kiwi", "from-trunk", None), ("carrier", "public", None)]
    findings, reach = audit_dialplan(plan, guests, trunks)
    assert reach["trunk"]["public"] == ["[public] (chan_sip trunk [carrier] insecure=invite, "
                                        "%s:%d)" % (root / "sip.conf", SIP.count("\n") + 1)]
    assert _by_control(findings, "PBX-DP-001") == []
    assert {f["context"] for f in _by_control(findings, "PBX-DP-001", latent=True)} == \
        {"from-internal"}
    vm6 = _by_control(findings, "PBX-VM-006")
    assert len(vm6) == 1 and "from a trunk context" in vm6[0]["message"]


def test_dormant_channels_and_identifiers_are_latent(astconf_tree):
    """What the caller says Asterisk does not load is latent; a dormant channel's refused file
    is no note (Asterisk does not read it)."""
    root = astconf_tree({
        "sip.conf": "[general]\ncontext=public\nallowguest=yes\n#include missing.conf\n",
        "pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=public\n"
                      "[kiwi]\ntype=endpoint\ncontext=from-trunk\n"
                      "[kiwi-id]\ntype=identify\nendpoint=kiwi\nmatch=192.0.2.1\n",
        "iax.conf": "[guest]\ntype=user\ncontext=public\n#include missing.conf\n",
        "extensions.conf": "[public]\nexten => _X.,1,Dial(PJSIP/${EXTEN}@kiwi)\n"
                           "[from-trunk]\nexten => _X.,1,Goto(public,${EXTEN},1)\n"})
    dormant = {"iax2": "reachable if chan_iax2 is loaded",
               "pjsip_anonymous": "reachable if its identifier is loaded"}
    guests, trunks, notes, _users = entry_points(str(root), ("pjsip", "iax2"), dormant=dormant)
    assert [(g["channel"], g["latent"]) for g in guests] == \
        [("pjsip", "reachable if its identifier is loaded")]
    assert [(t["object"], t["latent"]) for t in trunks] == [("kiwi", None)]
    assert notes == []
    notes = entry_points(str(root), ("sip", "iax2"))[2]
    assert [note["message"].split(":")[0] for note in notes] == ["cannot read sip.conf",
                                                                 "cannot read iax.conf"]
    plan = load_dialplan(str(root / "extensions.conf"))
    findings, reach = audit_dialplan(plan, guests, trunks)
    assert list(reach["trunk"]) == ["from-trunk", "public"]
    assert list(reach["latent_guest"]) == ["public"]        # open to the trunk, latent to guests
    assert sorted((f["control"], f["latent"]) for f in findings) == \
        [("PBX-DP-001", True), ("PBX-DP-002", False)]
    assert "reachable if its identifier is loaded" in _by_control(
        findings, "PBX-DP-001", latent=True)[0]["message"]


def test_pbx_dp_002_and_vm_006_from_trunk(astconf_tree):
    root = site(astconf_tree, {"sip.conf": SIP.replace("context=public", "context=nowhere")})
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, _users = entry_points(str(root), ["sip"])
    findings, reach = audit_dialplan(plan, guests, trunks)
    trunk_chains = reach["trunk"]
    assert not [f for f in findings if f["control"] == "PBX-DP-001"]
    dp2 = sorted((f["extension"], f["message"].split()[0]) for f in findings
                 if f["control"] == "PBX-DP-002")
    assert dp2 == [("_00.", "international"), ("_0900.", "premium")]
    vm6 = [f for f in findings if f["control"] == "PBX-VM-006"]
    assert len(vm6) == 1 and "s option" in vm6[0]["message"]
    assert "Goto from-internal" in " ".join(trunk_chains["from-internal"])


def test_pbx_dp_002_require_pin(astconf_tree):
    root = astconf_tree({"extensions.conf": """\
[internal]
exten => _00.,1,Authenticate(/etc/asterisk/pins)
 same => n,Dial(SIP/trunk/${EXTEN})
exten => _0900.,1,Dial(SIP/trunk/${EXTEN})
"""})
    plan = load_dialplan(str(root / "extensions.conf"))
    findings, _reach = audit_dialplan(plan, [], [], require_pin=True)
    assert [(f["extension"], f["control"]) for f in findings] == [("_0900.", "PBX-DP-002")]


def test_pbx_dp_003_disa(astconf_tree):
    root = astconf_tree({"extensions.conf": """\
[internal]
exten => 1,1,DISA(no-password,internal)
exten => 2,1,DISA(1234,internal)
exten => 3,1,DISA(73915582,internal)
"""})
    plan = load_dialplan(str(root / "extensions.conf"))
    findings, _reach = audit_dialplan(plan, [], [])
    dp3 = [f for f in findings if f["control"] == "PBX-DP-003"]
    assert [f["extension"] for f in dp3] == ["1", "2"]
    assert all("1234" not in f["message"] for f in dp3)      # never the passcode


def test_weak_passcodes():
    assert weak_passcode("1234", 8) and weak_passcode("11111111", 8)
    assert weak_passcode("12345678", 8) and not weak_passcode("73915582", 8)
