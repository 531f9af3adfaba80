# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which controls ``--tags`` and ``--skip-tags`` select, for the tasks that serve several
controls: Ansible skips a task when any one of its tags is skipped, so such a task carries
``always`` (and its area's tag) instead of its controls' IDs and runs for the controls these
filters select."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def tag_selected(items, run_tags, skip_tags, area_tags=()):
    """The items (control IDs, or dicts with a ``control`` key) whose control a task tagged
    with it and ``area_tags`` would run for: as Ansible selects tasks, ``all`` and ``tagged``
    select every tagged task, and a skipped tag wins over a selected one."""
    if not isinstance(items, list) or not all(
            isinstance(i, str) or (isinstance(i, dict) and "control" in i) for i in items):
        raise AnsibleFilterError("tag_selected: expected a list of control IDs or of dicts "
                                 "with a control key")
    run, skip = set(run_tags or ("all",)), set(skip_tags or ())
    selected = []
    for item in items:
        tags = {item if isinstance(item, str) else item["control"], "tagged"} | set(area_tags)
        if (run & (tags | {"all"})) and not skip & tags:
            selected.append(item)
    return selected


def selected_controls(by_area, controls_skip, waivers, run_tags, skip_tags):
    """The control IDs of ``by_area`` (``{area tag: [control ID, ...]}``, a role's controls
    by the tag of their area) that this run enforces: neither in ``controls_skip`` nor waived
    (``waivers``, by ID) and selected by the run's tags as a task tagged with the ID and its
    area's tag would be. In the order of ``by_area``."""
    if not isinstance(by_area, dict) or not all(
            isinstance(ids, list) and all(isinstance(i, str) for i in ids)
            for ids in by_area.values()):
        raise AnsibleFilterError("selected_controls: expected {area tag: [control ID, ...]}")
    off = set(controls_skip or ()) | set(waivers or ())
    selected = []
    for area, ids in by_area.items():
        for control in tag_selected([i for i in ids if i not in off], run_tags, skip_tags, [area]):
            if control not in selected:
                selected.append(control)
    return selected


class FilterModule:
    """Tag selection of controls."""

    def filters(self):
        return {"tag_selected": tag_selected, "selected_controls": selected_controls}
