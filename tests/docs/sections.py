# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the documentation generators (role_docs.py, control_docs.py) share: replacing the
section between a pair of markers, and writing (or, with ``--check``, naming) the stale files.
Standard library only."""

from __future__ import annotations

import os


def rewrite(current, section, begin, end):
    """``current`` with the text from marker ``begin`` to marker ``end`` replaced by ``section``
    (which carries the markers itself)."""
    start, stop = current.find(begin), current.find(end)
    if start < 0 or stop < start or current.count(begin) != 1 or current.count(end) != 1:
        raise ValueError("needs exactly one %s and, after it, one %s" % (begin, end))
    return current[:start] + section + current[stop + len(end):]


def write_stale(pages, check, tool, root):
    """Write each ``(path, current text, wanted text)`` whose text is stale, unless ``check``;
    print each stale file (relative to ``root``) as ``tool`` and return their list."""
    stale = []
    for path, current, wanted in pages:
        if current == wanted:
            continue
        stale.append(os.path.relpath(path, root))
        if not check:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(wanted)
    for path in stale:
        print("%s: %s %s" % (tool, "stale" if check else "rewrote", path))
    return stale
