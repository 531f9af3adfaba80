# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""new_credential, through ansible-playbook: every new secret and PIN passes the judgement that
found the old one weak (a draw that does not is thrown away), and a policy no value can meet
fails naming the object, never a value."""

from __future__ import annotations

import secrets
import string

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import pin_problems
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy, secret_problems)

# A policy and names under which most random 16-character draws are weak: any keyboard walk of
# 3 and two short names (about one draw in ten is weak).
STRICT = {"keyboard_walk_length": 3, "min_length": 12}
NAMES = ["ab1", "x9z"]
DRAWS = 300


def lookup(run_play, terms, **options):
    """The values of one query of the lookup, and the task's result."""
    task = {"name": "draw",
            "ansible.builtin.set_fact": {
                "drawn": "{{ query('pbxsec.hardening.new_credential', *terms, **options) }}"},
            "vars": {"terms": terms, "options": options}}
    (_name, result), = run_play([task])
    return result.get("ansible_facts", {}).get("drawn"), result


def test_every_new_secret_passes_the_judgement_of_its_finding(run_play):
    terms = [{"control": "PBX-SEC-001", "object": "ab1", "names": NAMES, "min_length": None}] * DRAWS
    values, result = lookup(run_play, terms, policy=STRICT, length=16)
    assert values, result
    policy = make_policy(STRICT)
    assert len(values) == DRAWS
    assert [v for v in values if secret_problems(v, NAMES, policy)] == []
    assert all(len(v) == 16 and set(v) <= set(string.ascii_letters + string.digits) for v in values)
    assert len(set(values)) == DRAWS


def test_plain_draws_would_often_be_weak_under_that_judgement():
    """The test above can fail: under STRICT a single draw of the same alphabet is often weak."""
    strict = make_policy(STRICT)
    alphabet = string.ascii_letters + string.digits
    plain = ["".join(secrets.choice(alphabet) for _char in range(16)) for _draw in range(1000)]
    assert sum(1 for value in plain if secret_problems(value, NAMES, strict)) > 50


def test_an_ami_secret_meets_the_floor_of_its_finding(run_play):
    term = {"control": "PBX-SEC-004", "object": "admin", "names": ["admin"], "min_length": 30}
    values, result = lookup(run_play, [term], length=24, max_draws=20)
    assert values is None and result.get("failed"), result
    assert "no new value for admin passes the policy in 20 draws" in result["msg"]
    values, result = lookup(run_play, [term], length=32)
    assert values and len(values[0]) == 32, result


def test_every_new_pin_passes_the_pin_rules_of_its_mailbox(run_play):
    terms = [{"control": "PBX-VM-004", "object": "1234@default"}] * DRAWS
    values, result = lookup(run_play, terms, pin_length=4, pin_policy={"min_length": 4})
    assert values, result
    assert all(len(pin) == 4 and pin.isdigit() for pin in values)
    assert [pin for pin in values if pin_problems(pin, "1234@default", {"min_length": 4})] == []


def test_values_follow_the_order_of_the_terms(run_play):
    terms = [{"control": "PBX-VM-004", "object": "100@default"},
             {"control": "PBX-SEC-002", "object": "200-iauth", "names": ["200"]},
             {"control": "PBX-VM-004", "object": "101@default"}]
    values, result = lookup(run_play, terms, length=20, pin_length=6)
    assert values, result
    assert [len(v) for v in values] == [6, 20, 6]
    assert values[0].isdigit() and values[2].isdigit() and not values[1].isdigit()


def test_an_impossible_policy_fails_without_a_value(run_play):
    values, result = lookup(run_play, [{"control": "PBX-SEC-003", "object": "iax-100"}],
                            policy={"keyboard_walk_length": 1}, max_draws=50)
    assert values is None and result.get("failed"), result
    assert "iax-100" in result["msg"] and "50 draws" in result["msg"]
    values, result = lookup(run_play, [{"control": "PBX-SEC-003", "object": "x"}],
                            policy={"colour": "blue"})
    assert values is None and "unknown policy key 'colour'" in result["msg"], result
