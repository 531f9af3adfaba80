# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The secret policy (compliance_secret_policy): when a credential is weak."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy,
    secret_problems,
)

POLICY = make_policy()
STRONG = "Zq7vKx2mWp9tLr4e"          # 16 characters, letters and digits, no walk, no name


@pytest.mark.parametrize("secret, reason", [
    ("", "empty"),
    ("100", "equal to the object name, extension or username"),
    ("100100100100", "the object name, extension or username repeated"),
    ("xx100yyy9zzzzz", "contains the object name, extension or username"),
    ("1234", "in the weak list"),
    ("password", "in the weak list"),
    ("Password1", "in the weak list"),
    ("kiwi123", "shorter than 12 characters"),
    ("qwertyQ8mnbv5", "keyboard walk or sequence"),
    ("Zq7v6543Kx2m", "keyboard walk or sequence"),
    ("abcdefghijklmnop", "no digit"),
    ("738192047561", "no letter"),
    ("738192047561", "one character class only"),
])
def test_pbx_sec_policy_weak(secret, reason):
    assert reason in secret_problems(secret, ["100"], POLICY)


def test_pbx_sec_policy_strong_and_reasons_never_hold_the_secret():
    assert secret_problems(STRONG, ["100", "bob"], POLICY) == []
    for secret in ("kiwi123", "hunter2hunter2", "zzzzzzzz"):
        assert all(secret not in reason for reason in secret_problems(secret, ["x"], POLICY))


def test_pbx_sec_policy_tunable():
    assert secret_problems("Zq7vKx2m", [], make_policy({"min_length": 8})) == []
    assert "in the weak list" in secret_problems("Acme2026", [], make_policy(
        {"min_length": 8, "weak_words": ["ACME"]}))
    with pytest.raises(ValueError):
        make_policy({"nope": 1})
