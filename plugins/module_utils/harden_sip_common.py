# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the sip role's planners share (:mod:`harden_sip`, :mod:`harden_sip_pjsip`,
:mod:`harden_sip_iax`): the operator's inputs checked once, where FreePBX lets an edit land,
the values the control catalogue wants, and one plan out of several plans of one tree."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    EditPlan,
    merged_changes,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    network_problems as list_problems,
)


class HardenError(Exception):
    """The role must stop before anything changes; the message says why and what to do."""


def network_problems(provider, trusted, peering_ip):
    """Every bad entry of the role's network variables, named as the operator wrote them
    (``pbx_trusted_networks '10.1.1.1/8': ...``); an empty ``provider`` list is one too."""
    problems = []
    for name, entries in (("pbx_provider_networks", provider), ("pbx_trusted_networks", trusted),
                          ("pbx_provider_peering_ip", [peering_ip + "/32"] if peering_ip else [])):
        problems += ["%s %s" % (name, problem) for problem in list_problems(entries)]
    if not provider and not problems:
        problems.append("pbx_provider_networks is empty")
    return problems


class Layout:
    """Where edits of one root file may land (FreePBX's ``freepbx_layout``; everywhere on other
    hosts): ``writable`` globs, the ``general`` and ``objects`` override files, and the files
    FreePBX writes again (relative to the configuration directory)."""

    def __init__(self, config_dir, entry=None):
        entry = entry or {}
        self.config_dir = config_dir
        self.writable = entry.get("writable")
        self.general = entry.get("general")
        self.objects = entry.get("objects")
        self.written = entry.get("freepbx_written", [])

    def freepbx_writes(self, path):
        """Whether FreePBX writes ``path`` again (an edit there would be lost)."""
        return os.path.relpath(path, self.config_dir) in self.written


def chain(cfg, plans):
    """One :class:`EditPlan` of tree ``cfg`` out of ``plans`` made one after the other (each on
    the tree the one before left): one :class:`FileChange` per file, bytes before the first plan
    and after the last (:func:`~astconf_editor.merged_changes`)."""
    whole = EditPlan(cfg, None)
    for plan in plans:
        whole.actions.extend(plan.actions)
        whole.new_config = plan.new_config
    whole.changes = merged_changes(plans)
    return whole
