# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""voicemail.conf: mailbox strings split and edited like app_voicemail reads them, losslessly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    effective_options,
    mailbox_fields,
    mailboxes,
    mask_mailbox_value,
    mask_pins,
    option_items,
    pin_problems,
    weak_pins,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_voicemail import edit_options, plan_voicemail

SITE = ("; ACME Ltd voicemail. Included at the end of Debian's stock voicemail.conf.\n\n"
        "[general](+)\n"
        "dialout=from-internal       ; callers can dial out from the voicemail menu\n"
        "callback=from-internal\n"
        "operator=yes\n\n"
        "[default](+)\n"
        "100 => 1000,Reception,,,dialout=from-internal|callback=from-internal\n"
        "101 => 101,Sales\n")
STOCK = ("[general]\nformat=wav49|gsm|wav\nmaxlogins=3\nsendvoicemail=yes ; comment\n"
         "\n[zonemessages]\neastern=America/New_York|'vm-received' Q 'digits/at' IMp\n"
         "\n[default]\n1234 => 4242,Example Mailbox,root@localhost\n"
         ";4300 => 3532,Commented Out,x@example.com\n"
         "\n#include voicemail_site.conf\n")
HARDENING = dict(general={"dialout": None, "callback": None, "operator": "no"},
                 general_min={"minpassword": 6}, general_max={"maxlogins": 3},
                 mailbox_options_absent=["dialout", "callback"], mailbox_options={"operator": "no"})


def site_tree(astconf_tree):
    root = astconf_tree({"voicemail.conf": STOCK, "voicemail_site.conf": SITE})
    return load_config(str(root / "voicemail.conf"))


# --- splitting, as append_mailbox() and apply_options() do -------------------------------------

def test_fields_are_four_strsep_then_the_whole_rest():
    value = b"1234,Bob,bob@example.com,,dialout=a|callback=b,extra"
    spans = mailbox_fields(value)
    assert [value[s:e] for s, e in spans] == [b"1234", b"Bob", b"bob@example.com", b"",
                                              b"dialout=a|callback=b,extra"]


def test_missing_fields_are_left_out():
    assert [b"101,Sales"[s:e] for s, e in mailbox_fields(b"101,Sales")] == [b"101", b"Sales"]
    assert mailbox_fields(b"") == [(0, 0)]


def test_option_items_are_not_stripped_and_split_once_on_equals():
    items = option_items(b"dialout=a=b| operator=yes|junk||x=")
    assert [(i.name, i.value) for i in items] == [
        (b"dialout", b"a=b"), (b" operator", b"yes"), (b"junk", None), (b"", None), (b"x", b"")]
    assert items[1].key == b" operator" and items[1].loose_key == b"operator"


def test_effective_options_last_item_wins_and_commas_stay_in_the_value():
    # Asterisk 22 on the test bed: "tz=central|tz=military" gives military; "tz=central,tz=x"
    # gives the zone "central,tz=x" (the options field is the whole rest).
    assert effective_options(b"1,T,,,tz=central|tz=military") == {b"tz": b"military"}
    assert effective_options(b"1,T,,,tz=central,tz=military") == {b"tz": b"central,tz=military"}
    assert effective_options(b"1,T") == {}


# --- editing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (b"1000,Reception,,,dialout=from-internal|callback=from-internal", b"1000,Reception,,,"),
    (b"1,B,,,dialout=a|callback=b|operator=yes", b"1,B,,,operator=no"),
    (b"1,B,,,operator=yes|dialout=a", b"1,B,,,operator=no"),
    (b"1,B,,,a=1|dialout=x|b=2|callback=y|c=3", b"1,B,,,a=1|b=2|c=3"),
    (b"1,B,,,a=1|DialOut=x", b"1,B,,,a=1"),
    (b"1,B,,, dialout=x|a=1", b"1,B,,,a=1"),
    (b"1,B", b"1,B"),
    (b"1,B,,,x=1,dialout=y", b"1,B,,,x=1,dialout=y"),     # dialout is inside x's value
])
def test_edit_options_removes_and_sets(value, expected):
    new, edits, _touched = edit_options(value, ["dialout", "callback"], {"operator": "no"})
    assert new == expected
    rebuilt = value
    for start, end, text in sorted(edits, reverse=True):
        rebuilt = rebuilt[:start] + text + rebuilt[end:]
    assert rebuilt == new


def test_edit_options_adds_only_when_asked():
    assert edit_options(b"101,Sales", [], {"operator": "no"})[0] == b"101,Sales"
    assert edit_options(b"101,Sales", [], {"operator": "no"}, True)[0] == \
        b"101,Sales,,,operator=no"
    assert edit_options(b"1,,,,", [], {"operator": "no"}, True)[0] == b"1,,,,operator=no"
    assert edit_options(b"1,,,,a=1", [], {"operator": "no"}, True)[0] == b"1,,,,a=1|operator=no"


def test_edit_options_rejects_names_that_would_break_the_line():
    with pytest.raises(AsteriskConfigError):
        edit_options(b"1,B", ["dial|out"])
    with pytest.raises(AsteriskConfigError):
        edit_options(b"1,B", [], {"operator": "no|dialout=x"})


_ITEM = st.text(alphabet="abcdo=ulti ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(head=st.lists(st.text(alphabet="0123456789 abc@.", max_size=6), min_size=0, max_size=4),
       items=st.lists(_ITEM, max_size=6))
def test_edits_touch_only_option_items_and_leave_no_removed_option(head, items):
    value = ",".join(head + ["|".join(items)]).encode() if len(head) == 4 else \
        ",".join(head).encode()
    new, edits, _touched = edit_options(value, ["dialout", "callback"], {"operator": "no"})
    spans = mailbox_fields(value)
    # The pin, name, email and pager fields are byte for byte the same.
    assert [value[s:e] for s, e in spans[:4]] == [new[s:e] for s, e in mailbox_fields(new)[:4]]
    if len(spans) == 5:
        assert all(start >= spans[4][0] for start, _end, _text in edits)
    for item in option_items(new[mailbox_fields(new)[-1][0]:]) if len(spans) == 5 else []:
        assert item.loose_key not in (b"dialout", b"callback")
        if item.loose_key == b"operator" and item.value is not None:
            assert item.value == b"no"
    # Applying the edits again changes nothing (idempotent).
    assert edit_options(new, ["dialout", "callback"], {"operator": "no"})[1] == []


# --- PIN policy ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pin, box, weak", [
    (b"4242", b"1234", True),          # Debian's stock mailbox
    (b"1000", b"100", True),           # short
    (b"101", b"101", True),            # the mailbox number
    (b"100001", b"100001", True),
    (b"123456", b"200", True), (b"987654", b"200", True),
    (b"111111", b"200", True), (b"121212", b"200", True), (b"123123", b"200", True),
    (b"", b"200", True), (b"*1234567", b"200", True),
    (b"739154", b"100", False), (b"90210845", b"100", False),
])
def test_pin_policy(pin, box, weak):
    assert bool(pin_problems(pin, box)) is weak


def test_pin_policy_is_tunable():
    assert pin_problems(b"4711", b"1", {"min_length": 4}) == []
    assert pin_problems(b"123456", b"1", {"forbid_sequential": False}) == []


def test_problems_never_contain_the_pin():
    for rule in pin_problems(b"1234", b"1234"):
        assert "1234" not in rule


# --- the tree -------------------------------------------------------------------------------------

def test_mailboxes_and_weak_pins_of_the_site_overlay(astconf_tree):
    cfg = site_tree(astconf_tree)
    assert [(b.context, b.name) for b in mailboxes(cfg)] == [
        ("default", "1234"), ("default", "100"), ("default", "101")]
    found = weak_pins(cfg)
    assert [(w["mailbox"], w["context"], w["line"]) for w in found] == [
        ("1234", "default", 10), ("100", "default", 9), ("101", "default", 10)]
    assert set(found[0]) == {"mailbox", "context", "object", "file", "line"}


def test_aliases_context_is_not_mailboxes(astconf_tree):
    root = astconf_tree({"voicemail.conf": "[general]\naliasescontext=myaliases\n"
                                           "[default]\n1234 => 739154,A\n"
                                           "[myaliases]\n1234@devices => 1234@default\n"})
    cfg = load_config(str(root / "voicemail.conf"))
    assert [b.name for b in mailboxes(cfg)] == ["1234"]


def test_plan_hardens_the_site_overlay_and_keeps_every_other_byte(astconf_tree):
    cfg = site_tree(astconf_tree)
    plan = plan_voicemail(cfg, **HARDENING)
    changed = dict((c.path.rsplit("/", 1)[1], c.after) for c in plan.changes)
    assert changed["voicemail_site.conf"] == (
        b"; ACME Ltd voicemail. Included at the end of Debian's stock voicemail.conf.\n\n"
        b"[general](+)\noperator=no\n\n[default](+)\n100 => 1000,Reception,,,\n101 => 101,Sales\n")
    assert changed["voicemail.conf"] == STOCK.replace(
        "sendvoicemail=yes ; comment\n", "sendvoicemail=yes ; comment\nminpassword=6\n").encode()
    assert plan.general_before == {"dialout": ["from-internal"], "callback": ["from-internal"],
                                   "operator": ["yes"], "minpassword": [], "maxlogins": ["3"]}
    assert plan.general_after == {"dialout": [], "callback": [], "operator": ["no"],
                                  "minpassword": ["6"], "maxlogins": ["3"]}
    site = [c.path for c in plan.changes if c.path.endswith("site.conf")][0]
    assert plan.mailbox_changes == [dict(mailbox="100", context="default", file=site, line=9,
                                         options=["callback", "dialout"])]
    # Reported lines are lines of the files as they are now.
    assert "voicemail_site.conf:4: removed dialout from [general]" in " ".join(plan.actions)
    assert plan_voicemail(plan.new_config, **HARDENING).changed is False


def test_first_assignment_wins_so_every_assignment_is_fixed(astconf_tree):
    # ast_variable_retrieve() returns the FIRST operator=, which a later [general](+) line does
    # not override (checked on Asterisk 22.10 with tz=: the first one is used).
    root = astconf_tree({"voicemail.conf": "[general]\noperator=yes\n[general](+)\noperator=no\n"
                                           "maxlogins=10\nmaxlogins=2\nminpassword=8\n"})
    cfg = load_config(str(root / "voicemail.conf"))
    plan = plan_voicemail(cfg, general={"operator": "no"}, general_min={"minpassword": 6},
                          general_max={"maxlogins": 3})
    assert plan.changes[0].after == (b"[general]\noperator=no\n[general](+)\noperator=no\n"
                                     b"maxlogins=3\nmaxlogins=2\nminpassword=8\n")


def test_mailbox_lines_in_included_files_with_escapes_and_crlf(astconf_tree):
    root = astconf_tree({
        "voicemail.conf": "[general]\r\n[default]\r\n#include boxes.conf\r\n",
        "boxes.conf": "200 = 739154,Semi\\;colon,,,callback=x|dialout=y ; note\r\n"
                      "201 => 815273,Keep,,,attach=yes\r\n"})
    cfg = load_config(str(root / "voicemail.conf"))
    plan = plan_voicemail(cfg, mailbox_options_absent=["dialout", "callback"])
    assert [c.after for c in plan.changes] == [
        b"200 = 739154,Semi\\;colon,,, ; note\r\n201 => 815273,Keep,,,attach=yes\r\n"]


def test_template_general_is_refused_without_writing(astconf_tree):
    root = astconf_tree({"voicemail.conf": "[base](!)\ndialout=x\n[general](base)\n"})
    cfg = load_config(str(root / "voicemail.conf"))
    with pytest.raises(AsteriskConfigError, match="inherited"):
        plan_voicemail(cfg, general={"dialout": None})


def test_missing_general_is_created(astconf_tree):
    root = astconf_tree({"voicemail.conf": "[default]\n1 => 739154,A\n"})
    cfg = load_config(str(root / "voicemail.conf"))
    plan = plan_voicemail(cfg, general={"operator": "no"}, general_min={"minpassword": 6})
    assert plan.changes[0].after == (b"[default]\n1 => 739154,A\n[general]\noperator=no\n"
                                     b"minpassword=6\n")


# --- masking ------------------------------------------------------------------------------------

def test_mask_pins_hides_every_pin_and_nothing_else(astconf_tree):
    cfg = site_tree(astconf_tree)
    for key, source in cfg.files.items():
        masked = mask_pins(source.data, cfg, key)
        for pin in (b"4242", b"1000", b"3532", b"101,"):
            assert pin not in masked
        assert masked.count(b"****") == {"voicemail.conf": 2, "voicemail_site.conf": 2}[
            key.rsplit("/", 1)[1]]
    site = [s for k, s in cfg.files.items() if k.endswith("site.conf")][0]
    assert mask_pins(site.data, cfg, site.key) == site.data.replace(
        b"=> 1000,", b"=> ****,").replace(b"=> 101,", b"=> ****,")


# --- issue 16: every PIN a diff could show --------------------------------------------------------

HIDDEN_PINS = ("[general]\nserveremail=pbx\n[default]\n"
               "100 => 737373,Alice,,,imapuser=alice|imappassword=ImapSecret7\n"
               ";101 = 515151,Bob\n"
               ";-- retired boxes:\n102 => 626262,Carol\n103=848484,Dan\n--;\n"
               "104 => 929292,Eve ; 104 => 313131,Eve\n")


def test_mask_pins_covers_comments_block_comments_and_imap_passwords(astconf_tree):
    root = astconf_tree({"voicemail.conf": HIDDEN_PINS})
    cfg = load_config(str(root / "voicemail.conf"))
    source = cfg.files[str(root / "voicemail.conf")]
    masked = mask_pins(source.data, cfg, source.key)
    for secret in (b"737373", b"ImapSecret7", b"515151", b"626262", b"848484", b"929292",
                   b"313131"):
        assert secret not in masked
    assert masked == (b"[general]\nserveremail=pbx\n[default]\n"
                      b"100 => ****,Alice,,,imapuser=alice|imappassword=****\n"
                      b";101 = ****,Bob\n"
                      b";-- retired boxes:\n102 => ****,Carol\n103=****,Dan\n--;\n"
                      b"104 => ****,Eve ; 104 => ****,Eve\n")


def test_mask_mailbox_value():
    assert mask_mailbox_value("1234,Bob,,,attach=yes|imappassword=Pw9") == \
        "****,Bob,,,attach=yes|imappassword=****"
    assert mask_mailbox_value("") == ""
