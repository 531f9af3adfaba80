# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-FS-001's rule for Asterisk's configuration and keys, shared by the audit and the module
that applies it: a directory or file is closed when none of its *closed bits* is set, and closing
it only clears those bits (a mode is never opened).  Symbolic links are never followed: the tree
is walked with directory descriptors and each change is made on a descriptor opened with
``O_NOFOLLOW`` (see ``descriptor_walk``), so a link swapped in while the module runs is left
alone instead of leading to a file outside the tree."""

from __future__ import annotations

import os
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.descriptor_walk import (
    Entry,
    open_entry,
    open_parent,
    walk,
)

DIRECTORY_CLOSED_BITS = 0o027     # no group write, nothing for others
CONFIG_FILE_CLOSED_BITS = 0o027
KEY_FILE_CLOSED_BITS = 0o077      # private keys: owner only


def entries(root):
    """:class:`Entry` of ``root`` and of everything below it, a directory before its contents;
    symbolic links are listed but not followed (``root`` included)."""
    parent_fd, name = open_parent(root)
    try:
        top = Entry(root, name, parent_fd, os.stat(name, dir_fd=parent_fd, follow_symlinks=False))
        yield top
        if not stat.S_ISDIR(top.info.st_mode):
            return
        top_fd = open_entry(top, os.O_RDONLY | os.O_DIRECTORY)
        if top_fd is None:          # replaced since it was looked at
            return
        try:
            yield from walk(top_fd, root)
        finally:
            os.close(top_fd)
    finally:
        os.close(parent_fd)


def closed_bits(info, file_bits):
    """The bits that must be clear on a directory or a file (``file_bits``) with ``lstat``
    ``info``; ``None`` for anything else (links, sockets, devices), which the control leaves
    alone."""
    if stat.S_ISDIR(info.st_mode):
        return DIRECTORY_CLOSED_BITS
    if stat.S_ISREG(info.st_mode):
        return file_bits
    return None


def due(root, file_bits, gid):
    """``(entry, mode, bits)`` of each directory and file of the tree at ``root`` that PBX-FS-001
    must change: ``mode & bits`` is set, or its group is not ``gid`` (not judged when ``gid`` is
    None). Each entry can be changed with :func:`close` until the walk moves on."""
    for entry in entries(root):
        bits = closed_bits(entry.info, file_bits)
        if bits is None:
            continue
        mode = stat.S_IMODE(entry.info.st_mode)
        if mode & bits or (gid is not None and entry.info.st_gid != gid):
            yield entry, mode, bits


def to_close(root, file_bits, gid):
    """``(path, lstat, mode, bits)`` of what :func:`due` finds, for the audit."""
    for entry, mode, bits in due(root, file_bits, gid):
        yield entry.path, entry.info, mode, bits


def close(entry, bits, gid):
    """Clear ``bits`` of ``entry`` and give it the group ``gid``, on a descriptor opened without
    following links. Returns False (and changes nothing) when the entry's name no longer holds
    the file that was walked."""
    fd = open_entry(entry, os.O_RDONLY)
    if fd is None:
        return False
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode) & ~bits
        os.fchown(fd, -1, gid)      # clears set-id bits; the fchmod below puts them back
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return True
