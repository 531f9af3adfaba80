# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The secret policy: when a credential is weak.  Every credential control (PBX-SEC-001..005,
in files, in backends and in the secrets role) judges values with :func:`secret_problems`.

Public API::

    policy = make_policy({"min_length": 14})
    problems = secret_problems("hunter2", ["100", "bob"], policy, min_length=12)

A reason never holds the secret.
"""

from __future__ import annotations

import hashlib

WEAK_WORDS = ("1234", "12345", "123456", "1234567", "12345678", "123456789", "0000", "1111",
              "password", "passw0rd", "secret", "asterisk", "admin", "letmein", "welcome",
              "changeme", "default", "qwerty", "abc123", "iloveyou", "monkey", "voip", "sip",
              "freepbx", "amp111", "amp109", "pbx")
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm",
                 "azertyuiop", "qsdfghjklm", "wxcvbn", "abcdefghijklmnopqrstuvwxyz",
                 "1qaz2wsx3edc4rfv", "qazwsxedcrfv")

DEFAULT_POLICY = {
    "min_length": 12,
    "ami_min_length": 16,
    "require_letters": True,
    "require_digits": True,
    "check_names": True,
    "weak_words": [],
    "keyboard_walk_length": 4,
}


def make_policy(overrides=None):
    """The default policy with ``overrides`` applied; raises ValueError on bad input."""
    policy = dict(DEFAULT_POLICY)
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_POLICY:
            raise ValueError("unknown policy key %r (known: %s)"
                             % (key, ", ".join(sorted(DEFAULT_POLICY))))
        policy[key] = value
    for key in ("min_length", "ami_min_length", "keyboard_walk_length"):
        policy[key] = int(policy[key])
        if policy[key] < 1:
            raise ValueError("policy %s must be at least 1" % key)
    policy["weak_words"] = [str(word).lower() for word in policy["weak_words"] or []]
    return policy


def _classes(secret):
    classes = set()
    for char in secret:
        if char.isdigit():
            classes.add("digit")
        elif char.isalpha():
            classes.add("upper" if char.isupper() else "lower")
        else:
            classes.add("other")
    return classes


def _keyboard_walk(lowered, run):
    """True when ``lowered`` holds ``run`` or more keys in a row of a keyboard (either way)."""
    for row in KEYBOARD_ROWS:
        for text in (row, row[::-1]):
            for start in range(len(text) - run + 1):
                if text[start:start + run] in lowered:
                    return True
    return False


def _repeats(secret, name):
    """True when ``secret`` is ``name`` repeated (``100100``)."""
    if not name or len(secret) % len(name):
        return False
    return secret.lower() == name.lower() * (len(secret) // len(name))


def _name_problems(lowered, names):
    for name in names:
        name_l = name.lower()
        if len(name_l) < 3:
            continue
        if lowered == name_l:
            return ["equal to the object name, extension or username"]
        if _repeats(lowered, name_l):
            return ["the object name, extension or username repeated"]
        if name_l in lowered:
            return ["contains the object name, extension or username"]
        if lowered[::-1] == name_l:
            return ["the object name, extension or username reversed"]
    return []


def secret_problems(secret, names, policy, min_length=None):
    """Reasons why ``secret`` breaks ``policy`` (never containing the secret); [] when fine."""
    if secret is None or secret == "":
        return ["empty"]
    floor = policy["min_length"] if min_length is None else min_length
    reasons = []
    if len(secret) < floor:
        reasons.append("shorter than %d characters" % floor)
    classes = _classes(secret)
    if policy["require_letters"] and not classes & {"upper", "lower"}:
        reasons.append("no letter")
    if policy["require_digits"] and "digit" not in classes:
        reasons.append("no digit")
    if len(classes) < 2:
        reasons.append("one character class only")
    if len(set(secret)) == 1 and len(secret) > 1:
        reasons.append("one character repeated")
    lowered = secret.lower()
    weak = set(WEAK_WORDS) | set(policy["weak_words"])
    if lowered in weak or lowered.rstrip("0123456789!") in weak:
        reasons.append("in the weak list")
    elif _keyboard_walk(lowered, policy["keyboard_walk_length"]):
        reasons.append("keyboard walk or sequence")
    if policy["check_names"]:
        reasons.extend(_name_problems(lowered, [n for n in names if n]))
    return reasons


def md5secret_problems(md5secret, user, realm, names, policy):
    """``md5secret`` is ``md5(user:realm:secret)``: flag it when it is the hash of a weak
    guess (a weak word, a name, a name repeated)."""
    guesses = set(WEAK_WORDS) | set(policy["weak_words"])
    for name in names:
        if name:
            guesses.update((name, name * 2, name.lower()))
    target = md5secret.strip().lower()
    for guess in guesses:
        digest = hashlib.md5(("%s:%s:%s" % (user, realm, guess)).encode("utf-8")).hexdigest()
        if digest == target:
            return ["the hash of a weak secret (weak list or a name)"]
    return []
