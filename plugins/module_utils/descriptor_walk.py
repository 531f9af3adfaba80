# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Walk and change a directory tree that someone else may be changing at the same time.

The modules that change files on a PBX (``asterisk_config``, ``asterisk_voicemail``,
``asterisk_file_modes``, ``pbx_erase``) act on trees the ``asterisk`` user owns. Acting by path
lets that user swap a directory or a file for a symbolic link between the moment the module
looks and the moment it acts, and so aim the action (a write, a chmod, a removal) at any file
of the host. Here every directory is opened with ``O_DIRECTORY | O_NOFOLLOW`` relative to the
descriptor of its parent, and every action names its entry relative to the descriptor of the
directory it sits in: a link swapped in anywhere makes the open fail (``ELOOP``/``ENOTDIR``)
instead of leading outside, and a directory swapped for another one is noticed because its
device and inode differ from what was listed.

Only the directory the walk starts from is opened by path: its ancestors must be trusted
(owned by root, as ``/etc`` and ``/var/lib`` are).
"""

from __future__ import annotations

import errno
import os
import stat

DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# Opening an entry to act on it: never through a link, never blocking on a FIFO, never making
# a terminal the controlling one.
ENTRY_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


class Entry:
    """One entry of a tree: its ``path`` (for messages and results), its ``name`` in the
    directory open at ``parent_fd`` (for acting on it) and its ``info`` (``lstat``) when it was
    listed. ``parent_fd`` stays open until the walk moves past the entry."""

    __slots__ = ("path", "name", "parent_fd", "info")

    def __init__(self, path, name, parent_fd, info):
        self.path = path
        self.name = name
        self.parent_fd = parent_fd
        self.info = info


def same_file(first, second):
    """Whether two ``stat`` results are of the same file (device and inode)."""
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def open_directory(path):
    """A descriptor of the directory ``path``; fails (``ELOOP``) when ``path`` is a link."""
    return os.open(path, DIRECTORY_FLAGS)


def open_parent(path):
    """``(descriptor of the directory holding path, path's last component)``."""
    parent, name = os.path.split(os.path.normpath(path))
    return open_directory(parent or os.curdir), name


def open_entry(entry, flags):
    """A descriptor of ``entry`` opened with ``flags`` (plus :data:`ENTRY_FLAGS`), or None when
    the name no longer holds the file that was listed (replaced by a link or another file)."""
    return _open_listed(entry, flags | ENTRY_FLAGS, (errno.ELOOP, errno.ENOENT))


def _open_subdirectory(entry):
    """A descriptor of the directory ``entry`` was listed as, or None when it was replaced."""
    return _open_listed(entry, DIRECTORY_FLAGS, (errno.ELOOP, errno.ENOENT, errno.ENOTDIR))


def _open_listed(entry, flags, replaced):
    """A descriptor of ``entry`` opened with ``flags`` relative to its parent, or None when the
    open fails with an errno of ``replaced`` or opens another file than the one listed."""
    try:
        fd = os.open(entry.name, flags, dir_fd=entry.parent_fd)
    except OSError as error:
        if error.errno in replaced:
            return None
        raise
    if same_file(os.fstat(fd), entry.info):
        return fd
    os.close(fd)
    return None


def _listing(fd, path):
    """The entries of the directory open at ``fd``, by name, each with its ``lstat``."""
    for name in sorted(os.listdir(fd)):
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:       # removed since listed
            continue
        yield Entry(os.path.join(path, name), name, fd, info)


def walk(top_fd, top_path, bottom_up=False):
    """Every entry below the directory open at ``top_fd`` (named ``top_path``), depth first,
    names sorted; a directory comes before its contents, or after them with ``bottom_up``.

    Links are listed, never followed. A directory that is replaced between listing and
    descending is listed but not entered. ``top_fd`` stays the caller's to close.
    """
    levels = [(top_fd, _listing(top_fd, top_path), None)]
    try:
        while levels:
            fd, listing, directory = levels[-1]
            for entry in listing:
                if not stat.S_ISDIR(entry.info.st_mode):
                    yield entry
                    continue
                if not bottom_up:
                    yield entry
                sub_fd = _open_subdirectory(entry)
                if sub_fd is not None:
                    levels.append((sub_fd, _listing(sub_fd, entry.path), entry))
                    break
                if bottom_up:
                    yield entry
            else:
                levels.pop()
                if directory is not None:
                    os.close(fd)
                    if bottom_up:
                        yield directory
    finally:
        for fd, dummy, directory in levels:
            if directory is not None:
                os.close(fd)
