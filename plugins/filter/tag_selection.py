# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which items of a task that serves several controls ``--tags`` and ``--skip-tags`` select,
so that one task per file keeps per-control tags working."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def tag_selected(items, run_tags, skip_tags, area_tags=()):
    """The items (dicts with a ``control`` key) whose control a task tagged with it and
    ``area_tags`` would run for: as Ansible selects tasks, ``all`` and ``tagged`` select every
    tagged task, and a skipped tag wins over a selected one."""
    if not isinstance(items, list) or not all(isinstance(i, dict) and "control" in i
                                              for i in items):
        raise AnsibleFilterError("tag_selected: expected a list of dicts with a control key")
    run, skip = set(run_tags or ("all",)), set(skip_tags or ())
    selected = []
    for item in items:
        tags = {item["control"], "tagged"} | set(area_tags)
        if (run & (tags | {"all"})) and not skip & tags:
            selected.append(item)
    return selected


class FilterModule:
    """Tag selection inside a task."""

    def filters(self):
        return {"tag_selected": tag_selected}
