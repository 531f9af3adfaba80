# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""harden_manager_acl (PBX-AMI-002 of role manager) on a real manager.conf read by the engine:
which rule counts as deny-all, and when a wanted permit is appended, moved after the deny-all
rule or left alone. The role test (tests/unit/roles/test_manager_acl.py) runs the edits for
real."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_manager_acl import (
    acl_edits,
    ami_users,
    plan_acl,
)

LOOPBACK = "127.0.0.1/255.255.255.255"
OFFICE = "192.0.2.0/255.255.255.0"


def _plan(tmp_path, body, freepbx_user="", writable=None):
    (tmp_path / "manager.conf").write_text("[general]\nenabled = yes\n[crm]\n" + body)
    cfg = load_config(str(tmp_path / "manager.conf"), str(tmp_path))
    return plan_acl(cfg, ["192.0.2.0/24"], freepbx_user=freepbx_user, writable=writable,
                    freepbx_gui="Settings > Asterisk Manager Users")


@pytest.mark.parametrize("deny", ["0.0.0.0/0.0.0.0", "0.0.0.0/0", "10.0.0.0/8, 0.0.0.0/0",
                                  "192.0.2.1/0"])
def test_pbx_ami_002_every_form_of_deny_all_counts_and_gets_no_second_one(tmp_path, deny):
    plan = _plan(tmp_path, "deny = %s\npermit = %s\npermit = %s\n" % (deny, LOOPBACK, OFFICE))
    assert plan["deny"] == [] and plan["permits"] == [] and plan["removals"] == []


@pytest.mark.parametrize("deny", ["!127.0.0.1", "10.0.0.0/8", "::/0"])
def test_pbx_ami_002_a_deny_that_spares_some_ipv4_address_is_not_deny_all(tmp_path, deny):
    plan = _plan(tmp_path, "deny = %s\npermit = %s\n" % (deny, LOOPBACK))
    assert plan["deny"] == [["crm", "0.0.0.0/0.0.0.0"]]
    assert plan["moved"] == [["crm", LOOPBACK]]
    assert plan["permits"] == [["crm", LOOPBACK], ["crm", OFFICE]]


def test_pbx_ami_002_a_permit_a_later_deny_cuts_into_is_moved_after_it(tmp_path):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\npermit = %s\n"
                           "deny = 192.0.2.128/25\n" % (LOOPBACK, OFFICE))
    assert plan["moved"] == [["crm", OFFICE]] and plan["permits"] == [["crm", OFFICE]]
    assert plan["removals"] == [["crm", OFFICE]] and plan["deny"] == []


def test_pbx_ami_002_a_wider_localhost_permit_after_deny_all_serves_and_the_rest_is_removed(
        tmp_path):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.0/255.0.0.0\n"
                           "permit = 0.0.0.0/0.0.0.0\n")
    assert plan["removals"] == [["crm", "0.0.0.0/0.0.0.0"]]
    assert plan["permits"] == [["crm", OFFICE]] and plan["moved"] == []


def test_pbx_ami_002_freepbx_own_user_is_held_to_loopback(tmp_path):
    plan = _plan(tmp_path, "permit = %s\n" % OFFICE, freepbx_user="CRM")
    assert plan["removals"] == [["crm", OFFICE]]
    assert plan["permits"] == [["crm", LOOPBACK]]


def test_pbx_ami_002_edits_remove_then_deny_then_permit(tmp_path):
    plan = _plan(tmp_path, "deny = 10.0.0.0/8\npermit = %s\n" % LOOPBACK)
    assert acl_edits(plan) == [
        ("crm", "permit", LOOPBACK, "absent"), ("crm", "deny", "0.0.0.0/0.0.0.0", "present"),
        ("crm", "permit", LOOPBACK, "present"), ("crm", "permit", OFFICE, "present")]


@pytest.mark.parametrize("write, granted", [
    ("call,system", "system"),
    ("sys,call", "system"),                 # a word that is a prefix grants the right
    ("c,call", "command"),
    ("call,,reporting", "system, command, originate, all"),   # an empty word grants all
    ("originate", "originate"),
    ("all", "all"),
])
def test_pbx_ami_002_write_rights_asterisk_grants_are_findings(tmp_path, write, granted):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\nwrite = %s\n" % (LOOPBACK, write))
    assert [f for f in plan["findings"] if "write" in f] == [
        "[crm] write = %s grants %s (%s:6)" % (write, granted, tmp_path / "manager.conf")]


@pytest.mark.parametrize("write", ["call,reporting", "systemx", "call,originatex", "call,commandx"])
def test_pbx_ami_002_write_rights_asterisk_does_not_grant_are_no_finding(tmp_path, write):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\nwrite = %s\n" % (LOOPBACK, write))
    assert plan["findings"] == []


def test_pbx_ami_002_freepbx_own_user_keeps_its_write_rights(tmp_path):
    plan = _plan(tmp_path, "permit = %s\nwrite = system,call\n" % LOOPBACK, freepbx_user="crm")
    assert plan["findings"] == []


def test_pbx_ami_002_a_permit_outside_in_a_file_the_role_may_not_edit_is_a_finding(tmp_path):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\npermit = 203.0.113.0/24\n"
                 % LOOPBACK, writable=["manager_custom.conf"])
    assert plan["removals"] == [] and plan["permits"] == [["crm", OFFICE]]
    assert plan["freepbx_owned"] == [
        "[crm] permit = 203.0.113.0/24 (%s:6) is in a file FreePBX writes again, so the role "
        "left it: change it in FreePBX (Settings > Asterisk Manager Users)"
        % (tmp_path / "manager.conf")]


def test_pbx_ami_002_users_are_every_category_but_general_and_templates_first_of_a_name(tmp_path):
    (tmp_path / "manager.conf").write_text(
        "[General]\nenabled = yes\n[tpl](!)\nread = call\n[crm](tpl)\n[ops]\n[CRM]\n")
    cfg = load_config(str(tmp_path / "manager.conf"), str(tmp_path))
    users = ami_users(cfg)
    assert [(str(user.name), user.line) for user in users] == [("crm", 5), ("ops", 6)]
