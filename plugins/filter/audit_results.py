# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The findings of a ``pbx_compliance`` result as lines a role's failure message can list."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def control_findings(controls, statuses=("fail",)):
    """``["PBX-PJS-001 anonymous: message", ...]``: one line per finding of the entries of a
    ``pbx_compliance`` ``controls`` list whose status is in ``statuses``, in catalogue order."""
    if not isinstance(controls, list):
        raise AnsibleFilterError("control_findings: expected the controls list of a "
                                 "pbx_compliance result")
    lines = []
    for entry in controls:
        if entry.get("status") not in statuses:
            continue
        for item in entry.get("findings") or ():
            subject = entry["id"] if item.get("object") is None else "%s %s" % (
                entry["id"], item["object"])
            lines.append("%s: %s" % (subject, item.get("message")))
    return lines


class FilterModule:
    """Results of the audit, for role messages."""

    def filters(self):
        return {"control_findings": control_findings}
