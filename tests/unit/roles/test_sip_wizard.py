# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role sip on pjsip_wizard.conf (issue 15 item 3): res_pjsip_config_wizard builds PJSIP objects
from wizard sections, and the role fixes them in the wizard's own options. A wizard without
inbound auth gets ``endpoint/identify_by = ip`` (PBX-PJS-002), a trunk wizard (remote_hosts, no
registrations) ``endpoint/allow_subscribe = no`` (PBX-PJS-004); a wizard without inbound auth
whose identify matches outside the provider and trusted networks stops the role before anything
changes. The result is judged by the engine's own model of the wizard (astconf_wizard.expand).

The role runs for real (ansible-playbook, connection local) on a tree in a temporary
directory. Only the facts of asterisk_facts are given, and ``asterisk`` is a script that records
the CLI commands it is sent: no Asterisk runs here (molecule/asterisk22 proves it live)."""

from __future__ import annotations

import pytest
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import expand
from asterisk_host import facts_task

PROVIDER = "198.51.100.0/24"
TRUSTED = ["127.0.0.1/32", "127.0.0.2/32"]
SKIPPED = ["PBX-PJS-001", "PBX-PJS-003", "PBX-NET-005"]

PJSIP = "[transport-udp]\ntype = transport\nprotocol = udp\nbind = 0.0.0.0:5060\n"
# The wizard site of tests/images/asterisk22-wizard, in short: phones that authenticate (from
# their template), a carrier without inbound auth sending from 127.0.0.2, and a kiosk phone
# without auth that registers (the wizard builds it no identify).
WIZARD = """[phone](!)
type = wizard
accepts_auth = yes
accepts_registrations = yes
endpoint/context = from-wizard-phones

[200](phone)
inbound_auth/username = 200
inbound_auth/password = Vt7-qhWm2-Lr9x

[carrier]
type = wizard
remote_hosts = 127.0.0.2
sends_auth = yes
sends_registrations = yes
outbound_auth/username = 6491234567
outbound_auth/password = Qz4nT8-wLp2rX
endpoint/context = from-wizard-trunk

[kiosk]
type = wizard
accepts_registrations = yes
remote_hosts = 203.0.113.5
endpoint/context = from-wizard-phones
"""


def _tree(tmp_path, wizard=WIZARD, module=True):
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    (config_dir / "pjsip.conf").write_text(PJSIP)
    (config_dir / "pjsip_wizard.conf").write_text(wizard)
    module_dir = tmp_path / "modules"
    module_dir.mkdir()
    if module:
        (module_dir / "res_pjsip_config_wizard.so").write_bytes(b"")
    return config_dir


@pytest.fixture
def play(tmp_path, run_play, asterisk_cli):
    """``play(config_dir, check=False)``: the role on ``config_dir`` (PJSIP only), with an
    ``asterisk`` stand-in on PATH; ``[(task name, result)]`` in order."""
    facts = {"running": True, "pjsip": {"installed": True}, "chan_sip": {"installed": False},
             "iax2": {"installed": False}, "module_dir": str(tmp_path / "modules"),
             "freepbx": {"detected": False, "evidence": []}}

    def run(config_dir, check=False):
        tasks = [
            facts_task(dict(facts, config_dir=str(config_dir))),
            {"name": "PJSIP", "ansible.builtin.include_role": {"name": "pbxsec.hardening.sip"}},
        ]
        play_vars = {"pbx_config_dir": str(config_dir), "pbx_controls_skip": SKIPPED,
                     "pbx_provider_networks": [PROVIDER], "pbx_trusted_networks": TRUSTED,
                     "pbx_defer_failures": True}
        return run_play(tasks, play_vars, check=check, path=[asterisk_cli.bin])

    return run


# No Asterisk runs here to show the objects of databases: that part of the verdict is left out.
VERDICT = "PBX-SIP-006 | AUDIT | Fail on what only FreePBX, a template or a database can change"
BACKENDS = "Objects the running Asterisk takes from a database"


def _failed(results):
    return [(name, result) for name, result in results
            if result.get("failed") and not (name == VERDICT and all(
                part.strip().startswith(BACKENDS) for part in result["msg"].split(" || ")))]


def _changed(results):
    return [name for name, result in results if result.get("changed")]


def _endpoints(config_dir):
    """Endpoint name -> (identify_by, allow_subscribe), as res_pjsip_config_wizard builds them."""
    cfg = load_config(str(config_dir / "pjsip_wizard.conf"), str(config_dir))
    return dict((obj.name, (obj.get("identify_by"), obj.get("allow_subscribe")))
                for obj in expand(cfg) if obj.kind == "endpoint")


HARDEN = "PBX-SIP-001 | PATCH | Close guest and unauthenticated access in chan_sip, PJSIP and IAX2"


def _reloads(asterisk_cli):
    """The CLI commands that reload or unload something."""
    return [line for line in asterisk_cli.commands() if " reload" in line or " unload " in line]


def test_pbx_pjs_002_pbx_pjs_004_wizards_fixed_in_their_own_options(tmp_path, play, asterisk_cli):
    config_dir = _tree(tmp_path)
    assert _endpoints(config_dir) == {"200": (None, None), "carrier": (None, None),
                                      "kiosk": (None, None)}
    predicted = _changed(play(config_dir, check=True))
    assert (config_dir / "pjsip_wizard.conf").read_text() == WIZARD

    results = play(config_dir)
    assert _failed(results) == []
    assert _changed(results) == predicted == [HARDEN]
    [harden] = [result for name, result in results if name == HARDEN]
    assert harden["sip"]["files"] == [str(config_dir / "pjsip_wizard.conf")]
    # The phone authenticates (accepts_auth from its template); the kiosk takes registrations, so
    # it is no trunk, but has no auth: identified by IP only, it has no identify to match.
    assert _endpoints(config_dir) == {"200": (None, None), "carrier": ("ip", "no"),
                                      "kiosk": ("ip", None)}
    assert _reloads(asterisk_cli) == ["module reload res_pjsip.so"]

    again = play(config_dir)
    assert _failed(again) == [] and _changed(again) == []


@pytest.mark.parametrize("carrier, outside, source", [
    ("remote_hosts = 203.0.113.9:5060, 127.0.0.2\n", "203.0.113.9:5060", "remote_hosts"),
    ("remote_hosts = 127.0.0.2\nidentify/match = 203.0.113.0/24\n", "203.0.113.0/24",
     "identify/match"),
], ids=["remote-host-outside", "identify-match-outside"])
def test_pbx_pjs_002_wizard_without_auth_matched_from_outside_stops_the_role(
        tmp_path, play, asterisk_cli, carrier, outside, source):
    wizard = WIZARD.replace("remote_hosts = 127.0.0.2\n", carrier)
    config_dir = _tree(tmp_path, wizard)
    results = play(config_dir)
    failed = _failed(results)
    assert [name for name, _result in failed] == [HARDEN]
    message = " ".join(failed[0][1]["msg"].split())
    assert message.startswith("PBX-PJS-002: wizard [carrier] (%s:11)" % (
        config_dir / "pjsip_wizard.conf"))
    assert "its identify matches %s (%s)" % (outside, source) in message
    assert "Nothing in PJSIP was changed" in message and "Qz4nT8" not in message
    assert (config_dir / "pjsip_wizard.conf").read_text() == wizard
    assert _reloads(asterisk_cli) == []


def test_pbx_pjs_002_wizard_defined_twice_stops_the_role(tmp_path, play):
    wizard = WIZARD + "\n[carrier]\ntype = wizard\nremote_hosts = 127.0.0.1\n"
    config_dir = _tree(tmp_path, wizard)
    failed = _failed(play(config_dir))
    assert [name for name, _result in failed] == [HARDEN]
    path = config_dir / "pjsip_wizard.conf"
    assert " ".join(failed[0][1]["msg"].split()) == (
        "Wizard [carrier] is defined more than once (%s:11, %s:26): res_pjsip_config_wizard builds "
        "the last one, and an edit by name would land in the first. Keep one wizard of that name."
        % (path, path))
    assert (config_dir / "pjsip_wizard.conf").read_text() == wizard


def test_wizard_file_left_alone_without_res_pjsip_config_wizard(tmp_path, play):
    config_dir = _tree(tmp_path, module=False)
    results = play(config_dir)
    assert _failed(results) == [] and _changed(results) == []
    assert (config_dir / "pjsip_wizard.conf").read_text() == WIZARD
