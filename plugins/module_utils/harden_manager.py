# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What role manager sets in manager.conf (PBX-AMI-001, PBX-AMI-002) and http.conf
(PBX-HTTP-001), as settings for ``astconf_editor.plan_options``: one list per file, one write.

Both files' ``[general]`` is read as manager.c and http.c read it (the first non-template
``[general]``, the last assignment of an option wins).  The values come from the control
catalogue (compliance_registry) where it has them; ``enabled=no`` (a service switched off) is
the one value the catalogue leaves to the operator's choice."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import Setting
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import wanted_value
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_manager_acl import (
    CONTROL as ACL_CONTROL,
    acl_edits,
)

AMI_CONTROLS = ("PBX-AMI-001", "PBX-AMI-002")
HTTP_CONTROL = "PBX-HTTP-001"
SWITCHED_OFF = "no"


def general_flags(cfg):
    """``(enabled, tls_enabled)`` of a service's ``[general]``, as ``ast_true()`` reads them."""
    general = cfg.first("general")
    if general is None:
        return False, False
    return ast_true(general.get("enabled")), ast_true(general.get("tlsenable"))


def _bind(control, file_name, tls_on):
    """``bindaddr`` (and ``tlsbindaddr`` when TLS is on) at the catalogue's value."""
    options = ("bindaddr", "tlsbindaddr") if tls_on else ("bindaddr",)
    return [(control, option, wanted_value(control, "bindaddr", file_name))
            for option in options]


def ami_general(cfg, disable):
    """PBX-AMI-001's ``[general]`` options: ``enabled=no``, or when AMI is on ``bindaddr`` (and
    ``tlsbindaddr`` with AMI over TLS) at 127.0.0.1; nothing when AMI is off already."""
    if disable:
        return [("PBX-AMI-001", "enabled", SWITCHED_OFF)]
    enabled, tls_on = general_flags(cfg)
    return _bind("PBX-AMI-001", "manager.conf", tls_on) if enabled else []


def http_general(cfg, http_enabled):
    """PBX-HTTP-001's ``[general]`` options: ``enabled=no``, or ``bindaddr`` (and ``tlsbindaddr``
    with HTTPS) at 127.0.0.1; the blank ``servername`` either way."""
    _enabled, tls_on = general_flags(cfg)
    options = _bind(HTTP_CONTROL, "http.conf", tls_on) if http_enabled \
        else [(HTTP_CONTROL, "enabled", SWITCHED_OFF)]
    return options + [(HTTP_CONTROL, "servername",
                       wanted_value(HTTP_CONTROL, "servername", "http.conf"))]


def manager_settings(cfg, disable, acl_plan, controls, general_file=None):
    """manager.conf's settings in the order they are written: PBX-AMI-001's ``[general]``
    options (to ``general_file`` where a new line must go elsewhere, FreePBX's custom file),
    then PBX-AMI-002's ACL edits; only those of ``controls``."""
    settings = [Setting(control, "general", option, value, override_file=general_file)
                for control, option, value in ami_general(cfg, disable)]
    settings += [Setting(ACL_CONTROL, section, option, value, state=state, multiple=True)
                 for section, option, value, state in acl_edits(acl_plan)]
    return [setting for setting in settings if setting.control in controls]


def http_settings(cfg, http_enabled, controls):
    """http.conf's ``[general]`` settings of PBX-HTTP-001, when ``controls`` has it."""
    return [Setting(control, "general", option, value)
            for control, option, value in http_general(cfg, http_enabled)
            if control in controls]
