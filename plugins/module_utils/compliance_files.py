# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-FS-001: the configuration directory and the keys directory are closed to others and
belong to the Asterisk group; Asterisk does not run as root.  Symbolic links are not followed
(their targets are judged where they live)."""

from __future__ import annotations

import grp
import os
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_asterisk_conf import (
    running_uid,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_dialplan import (
    asterisk_conf,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.file_modes import (
    CONFIG_FILE_CLOSED_BITS,
    KEY_FILE_CLOSED_BITS,
    to_close,
)

MAX_FINDINGS = 25


def _mode_findings(root, file_bits, gid, group, what):
    found = []
    if not os.path.isdir(root):
        return found
    for path, info, mode, bits in to_close(root, file_bits, gid):
        problems = []
        if mode & bits:
            problems.append("mode %04o (%s open beyond %04o)" % (
                mode, what, (0o777 if stat.S_ISDIR(info.st_mode) else 0o666) & ~bits))
        if gid is not None and info.st_gid != gid:
            problems.append("group is not %s" % group)
        if problems:
            found.append(finding(path, None, None, "; ".join(problems)))
    return found


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-FS-001."""
    try:
        gid = grp.getgrnam(options.asterisk_group).gr_gid
        found = []
    except KeyError:
        gid = None
        found = [finding(None, None, None, "group %s does not exist" % options.asterisk_group)]
    found += _mode_findings(host.config_dir, CONFIG_FILE_CLOSED_BITS, gid, options.asterisk_group,
                            "configuration")
    found += _mode_findings(options.keys_dir, KEY_FILE_CLOSED_BITS, gid, options.asterisk_group, "key")
    dummy, evidence = asterisk_conf(host)
    if evidence.get("runuser") in ("root", "0"):
        found.append(finding(host.path("asterisk.conf"), None, "options", "runuser is root"))
    running = running_uid() if host.live else None
    if running is not None and running[1] == 0:
        found.append(finding(None, None, "running Asterisk",
                             "process %d runs as root" % running[0]))
    if len(found) > MAX_FINDINGS:
        found = found[:MAX_FINDINGS] + [finding(None, None, None, "... and %d more"
                                                % (len(found) - MAX_FINDINGS))]
    return {"PBX-FS-001": Outcome.judged(found)}
