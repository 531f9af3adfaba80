# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""compliance_asterisk_conf: PBX-DP-004 (asterisk.conf and the user Asterisk runs as)."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_asterisk_conf import (
    audit_asterisk_conf,
)


def test_pbx_dp_004(astconf_tree, tmp_path):
    root = astconf_tree({"asterisk.conf": "[options]\nlive_dangerously=yes\nrungroup=root\n"})
    findings, evidence = audit_asterisk_conf(str(root), proc=str(tmp_path / "noproc"))
    messages = " ".join(f["message"] for f in findings)
    assert "live_dangerously" in messages and "rungroup is root" in messages
    assert "runuser unset" in messages and evidence["runuser_source"] is None
    findings, evidence = audit_asterisk_conf(str(root), "asterisk")
    assert len(findings) == 2 and evidence["runuser_source"] == "runuser_from_service"
    proc = tmp_path / "proc" / "42"
    proc.mkdir(parents=True)
    (proc / "comm").write_text("asterisk\n")
    (proc / "status").write_text("Name:\tasterisk\nUid:\t0\t0\t0\t0\n")
    root2 = astconf_tree({"asterisk.conf": "[options]\n;runuser = asterisk\n"})
    findings, evidence = audit_asterisk_conf(str(root2), proc=str(tmp_path / "proc"))
    assert [f["message"] for f in findings] == \
        ["runuser unset and the running Asterisk (pid 42) runs as root"]
    root3 = astconf_tree({"asterisk.conf": "[options]\nrunuser=asterisk\nrungroup=asterisk\n"})
    assert audit_asterisk_conf(str(root3))[0] == []
