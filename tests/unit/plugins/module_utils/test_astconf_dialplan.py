# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""astconf_dialplan: the dialplan model, reachability and the PBX-DP/VM-006 audit."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    audit_asterisk_conf,
    audit_dialplan,
    can_match_prefix,
    entry_points,
    literal_prefix,
    load_dialplan,
    reachable,
    read_config,
    weak_passcode,
)

LATENT = "Latent, not reachable now: "

SITE = """\
[general]
static=yes
[globals]
TRUNK=SIP/kiwi
[public]
exten => s,1,Playback(hello)
#include extensions_site.conf
"""

SITE_INC = """\
[from-internal]
exten => _1XX,1,Dial(SIP/${EXTEN},20)
 same => n(vm),VoiceMail(${EXTEN}@default,u)
exten => _00.,1,Dial(SIP/kiwi-trunk/${EXTEN},60)
exten => _0900.,1,Dial(SIP/kiwi-trunk/${EXTEN},60)
exten => *98,1,VoiceMailMain(${CALLERID(num)}@default,s)
exten => 100,hint,SIP/100

[from-trunk]
exten => _X.,1,Goto(from-internal,${EXTEN},1)

[public](+)
include => from-internal,08:00-17:00,mon-fri,*,*
"""

SIP = """\
[general]
context=public
allowguest=no
[kiwi]
type=peer
insecure=port,invite
context=from-trunk
[phone](!)
context=from-internal
[100](phone)
type=friend
[200]
type=friend
"""


def _site(astconf_tree, extra=None):
    files = {"extensions.conf": SITE, "extensions_site.conf": SITE_INC, "sip.conf": SIP}
    files.update(extra or {})
    return astconf_tree(files)


def test_model_contexts_extensions_same_labels_hints(astconf_tree):
    root = _site(astconf_tree)
    plan = load_dialplan(str(root / "extensions.conf"))
    assert list(plan.contexts) == ["public", "from-internal", "from-trunk"]
    internal = plan.contexts["from-internal"]
    first, same = internal.extensions[0], internal.extensions[1]
    assert (first.pattern, first.priority, first.app, first.args) == \
        ("_1XX", "1", "Dial", "SIP/${EXTEN},20")
    assert (same.pattern, same.priority, same.label, same.app) == ("_1XX", "n", "vm", "VoiceMail")
    assert same.line == 3 and same.path.endswith("extensions_site.conf")
    assert any(e.app == "hint" and e.pattern == "100" for e in internal.extensions)
    public = plan.contexts["public"]
    assert [e.target for e in public.includes] == ["from-internal"]
    assert public.includes[0].note == "only at 08:00-17:00,mon-fri,*,*"   # still an edge


def test_goto_with_literal_context_is_an_edge_and_variables_are_noted(astconf_tree):
    root = _site(astconf_tree, {"extensions_site.conf": SITE_INC + """
[ivr]
exten => 1,1,GotoIf($[${X} = 1]?from-internal,100,1:from-trunk,s,1)
exten => 2,1,Goto(${DEST},s,1)
exten => 3,1,Gosub(sub-x,s,1(a,b))
exten => 4,1,Dial(Local/100@dest-local)
"""})
    plan = load_dialplan(str(root / "extensions.conf"))
    targets = [e.target for e in plan.contexts["ivr"].edges]
    assert targets == ["from-internal", "from-trunk", "sub-x", "dest-local"]
    assert any("${DEST}" in note["message"] for note in plan.notes)


GUEST_DIALS = {("from-internal", "_1XX"), ("from-internal", "_00."), ("from-internal", "_0900."),
               ("from-internal", "*98")}


def _by_control(findings, control, latent=False):
    return [f for f in findings if f["control"] == control and f["latent"] is latent]


def test_pbx_dp_001_chain_from_sip_guest_context(astconf_tree):
    root = _site(astconf_tree, {"sip.conf": SIP.replace("allowguest=no", "allowguest=yes")})
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
    root = _site(astconf_tree)
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


@pytest.mark.parametrize("general, latent", [
    ("", False),                                            # allowguest defaults to yes
    ("allowguest=yes\nautocreatepeer=no\n", False),
    ("allowguest=no\n", True),
    ("allowguest=maybe\n", True),                          # not ast_true(): off
    ("allowguest=no\nautocreatepeer=no\n", True),
    ("allowguest=no\nautocreatepeer=yes\n", False),       # unknown hosts become peers
    ("allowguest=no\nautocreatepeer=persist\n", False),
    ("allowguest=no\nallowguest=yes\n", False),          # the last assignment wins
])
def test_sip_guest_context_latent_only_when_chan_sip_refuses_guests(astconf_tree, general, latent):
    root = astconf_tree({"sip.conf": "[general]\ncontext=public\n" + general})
    guests = entry_points(str(root), ["sip"])[0]
    assert bool(guests[0]["latent"]) is latent


def test_insecure_invite_peer_in_the_guest_context_is_trunk_reach(astconf_tree):
    """allowguest=no, but a peer with insecure=invite and no context= of its own takes calls
    from its host without authentication into the [general] context: open trunk reach."""
    root = _site(astconf_tree, {"sip.conf": SIP + "[carrier]\ntype=peer\ninsecure=invite\n"
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
    root = _site(astconf_tree, {"sip.conf": SIP.replace("context=public", "context=nowhere")})
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


def test_pjsip_anonymous_and_iax_guest_entry_points(astconf_tree):
    root = astconf_tree({
        "pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=from-sip-external\n"
                      "[kiwi]\ntype=endpoint\ncontext=from-trunk\n"
                      "[kiwi-id]\ntype=identify\nendpoint=kiwi\nmatch=127.0.0.1\n",
        "iax.conf": "[general]\n[guest]\ntype=user\ncontext=public\n"
                    "[iaxtel]\ntype=user\ninkeys=iaxtel\ncontext=default\n"})
    guests, trunks, _notes, _users = entry_points(str(root))
    assert [(g["channel"], g["context"]) for g in guests] == \
        [("pjsip", "from-sip-external"), ("iax2", "public")]
    assert [(t["channel"], t["context"]) for t in trunks] == [("pjsip", "from-trunk")]


def test_entry_points_reuse_the_callers_trees(astconf_tree):
    """A caller that already loaded the channel files passes them: nothing is read twice, and
    the answer is the one of entry_points' own reading (refused trees become notes)."""
    root = astconf_tree({
        "sip.conf": "[general]\ncontext=public\n[prov]\ntype=peer\ninsecure=invite\n",
        "pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=from-sip-external\n",
        "iax.conf": "[general]\n#include missing.conf\n"})
    asked = []

    def load(name):
        asked.append(name)
        return read_config(str(root), name)

    assert entry_points(str(root), load=load) == entry_points(str(root))
    assert asked == ["sip.conf", "pjsip.conf", "iax.conf"]
    notes = entry_points(str(root), load=load)[2]
    assert [note["message"].split(":")[0] for note in notes] == ["cannot read iax.conf"]


def test_patterns():
    assert literal_prefix("_00.") == "00"
    assert literal_prefix("_0[0]X.") == "00"
    assert literal_prefix("_+.") == "+"
    assert can_match_prefix("_X.", "00") and can_match_prefix("_0.", "0900")
    assert not can_match_prefix("_1XX", "00")
    assert not can_match_prefix("_NXX", "0")
    assert weak_passcode("1234", 8) and weak_passcode("11111111", 8)
    assert weak_passcode("12345678", 8) and not weak_passcode("73915582", 8)


def test_reachable_ignores_missing_contexts(astconf_tree):
    root = astconf_tree({"extensions.conf": "[a]\ninclude => b\ninclude => missing\n[b]\n"})
    plan = load_dialplan(str(root / "extensions.conf"))
    chains = reachable(plan, [dict(context="a", source="test")])
    assert sorted(chains) == ["a", "b"]


def test_pbx_dp_004(astconf_tree, tmp_path):
    root = astconf_tree({"asterisk.conf": "[options]\nlive_dangerously=yes\nrungroup=root\n"})
    findings, evidence = audit_asterisk_conf(str(root), proc=str(tmp_path / "noproc"))
    messages = " ".join(f["message"] for f in findings)
    assert "live_dangerously" in messages and "rungroup is root" in messages
    assert "runuser unset" in messages and evidence["runuser_source"] is None
    findings, evidence = audit_asterisk_conf(str(root), "asterisk")
    assert len(findings) == 2 and evidence["runuser_source"] == "runuser_from_service"
    proc = tmp_path / "proc" / "42"
    proc.mkdir(parents=True)
    (proc / "comm").write_text("asterisk\n")
    (proc / "status").write_text("Name:\tasterisk\nUid:\t0\t0\t0\t0\n")
    root2 = astconf_tree({"asterisk.conf": "[options]\n;runuser = asterisk\n"})
    findings, evidence = audit_asterisk_conf(str(root2), proc=str(tmp_path / "proc"))
    assert [f["message"] for f in findings] == \
        ["runuser unset and the running Asterisk (pid 42) runs as root"]
    root3 = astconf_tree({"asterisk.conf": "[options]\nrunuser=asterisk\nrungroup=asterisk\n"})
    assert audit_asterisk_conf(str(root3))[0] == []
