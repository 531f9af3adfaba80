# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading an audit result (``pbx_compliance``, ``pbx_probe``, ``compliance_audit.audit``) in
the tests: its ``controls`` list by control ID."""

from __future__ import annotations


def by_id(result):
    """``{control ID: entry}`` of ``result["controls"]``."""
    return dict((entry["id"], entry) for entry in result["controls"])


def statuses(result, controls):
    """The status of each of ``controls`` (IDs), in their order."""
    entries = by_id(result)
    return [entries[control]["status"] for control in controls]
