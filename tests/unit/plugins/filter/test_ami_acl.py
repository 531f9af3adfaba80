# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ami_acl_plan (PBX-AMI-002 of role manager) on users as asterisk_config_info describes them,
read from a real manager.conf by the engine: which rule counts as deny-all, and when a wanted
permit is appended, moved after the deny-all rule or left alone. The role test
(tests/unit/roles/test_manager_acl.py) runs the edits for real."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.filter.ami_acl import ami_acl_plan
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.modules.asterisk_config_info import describe

LOOPBACK = "127.0.0.1/255.255.255.255"
OFFICE = "192.0.2.0/255.255.255.0"


def _plan(tmp_path, body, freepbx_user=""):
    (tmp_path / "manager.conf").write_text("[general]\nenabled = yes\n[crm]\n" + body)
    cfg = load_config(str(tmp_path / "manager.conf"), str(tmp_path))
    user = describe(cfg.first("crm"), ["write"], ["permit", "deny", "acl"], set())
    return ami_acl_plan([user], ["192.0.2.0/24"], freepbx_user=freepbx_user)


@pytest.mark.parametrize("deny", ["0.0.0.0/0.0.0.0", "0.0.0.0/0", "10.0.0.0/8, 0.0.0.0/0",
                                  "192.0.2.1/0"])
def test_every_form_of_deny_all_counts_and_gets_no_second_one(tmp_path, deny):
    plan = _plan(tmp_path, "deny = %s\npermit = %s\npermit = %s\n" % (deny, LOOPBACK, OFFICE))
    assert plan["deny"] == [] and plan["permits"] == [] and plan["removals"] == []


@pytest.mark.parametrize("deny", ["!127.0.0.1", "10.0.0.0/8", "::/0"])
def test_a_deny_that_spares_some_ipv4_address_is_not_deny_all(tmp_path, deny):
    plan = _plan(tmp_path, "deny = %s\npermit = %s\n" % (deny, LOOPBACK))
    assert plan["deny"] == [["crm", "0.0.0.0/0.0.0.0"]]
    assert plan["moved"] == [["crm", LOOPBACK]]
    assert plan["permits"] == [["crm", LOOPBACK], ["crm", OFFICE]]


def test_a_permit_a_later_deny_cuts_into_is_moved_after_it(tmp_path):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\npermit = %s\n"
                           "deny = 192.0.2.128/25\n" % (LOOPBACK, OFFICE))
    assert plan["moved"] == [["crm", OFFICE]] and plan["permits"] == [["crm", OFFICE]]
    assert plan["removals"] == [["crm", OFFICE]] and plan["deny"] == []


def test_a_wider_localhost_permit_after_deny_all_serves_and_the_rest_is_removed(tmp_path):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.0/255.0.0.0\n"
                           "permit = 0.0.0.0/0.0.0.0\n")
    assert plan["removals"] == [["crm", "0.0.0.0/0.0.0.0"]]
    assert plan["permits"] == [["crm", OFFICE]] and plan["moved"] == []


def test_freepbx_own_user_is_held_to_loopback(tmp_path):
    plan = _plan(tmp_path, "permit = %s\n" % OFFICE, freepbx_user="crm")
    assert plan["removals"] == [["crm", OFFICE]]
    assert plan["permits"] == [["crm", LOOPBACK]]


def test_settings_remove_then_deny_then_permit_in_one_list(tmp_path):
    plan = _plan(tmp_path, "deny = 10.0.0.0/8\npermit = %s\n" % LOOPBACK)
    assert [(s["option"], s["value"], s["state"]) for s in plan["settings"]] == [
        ("permit", LOOPBACK, "absent"), ("deny", "0.0.0.0/0.0.0.0", "present"),
        ("permit", LOOPBACK, "present"), ("permit", OFFICE, "present")]
    assert all(s["control"] == "PBX-AMI-002" and s["section"] == "crm" and s["multiple"]
               for s in plan["settings"])


@pytest.mark.parametrize("write, granted", [
    ("call,system", "system"),
    ("sys,call", "system"),                 # a word that is a prefix grants the right
    ("c,call", "command"),
    ("call,,reporting", "system, command, originate, all"),   # an empty word grants all
    ("originate", "originate"),
    ("all", "all"),
])
def test_write_rights_asterisk_grants_are_findings(tmp_path, write, granted):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\nwrite = %s\n" % (LOOPBACK, write))
    assert [f for f in plan["findings"] if "write" in f] == [
        "[crm] write = %s grants %s (%s:6)" % (write, granted, tmp_path / "manager.conf")]


@pytest.mark.parametrize("write", ["call,reporting", "systemx", "call,originatex", "call,commandx"])
def test_write_rights_asterisk_does_not_grant_are_no_finding(tmp_path, write):
    plan = _plan(tmp_path, "deny = 0.0.0.0/0.0.0.0\npermit = %s\nwrite = %s\n" % (LOOPBACK, write))
    assert plan["findings"] == []


def test_freepbx_own_user_keeps_its_write_rights(tmp_path):
    plan = _plan(tmp_path, "permit = %s\nwrite = system,call\n" % LOOPBACK, freepbx_user="crm")
    assert plan["findings"] == []
