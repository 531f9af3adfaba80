# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plan of the dialplan role's guest context fix (harden_dialplan, PBX-DP-001) on small
trees: the drop-in's bytes, the one #tryinclude line (only when the includer does not read the
drop-in yet, in the includer's line end), the sip.conf [general] context, what must be reloaded,
and the refusals that leave every file as it was."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_dialplan import (
    DROPIN,
    FixRefused,
    dropin_bytes,
    plan_guest_fix,
)

SIP = "[general]\ncontext=public\nallowguest=no\n[phone1]\ntype=friend\ncontext=from-internal\n"
EXTENSIONS = "[public]\nexten => s,1,Hangup()\n"
# What roles/dialplan/templates/extensions_pbxsec.conf.j2 rendered before this module wrote it:
# a host the role fixed then sees no change.
TEMPLATE_OUTPUT = (
    b"; Ansible managed\n"
    b"; pbxsec.hardening role dialplan (PBX-DP-001): unauthenticated SIP callers land here and are\n"
    b"; refused (cause 21, call rejected). Read through \"#tryinclude extensions_pbxsec.conf\" at "
    b"the\n; end of extensions.conf.\n\n[pbx-guest-reject]\nexten => _X.,1,Hangup(21)\n"
    b"exten => _[+*#a-z].,1,Hangup(21)\nexten => s,1,Hangup(21)\nexten => i,1,Hangup(21)\n")


def _plan(root, context="pbx-guest-reject", users=(), freepbx=False):
    sip = root / "sip.conf"
    cfg = load_config(str(sip), str(root)) if sip.exists() else None
    return plan_guest_fix(str(root), context, cfg, list(users), freepbx)


def _changes(fix):
    return dict((os.path.basename(change.path), change)
                for _cfg, plan in fix.trees for change in plan.changes)


def test_pbx_dp_001_dropin_is_what_the_template_wrote():
    assert dropin_bytes("pbx-guest-reject", "extensions.conf") == TEMPLATE_OUTPUT


def test_pbx_dp_001_three_files_planned_and_both_reloads(astconf_tree, snapshot):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": EXTENSIONS})
    before = snapshot(root)
    fix = _plan(root)
    assert snapshot(root) == before
    changes = _changes(fix)
    assert sorted(changes) == ["extensions.conf", DROPIN, "sip.conf"]
    assert changes[DROPIN].created and changes[DROPIN].after == TEMPLATE_OUTPUT
    assert changes["extensions.conf"].after == (EXTENSIONS + "#tryinclude %s\n" % DROPIN).encode()
    assert changes["sip.conf"].after == SIP.replace("context=public",
                                                    "context=pbx-guest-reject", 1).encode()
    assert fix.reload == ["dialplan", "chan_sip"]
    dialplan = fix.trees[0][1].new_config
    assert dialplan.first("pbx-guest-reject").path == str(root / DROPIN)
    assert fix.owner[2] == 0o640


@pytest.mark.parametrize("extensions, appended", [
    ("[public]\r\nexten => s,1,Hangup()", "\r\n#tryinclude %s\r\n"),     # CRLF, no final newline
    ("[public]\nexten => s,1,Hangup()\n", "#tryinclude %s\n"),
    ("", "#tryinclude %s\n"),
])
def test_pbx_dp_001_the_line_goes_at_the_end_in_the_file_line_end(astconf_tree, extensions,
                                                                  appended):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": extensions})
    change = _changes(_plan(root))["extensions.conf"]
    assert change.after == (extensions + appended % DROPIN).encode()


def test_pbx_dp_001_no_line_when_the_includer_reads_the_dropin_already(astconf_tree):
    """A glob reads the drop-in once it exists: no second include (Asterisk would read the
    context twice)."""
    extensions = EXTENSIONS + "#tryinclude extensions_pbx*.conf\n"
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": extensions})
    assert sorted(_changes(_plan(root))) == [DROPIN, "sip.conf"]


def test_pbx_dp_001_the_dialplan_is_reloaded_before_chan_sip_and_only_on_a_change(astconf_tree):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": EXTENSIONS
                         + "#tryinclude %s\n" % DROPIN, DROPIN: TEMPLATE_OUTPUT})
    # chan_sip alone changes: the dialplan is reloaded before it all the same.
    assert _plan(root).reload == ["dialplan", "chan_sip"]
    (root / "sip.conf").write_text(SIP.replace("context=public", "context=pbx-guest-reject"))
    fix = _plan(root)
    assert fix.reload == [] and _changes(fix) == {}
    (root / DROPIN).write_bytes(TEMPLATE_OUTPUT.replace(b"Hangup(21)", b"Hangup(22)", 1))
    assert _plan(root).reload == ["dialplan"]


def test_pbx_dp_001_a_line_inside_a_block_comment_is_refused(astconf_tree):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": EXTENSIONS + ";-- open comment\n"})
    with pytest.raises(FixRefused, match="would not read extensions_pbxsec.conf"):
        _plan(root)


@pytest.mark.parametrize("context, users, match", [
    ("pbx guest", (), "guest_context must be a plain context name"),
    ("x" * 80, (), "guest_context must be a plain context name"),
    ("pbx-guest-reject", ("phone2", "phone3"),
     r"PBX-DP-001: chan_sip peers without their own context= would move into "
     r"\[pbx-guest-reject\] with the guest context: phone2, phone3\."),
])
def test_pbx_dp_001_refusals_before_anything_is_planned(astconf_tree, context, users, match):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": EXTENSIONS})
    with pytest.raises(FixRefused, match=match):
        _plan(root, context, users)


def test_pbx_dp_001_no_sip_conf_is_refused(astconf_tree):
    root = astconf_tree({"extensions.conf": EXTENSIONS})
    with pytest.raises(FixRefused, match="sip.conf not found"):
        _plan(root)


@pytest.mark.parametrize("make", ["symlink", "hardlink", "directory"])
def test_pbx_dp_001_anything_but_our_own_file_in_the_dropin_place_is_refused(
        astconf_tree, tmp_path, make):
    root = astconf_tree({"asterisk/sip.conf": SIP, "asterisk/extensions.conf": EXTENSIONS,
                         "outside.conf": "[secret]\nkept=TOPSECRET\n"}) / "asterisk"
    target = str(tmp_path / "outside.conf")
    if make == "symlink":
        os.symlink(target, str(root / DROPIN))
    elif make == "hardlink":
        os.link(target, str(root / DROPIN))
    else:
        os.mkdir(str(root / DROPIN))
    with pytest.raises(FixRefused, match="refusing to write") as refused:
        _plan(root)
    assert "TOPSECRET" not in str(refused.value)


FREEPBX_SIP = ("[general]\n#include sip_general_additional.conf\n#include sip_general_custom.conf\n"
               "#include sip_custom.conf\n#include sip_additional.conf\n"
               "#include sip_custom_post.conf\n")
FREEPBX_EXTENSIONS = ("[globals]\n#include globals_custom.conf\n\n"
                      "#include extensions_additional.conf\n#include extensions_custom.conf\n")


def _freepbx(astconf_tree):
    return astconf_tree({
        "sip.conf": FREEPBX_SIP, "sip_general_additional.conf": "context=from-sip-external\n",
        "sip_general_custom.conf": "", "sip_custom.conf": "", "sip_custom_post.conf": "",
        "sip_additional.conf": "[100]\ntype=friend\ncontext=from-internal\n",
        "extensions.conf": FREEPBX_EXTENSIONS, "globals_custom.conf": "",
        "extensions_additional.conf": "[from-sip-external]\nexten => _.,1,Hangup()\n",
        "extensions_custom.conf": ""})


def test_pbx_dp_001_freepbx_writes_only_its_custom_files(astconf_tree):
    root = _freepbx(astconf_tree)
    changes = _changes(_plan(root, freepbx=True))
    assert sorted(changes) == ["extensions_custom.conf", DROPIN, "sip_general_custom.conf"]
    assert changes["extensions_custom.conf"].after == b"#tryinclude %s\n" % DROPIN.encode()
    assert changes["sip_general_custom.conf"].after == b"context=pbx-guest-reject\n"
    assert b"end of extensions_custom.conf" in changes[DROPIN].after


def test_pbx_dp_001_freepbx_custom_files_that_would_not_win_are_refused(astconf_tree):
    root = _freepbx(astconf_tree)
    (root / "extensions.conf").write_text(FREEPBX_EXTENSIONS.replace(
        "#include extensions_custom.conf\n", ""))
    with pytest.raises(FixRefused, match="PBX-DP-001: FreePBX host, but the guest context in its "
                                         "custom files would not win, so nothing was changed: "
                                         "extensions.conf: extensions_custom.conf is not "
                                         "included"):
        _plan(root, freepbx=True)


def test_pbx_dp_001_a_guest_context_the_dialplan_already_has_is_refused(astconf_tree):
    root = astconf_tree({"sip.conf": SIP, "extensions.conf": EXTENSIONS})
    with pytest.raises(FixRefused, match=r"\[public\] is also a context of the dialplan "
                                         r"\(.*extensions.conf:1\)"):
        _plan(root, context="public")
