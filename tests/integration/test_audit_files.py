# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A configuration backup audited on the controller gives the statuses of the live audit.

The stock images (Debian's Asterisk 16 and 22, and the FreePBX 16 layout) run with
``--network none``; ``pbxsec.hardening.audit`` judges them live (``docker exec``, Asterisk
asked on its control socket). Their ``/etc/asterisk`` is copied out with ``docker cp`` and
``pbxsec.hardening.audit_files`` judges the copies on the controller, which has no Asterisk, no
module directory and no PBX: the modules are those of the version named
(``pbx_asterisk_version``).

Run: ``PYTHONPATH=.cache/collections .venv/bin/python -m pytest -q tests/integration/test_audit_files.py``.
"""

from __future__ import annotations

import json
import os

import pytest

from fleet import (
    FLEET_VARS,
    PBXSEC_INIT,
    ansible_playbook,
    containers,
    describe,
    docker,
    read_report,
    statuses,
    write_inventory,
    write_json,
)

# image, Asterisk major version
IMAGES = {
    "a16": ("pbxsec/asterisk16:latest", 16),
    "a22": ("pbxsec/asterisk22:latest", 22),
    "f16": ("pbxsec/freepbx16:latest", 16),
}
# Known differences, each for a reason the files cannot show:
# - the test bed's Asterisk 16 images (the FreePBX one is built on it) lack Debian's
#   asterisk-voicemail package (not on the mirror the build reaches, see tests/images/README.md),
#   which `asterisk` recommends and apt installs on a real Debian 11 host. Live, app_voicemail is
#   not loaded there (its controls not_applicable); the backup is judged with the app_voicemail
#   that Asterisk 16 installs.
# - PBX-DP-004: the stock asterisk.conf leaves runuser unset; live, the running Asterisk is seen
#   to run as user asterisk (pass); a backup cannot show the process, so never passes.
APP_VOICEMAIL = ("PBX-VM-001", "PBX-VM-002", "PBX-VM-003", "PBX-VM-004", "PBX-VM-005",
                 "PBX-VM-006")
NOT_IN_THE_IMAGE = {"a16": APP_VOICEMAIL, "f16": APP_VOICEMAIL}
NOT_IN_THE_FILES = ("PBX-DP-004",)
# The audit's own variables, without the connection: the backups are reached on the controller.
AUDIT_VARS = dict((k, v) for k, v in FLEET_VARS.items() if k.startswith("pbx_"))
# audit_files.yml runs with no inventory, on the implicit localhost: no warning about that.
QUIET = {"ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0"}


def playbook(workdir, *args):
    return ansible_playbook(workdir, *args, settings=QUIET)


@pytest.fixture(scope="module")
def pbxs(tmp_path_factory):
    """``(workdir, {key: container name})``: the stock images, booted, each /etc/asterisk
    copied to <workdir>/backups/<key>/etc/asterisk."""
    workdir = str(tmp_path_factory.mktemp("audit-files"))
    images = dict((key, image) for key, (image, dummy_version) in IMAGES.items())
    with containers("af", images, command=PBXSEC_INIT) as names:
        for key, name in names.items():
            etc = os.path.join(workdir, "backups", key, "etc")
            os.makedirs(etc)
            docker("cp", "%s:/etc/asterisk" % name, etc)
        yield workdir, names


def audit_backups(workdir, label, audit_vars, with_version):
    """``(process, fleet report)`` of audit_files.yml over the copies, reports in <label>."""
    backups = []
    for key, (dummy_image, version) in IMAGES.items():
        backups.append({"name": key,
                        "config_dir": os.path.join(workdir, "backups", key, "etc", "asterisk")})
        if with_version:
            backups[-1]["asterisk_version"] = version
    backup_vars = write_json(os.path.join(workdir, label + ".json"), {"pbx_backups": backups})
    reports = os.path.join(workdir, label)
    proc = playbook(workdir, "pbxsec.hardening.audit_files", "-e", "@" + audit_vars,
                    "-e", "@" + backup_vars, "-e", "pbx_report_dir=" + reports)
    return proc, read_report(reports, proc)


@pytest.fixture(scope="module")
def live_and_backup(pbxs):
    """``(live statuses, backup statuses, backup report, statuses of the backups audited with
    no version)``, by image key."""
    workdir, names = pbxs
    audit_vars = write_json(os.path.join(workdir, "audit-vars.json"), AUDIT_VARS)
    inventory = write_inventory(os.path.join(workdir, "inventory.json"),
                                dict((name, {}) for name in names.values()), FLEET_VARS)
    live_dir = os.path.join(workdir, "live")
    live = playbook(workdir, "-i", inventory, "pbxsec.hardening.audit",
                    "-e", "pbx_report_dir=" + live_dir)
    files, backup_report = audit_backups(workdir, "versioned", audit_vars, True)
    unversioned, unversioned_report = audit_backups(workdir, "unversioned", audit_vars, False)
    for proc in (live, files, unversioned):
        assert proc.returncode == 2, describe(proc)
    live_found = statuses(read_report(live_dir, live))
    return (dict((key, live_found[name]) for key, name in names.items()),
            statuses(backup_report), backup_report, statuses(unversioned_report))


@pytest.mark.parametrize("key", sorted(IMAGES))
def test_backup_audit_gives_the_live_statuses(live_and_backup, key):
    live, backup, dummy_report, dummy_unversioned = live_and_backup
    print("%s live: %s" % (key, json.dumps(live[key], sort_keys=True)))
    differ = sorted(c for c in live[key] if live[key][c] != backup[key][c])
    expected = sorted(NOT_IN_THE_IMAGE.get(key, ()) + NOT_IN_THE_FILES)
    assert differ == expected, dict((c, (live[key][c], backup[key][c])) for c in differ)
    for control in NOT_IN_THE_IMAGE.get(key, ()):
        assert live[key][control] == "not_applicable"
    for control in NOT_IN_THE_FILES:
        assert live[key][control] == "pass" and backup[key][control] in ("fail", "manual")
    assert "error" not in backup[key].values(), backup[key]


def test_backup_findings_say_the_module_set_was_assumed(live_and_backup):
    dummy_live, dummy_backup, report, dummy_unversioned = live_and_backup
    for host in report["hosts"]:
        version = IMAGES[host["name"]][1]
        controls = dict((c["id"], c) for c in host["controls"])
        for control in ("PBX-SIP-001", "PBX-PJS-001", "PBX-IAX-001", "PBX-DP-001"):
            notes = [f["message"] for f in controls[control]["findings"]
                     if f["message"].startswith("module set assumed: ")]
            assert notes == ["module set assumed: loaded modules predicted from modules.conf and "
                             "the modules Asterisk %d installs (from asterisk_version %d)"
                             % (version, version)], (host["name"], control)
        assert not any(f["message"].startswith("module set assumed")
                       for f in controls["PBX-AMI-001"]["findings"])


def test_stock_trees_without_a_version_are_judged_alike(live_and_backup):
    """The assumption for an unknown version (chan_sip where sip.conf exists) fits Debian's stock
    trees: 16 ships sip.conf, 22 does not."""
    dummy_live, backup, dummy_report, unversioned = live_and_backup
    assert unversioned == backup
