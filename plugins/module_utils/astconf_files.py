# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How the editing modules report a loaded tree and write a planned change to disk.

Shared by ``asterisk_config`` and ``asterisk_voicemail``: the checks and warnings about the tree
as Asterisk would read it, the diff entry of one changed file, and the write path - refuse when
a file changed while the module was planning, back files up, then write each file atomically,
keeping its owner, group and mode.

A *change* is what the engine's planners return for one file: ``key`` (the absolute path),
``path`` (the name to show), ``before`` (old bytes, None for a new file), ``after`` (new bytes)
and ``created``.
"""

from __future__ import annotations

import os
import tempfile

from ansible.module_utils.common.text.converters import to_native

MAX_WARNINGS = 50


def refuse_errors(module, cfg, strict):
    """With ``strict``, fail (nothing written) on the first error Asterisk would log in ``cfg``."""
    if not strict or not cfg.errors:
        return
    first = cfg.errors[0]
    module.fail_json(msg="%s (Asterisk would drop the rest of that file; nothing written; "
                     "strict=false accepts it)" % first,
                     error_path=first.path, error_line=first.line,
                     errors=[str(error) for error in cfg.errors])


def warn_about_tree(module, cfg):
    """Warn about what Asterisk would log (at most MAX_WARNINGS lines) and about ``#exec`` lines.

    Returns the ``path:line`` of every ``#exec`` line, for the module's ``exec_directives``.
    """
    for number, diagnostic in enumerate(cfg.diagnostics):
        if number == MAX_WARNINGS:
            module.warn("... and %d more Asterisk warnings" % (len(cfg.diagnostics) - number))
            break
        module.warn("Asterisk would log: %s" % diagnostic)
    exec_directives = ["%s:%d" % (s.path, s.line) for s in cfg.exec_directives]
    if exec_directives:
        module.warn("#exec lines are not evaluated (Asterisk runs them only with execincludes=yes "
                    "in asterisk.conf): %s" % ", ".join(exec_directives))
    return exec_directives


def diff_entry(change, before, after):
    """The ``diff`` entry of one changed file, given the (already masked) texts to show."""
    return dict(before=before, after=after,
                before_header=change.path if not change.created
                else "%s (absent)" % change.path,
                after_header=change.path)


def refuse_if_changed(module, changes):
    """Fail (nothing written) when a file no longer holds what the plan was made from."""
    for change in changes:
        current = None
        if os.path.exists(change.key):
            with open(change.key, "rb") as handle:
                current = handle.read()
        if current != change.before:
            module.fail_json(msg="%s changed while the module was planning; nothing written"
                             % change.path)


def write_file(module, change, prefix, template_path=None):
    """Write one file atomically, keeping its owner, group and mode.

    The temporary file (named ``prefix`` plus random characters) sits in the same directory.
    A created file gets the owner, group and mode of ``template_path`` when that is given and
    exists (``atomic_move`` would give it default permissions).
    """
    directory = os.path.dirname(change.key)
    handle, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(change.after)
        module.atomic_move(tmp, change.key)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    if change.created and template_path is not None and os.path.exists(template_path):
        info = os.stat(template_path)
        try:
            os.chown(change.key, info.st_uid, info.st_gid)
        except OSError:
            pass
        os.chmod(change.key, info.st_mode & 0o7777)


def write_changes(module, changes, backup, prefix, template_path=None):
    """Write every change of a plan (see :func:`write_file`), after :func:`refuse_if_changed`.

    With ``backup``, each existing file is backed up first. Returns the backup files made; a
    failed write fails the module, naming the backups made so far.
    """
    refuse_if_changed(module, changes)
    backup_files = []
    for change in changes:
        if backup and not change.created:
            backup_files.append(module.backup_local(change.key))
        try:
            write_file(module, change, prefix, template_path)
        except (IOError, OSError) as exc:
            module.fail_json(msg="cannot write %s: %s" % (change.path, to_native(exc)),
                             backup_files=backup_files)
    return backup_files
