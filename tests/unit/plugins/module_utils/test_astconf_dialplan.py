# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""astconf_dialplan: the dialplan model, reachability and the PBX-DP/VM-006 audit."""

from __future__ import annotations

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


def test_pbx_dp_001_chain_from_sip_guest_context(astconf_tree):
    root = _site(astconf_tree)
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, users = entry_points(str(root), ["sip"])
    assert [g["context"] for g in guests] == ["public"]
    assert "allowguest=no" in guests[0]["source"]
    assert [t["context"] for t in trunks] == ["from-trunk"]
    assert users == ["200"]                         # [100] gets context= from its template
    findings, chains, _trunk = audit_dialplan(plan, guests, trunks)
    dp1 = [f for f in findings if f["control"] == "PBX-DP-001"]
    assert {(f["context"], f["extension"]) for f in dp1} == {
        ("from-internal", "_1XX"), ("from-internal", "_00."), ("from-internal", "_0900."),
        ("from-internal", "*98")}
    international = [f for f in dp1 if f["extension"] == "_00."][0]
    assert international["chain"][0].startswith("[public]")
    assert "include from-internal" in international["message"]
    assert international["line"] == 4
    assert "from-trunk" not in chains              # not reachable by guests


def test_pbx_dp_002_and_vm_006_from_trunk(astconf_tree):
    root = _site(astconf_tree, {"sip.conf": SIP.replace("context=public", "context=nowhere")})
    plan = load_dialplan(str(root / "extensions.conf"))
    guests, trunks, _notes, _users = entry_points(str(root), ["sip"])
    findings, _g, trunk_chains = audit_dialplan(plan, guests, trunks)
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
    findings, _g, _t = audit_dialplan(plan, [], [], require_pin=True)
    assert [(f["extension"], f["control"]) for f in findings] == [("_0900.", "PBX-DP-002")]


def test_pbx_dp_003_disa(astconf_tree):
    root = astconf_tree({"extensions.conf": """\
[internal]
exten => 1,1,DISA(no-password,internal)
exten => 2,1,DISA(1234,internal)
exten => 3,1,DISA(73915582,internal)
"""})
    plan = load_dialplan(str(root / "extensions.conf"))
    findings, _g, _t = audit_dialplan(plan, [], [])
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
