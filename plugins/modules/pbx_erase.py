#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_erase
short_description: Overwrite and remove a PBX's secrets and personal data (PBX-DEC-001)
version_added: 0.1.0
description:
  - Erases the files and directory trees in O(paths) - every regular file is overwritten with
    zeros, synced to disk and removed, then links, other special files and the emptied
    directories are removed - and drops the MariaDB/MySQL databases in O(databases).
  - Reports per path how many files and bytes it held, and per database how many tables and
    bytes, never a file's content or name below the path. In check mode it only counts.
  - Symbolic links below a path are removed, never followed. A file with more than one hard link
    is removed without being overwritten, since its data also belongs to its other names. A path
    that is itself a link is erased where it points, then the link is removed. A path that is a
    mount point is emptied and kept.
  - Each tree is walked with directory descriptors, every directory opened with C(O_NOFOLLOW)
    relative to its parent and every file overwritten through a descriptor opened the same way.
    A directory or file that is swapped for a link while the module runs is never followed - the
    link is removed, or the module fails naming the entry; nothing outside the path is touched.
  - The databases are dropped through the C(mysql) (or C(mariadb)) client as the module's user
    (root reaches a local MariaDB through its socket). Without a client O(databases) is skipped;
    with one, a server that cannot be asked fails the module before anything is erased.
  - Stop Asterisk first - a running Asterisk writes its logs, spool and astdb again.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  paths:
    description:
      - Absolute files or directories to erase. Missing ones are reported with RV(paths[].present=false).
      - Refused, before anything is erased or dropped - an empty path; a relative one; one with
        an empty component (C(//), a trailing C(/)), a C(.) or a C(..) component, which is what a
        template that renders empty leaves; one that is, or resolves through links to, C(/) or a
        directory directly below it (but C(/tftpboot)), a system directory or one of its
        ancestors (C(/etc), C(/var/lib), C(/var/spool), C(/home), C(/opt)...), or anything at or
        below an operating system tree (C(/usr), C(/boot), C(/var/lib/dpkg), C(/etc/ssh)...).
    type: list
    elements: path
    required: true
  databases:
    description:
      - Databases to drop when a C(mysql)/C(mariadb) client is installed.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
attributes:
  check_mode:
    details: Counts what would be erased and changes nothing.
notes:
  - Overwriting in place reaches the disk only where the file system writes in place (ext4 and
    XFS data blocks). Copy-on-write file systems (btrfs, ZFS), snapshots, container image layers,
    SSD wear levelling and backups keep old copies; wipe or crypto-erase the volume for those.
  - C(DROP DATABASE) removes the tables' files without overwriting them, and InnoDB's redo and
    undo logs may keep recent rows until they are reused.
seealso:
  - name: The decommission playbook
    description: C(pbxsec.hardening.decommission) stops Asterisk, runs this module and writes the erasure record.
    link: https://github.com/pbxsec/hardening/blob/main/docs/decommission.md
"""

EXAMPLES = r"""
- name: PBX-DEC-001 | Erase Asterisk's and FreePBX's data
  pbxsec.hardening.pbx_erase:
    paths:
      - /etc/asterisk
      - /var/lib/asterisk
      - /var/spool/asterisk
      - /var/log/asterisk
      - /etc/freepbx.conf
    databases: [asterisk, asteriskcdrdb]
  register: pbx_discovered_erasure
"""

RETURN = r"""
paths:
  description: One entry per O(paths) item, in order.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path as given.
      type: str
      sample: /var/spool/asterisk
    present:
      description: Whether the path existed.
      type: bool
      sample: true
    files:
      description: Regular files overwritten and removed (to be, in check mode).
      type: int
      sample: 42
    bytes:
      description: Their total size.
      type: int
      sample: 1048576
    directories:
      description: Directories removed, the path itself included (unless it is a mount point).
      type: int
      sample: 7
    others:
      description: Symbolic links and other special files removed.
      type: int
      sample: 3
  sample:
    - {path: /etc/asterisk, present: true, files: 120, bytes: 812345, directories: 2, others: 0}
databases:
  description: One entry per O(databases) item found on the server (none without a client).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The database.
      type: str
      sample: asteriskcdrdb
    tables:
      description: Its tables.
      type: int
      sample: 1
    bytes:
      description: Data and index size of its tables, as the server reports it.
      type: int
      sample: 16384
  sample:
    - {name: asterisk, tables: 2, bytes: 32768}
database_client:
  description: The client used for O(databases), or null when none is installed.
  returned: always
  type: str
  sample: /usr/bin/mysql
"""

import errno
import os
import re
import stat

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.descriptor_walk import (
    Entry,
    open_entry,
    open_parent,
    walk,
)

CHUNK = 1024 * 1024
DATABASE_NAME = re.compile(r"^[A-Za-z0-9_$]+$")
# Trees of the operating system: nothing at or below them is ever erased.
SYSTEM_TREES = (
    "/bin", "/boot", "/dev", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin",
    "/sys", "/usr",
    "/var/lib/apt", "/var/lib/dnf", "/var/lib/dpkg", "/var/lib/rpm", "/var/lib/systemd",
    "/var/lib/yum",
    "/etc/group", "/etc/gshadow", "/etc/pam.d", "/etc/passwd", "/etc/security", "/etc/shadow",
    "/etc/ssh", "/etc/sudoers", "/etc/sudoers.d", "/etc/systemd",
)
# Directories that hold other software's data: what is below them may be erased, never the
# directory itself or anything above it.
SYSTEM_DIRECTORIES = (
    "/etc", "/home", "/media", "/mnt", "/opt", "/root", "/srv", "/tmp",
    "/var/backups", "/var/cache", "/var/lib", "/var/local", "/var/log", "/var/mail",
    "/var/opt", "/var/spool", "/var/tmp", "/var/www", "/var/www/html",
)


def _at_or_below(path, tree):
    return path == tree or path.startswith(tree + "/")


# Directly below / only these may be erased (FreePBX's phone provisioning).
TOP_LEVEL_DATA = ("/tftpboot",)


def _protected(path):
    """Why the absolute, normalised ``path`` belongs to the system, or None."""
    if path.count("/") < 2 and not any(_at_or_below(path, top) for top in TOP_LEVEL_DATA):
        return "it is / or a directory directly below it"
    for tree in SYSTEM_TREES:
        if _at_or_below(path, tree):
            return "it lies in %s, which belongs to the operating system" % tree
    for directory in SYSTEM_DIRECTORIES:
        if _at_or_below(directory, path):
            return "it is or holds the system directory %s" % directory
    return None


def refusal(path):
    """Why ``path`` (an item of O(paths)) must not be erased, or None.

    Refused: an empty path, a relative one, one with an empty (``//``, a trailing ``/``), ``.``
    or ``..`` component - what a template that renders empty leaves - and one that is, or
    resolves (through links) to, a system location (see :func:`_protected`).
    """
    if not path:
        return "the path is empty (a template that rendered empty?)"
    if not os.path.isabs(path):
        return "paths must be absolute"
    components = path.split("/")[1:]
    if "" in components:
        return "it has an empty component ('//' or a trailing '/'; a template that rendered empty?)"
    if "." in components or ".." in components:
        return "it has a '.' or '..' component"
    resolved = os.path.realpath(path)
    why = _protected(path)
    if why is None and resolved != path:
        why = _protected(resolved)
        if why is not None:
            why = "it resolves to %s: %s" % (resolved, why)
    return why


def _tally(counts, info):
    if stat.S_ISREG(info.st_mode):
        counts["files"] += 1
        counts["bytes"] += info.st_size
    elif stat.S_ISDIR(info.st_mode):
        counts["directories"] += 1
    else:
        counts["others"] += 1


def _replaced(entry):
    return OSError(errno.ESTALE, "replaced while it was being erased", entry.path)


def overwrite(entry):
    """Overwrite the regular file ``entry`` with zeros, sync it, remove it.

    The file is opened without following links and must be the one that was listed. A file
    with other hard links is only unlinked: its data belongs to those names too.
    """
    fd = open_entry(entry, os.O_WRONLY)
    if fd is None:
        raise _replaced(entry)
    try:
        info = os.fstat(fd)
        left = info.st_size if info.st_nlink == 1 else 0
        zeros = bytes(CHUNK)
        while left > 0:
            left -= os.write(fd, zeros[:min(left, CHUNK)])
        os.fsync(fd)
    finally:
        os.close(fd)
    os.unlink(entry.name, dir_fd=entry.parent_fd)


def remove(entry, erase):
    """Count ``entry`` and (with ``erase``) remove it: a regular file is overwritten first, a
    directory (already emptied) is removed unless it is a mount point, anything else is
    unlinked. Returns the counts of what is (or would be) removed."""
    counts = dict(files=0, bytes=0, directories=0, others=0)
    if stat.S_ISDIR(entry.info.st_mode):
        if entry.info.st_dev != os.fstat(entry.parent_fd).st_dev:
            return counts                           # a mount point: emptied and kept
        if erase:
            os.rmdir(entry.name, dir_fd=entry.parent_fd)
    elif stat.S_ISREG(entry.info.st_mode) and erase:
        overwrite(entry)
    elif erase:
        os.unlink(entry.name, dir_fd=entry.parent_fd)
    _tally(counts, entry.info)
    return counts


def _add(total, counts):
    for key, value in counts.items():
        total[key] += value


def erase(target, erase_it):
    """Erase (or only count, without ``erase_it``) the file or tree at ``target``, deepest
    entries first, walking with directory descriptors and never following a link."""
    counts = dict(files=0, bytes=0, directories=0, others=0)
    parent_fd, name = open_parent(target)
    try:
        top = Entry(target, name, parent_fd, os.stat(name, dir_fd=parent_fd, follow_symlinks=False))
        if stat.S_ISDIR(top.info.st_mode):
            top_fd = open_entry(top, os.O_RDONLY | os.O_DIRECTORY)
            if top_fd is None:
                raise _replaced(top)
            try:
                for entry in walk(top_fd, target, bottom_up=True):
                    _add(counts, remove(entry, erase_it))
            finally:
                os.close(top_fd)
        _add(counts, remove(top, erase_it))
    finally:
        os.close(parent_fd)
    return counts


def targets(path):
    """The entries erasing ``path`` touches: its link's target first, then the path itself."""
    if os.path.islink(path):
        return [os.path.realpath(path), path]
    return [path]


def erase_path(module, path):
    """Survey (and outside check mode erase) one item of ``paths``."""
    result = dict(path=path, present=os.path.lexists(path), files=0, bytes=0, directories=0,
                  others=0)
    if not result["present"]:
        return result
    for target in targets(path):
        if not os.path.lexists(target):
            continue
        try:
            _add(result, erase(target, not module.check_mode))
        except OSError as exc:
            module.fail_json(msg="erasing %s stopped at %s: %s" % (
                path, exc.filename or target, exc.strerror), paths=[result])
    return result


def mysql(module, client, query):
    """Run one statement through the client; rows as lists of strings."""
    rc, out, err = module.run_command([client, "--batch", "--skip-column-names", "-e", query])
    if rc != 0:
        module.fail_json(msg="%s could not ask the database server (%s); start MariaDB, or set "
                             "databases to [] and drop them by hand" % (client, err.strip()))
    return [line.split("\t") for line in out.splitlines()]


def survey_databases(module, client, names):
    """The databases of ``names`` the server has, with their table count and size."""
    quoted = ", ".join("'%s'" % name for name in names)
    rows = mysql(module, client,
                 "SELECT s.schema_name, COUNT(t.table_name), "
                 "COALESCE(SUM(t.data_length + t.index_length), 0) "
                 "FROM information_schema.schemata s LEFT JOIN information_schema.tables t "
                 "ON t.table_schema = s.schema_name "
                 "WHERE s.schema_name IN (%s) GROUP BY s.schema_name" % quoted)
    found = {row[0]: dict(name=row[0], tables=int(row[1]), bytes=int(row[2])) for row in rows}
    return [found[name] for name in names if name in found]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type="list", elements="path", required=True),
            databases=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    paths, names = module.params["paths"], module.params["databases"]
    for path in paths:
        why = refusal(path)
        if why:
            module.fail_json(msg="refusing to erase %r, nothing erased: %s" % (path, why))
    for name in names:
        if not DATABASE_NAME.match(name):
            module.fail_json(msg="%r is not a plain database name" % name)

    client = None
    databases = []
    if names:
        client = module.get_bin_path("mysql") or module.get_bin_path("mariadb")
    if client:
        databases = survey_databases(module, client, names)
        if not module.check_mode:
            for database in databases:
                mysql(module, client, "DROP DATABASE `%s`" % database["name"])

    erased = [erase_path(module, path) for path in paths]
    module.exit_json(changed=bool(databases) or any(item["present"] for item in erased),
                     paths=erased, databases=databases, database_client=client)


if __name__ == "__main__":
    main()
