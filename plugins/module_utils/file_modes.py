# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-FS-001's rule for Asterisk's configuration and keys, shared by the audit and the module
that applies it: a directory or file is closed when none of its *closed bits* is set, and closing
it only clears those bits (a mode is never opened).  Symbolic links are never followed."""

from __future__ import annotations

import os
import stat

DIRECTORY_CLOSED_BITS = 0o027     # no group write, nothing for others
CONFIG_FILE_CLOSED_BITS = 0o027
KEY_FILE_CLOSED_BITS = 0o077      # private keys: owner only


def walk(root):
    """``(path, lstat)`` of ``root`` and everything below it, in a stable order; symbolic links
    are listed but not followed."""
    yield root, os.lstat(root)
    for base, dirs, names in os.walk(root):
        dirs.sort()
        for name in dirs + sorted(names):
            path = os.path.join(base, name)
            yield path, os.lstat(path)


def closed_bits(info, file_bits):
    """The bits that must be clear on a directory or a file (``file_bits``) with ``lstat``
    ``info``; ``None`` for anything else (links, sockets, devices), which the control leaves
    alone."""
    if stat.S_ISDIR(info.st_mode):
        return DIRECTORY_CLOSED_BITS
    if stat.S_ISREG(info.st_mode):
        return file_bits
    return None


def to_close(root, file_bits, gid):
    """``(path, lstat, mode, bits)`` of each directory and file of the tree at ``root`` that
    PBX-FS-001 must change: ``mode & bits`` is set, or its group is not ``gid`` (not judged when
    ``gid`` is None)."""
    for path, info in walk(root):
        bits = closed_bits(info, file_bits)
        if bits is None:
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & bits or (gid is not None and info.st_gid != gid):
            yield path, info, mode, bits
