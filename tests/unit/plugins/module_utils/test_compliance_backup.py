# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A configuration backup judged off the PBX (``live=false``, no module directory): the modules
are those Asterisk installs for the version (``asterisk_version``) or, unknown, a documented
assumption; every control judged with them says so; a tree Asterisk cannot start with is
``error`` naming the file, not ``not_applicable``."""

from __future__ import annotations

import json
import os
import time

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_modules import (
    INSTALLED_IN,
    AssumedModules,
    ModuleDirectory,
    predict_loaded,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_audit import (
    Options,
    audit,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host

from audit_result import by_id, statuses
from test_compliance_controls import SPEC  # pbx_compliance's own argument spec

SIP_CONTROLS = ["PBX-SIP-%03d" % n for n in range(1, 7)]
# A stock-like tree: an open chan_sip guest, an open PJSIP anonymous endpoint, AMI off.
BACKUP = {
    "modules.conf": "[modules]\nautoload=yes\nnoload => chan_oss.so\n",
    "sip.conf": "[general]\nallowguest=yes\n",
    "pjsip.conf": "[anonymous]\ntype=endpoint\ncontext=public\n",
    "iax.conf": "[general]\n",
    "extensions.conf": "[public]\nexten => _X.,1,Hangup()\n",
    "manager.conf": "[general]\nenabled=no\n",
    "logger.conf": "[logfiles]\n",
}


@pytest.fixture
def backup(astconf_tree, tmp_path):
    """``backup(files=BACKUP, asterisk_version=None, module_dir=None)`` -> the audit result of
    a tree (a file given as None is left out) whose asterisk.conf points at ``module_dir``, a
    directory that does not exist unless given."""

    def run(files=None, asterisk_version=None, module_dir=None):
        tree = dict(BACKUP)
        tree["asterisk.conf"] = "[directories]\nastmoddir => %s\n[options]\nrunuser=asterisk\n" \
            % (module_dir or tmp_path / "no-such-module-dir")
        tree.update(files or {})
        astconf_tree(dict((os.path.join("etc", name), text)
                          for name, text in tree.items() if text is not None))
        args = dict(config_dir=str(tmp_path / "etc"), live=False, keys_dir=str(tmp_path / "keys"),
                    fail2ban_dir=str(tmp_path / "fail2ban"), asterisk_version=asterisk_version)
        with patch_module_args(args):
            module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
        params = module.params
        result = audit(Host(module, params["config_dir"], False, params["asterisk_version"]),
                       Options(params))
        json.dumps(result)
        return result

    return run


def assumed_notes(entry):
    return [f["message"] for f in entry["findings"] if f["message"].startswith("module set assumed")]


# --- the module sets, as data -------------------------------------------------------------------

@pytest.mark.parametrize("major, chan_sip", [(13, True), (16, True), (18, True), (20, True),
                                             (21, False), (22, False), (23, False)])
def test_chan_sip_installed_up_to_20_removed_in_21(major, chan_sip):
    assumed = AssumedModules(major, sip_conf=True)
    assert assumed.has("chan_sip.so") is chan_sip
    assert all(assumed.has(name) for name in ("chan_pjsip", "res_pjsip", "chan_iax2",
                                              "app_voicemail", "res_ari"))


def test_unknown_version_assumes_chan_sip_only_where_sip_conf_exists():
    assert AssumedModules(None, sip_conf=True).has("chan_sip")
    assert not AssumedModules(None, sip_conf=False).has("chan_sip")
    assert AssumedModules(None, sip_conf=False).has("res_websocket_client")


def test_modules_outside_the_table_count_as_installed():
    assumed = AssumedModules(22, sip_conf=False)
    assert "res_odbc" not in INSTALLED_IN and assumed.has("res_odbc.so")
    assert "res_odbc.so" not in assumed.listing()      # autoload loads only what is known


def test_predicted_with_a_module_directory_and_assumed_agree(astconf_tree, tmp_path):
    """The same modules.conf predicts the same modules from a directory that holds exactly what
    Asterisk 22 installs and from the modules assumed for 22."""
    etc = astconf_tree({"etc/modules.conf": "[modules]\nautoload=yes\nnoload => chan_iax2.so\n"
                                            "noload => res_sorcery_astdb.so\n"}) / "etc"
    moddir = tmp_path / "modules"
    moddir.mkdir()
    assumed = AssumedModules(22, sip_conf=True)
    for name in assumed.listing():
        (moddir / name).write_bytes(b"")
    from_dir = predict_loaded(str(etc), ModuleDirectory(str(moddir)))
    from_assumed = predict_loaded(str(etc), assumed)
    assert from_dir == from_assumed
    loaded = from_assumed[0]
    # noload of res_sorcery_astdb takes PJSIP down with it, as on Debian's Asterisk 22.
    assert "chan_iax2" not in loaded and "res_pjsip" not in loaded and "chan_pjsip" not in loaded
    assert "app_voicemail" in loaded and "chan_sip" not in loaded


# --- a backup judged off the PBX ----------------------------------------------------------------

def test_pbx_sip_001_backup_without_module_dir_fails_open_guest(backup):
    """Regression: without the module directory every channel control was not_applicable
    ("autoload: unable to open modules directory"), so allowguest=yes passed unnoticed."""
    result = backup()
    entries = by_id(result)
    assert entries["PBX-SIP-001"]["status"] == "fail"
    assert entries["PBX-PJS-001"]["status"] == "fail"
    assert result["module_source"] == "assumed"
    assert result["module_assumption"].startswith(
        "the modules of an Asterisk of unknown version, chan_sip where sip.conf exists")
    assert "no asterisk_version given" in result["module_assumption"]


def test_every_control_judged_with_assumed_modules_says_so(backup):
    entries = by_id(backup(asterisk_version=22))
    for control in SIP_CONTROLS + ["PBX-PJS-001", "PBX-IAX-001", "PBX-DP-001", "PBX-SEC-002",
                                   "PBX-NET-005", "PBX-VM-006"]:
        notes = assumed_notes(entries[control])
        assert notes == ["module set assumed: loaded modules predicted from modules.conf and the "
                         "modules Asterisk 22 installs (from asterisk_version 22)"], control
        assert entries[control]["findings"][-1]["file"].endswith("modules.conf")
    for control in ("PBX-AMI-001", "PBX-HTTP-001", "PBX-LOG-001", "PBX-ACC-001"):
        assert assumed_notes(entries[control]) == [], control


def test_asterisk_version_22_has_no_chan_sip(backup):
    entries = by_id(backup(asterisk_version=22))
    assert statuses({"controls": list(entries.values())}, SIP_CONTROLS) == ["not_applicable"] * 6
    assert entries["PBX-SIP-001"]["findings"][0]["message"] == (
        "chan_sip is not loaded (predicted from modules.conf and the modules Asterisk 22 "
        "installs (from asterisk_version 22), assumed)")
    assert entries["PBX-PJS-001"]["status"] == "fail"


def test_asterisk_version_16_has_chan_sip(backup):
    assert statuses(backup(asterisk_version=16), ["PBX-SIP-001", "PBX-PJS-001"]) == ["fail", "fail"]


def test_asterisk_version_wins_over_a_module_directory_of_this_machine(backup, tmp_path):
    """A controller's own Asterisk is not the backup's: with the version named, its module
    directory (here without chan_sip) is not read."""
    moddir = tmp_path / "controller-modules"
    moddir.mkdir()
    for name in ("res_pjsip", "chan_pjsip"):
        (moddir / (name + ".so")).write_bytes(b"")
    assert statuses(backup(module_dir=moddir), ["PBX-SIP-001"]) == ["not_applicable"]
    result = backup(module_dir=moddir, asterisk_version=16)
    assert statuses(result, ["PBX-SIP-001"]) == ["fail"] and result["module_source"] == "assumed"


def test_a_module_directory_present_is_used_and_nothing_is_assumed(backup, tmp_path):
    moddir = tmp_path / "modules"
    moddir.mkdir()
    (moddir / "chan_sip.so").write_bytes(b"")
    result = backup(module_dir=moddir)
    assert result["module_source"] == "modules.conf" and result["module_assumption"] is None
    entry = by_id(result)["PBX-SIP-001"]
    assert entry["status"] == "fail" and assumed_notes(entry) == []


def test_unknown_version_without_sip_conf_has_no_chan_sip(backup):
    entries = by_id(backup({"sip.conf": None}))
    assert entries["PBX-SIP-001"]["status"] == "not_applicable"
    assert "chan_sip is not loaded" in entries["PBX-SIP-001"]["findings"][0]["message"]


def test_noload_takes_effect_on_assumed_modules(backup):
    modules_conf = "[modules]\nautoload=yes\nnoload => chan_sip.so\nnoload => chan_iax2.so\n"
    result = backup({"modules.conf": modules_conf, "iax.conf": "[guest]\ntype=user\n"},
                    asterisk_version=16)
    assert statuses(result, ["PBX-SIP-001", "PBX-IAX-001", "PBX-PJS-001"]) == \
        ["not_applicable", "not_applicable", "fail"]


def test_require_of_a_module_outside_the_table_does_not_stop_asterisk(backup):
    result = backup({"modules.conf": "[modules]\nautoload=yes\nrequire => res_odbc.so\n"},
                    asterisk_version=22)
    assert statuses(result, ["PBX-PJS-001"]) == ["fail"]


# --- trees Asterisk cannot start with -----------------------------------------------------------

def test_missing_modules_conf_is_error_naming_the_file(backup):
    """Regression: Asterisk exits without modules.conf ("'modules.conf' invalid or missing");
    the audit said not_applicable on every channel control."""
    result = backup({"modules.conf": None}, asterisk_version=16)
    entries = by_id(result)
    for control in SIP_CONTROLS + ["PBX-PJS-001", "PBX-IAX-001", "PBX-DP-001", "PBX-NET-005"]:
        entry = entries[control]
        assert entry["status"] == "error", control
        assert entry["findings"][0]["file"].endswith(os.path.join("etc", "modules.conf"))
        assert "missing: Asterisk does not start without it" in entry["findings"][0]["message"]
    assert entries["PBX-AMI-001"]["status"] == "pass"       # what needs no module is judged
    assert result["compliant"] is False


def test_missing_modules_conf_is_error_with_a_module_directory_too(backup, tmp_path):
    moddir = tmp_path / "modules"
    moddir.mkdir()
    (moddir / "chan_sip.so").write_bytes(b"")
    entry = by_id(backup({"modules.conf": None}, module_dir=moddir))["PBX-SIP-001"]
    assert entry["status"] == "error" and entry["findings"][0]["line"] == 0


def test_require_of_chan_sip_on_22_is_error_at_its_line(backup):
    modules_conf = "[modules]\nautoload=yes\nrequire => chan_sip.so\n"
    entry = by_id(backup({"modules.conf": modules_conf}, asterisk_version=22))["PBX-PJS-001"]
    assert entry["status"] == "error"
    assert entry["findings"][0]["line"] == 3
    assert "required module chan_sip.so cannot load from the modules Asterisk 22 installs: " \
           "Asterisk does not start" in entry["findings"][0]["message"]


def test_invalid_modules_conf_is_error_at_its_line(backup):
    entry = by_id(backup({"modules.conf": "; modules\n\n[modules\nautoload=yes\n"}))["PBX-SIP-001"]
    assert entry["status"] == "error" and entry["findings"][0]["line"] == 3
    assert "Asterisk does not start with an invalid modules.conf" in entry["findings"][0]["message"]


def test_prediction_is_linear_in_the_lines_of_modules_conf(astconf_tree):
    """Regression: each load line was matched against every earlier one (8,000 load and 4,000
    noload lines took 47 s); a hostile modules.conf must not stall the audit."""
    lines = ["[modules]", "autoload=yes"] + ["load => m%d.so" % n for n in range(8000)] + \
        ["noload => m%d.so" % n for n in range(0, 8000, 2)]
    etc = astconf_tree({"etc/modules.conf": "\n".join(lines) + "\n"}) / "etc"
    started = time.monotonic()
    loaded, stop = predict_loaded(str(etc), AssumedModules(22, sip_conf=False))
    assert time.monotonic() - started < 5
    assert stop is None and "m1" in loaded and "m0" not in loaded and "chan_pjsip" in loaded
