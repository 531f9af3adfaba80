# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""astconf_dialplan: the dialplan model, entry points and reachability."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_dialplan import (
    can_match_prefix,
    entry_points,
    literal_prefix,
    load_dialplan,
    reachable,
    read_config,
)
from dialplan_site import SITE_INC, site


def test_model_contexts_extensions_same_labels_hints(astconf_tree):
    root = site(astconf_tree)
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
    root = site(astconf_tree, {"extensions_site.conf": SITE_INC + """
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


def test_reachable_ignores_missing_contexts(astconf_tree):
    root = astconf_tree({"extensions.conf": "[a]\ninclude => b\ninclude => missing\n[b]\n"})
    plan = load_dialplan(str(root / "extensions.conf"))
    chains = reachable(plan, [dict(context="a", source="test")])
    assert sorted(chains) == ["a", "b"]
