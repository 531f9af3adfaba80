# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role sip on a FreePBX tree whose generated files hold what PBX-SIP-006 and PBX-IAX-001 object
to: the role never ends in an engine error there. It closes what Asterisk's ACL order lets a
``[peer](+)`` section close (chan_sip applies permit/deny in order, the last matching rule wins),
leaves FreePBX's generated files byte for byte, and fails the host on the rest with the control
ID, the object, file:line and the FreePBX GUI setting.

The role runs for real (ansible-playbook, connection local) on a tree in a temporary
directory. Only the facts of asterisk_facts are given (a FreePBX host with chan_sip and chan_iax2,
whose ``fwconsole`` is the system's ``true``): no Asterisk runs here."""

from __future__ import annotations

import os
import shutil

import pytest
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    category_acl,
    networks,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_freepbx import FIXES
from asterisk_host import facts_task

PROVIDER = "27.111.14.0/24"
PROVIDER_PERMIT = "27.111.14.0/255.255.255.0"

# FreePBX 16's root files and its (here hand-written) generated files.
SIP_CONF = ("[general]\n#include sip_general_additional.conf\n#include sip_general_custom.conf\n"
            "#include sip_nat.conf\n#include sip_registrations_custom.conf\n"
            "#include sip_registrations.conf\n\n#include sip_custom.conf\n"
            "#include sip_additional.conf\n#include sip_custom_post.conf\n")
IAX_CONF = ("[general]\n#include iax_general_additional.conf\n#include iax_general_custom.conf\n"
            "#include iax_registrations_custom.conf\n#include iax_registrations.conf\n\n"
            "#include iax_custom.conf\n#include iax_additional.conf\n#include iax_custom_post.conf\n")
CUSTOM = ("sip_general_custom.conf", "sip_registrations_custom.conf", "sip_custom.conf",
          "sip_custom_post.conf", "iax_general_custom.conf", "iax_registrations_custom.conf",
          "iax_custom.conf", "iax_custom_post.conf")
GENERATED = {
    "sip.conf": SIP_CONF,
    "sip_general_additional.conf": "context=from-sip-external\nallowguest=no\n",
    "sip_nat.conf": "",
    "sip_registrations.conf": "",
    "iax.conf": IAX_CONF,
    "iax_general_additional.conf": "bindport=4569\n",
    "iax_registrations.conf": "",
}
# Trunks as FreePBX writes them from their PEER Details.
OPEN_TRUNK = ("[kiwi]\ntype=peer\nhost=27.111.14.66\ninsecure=port,invite\n"
              "permit=0.0.0.0/0.0.0.0\ncontext=from-trunk\n")
DENY_THEN_PERMIT_ALL = ("[legacy]\ntype=peer\nhost=198.51.100.7\ninsecure=invite\n"
                        "deny=0.0.0.0/0.0.0.0\npermit=0.0.0.0/0.0.0.0\ncontext=from-trunk\n")
PROVIDER_PERMIT_ONLY = ("[backup]\ntype=peer\nhost=27.111.14.67\ninsecure=invite\n"
                        "permit=%s\ncontext=from-trunk\n" % PROVIDER_PERMIT)
IAX_GUEST = "[guest]\ntype=user\ncontext=from-internal\n"
SKIPPED = ["PBX-SIP-001", "PBX-SIP-002", "PBX-SIP-003", "PBX-SIP-004", "PBX-SIP-005",
           "PBX-NET-005", "PBX-IAX-002"]


def _tree(tmp_path, sip_additional, iax_additional=""):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    files = dict(GENERATED, **{"sip_additional.conf": sip_additional,
                               "iax_additional.conf": iax_additional})
    files.update((name, "") for name in CUSTOM)
    files["modules.conf"] = "[modules]\nautoload=yes\n"     # Asterisk does not start without it
    for name, text in files.items():
        (config_dir / name).write_text(text)
    return config_dir


def _generated(config_dir):
    return dict((name, (config_dir / name).read_bytes())
                for name in list(GENERATED) + ["sip_additional.conf", "iax_additional.conf"])


@pytest.fixture
def play(tmp_path, run_play):
    """``play(config_dir, check=False)``: the role on ``config_dir``, as harden runs it
    (pbx_defer_failures); ``[(task name, result)]`` in order."""
    fwconsole = tmp_path / "bin" / "fwconsole"
    fwconsole.parent.mkdir()
    os.symlink(shutil.which("true"), str(fwconsole))
    facts = {"running": True, "chan_sip": {"installed": True}, "iax2": {"installed": True},
             "pjsip": {"installed": False},
             "freepbx": {"detected": True, "evidence": [str(fwconsole)], "ami_user": "admin"}}

    def run(config_dir, check=False):
        tasks = [
            facts_task(dict(facts, config_dir=str(config_dir)), "Facts of a FreePBX host"),
            {"name": "SIP", "ansible.builtin.include_role": {"name": "pbxsec.hardening.sip"}},
        ]
        play_vars = {"pbx_config_dir": str(config_dir), "pbx_controls_skip": SKIPPED,
                     "pbx_provider_networks": [PROVIDER], "pbx_defer_failures": True}
        return run_play(tasks, play_vars, check=check)

    return run


# The sip role's one verdict, which names each failed control in its message.
VERDICT = "PBX-SIP-006 | AUDIT | Fail on what only FreePBX, a template or a database can change"


def _failed(results):
    return [(name, result) for name, result in results if result.get("failed")]


def _changed(results):
    return [name for name, result in results if result.get("changed")]


def _leaks(config_dir, peer):
    """What the project's model of Asterisk's ACLs lets through to ``peer`` from outside the
    provider network (the audit's own judgement)."""
    cfg = load_config(str(config_dir / "sip.conf"), str(config_dir))
    return category_acl(cfg.first(peer)).leaks(networks([PROVIDER]))


def test_pbx_sip_006_generated_permit_is_outranked_in_sip_custom_post(tmp_path, play):
    config_dir = _tree(tmp_path, OPEN_TRUNK)
    generated = _generated(config_dir)
    assert _leaks(config_dir, "kiwi")
    predicted = _changed(play(config_dir, check=True))
    assert _generated(config_dir) == generated

    results = play(config_dir)
    assert _failed(results) == []
    assert _changed(results) == predicted and predicted
    assert _generated(config_dir) == generated
    assert [line.replace(" ", "") for line in
            (config_dir / "sip_custom_post.conf").read_text().splitlines()
            if not line.startswith("[")] == ["deny=0.0.0.0/0.0.0.0", "permit=" + PROVIDER_PERMIT]
    assert _leaks(config_dir, "kiwi") == []

    again = play(config_dir)
    assert _failed(again) == [] and _changed(again) == []


@pytest.mark.parametrize("trunk, peer, why", [
    (DENY_THEN_PERMIT_ALL, "legacy", "lets callers outside the provider networks in after the "
                                     "deny-all rule"),
    (PROVIDER_PERMIT_ONLY, "backup", "comes before any deny = 0.0.0.0/0.0.0.0"),
], ids=["deny-all-then-permit-all", "provider-permit-without-deny"])
def test_pbx_sip_006_what_only_freepbx_can_change_fails_with_the_gui_path(
        tmp_path, play, trunk, peer, why):
    config_dir = _tree(tmp_path, trunk)
    before = dict((path.name, path.read_bytes()) for path in config_dir.iterdir())
    results = play(config_dir)
    failed = _failed(results)
    assert [name for name, _result in failed] == [VERDICT]
    message = " ".join(failed[0][1]["msg"].split())
    assert message.startswith("PBX-SIP-006 fails on this host")
    assert "[%s] permit = " % peer in message and "sip_additional.conf:" in message
    assert why in message
    assert FIXES["PBX-SIP-006"][0] in message
    assert "cannot edit" not in message
    assert dict((path.name, path.read_bytes()) for path in config_dir.iterdir()) == before


def test_pbx_iax_001_generated_guest_fails_with_the_gui_path_and_stays_open_to_the_dialplan(
        tmp_path, play):
    config_dir = _tree(tmp_path, "", IAX_GUEST)
    before = dict((path.name, path.read_bytes()) for path in config_dir.iterdir())
    results = play(config_dir)
    failed = _failed(results)
    assert [name for name, _result in failed] == [VERDICT]
    message = " ".join(failed[0][1]["msg"].split())
    assert "PBX-IAX-001 fails on this host" in message
    assert "[guest] type=user (%s:1)" % (config_dir / "iax_additional.conf") in message
    assert FIXES["PBX-IAX-001"][0] in message
    assert dict((path.name, path.read_bytes()) for path in config_dir.iterdir()) == before
    sip = [result for name, result in results if name.startswith("PBX-SIP-001 | PATCH")]
    assert sip and sip[0]["sip"]["closed_entry_points"] == []


def test_pbx_iax_001_hand_made_guest_in_a_custom_file_is_removed(tmp_path, play):
    config_dir = _tree(tmp_path, "")
    (config_dir / "iax_custom.conf").write_text(IAX_GUEST)
    generated = _generated(config_dir)
    results = play(config_dir)
    assert _failed(results) == []
    assert (config_dir / "iax_custom.conf").read_text() == ""
    assert _generated(config_dir) == generated
