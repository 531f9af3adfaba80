# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role manager's plan (harden_manager) and its one module call (manager_harden), run for real
by ansible-playbook on a temporary configuration: the [general] options of PBX-AMI-001 and
PBX-HTTP-001 at the catalogue's values, only those of the controls asked for, one write per
file, check mode predicting the real run, a second run changing nothing, FreePBX's custom files
and the refusals that change nothing."""

from __future__ import annotations

import grp
import os
import stat

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    network_problems,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import BY_ID
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_manager import (
    http_settings,
    manager_settings,
)

ALL = ["PBX-AMI-001", "PBX-AMI-002", "PBX-HTTP-001"]
NO_ACL = dict(removals=[], deny=[], permits=[])


def _cfg(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    return load_config(str(tmp_path / name), str(tmp_path))


def _options(settings):
    return [(s.control, s.section, s.option, s.value) for s in settings]


@pytest.mark.parametrize("networks, problems", [
    (["192.0.2.0/24", "198.51.100.7/32"], 0),
    (["0.0.0.0/0"], 1),                     # the whole Internet
    (["192.0.2.1/24"], 1),                  # host bits: a typo must not widen a network
    (["192.0.2.0"], 1),
    ("192.0.2.0/24", 1),                    # not a list
    ({"192.0.2.0/24": "office"}, 1),        # not a list either
])
def test_pbx_ami_002_management_networks_are_ipv4_networks_narrower_than_everything(
        networks, problems):
    assert len(network_problems(networks, min_prefix=1)) == problems


def test_pbx_ami_001_binds_ami_and_its_tls_to_the_catalogue_value(tmp_path):
    cfg = _cfg(tmp_path, "manager.conf", "[general]\nenabled = yes\ntlsenable = on\n")
    wanted = BY_ID["PBX-AMI-001"].settings[0].value
    assert _options(manager_settings(cfg, False, NO_ACL, ALL)) == [
        ("PBX-AMI-001", "general", "bindaddr", wanted),
        ("PBX-AMI-001", "general", "tlsbindaddr", wanted)]


def test_pbx_ami_001_leaves_ami_that_is_off_alone_or_switches_it_off(tmp_path):
    cfg = _cfg(tmp_path, "manager.conf", "[general]\nenabled = no\n")
    assert manager_settings(cfg, False, NO_ACL, ALL) == []
    assert _options(manager_settings(cfg, True, NO_ACL, ALL)) == [
        ("PBX-AMI-001", "general", "enabled", "no")]


def test_pbx_http_001_switches_http_off_or_binds_it_and_blanks_servername(tmp_path):
    cfg = _cfg(tmp_path, "http.conf", "[general]\nenabled = yes\ntlsenable = yes\n")
    assert _options(http_settings(cfg, False, ALL)) == [
        ("PBX-HTTP-001", "general", "enabled", "no"),
        ("PBX-HTTP-001", "general", "servername", "")]
    assert _options(http_settings(cfg, True, ALL)) == [
        ("PBX-HTTP-001", "general", "bindaddr", "127.0.0.1"),
        ("PBX-HTTP-001", "general", "tlsbindaddr", "127.0.0.1"),
        ("PBX-HTTP-001", "general", "servername", "")]
    assert http_settings(cfg, True, ["PBX-AMI-001"]) == []


MANAGER = ("[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"
           "[crm]\nsecret = crm-secret-1\npermit = 203.0.113.0/255.255.255.0\nwrite = system\n")
HTTP = "[general]\nenabled = yes\nbindaddr = 0.0.0.0\n"


@pytest.fixture
def harden(tmp_path, run_play):
    """``harden(check=False, **options)``: one manager_harden task on ``tmp_path/asterisk``;
    returns its result."""
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    (config_dir / "manager.conf").write_text(MANAGER)
    (config_dir / "http.conf").write_text(HTTP)

    def run(check=False, **options):
        args = dict(config_dir=str(config_dir), controls=ALL,
                    management_networks=["192.0.2.0/24"])
        args.update(options)
        results = run_play([{"name": "Manager", "pbxsec.hardening.manager_harden": args}],
                           check=check, diff=True)
        return results[0][1]

    run.config_dir = config_dir
    return run


def _files(config_dir):
    return dict((path.name, path.read_bytes()) for path in sorted(config_dir.iterdir()))


def test_pbx_ami_001_both_files_one_call_check_predicts_real_and_second_changes_nothing(harden):
    before = _files(harden.config_dir)
    predicted = harden(check=True)
    assert _files(harden.config_dir) == before
    real = harden()
    assert not real.get("failed"), real
    for key in ("changed", "files", "reload", "settings", "findings", "ami", "file_modes"):
        assert predicted[key] == real[key], key
    assert real["reload"] == ["manager", "http"] and real["read"] == ["manager.conf", "http.conf"]
    # Named where the line is once the permit above it is gone (line 7 before the run).
    assert real["findings"] == [{"control": "PBX-AMI-002", "msg": "[crm] write = system grants "
                                 "system (%s:6)" % (harden.config_dir / "manager.conf")}]
    assert real["ami"]["permits_removed"] == ["crm: permit = 203.0.113.0/255.255.255.0"]
    assert "crm-secret-1" not in str(real)
    manager = load_config(str(harden.config_dir / "manager.conf"), str(harden.config_dir))
    assert str(manager.get("general", "bindaddr")) == "127.0.0.1"
    assert [str(v) for v in manager.get_all("crm", "permit")] == [
        "127.0.0.1/255.255.255.255", "192.0.2.0/255.255.255.0"]
    again = harden()
    assert not again["changed"] and again["reload"] == [] and again["findings"] == real["findings"]


def test_pbx_ami_002_a_control_left_out_changes_nothing_but_is_still_judged(harden):
    result = harden(controls=["PBX-AMI-002"], check=True)
    assert sorted(set(s["control"] for s in result["settings"])) == ["PBX-AMI-002"]
    assert result["read"] == ["manager.conf"] and result["reload"] == ["manager"]
    result = harden(controls=["PBX-AMI-001"], check=True)
    assert sorted(set(s["control"] for s in result["settings"])) == ["PBX-AMI-001"]
    assert [f["control"] for f in result["findings"]] == ["PBX-AMI-002"]


def test_pbx_ami_002_a_bad_management_network_fails_before_anything_is_read(harden):
    before = _files(harden.config_dir)
    result = harden(management_networks=["0.0.0.0/0"])
    assert result["failed"] and result["msg"].startswith("pbx_management_networks: '0.0.0.0/0': ")
    assert _files(harden.config_dir) == before


def test_pbx_ami_001_freepbx_changes_go_to_its_custom_files_or_nowhere(harden):
    config_dir = harden.config_dir
    # FreePBX wrote a permit for a network after crm's deny-all rule: only FreePBX can remove it.
    (config_dir / "manager.conf").write_text(
        MANAGER.replace("permit = 203", "deny = 0.0.0.0/0.0.0.0\npermit = 203")
        + "#include manager_custom.conf\n")
    (config_dir / "manager_custom.conf").write_text("")
    before = _files(config_dir)
    result = harden(freepbx=True, freepbx_ami_user="admin")
    assert result["failed"] and "http.conf: http_custom.conf is not included" in result["msg"]
    assert _files(config_dir) == before

    (config_dir / "http.conf").write_text(HTTP + "#include http_custom.conf\n")
    (config_dir / "http_custom.conf").write_text("")
    result = harden(freepbx=True, freepbx_ami_user="admin")
    assert not result.get("failed"), result["msg"]
    assert sorted(path.rsplit("/", 1)[-1] for path in result["files"]) == [
        "http_custom.conf", "manager_custom.conf"]
    assert (config_dir / "manager.conf").read_bytes() == before["manager.conf"]
    assert (config_dir / "http.conf").read_text() == HTTP + "#include http_custom.conf\n"
    assert any("is in a file FreePBX writes again" in f["msg"] for f in result["findings"])


def _mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")
def test_pbx_fs_001_closes_the_trees_after_the_files_in_the_same_call(harden, tmp_path):
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    (keys_dir / "host.key").write_text("key\n")
    for path, mode in ((harden.config_dir, 0o777), (harden.config_dir / "manager.conf", 0o666),
                       (keys_dir, 0o750),
                       (harden.config_dir / "http.conf", 0o640), (keys_dir / "host.key", 0o644)):
        os.chmod(path, mode)
    group = grp.getgrgid(0).gr_name
    args = dict(controls=ALL + ["PBX-FS-001"], keys_dir=str(keys_dir), group=group)
    predicted = harden(check=True, **args)
    assert _mode(harden.config_dir / "manager.conf") == 0o666          # check mode: unchanged
    real = harden(**args)
    assert predicted["file_modes"] == real["file_modes"] and predicted["changed"] == real["changed"]
    assert sorted((c["path"], c["mode_before"], c["mode"]) for c in real["file_modes"]["changes"]) == [
        (str(harden.config_dir), "0777", "0750"),
        (str(harden.config_dir / "manager.conf"), "0666", "0640"),
        (str(keys_dir / "host.key"), "0644", "0600")]
    # The rewritten manager.conf is closed too; a reload is for the files, not for modes.
    assert _mode(harden.config_dir / "manager.conf") == 0o640 and real["reload"] == ["manager", "http"]
    assert any(d.get("before_header") == "modes and groups" for d in real["diff"])
    again = harden(**args)
    assert not again["changed"] and again["file_modes"]["changes"] == [] and again["reload"] == []


def test_pbx_fs_001_only_when_asked_and_an_unknown_group_changes_no_mode(harden):
    assert harden(check=True)["file_modes"] == {}
    os.chmod(harden.config_dir / "http.conf", 0o666)
    before = _files(harden.config_dir)
    # The modes come first: the failure stops the call before an AMI change that the failed task
    # would not reload is written.
    result = harden(controls=ALL + ["PBX-FS-001"], group="pbxsec-no-such-group")
    assert result["failed"] and "group pbxsec-no-such-group does not exist" in result["msg"]
    assert _mode(harden.config_dir / "http.conf") == 0o666 and _files(harden.config_dir) == before
