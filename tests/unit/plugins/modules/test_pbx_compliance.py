# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pbx_compliance and pbx_report run as Ansible runs them (ad-hoc against localhost)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from audit_result import by_id

SECRETS = ("hunter2", "Sup3rS3cretAMI", "4242", "271828", "pjsipPass1", "iaxsecret9")
MODULES = ("chan_sip", "chan_iax2", "app_voicemail", "res_pjsip", "chan_pjsip",
           "res_sorcery_config", "res_sorcery_memory", "res_sorcery_astdb", "res_pjproject",
           "res_pjsip_session", "res_pjsip_pubsub")


@pytest.fixture
def tree(astconf_tree, tmp_path):
    """A tree full of weak credentials (the values in SECRETS) and a module directory."""
    moddir = tmp_path / "modules"
    moddir.mkdir()
    for name in MODULES:
        (moddir / (name + ".so")).write_bytes(b"")
    return astconf_tree({
        "etc/asterisk.conf": "[directories]\nastmoddir => %s\n[options]\nrunuser=asterisk\n"
                             % moddir,
        "etc/modules.conf": "[modules]\nautoload=yes\n",
        "etc/sip.conf": "[general]\nallowguest=On\nregister => 100:hunter2@sip.example\n"
                        "[100]\ntype=friend\nhost=dynamic\nsecret=hunter2\n",
        "etc/manager.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\n"
                            "[admin]\nsecret=Sup3rS3cretAMI\n",
        "etc/pjsip.conf": "[a1]\ntype=auth\nusername=a1\npassword=pjsipPass1\n",
        "etc/iax.conf": "[general]\n[u]\ntype=user\nsecret=iaxsecret9\n",
        "etc/voicemail.conf": "[general]\n[default]\n1234 => 4242,Bob\n1000 => 271828,Eve\n",
        "etc/logger.conf": "[logfiles]\n",
    }) / "etc"


def args(config_dir, **extra):
    base = dict(config_dir=str(config_dir), live=False, keys_dir="/nonexistent",
                fail2ban_dir="/nonexistent")
    base.update(extra)
    return base


def test_pbx_compliance_same_result_in_check_mode_and_never_changed(run_module, tree):
    normal = run_module("pbxsec.hardening.pbx_compliance", args(tree))
    check = run_module("pbxsec.hardening.pbx_compliance", args(tree), check=True)
    assert normal["changed"] is False and check["changed"] is False
    assert normal["controls"] == check["controls"]
    assert normal["summary"] == check["summary"] and normal["compliant"] is False
    controls = by_id(normal)
    assert sorted(controls) == sorted(control.id for control in CATALOGUE)
    assert controls["PBX-SIP-001"]["status"] == "fail"
    assert controls["PBX-SEC-004"]["status"] == "fail"
    assert controls["PBX-VM-004"]["status"] == "fail"


def test_pbx_compliance_output_never_holds_a_secret_or_pin(run_module, tree):
    text = run_module("pbxsec.hardening.pbx_compliance", args(tree), verbosity=3,
                      output="text")
    assert "PBX-SEC-001" in text and "PBX-VM-004" in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_pbx_compliance_rejected_tree_is_error_not_traceback(run_module, tree):
    with open(os.path.join(str(tree), "manager.conf"), "a", encoding="utf-8") as handle:
        handle.write("[broken\n")
    result = run_module("pbxsec.hardening.pbx_compliance", args(tree))
    assert not result.get("failed"), result
    entry = by_id(result)["PBX-AMI-001"]
    assert entry["status"] == "error"
    assert entry["findings"][0]["file"].endswith("manager.conf")
    assert entry["findings"][0]["line"] == 6
    assert by_id(result)["PBX-SIP-001"]["status"] == "fail"
    assert result["compliant"] is False


def test_pbx_compliance_refuses_unknown_ids_and_policy_keys(run_module, tree):
    result = run_module("pbxsec.hardening.pbx_compliance",
                        args(tree, waivers={"PBX-NOPE-001": "x"}))
    assert result["failed"] and "PBX-NOPE-001" in result["msg"]
    result = run_module("pbxsec.hardening.pbx_compliance", args(tree, policy={"min_len": 3}))
    assert result["failed"] and "min_len" in result["msg"]
    result = run_module("pbxsec.hardening.pbx_compliance",
                        args(tree, provider_networks=["27.111.14.0/33"]))
    assert result["failed"] and "27.111.14.0/33" in result["msg"]


def test_pbx_report_writes_parseable_files_and_check_mode_writes_nothing(
        run_module, tree, tmp_path):
    audit = run_module("pbxsec.hardening.pbx_compliance", args(tree))
    audit = dict((k, v) for k, v in audit.items() if k in ("controls", "summary", "compliant"))
    dest = tmp_path / "reports"
    report_args = dict(dest=str(dest), results={"pbx1": audit}, unreachable=["pbx2"],
                       generated="2026-11-25T21:00:00Z")
    checked = run_module("pbxsec.hardening.pbx_report", report_args, check=True)
    assert checked["changed"] is True and not dest.exists()
    written = run_module("pbxsec.hardening.pbx_report", report_args)
    assert written["changed"] is True and written["compliant"] is False
    assert sorted(written["noncompliant"]) == ["pbx1", "pbx2"]
    fleet = json.loads((dest / "fleet.json").read_text())
    assert [h["status"] for h in fleet["hosts"]] == ["noncompliant", "unreachable"]
    assert (dest / "hosts" / "pbx1.json").exists() and (dest / "hosts" / "pbx2.json").exists()
    ET.parse(str(dest / "junit.xml"))
    assert (dest / "report.html").read_text().count('<tr class="host">') == 2
    run_module("pbxsec.hardening.pbx_report", report_args)      # compares itself with the first run
    again = run_module("pbxsec.hardening.pbx_report", report_args)
    assert again["changed"] is False


def test_pbx_report_reads_the_hosts_variables_or_takes_the_results(run_module, tmp_path):
    dest = tmp_path / "reports"
    # localhost registered no audit result: it is reported as unreachable.
    written = run_module("pbxsec.hardening.pbx_report", dict(dest=str(dest), hosts=["localhost"]))
    assert written["totals"]["unreachable"] == 1 and written["noncompliant"] == ["localhost"]
    fleet = json.loads((dest / "fleet.json").read_text())
    assert [(h["name"], h["status"]) for h in fleet["hosts"]] == [("localhost", "unreachable")]
    both = run_module("pbxsec.hardening.pbx_report",
                      dict(dest=str(dest), hosts=["localhost"], unreachable=["pbx2"]))
    assert both["failed"] and "mutually exclusive" in both["msg"]
    unknown = run_module("pbxsec.hardening.pbx_report",
                         dict(dest=str(dest), hosts=["localhost", "pbx-nowhere"]))
    assert unknown["failed"] and unknown["msg"] == "hosts not in the inventory: pbx-nowhere"


def test_pbx_compliance_backup_judged_with_the_modules_of_its_version(run_module, tree, tmp_path):
    """A backup off the PBX: the module directory is elsewhere, the version names the modules."""
    asterisk_conf = os.path.join(str(tree), "asterisk.conf")
    with open(asterisk_conf, "w", encoding="utf-8") as handle:
        handle.write("[directories]\nastmoddir => %s\n" % (tmp_path / "not-on-this-machine"))
    on_16 = by_id(run_module("pbxsec.hardening.pbx_compliance", args(tree, asterisk_version=16)))
    result = run_module("pbxsec.hardening.pbx_compliance", args(tree, asterisk_version=22))
    on_22 = by_id(result)
    assert on_16["PBX-SIP-001"]["status"] == "fail"
    assert on_22["PBX-SIP-001"]["status"] == "not_applicable"
    assert result["module_source"] == "assumed"
    assert result["module_assumption"] == "the modules Asterisk 22 installs (from asterisk_version 22)"
    assert on_22["PBX-SEC-002"]["findings"][-1]["message"].startswith("module set assumed: ")


def test_pbx_compliance_refuses_a_version_that_is_no_major_version(run_module, tree):
    result = run_module("pbxsec.hardening.pbx_compliance", args(tree, asterisk_version=0))
    assert result["failed"] and "asterisk_version must be a major version" in result["msg"]
