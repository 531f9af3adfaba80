# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-FS-001's rule for Asterisk's configuration and keys, shared by the audit and the module
that applies it: a directory or file is closed when none of its *closed bits* is set, and closing
it only clears those bits (a mode is never opened).  Symbolic links are never followed: the tree
is walked with directory descriptors and each change is made on a descriptor opened with
``O_NOFOLLOW`` (see ``descriptor_walk``), so a link swapped in while the module runs is left
alone instead of leading to a file outside the tree.  :func:`close_trees` applies it to the
configuration and keys directories for the modules ``asterisk_file_modes`` and
``manager_harden``."""

from __future__ import annotations

import grp
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


class FileModesError(Exception):
    """PBX-FS-001 could not go on; ``changes`` holds what was changed before."""

    def __init__(self, msg, changes=()):
        super().__init__(msg)
        self.changes = list(changes)


def _group_name(gid):
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _change(entry, mode, bits, group):
    """The ``changes`` entry of one directory or file."""
    return dict(path=entry.path, mode_before="%04o" % mode, mode="%04o" % (mode & ~bits),
                group_before=_group_name(entry.info.st_gid), group=group)


def _close_tree(root, file_bits, gid, group, check_mode, warn, changes):
    """Close the tree at ``root`` (outside check mode), adding to ``changes``.

    Each entry is changed while the walk holds its directory open, on a descriptor opened
    without following links: an entry replaced since it was listed is left alone, with a
    warning."""
    for entry, mode, bits in due(root, file_bits, gid):
        if not check_mode:
            try:
                closed = close(entry, bits, gid)
            except OSError as error:
                raise FileModesError("PBX-FS-001: cannot change %s: %s"
                                     % (entry.path, error.strerror), changes) from error
            if not closed:
                warn("PBX-FS-001: %s was replaced while the module ran and is left alone"
                     % entry.path)
                continue
        changes.append(_change(entry, mode, bits, group))


def close_trees(config_dir, keys_dir, group, check_mode, warn):
    """PBX-FS-001 on Asterisk's configuration (``config_dir``) and keys (``keys_dir``): ``(changes,
    left_alone)``, each directory or file whose mode or group changed (in check mode, would
    change), and the roots left alone with why.  A root that is a symbolic link is left alone,
    with a warning through ``warn``.

    :raises FileModesError: ``group`` does not exist, or a tree cannot be walked or changed."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise FileModesError("PBX-FS-001: group %s does not exist on this host; set the group "
                             "Asterisk runs as (rungroup)" % group) from None
    changes, left_alone = [], []
    for root, file_bits in ((config_dir, CONFIG_FILE_CLOSED_BITS), (keys_dir, KEY_FILE_CLOSED_BITS)):
        if os.path.islink(root):
            warn("PBX-FS-001: %s is a symbolic link to %s and is left alone; point the option at "
                 "the real directory" % (root, os.path.realpath(root)))
            left_alone.append(dict(path=root, reason="symbolic link"))
        elif not os.path.isdir(root):
            left_alone.append(dict(path=root, reason="does not exist"))
        else:
            try:
                _close_tree(root, file_bits, gid, group, check_mode, warn, changes)
            except OSError as error:
                raise FileModesError("PBX-FS-001: cannot walk %s: %s" % (root, error.strerror),
                                     changes) from error
    return changes, left_alone


def modes_diff(changes):
    """The diff of ``changes``: one ``path mode group`` line per entry, before and after."""
    def lines(mode_key, group_key):
        return "".join("%s %s %s\n" % (c["path"], c[mode_key], c[group_key]) for c in changes)

    return dict(before_header="modes and groups", after_header="modes and groups",
                before=lines("mode_before", "group_before"), after=lines("mode", "group"))
