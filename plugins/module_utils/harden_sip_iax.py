# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the sip role changes in iax.conf: IAX2 users that need neither secret nor key removed
(PBX-IAX-001; those in a file FreePBX writes again are left to FreePBX and reported), and
``plaintext`` taken out of every ``auth=`` (PBX-IAX-002)."""

from __future__ import annotations

import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import Setting
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_common import (
    HardenError,
)

_PLAINTEXT = re.compile(r"\bplaintext\b", re.IGNORECASE)


def without_plaintext(auth):
    """``auth=`` without its ``plaintext`` word (``md5`` when nothing else is left)."""
    words = [w.strip() for w in str(auth).split(",")]
    return ",".join(w for w in words if w and w.lower() != "plaintext") or "md5"


class IaxPlan:
    """:ivar removed: the guest users the role removes; :ivar left: those FreePBX writes
    (each as ``[name] type=user (path:line)``); :ivar plaintext: objects whose ``auth=``
    accepts plaintext (those removed left out)."""

    def __init__(self, cfg, layout, controls):
        objects = [c for c in cfg.categories if not c.template]
        open_users = []
        if "PBX-IAX-001" in controls:
            open_users = [c for c in objects if c.get("type") in ("user", "friend")
                          and not c.get("secret") and not c.get("inkeys")]
        self.removed = [u for u in open_users if not layout.freepbx_writes(u.path)]
        self.left = ["[%s] type=%s (%s:%d)" % (u.name, u.get("type"), u.path, u.line)
                     for u in open_users if layout.freepbx_writes(u.path)]
        removed_names = set(u.name for u in self.removed)
        self.plaintext = []
        if "PBX-IAX-002" in controls:
            self.plaintext = [c for c in objects if c.get("auth")
                              and _PLAINTEXT.search(c.get("auth"))
                              and c.name not in removed_names]
        problems = []
        for item in open_users + [c for c in self.plaintext if c not in open_users]:
            same = [c for c in objects if c.name == item.name]
            if same[0] is not item or (item in open_users and len(same) > 1):
                problems.append(
                    "iax.conf [%s] (%s:%d) shares its name with another section (%s): an edit or "
                    "removal by name would reach the wrong one or both. Rename one of them."
                    % (item.name, item.path, item.line,
                       ", ".join("%s:%d" % (c.path, c.line) for c in same)))
        if problems:
            raise HardenError(" | ".join(problems))

    def settings(self, layout):
        """PBX-IAX-002's ``auth=`` of each object, a new line where FreePBX leaves it."""
        return [Setting("PBX-IAX-002", c.name, "auth", without_plaintext(c.get("auth")),
                        override_file=layout.general if c.name.lower() == "general"
                        else layout.objects)
                for c in self.plaintext]
