# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Planning verified, minimal edits."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    credential_lines,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    escape_value,
    plan_option,
    plan_remove_section,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config


def after(plan, name):
    """New bytes of the changed file whose path ends with ``name``."""
    found = [c for c in plan.changes if c.path.endswith("/" + name)]
    assert len(found) == 1, plan.changes
    return found[0].after


def applied(root, plan):
    """Write the plan to disk and reload."""
    for change in plan.changes:
        with open(change.key, "wb") as handle:
            handle.write(change.after)
    return load_config(str(root / "sip.conf"))


def test_in_place_keeps_indent_spacing_operator_and_comment(astconf_tree):
    root = astconf_tree({"sip.conf": b"[general]\r\n\tallowguest  =>  yes   ; guests\r\nx=1\r\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert after(plan, "sip.conf") == b"[general]\r\n\tallowguest  =>  no   ; guests\r\nx=1\r\n"
    assert (plan.before, plan.after) == ("yes", "no")
    cfg = applied(root, plan)
    assert plan_option(cfg, "general", "allowguest", "no").changed is False


def test_block_comment_trap_edits_only_the_real_line(astconf_tree):
    text = "[general]\n;--\nallowguest=yes\n--;\nallowguest=yes\n"
    root = astconf_tree({"sip.conf": text})
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert after(plan, "sip.conf") == b"[general]\n;--\nallowguest=yes\n--;\nallowguest=no\n"


def test_value_with_semicolon_and_gt_is_escaped(astconf_tree):
    root = astconf_tree({"sip.conf": "[s]\nua=old;c\nother=x\n"})
    cfg = load_config(str(root / "sip.conf"))
    plan = plan_option(cfg, "s", "ua", ">PBX;1--")
    assert after(plan, "sip.conf") == b"[s]\nua= >PBX\\;1-- ;c\nother=x\n"
    assert applied(root, plan).first("s").get("ua") == ">PBX;1--"
    assert escape_value(b"a;b") == b"a\\;b"


def test_edit_value_starting_with_escaped_semicolon(astconf_tree):
    root = astconf_tree({"sip.conf": "[s]\nua = \\;old\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "s", "ua", "new")
    assert after(plan, "sip.conf") == b"[s]\nua = new\n"


def test_empty_value_is_filled_in_place(astconf_tree):
    root = astconf_tree({"sip.conf": "[s]\nua=\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "s", "ua", "x")
    assert after(plan, "sip.conf") == b"[s]\nua=x\n"


def test_new_line_goes_after_last_own_line_in_header_file(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n    context = public\n#include extra.conf\n    udp=1\n\n[peer]\nx=1\n",
        "extra.conf": "tcp=1\n",
    })
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert after(plan, "sip.conf") == (b"[general]\n    context = public\n#include extra.conf\n"
                                       b"    udp=1\n    allowguest=no\n\n[peer]\nx=1\n")
    assert plan.before is None and plan.after == "no"


def test_new_line_in_empty_section_and_missing_final_newline(astconf_tree):
    root = astconf_tree({"sip.conf": b"[a]\r\nx = 1\r\n[general]"})
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert after(plan, "sip.conf") == b"[a]\r\nx = 1\r\n[general]\r\nallowguest=no"


def test_plus_in_included_file_is_edited_there(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=no\n#include sip_custom.conf\n",
        "sip_custom.conf": "[general](+)\nallowguest=yes\n",
    })
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert [c.path for c in plan.changes] == [str(root / "sip_custom.conf")]
    assert after(plan, "sip_custom.conf") == b"[general](+)\nallowguest=no\n"


def test_non_writable_winner_without_override_fails(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=no\n#include sip_additional.conf\n",
        "sip_additional.conf": "[general](+)\nallowguest=yes\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    with pytest.raises(AsteriskConfigError) as info:
        plan_option(cfg, "general", "allowguest", "no", writable=["sip.conf"])
    assert "sip_additional.conf:2" in info.value.message


def test_override_file_created_only_when_the_tree_reads_it(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include sip_general_additional.conf\n"
                    "#tryinclude sip_general_custom.conf\n[peer]\n",
        "sip_general_additional.conf": "allowguest=yes\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    with pytest.raises(AsteriskConfigError, match="not read by the tree"):
        plan_option(cfg, "general", "allowguest", "no", writable=["sip.conf"],
                    override_file="elsewhere.conf")
    assert not (root / "elsewhere.conf").exists()
    plan = plan_option(cfg, "general", "allowguest", "no", writable=["sip.conf"],
                       override_file="sip_general_custom.conf")
    change = plan.changes[0]
    assert change.created and change.after == b"allowguest=no\n"
    assert applied(root, plan).first("general").get("allowguest") == "no"


def test_override_file_gets_plus_header_when_it_ends_elsewhere(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\n#include gen.conf\n#include custom.conf\n",
        "gen.conf": "allowguest=yes\n",
        "custom.conf": "[peer1]\nhost=dynamic",
    })
    cfg = load_config(str(root / "sip.conf"))
    plan = plan_option(cfg, "general", "allowguest", "no", writable=["sip.conf"],
                       override_file="custom.conf")
    assert after(plan, "custom.conf") == b"[peer1]\nhost=dynamic\n[general](+)\nallowguest=no\n"
    new = applied(root, plan)
    assert new.first("general").get("allowguest") == "no"
    assert new.first("peer1").get("host") == "dynamic"


def test_override_file_gets_plus_header_when_its_section_was_opened_before_it(astconf_tree):
    # FreePBX: sip.conf includes sip_additional.conf (trunks) then sip_custom_post.conf. Bare
    # lines in the custom file would belong to whatever trunk FreePBX writes last.
    root = astconf_tree({
        "sip.conf": "[general]\n#include sip_additional.conf\n#include sip_custom_post.conf\n",
        "sip_additional.conf": "[trunk]\ntype=peer\ninsecure=invite\n",
        "sip_custom_post.conf": "",
    })
    cfg = load_config(str(root / "sip.conf"))
    plan = plan_option(cfg, "trunk", "allowsubscribe", "no", writable=["sip_custom_post.conf"],
                       override_file="sip_custom_post.conf")
    assert after(plan, "sip_custom_post.conf") == b"[trunk](+)\nallowsubscribe=no\n"
    assert applied(root, plan).first("trunk").get("allowsubscribe") == "no"


def test_override_that_would_move_other_lines_is_refused(astconf_tree):
    # custom.conf ends in [peer1]; a (+) there moves later-included lines into [general].
    root = astconf_tree({
        "sip.conf": "[general]\n#include gen.conf\n#include custom.conf\n#include tail.conf\n",
        "gen.conf": "allowguest=yes\n",
        "custom.conf": "[peer1]\n",
        "tail.conf": "host=dynamic\n",
    })
    cfg = load_config(str(root / "sip.conf"))
    with pytest.raises(AsteriskConfigError, match="would also change"):
        plan_option(cfg, "general", "allowguest", "no", writable=["sip.conf"],
                    override_file="custom.conf")


def test_template_supplies_value_present_adds_own_line(astconf_tree):
    root = astconf_tree({"sip.conf": "[tpl](!)\nallowguest=yes\n[obj](tpl)\ntype=peer\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "obj", "allowguest", "no")
    assert after(plan, "sip.conf") == b"[tpl](!)\nallowguest=yes\n[obj](tpl)\ntype=peer\nallowguest=no\n"


def test_template_supplies_value_absent_fails(astconf_tree):
    root = astconf_tree({"sip.conf": "[tpl](!)\nallowguest=yes\n[obj](tpl)\nallowguest=yes\n"})
    with pytest.raises(AsteriskConfigError, match="inherited from \\[tpl\\]"):
        plan_option(load_config(str(root / "sip.conf")), "obj", "allowguest", state="absent")


def test_editing_a_base_category_changes_its_inheritors_only_in_that_option(astconf_tree):
    root = astconf_tree({"sip.conf": "[base]\nnat=yes\nx=1\n[obj](base)\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "base", "nat", "no")
    assert plan.new_config.first("obj").get("nat") == "no"


def test_absent_removes_every_own_assignment(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\nallowguest=yes ; one\nx=1\nALLOWGUEST = no\n#include c.conf\n",
        "c.conf": "[general](+)\nallowguest+=x\n",
    })
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest",
                       state="absent")
    assert after(plan, "sip.conf") == b"[general]\nx=1\n#include c.conf\n"
    assert after(plan, "c.conf") == b"[general](+)\n"
    assert plan.after is None


def test_absent_on_block_comment_line_removes_only_the_statement(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=yes ;-- starts\nhidden=1\n--;\nx=1\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest",
                       state="absent")
    assert after(plan, "sip.conf") == b"[general]\n ;-- starts\nhidden=1\n--;\nx=1\n"


def test_multiple_present_and_absent(astconf_tree):
    root = astconf_tree({"sip.conf": "[modules]\nautoload=yes\nnoload => chan_sip.so\n"})
    cfg = load_config(str(root / "sip.conf"))
    plan = plan_option(cfg, "modules", "noload", "res_pjsip_endpoint_identifier_anonymous.so",
                       multiple=True)
    assert after(plan, "sip.conf") == (b"[modules]\nautoload=yes\nnoload => chan_sip.so\n"
                                       b"noload => res_pjsip_endpoint_identifier_anonymous.so\n")
    assert plan.after == ["chan_sip.so", "res_pjsip_endpoint_identifier_anonymous.so"]
    assert plan_option(cfg, "modules", "noload", "chan_sip.so", multiple=True).changed is False
    plan = plan_option(cfg, "modules", "noload", "chan_sip.so", state="absent", multiple=True)
    assert after(plan, "sip.conf") == b"[modules]\nautoload=yes\n"


def test_new_section_is_appended_to_the_root_file(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nx=1"})
    plan = plan_option(load_config(str(root / "sip.conf")), "logfiles", "security", "security")
    assert after(plan, "sip.conf") == b"[general]\nx=1\n[logfiles]\nsecurity=security\n"


def test_second_general_is_not_edited(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=no\n[general]\nallowguest=yes\n"})
    plan = plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no")
    assert plan.changed is False


def test_remove_section_with_plus_parts(astconf_tree):
    root = astconf_tree({
        "pjsip.conf": "[transport-udp]\ntype=transport\n\n[anonymous]\ntype=endpoint\n"
                      "context=public\n\n#include extra.conf\n[other]\ntype=aor\n",
        "extra.conf": "[anonymous](+)\nallow=ulaw\n",
    })
    cfg = load_config(str(root / "pjsip.conf"))
    plan = plan_remove_section(cfg, "ANONYMOUS")
    assert after(plan, "pjsip.conf") == (b"[transport-udp]\ntype=transport\n\n\n"
                                         b"#include extra.conf\n[other]\ntype=aor\n")
    assert after(plan, "extra.conf") == b""
    assert (plan.before, plan.after) == (1, 0)
    assert plan_remove_section(plan.new_config, "anonymous").changed is False


def test_remove_section_refused_when_another_inherits_from_it(astconf_tree):
    root = astconf_tree({"sip.conf": "[base]\nx=1\n[obj](base)\n"})
    with pytest.raises(AsteriskConfigError, match="would not load"):
        plan_remove_section(load_config(str(root / "sip.conf")), "base")


@pytest.mark.parametrize("option", ["", " a", "a=b", "a;b", "[a", "#a", "a+"])
def test_bad_option_names_are_refused(astconf_tree, option):
    root = astconf_tree({"sip.conf": "[s]\n"})
    with pytest.raises(AsteriskConfigError):
        plan_option(load_config(str(root / "sip.conf")), "s", option, "1")


@pytest.mark.parametrize("section,value", [("a]b", "1"), ("s", "a\nb"), ("x" * 80, "1")])
def test_bad_section_or_value_refused(astconf_tree, section, value):
    root = astconf_tree({"sip.conf": "[s]\n"})
    with pytest.raises(AsteriskConfigError):
        plan_option(load_config(str(root / "sip.conf")), section, "a", value)


def test_credential_lines_of_any_option():
    # The lines a diff masks for an option named by the task (a commented one too).
    data = b"[s]\nfoo=1\n;foo=2\n FOO => 3 ; c\nfood=4\n"
    assert credential_lines(data, None, extra=("foo",)) == {2: "foo", 3: ";foo", 4: "foo"}


PJSIP_SHARED_NAME = (
    "[100]\ntype=endpoint\nauth=100\ncontext=internal\n"
    "[100]\ntype=auth\nusername=100\npassword=100\n")


def test_section_type_edits_the_auth_not_the_endpoint_of_the_same_name(astconf_tree):
    root = astconf_tree({"pjsip.conf": PJSIP_SHARED_NAME})
    cfg = load_config(str(root / "pjsip.conf"))
    plan = plan_option(cfg, "100", "password", "N3wSecretValue9", section_type="auth")
    assert after(plan, "pjsip.conf") == PJSIP_SHARED_NAME.replace(
        "password=100", "password=N3wSecretValue9").encode()
    assert plan_option(cfg, "100", "password", "x").changes[0].after.count(b"password=") == 2


def test_section_type_that_matches_no_section_writes_nothing(astconf_tree):
    root = astconf_tree({"pjsip.conf": PJSIP_SHARED_NAME})
    cfg = load_config(str(root / "pjsip.conf"))
    with pytest.raises(AsteriskConfigError, match=r"\[100\] would not exist"):
        plan_option(cfg, "100", "password", "N3wSecretValue9", section_type="aor")


# --- issue 16: messages never quote a credential ----------------------------------------------

SHADOWED_SECRET = {"manager.conf": "[admin]\nsecret=Short1\n#include manager_site.conf\n",
                   "manager_site.conf": "[admin](+)\nsecret=SiteAdminSecret2\n"}


@pytest.mark.parametrize("secret", [True, None])
def test_failure_never_quotes_an_old_credential(astconf_tree, secret):
    """None: ``secret`` of manager.conf is a credential by its name."""
    root = astconf_tree(SHADOWED_SECRET)
    cfg = load_config(str(root / "manager.conf"))
    with pytest.raises(AsteriskConfigError) as caught:
        plan_option(cfg, "admin", "secret", "N3wAdminSecret!", writable=["manager.conf"],
                    secret=secret)
    message = str(caught.value)
    assert "secret would still be '********' (from %s:2)" % (root / "manager_site.conf") in message
    for value in ("SiteAdminSecret2", "Short1", "N3wAdminSecret!"):
        assert value not in message


def test_failure_quotes_a_value_that_is_no_credential(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nallowguest=no\n#include sip_site.conf\n",
                         "sip_site.conf": "[general](+)\nallowguest=yes\n"})
    with pytest.raises(AsteriskConfigError, match="allowguest would still be 'yes'"):
        plan_option(load_config(str(root / "sip.conf")), "general", "allowguest", "no",
                    writable=["sip.conf"])


def test_absent_failure_never_quotes_a_credential(astconf_tree):
    root = astconf_tree({"sip.conf": "[100]\nsecret=Inherited9\n[101](100)\n"})
    with pytest.raises(AsteriskConfigError) as caught:
        plan_option(load_config(str(root / "sip.conf")), "101", "secret", state="absent")
    assert "Inherited9" not in str(caught.value)
