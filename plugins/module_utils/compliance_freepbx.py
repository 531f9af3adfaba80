# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The audit on a FreePBX host: detection, FreePBX's own AMI user, and per control the FreePBX
GUI setting or the custom file that fixes a finding.

FreePBX writes every ``*_additional.conf`` (and its root files, and voicemail.conf) again on each
``fwconsole reload``; a remediation there is lost at the next click in the GUI.  So on a FreePBX
host each remediation names the GUI page that owns the value, or the custom file FreePBX leaves
alone and reads after the generated one (:mod:`freepbx_layout`), never a generated file.  The
fixes themselves are catalogue data (:mod:`compliance_registry`); this module applies them."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import CATALOGUE
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import read_ami_user
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import (
    FREEPBX_FILES,
    FREEPBX_GENERATED,
)

# control ID -> (GUI setting or None, ((custom file, what to write there), ...)), for the controls
# the catalogue gives a FreePBX fix (compliance_registry: Control.freepbx).  Every file named is
# one FreePBX leaves alone (a unit test checks it against freepbx_layout.LAYOUT).
FIXES = dict((control.id, (control.freepbx.gui, control.freepbx.customs))
             for control in CATALOGUE if control.freepbx is not None)


class FreePBX:
    """What the audit knows of the FreePBX installation of a host."""

    def __init__(self, evidence, ami_user, ami_user_source):
        self.evidence = evidence
        self.ami_user = ami_user
        self.ami_user_source = ami_user_source

    def as_dict(self):
        return dict(evidence=self.evidence, ami_user=self.ami_user,
                    ami_user_source=self.ami_user_source)


def detect(config_dir, files=None):
    """A :class:`FreePBX` when FreePBX manages the host (its settings files, or its generated
    files in ``config_dir``), else None."""
    files = FREEPBX_FILES if files is None else files
    evidence = [path for path in files if os.path.exists(path)]
    evidence += [os.path.join(config_dir, name) for name in FREEPBX_GENERATED
                 if os.path.exists(os.path.join(config_dir, name))]
    if not evidence:
        return None
    user, source = read_ami_user(files)
    return FreePBX(evidence, user, source)


def remediation(control_id, default):
    """The remediation of a control on a FreePBX host: the GUI setting and/or the custom file
    that wins; ``default`` (plain Asterisk) when FreePBX does not own what the control needs."""
    if control_id not in FIXES:
        return default
    gui, customs = FIXES[control_id]
    parts = ["FreePBX GUI: %s." % gui] if gui else []
    if customs:
        files = ["%s in %s" % (what, custom) for custom, what in customs]
        parts.append("%s %s (custom files FreePBX includes after its generated ones and never "
                     "rewrites, so the change survives fwconsole reload)." % (
                         "Or" if gui else "Set", "; ".join(files)))
    return " ".join(parts)
