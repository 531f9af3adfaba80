# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The rules of a voicemail PIN policy (``astconf_mailboxes.PIN_POLICY_OPTIONS``), for the
    modules with a ``pin_policy`` option. The fragment gives the option its type and
    suboptions; each module gives it its description and default (Ansible merges the two)."""

    DOCUMENTATION = r"""
options:
  pin_policy:
    type: dict
    suboptions:
      min_length:
        description: Fewer characters than this is weak.
        type: int
        default: 6
      forbid_mailbox:
        description: A PIN equal to the mailbox number (or its reverse) is weak.
        type: bool
        default: true
      forbid_sequential:
        description: Ascending or descending runs (V(123456), V(987654)) are weak.
        type: bool
        default: true
      forbid_repeated:
        description: One digit repeated, or a unit of up to three repeated (V(111111), V(121212)), is weak.
        type: bool
        default: true
"""
