# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile-input suite, secrets (issue 16): random secrets planted in every credential option of
every file kind the collection knows, active, commented, in block comments and in an included
file, between odd line breaks; then the real modules run (in-process, as Ansible runs them:
arguments in, JSON out) and no planted secret, nor any 8-byte piece of one, may appear in any
result, diff or message."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import shutil
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible.module_utils import basic

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    CREDENTIALS,
)

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
MODULES = "ansible_collections.pbxsec.hardening.plugins.modules."
PIECE = 8

# A digit after every two letters: no PIECE of a secret is a word of the result ("categori" of
# "categories" was one), so a piece found in the result can only come from the secret.
SECRETS = st.builds(lambda groups: "Pw" + "".join(groups) + "Zz",
                    st.lists(st.builds(lambda letters, digit: letters + digit,
                                       st.text(alphabet="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ",
                                               min_size=2, max_size=2),
                                       st.sampled_from("23456789")),
                             min_size=3, max_size=5))
ODD_BREAKS = st.sampled_from(["\x0c", "\r", "\x85", "\u2028", "\x0b", ""])
EOLS = st.sampled_from(["\n", "\r\n"])
# How a planted credential is written: active, commented out, inside a block comment, after a
# statement in a trailing comment.
PLACES = st.sampled_from(["active", "commented", "block", "trailing"])
# The new PIN secrets_rotate writes (the planted PINs are random).
NEW_PIN = "80613927"


def run_module(name, args, check=False):
    """The module's result, run in-process with ``args`` as Ansible passes them."""
    module = importlib.import_module(MODULES + name)
    arguments = dict(args, _ansible_check_mode=check, _ansible_diff=True)
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": arguments}).encode("utf-8")
    basic._ANSIBLE_PROFILE = "legacy"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        module.main()
    return json.loads(out.getvalue())


def credential_value(option, secret):
    """A value of ``option`` that carries ``secret`` where Asterisk reads the credential."""
    if option in ("register", "mwi"):
        return "4000:%s@sip.provider.example/4000" % secret
    if option == "auth":
        return "kiwi:%s@kiwi.example" % secret
    return secret


def written(option, value, place):
    line = "%s = %s" % (option, value)
    return {"active": line, "commented": ";" + line, "block": ";--\n%s\n--;" % line,
            "trailing": "context=internal ; " + line}[place]


@st.composite
def planted_tree(draw):
    """``(kind, files, secrets)``: a root file ``<kind>.conf`` that includes
    ``<kind>_custom.conf``; every credential option of the kind is planted in one of them."""
    kind = draw(st.sampled_from(sorted(CREDENTIALS)))
    eol = draw(EOLS)
    parts = {"root": ["[general]", "pbxsec_probe = no"], "custom": ["[general](+)"]}
    secrets = []
    for option in sorted(CREDENTIALS[kind]):
        secret = draw(SECRETS)
        secrets.append(secret)
        where = draw(st.sampled_from(["root", "custom"]))
        parts[where].append("; note%sabove" % draw(ODD_BREAKS))
        parts[where].append(written(option, credential_value(option, secret), draw(PLACES)))
    if kind == "voicemail":
        pins = [str(draw(st.integers(10 ** 7, 10 ** 8 - 1))) for _box in range(3)]
        secrets.extend(pins)
        parts["root"] += ["[default]", "101 => %s,Bob,,,imappassword=%s" % (pins[0], secrets[0]),
                          ";102 = %s,Old" % pins[1], ";--", "103 => %s,Gone" % pins[2], "--;"]
    parts["root"].append("#include %s_custom.conf" % kind)
    files = {"%s.conf" % kind: eol.join(parts["root"]) + eol,
             "%s_custom.conf" % kind: eol.join(parts["custom"]) + eol}
    return kind, files, secrets


def assert_hidden(result, secrets):
    shown = json.dumps(result, ensure_ascii=False)
    for secret in secrets:
        for start in range(len(secret) - PIECE + 1):
            assert secret[start:start + PIECE] not in shown, (secret, result)


def rotation_args(kind, new_secret):
    """secrets_rotate's arguments that give ``secret`` of ``[general]`` the new secret (a
    chan_sip, IAX2 or AMI file: PJSIP rotates only type=auth sections, which the planted trees
    do not have), or mailbox 101 the new PIN :data:`NEW_PIN`, or None for the other kinds."""
    if kind in ("sip", "iax", "manager"):
        return {"credentials": [{"config": "%s.conf" % kind, "section": "general",
                                 "option": "secret", "value": new_secret}]}
    if kind == "voicemail":
        return {"pins": {"101": NEW_PIN}}
    return None


def write(files):
    root = tempfile.mkdtemp(prefix="pbxsec-hostile-")
    for name, text in files.items():
        with open(os.path.join(root, name), "wb") as handle:
            handle.write(text.encode("utf-8"))
    return root


@SETTINGS
@given(planted_tree(), st.booleans(), SECRETS)
def test_no_planted_secret_reaches_any_result(tree, in_custom, new_secret):
    kind, files, secrets = tree
    root = write(files)
    try:
        path = os.path.join(root, "%s.conf" % kind)
        custom = "%s_custom.conf" % kind
        probe = {"path": path, "section": "general", "option": "pbxsec_probe", "value": "yes"}
        if in_custom:
            probe.update(writable=[custom], override_file=custom)
        for check in (True, False):
            result = run_module("asterisk_config", probe, check=check)
            assert not result.get("failed"), result
            assert_hidden(result, secrets)

        option = sorted(CREDENTIALS[kind])[0]
        rotated = run_module("asterisk_config", {"path": path, "section": "general",
                                                 "option": option, "value": new_secret},
                             check=True)
        assert_hidden(rotated, secrets + [new_secret])

        options = sorted(CREDENTIALS[kind]) + ["101", "102", "103"]
        info = run_module("asterisk_config_info", {"path": path, "get": options,
                                                   "get_all": options})
        assert not info.get("failed"), info
        assert_hidden(info, secrets)

        audit = run_module("asterisk_secrets", {"config_dir": root})
        assert_hidden(audit, secrets)
        if kind == "voicemail":
            voicemail = run_module("asterisk_voicemail", {"path": path,
                                                          "general": {"operator": "no"}})
            assert_hidden(voicemail, secrets)
        rotation = rotation_args(kind, new_secret)
        if rotation is not None:
            for check in (True, False):
                result = run_module("secrets_rotate", dict(rotation, config_dir=root),
                                    check=check)
                # Unchanged only when the new value is the one already there.
                assert not result.get("failed") and (
                    result.get("changed") or {new_secret, NEW_PIN} & set(secrets)), result
                assert_hidden(result, secrets + [new_secret, NEW_PIN])
    finally:
        shutil.rmtree(root)
