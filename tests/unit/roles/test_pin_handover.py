# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Who writes the voicemail PINs the secrets role rotates. Asked to, in a play that defers
failures and runs the voicemail role after the secrets role (the harden playbook), the voicemail
role writes them with its own changes: voicemail.conf is written once, by one task. Otherwise
the secrets role writes them. Either way the new PINs in voicemail.conf are the stored ones, and check
mode predicts the real run. The roles run for real (ansible-playbook) on localhost; the facts
are those of a running Asterisk and ``asterisk`` answers the reloads."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import mailboxes
from asterisk_host import facts_task

VOICEMAIL = ("[general]\nformat=wav\ndialout=from-internal\n\n[default]\n"
             "1234 => 4242,Example\n2001 => 97531864,Strong\n")
SECRETS_WRITE = "PBX-SEC-001 | PATCH | Write the new secrets and PINs (values hidden)"
VOICEMAIL_WRITE = "PBX-VM-001..005 | PATCH"
VOICEMAIL_VERDICT = ("PBX-VM-001 | AUDIT | Fail this host when FreePBX's voicemail settings need "
                     "the changes above or a mailbox PIN is weak")
ROLES = ({"role": "pbxsec.hardening.secrets"}, {"role": "pbxsec.hardening.voicemail"})


@pytest.fixture
def harden(astconf_tree, tmp_path, run_play):
    """``harden(check=False, roles=ROLES, args=(), **variables)``: the roles in a play's
    ``roles`` on a tree with a weak PIN, PIN rotation on; ``[(task name, result)]``."""
    config_dir = astconf_tree({"etc/voicemail.conf": VOICEMAIL}) / "etc"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    answer = bin_dir / "asterisk"
    answer.write_text("#!/bin/sh\necho \"Module 'app_voicemail.so' reloaded successfully.\"\n")
    answer.chmod(0o755)
    facts = {"config_dir": str(config_dir), "running": True, "backends": [],
             "freepbx": {"detected": False, "evidence": []},
             "files": ["voicemail.conf"],
             "modules": {"app_voicemail": {"loaded": True}}}

    def run(check=False, roles=ROLES, args=(), **variables):
        play_vars = dict({"pbx_config_dir": str(config_dir), "pbx_secrets_rotate": True,
                          "pbx_secrets_store": str(tmp_path / "store.yml"),
                          "pbx_defer_failures": True,
                          "pbx_secrets_voicemail_writes_pins": True}, **variables)
        return run_play([], play_vars, check=check, diff=True, path=[bin_dir], args=args,
                        play={"pre_tasks": [facts_task(facts)], "roles": list(roles)})

    run.config_dir = config_dir
    run.store = tmp_path / "store.yml"
    return run


def changed_tasks(results):
    return [name for name, result in results if result.get("changed")]


def writers(results):
    """The tasks that wrote voicemail.conf (or would have, in check mode): the secrets role's
    write (no_log: only its change shows; voicemail.conf is the only file of the tree it could
    change) and the voicemail role's, by the files it names."""
    return [name.split(" | ")[0] for name, result in results
            if (name == SECRETS_WRITE and result.get("changed"))
            or (name.startswith(VOICEMAIL_WRITE) and "voicemail.conf" in [
                os.path.basename(path) for path in result.get("voicemail", {}).get("files", [])])]


def pins_in_file(config_dir):
    return dict((box.object, box.pin.decode()) for box in
                mailboxes(load_config(str(config_dir / "voicemail.conf"))))


def stored_pins(store):
    with open(str(store), encoding="utf-8") as handle:
        return dict((key.split("/")[1], pin) for key, pin in yaml.safe_load(handle).items())


def test_in_the_harden_play_the_voicemail_role_writes_the_pins_once(harden):
    before = (harden.config_dir / "voicemail.conf").read_bytes()
    predicted = harden(check=True)
    assert (harden.config_dir / "voicemail.conf").read_bytes() == before
    done = harden()
    assert not [name for name, result in done if result.get("failed")], done
    assert changed_tasks(done) == changed_tasks(predicted)
    assert writers(done) == writers(predicted) == ["PBX-VM-001..005"]
    assert dict(done)[SECRETS_WRITE].get("skipped") is True
    pins = pins_in_file(harden.config_dir)
    assert pins["1234@default"] == stored_pins(harden.store)["1234@default"] != "4242"
    assert pins["2001@default"] == "97531864"
    assert "dialout" not in (harden.config_dir / "voicemail.conf").read_text()
    again = harden()
    assert changed_tasks(again) == []


@pytest.mark.parametrize("variables, args, roles", [
    ({"pbx_secrets_voicemail_writes_pins": False}, (), ROLES),
    ({"pbx_defer_failures": False}, (), ROLES),
    ({}, ("--skip-tags", "voicemail"), ROLES),
    ({"pbx_voicemail_enabled": False}, (), ROLES),
    ({}, (), tuple(reversed(ROLES))),
    ({}, (), ROLES[:1]),
], ids=["not-asked", "failures-not-deferred", "voicemail-skipped-by-tag", "voicemail-off",
        "voicemail-before-secrets", "secrets-alone"])
def test_otherwise_the_secrets_role_writes_them(harden, variables, args, roles):
    done = harden(roles=roles, args=args, **variables)
    # Run first, the voicemail role judges the PINs before they are rotated (the play's
    # deferred verdict would fail the host).
    assert [name for name, result in done if result.get("failed")] == (
        [VOICEMAIL_VERDICT] if roles[0]["role"].endswith("voicemail") else []), done
    assert "PBX-SEC-001" in writers(done)
    assert pins_in_file(harden.config_dir)["1234@default"] == \
        stored_pins(harden.store)["1234@default"] != "4242"
