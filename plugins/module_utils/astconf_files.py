# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How the editing modules report a loaded tree and write a planned change to disk.

Shared by ``asterisk_config`` and ``asterisk_voicemail``: the checks and warnings about the tree
as Asterisk would read it, the diff entry of one changed file, and the write path - refuse a
file outside the writable set, refuse when a file changed while the module was planning, back
files up, then write each file atomically, keeping its owner, group and mode (or giving it
those the change carries).

A *change* is what the engine's planners return for one file: ``key`` (its real path, every link
resolved when the tree was loaded), ``path`` (the name to show), ``before`` (old bytes, None for
a new file), ``after`` (new bytes) and ``created``.

The *writable set* is the configuration directory given to the module - its ``config_dir``
option, else the directory of its ``path`` option, as ``load_config`` takes them - resolved with
``realpath``: every file whose real path lies below it. A link inside the configuration whose
target resolves inside that directory is written where it points; one whose target resolves
outside it (``sip_general_custom.conf -> /root/notes``) is never written, and the module fails
before it shows a diff (:func:`refuse_outside`), because the diff would print the outside file.

Reading is another matter: Asterisk reads a file that an ``#include`` names outside the
configuration directory, so the loader reads it too, to judge the tree as Asterisk does. Its
contents reach no output of these modules: only a change is ever shown, and a change to such a
file is refused.

Writes never follow a link that could be swapped in after the tree was loaded: the writable
directory is opened with ``O_DIRECTORY | O_NOFOLLOW``, each directory below it relative to its
parent's descriptor the same way, and the file is read, backed up, created (as a temporary file)
and renamed over the old one relative to the descriptor of its directory; its owner and mode are
set on the temporary file's descriptor.

The files of one module call are written in two phases (:func:`write_all`): every new file is
first written in full beside the one it replaces (backups made, owner, mode and SELinux context
set); only when all are, each is renamed into place. A write that fails (a full disk, an owner
this user may not give) therefore leaves every file as it was, its temporary files and backups
removed. Two trees of one call may not change the same file (:func:`apply_plans`): each plan was
made from the file's old bytes, and the later write would undo the earlier one.

File names need not be UTF-8 (Asterisk reads any): every path a message, warning or diff header
shows is :func:`~astconf_bytes.shown` (``\\xNN`` for such a byte), so that results stay valid
UTF-8.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import time

from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable, shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    file_kind,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_redact import redact
from ansible_collections.pbxsec.hardening.plugins.module_utils.descriptor_walk import (
    DIRECTORY_FLAGS,
    ENTRY_FLAGS,
    open_directory,
)

MAX_WARNINGS = 50


# The options of every module that edits a tree (doc fragment config_tree.edit): a backup of each
# file it replaces (apply_plans), and whether it refuses a tree Asterisk would log errors for
# (refuse_errors).
EDIT_OPTIONS = dict(
    backup=dict(type="bool", default=False),
    strict=dict(type="bool", default=True),
)


def fail_on_config_error(module, exc):
    """Fail ``module`` (nothing written) on ``exc``, an AsteriskConfigError: a tree Asterisk
    would refuse, named by its message, file and line, every byte of them shown printable."""
    module.fail_json(**printable(dict(msg=to_native(exc), error_path=exc.path,
                                      error_line=exc.line)))


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
    path = shown(change.path)
    return dict(before=before, after=after,
                before_header=path if not change.created else "%s (absent)" % path,
                after_header=path)


class Outside(Exception):
    """A change whose file does not lie in the writable set (the message says where it is)."""


def writable_dir(module):
    """The real path of the configuration directory given to ``module`` (see the top)."""
    params = module.params
    return os.path.realpath(params["config_dir"] or os.path.dirname(os.path.abspath(params["path"])))


def _parts_below(root, key):
    """The components of ``key`` below the directory ``root``; raises :class:`Outside`."""
    relative = os.path.relpath(key, root)
    parts = relative.split(os.sep)
    if relative == os.curdir or parts[0] == os.pardir:
        raise Outside("it resolves to %s, outside the configuration directory %s"
                      % (shown(key), shown(root)))
    return parts


def refuse_outside(module, changes):
    """Fail (nothing written, nothing shown) when a change's file lies outside the writable set.

    Call it before building the diffs: a file outside the set must never be printed.
    """
    root = writable_dir(module)
    for change in changes:
        try:
            _parts_below(root, change.key)
        except Outside as exc:
            module.fail_json(msg="refusing to write %s: %s; nothing written"
                             % (shown(change.path), exc))


class _Place:
    """Where one change goes: the descriptor of its directory (opened without following a link
    from the writable directory down) and its name there."""

    def __init__(self, root, key):
        parts = _parts_below(root, key)
        self.directory = os.path.join(root, *parts[:-1])
        self.name = parts[-1]
        self.fd = open_directory(root)
        try:
            for part in parts[:-1]:
                below = os.open(part, DIRECTORY_FLAGS, dir_fd=self.fd)
                os.close(self.fd)
                self.fd = below
        except OSError:
            os.close(self.fd)
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        os.close(self.fd)

    def open(self, name, flags, mode=0o600):
        return os.open(name, flags | ENTRY_FLAGS, mode, dir_fd=self.fd)

    def stat(self):
        """The file's ``lstat``, None when it does not exist; refuses anything but a file."""
        try:
            info = os.stat(self.name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (replaced since it was read?)",
                          os.path.join(self.directory, self.name))
        return info

    def read(self):
        """The file's bytes, None when it does not exist (or is not a regular file any more)."""
        try:
            fd = self.open(self.name, os.O_RDONLY)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None
            raise
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return handle.read()

    def create(self, prefix, data, attributes, exact=False):
        """A new file named ``prefix`` plus random characters holding ``data``, with
        ``attributes`` (uid, gid, mode; uid and gid None to keep the creator's; an owner this
        user may not give is left the creator's, unless ``exact``: then that fails); its name."""
        name = prefix + secrets.token_hex(8)
        fd = self.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                uid, gid, mode = attributes
                if uid is not None:
                    _give_owner(out.fileno(), uid, gid, exact)
                os.fchmod(out.fileno(), mode)
                os.fsync(out.fileno())
        except BaseException:
            os.unlink(name, dir_fd=self.fd)
            raise
        return name

    def replace(self, name):
        os.replace(name, self.name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def remove(self, name):
        """Remove ``name`` (a temporary file or backup this call made) from this directory."""
        try:
            os.unlink(name, dir_fd=self.fd)
        except FileNotFoundError:
            pass

    def proc_path(self, name):
        """A path to ``name`` in this directory that does not depend on the directory's path."""
        return "/proc/self/fd/%d/%s" % (self.fd, name)


def _give_owner(fd, uid, gid, exact):
    try:
        os.fchown(fd, uid, gid)
    except PermissionError:       # not root: the file stays the module user's, unless exact
        if exact:
            raise


def _umask():
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _attributes(place, template_path):
    """(uid, gid, mode) for the new contents of ``place``: the old file's, else the template's,
    else the creator's with the mode ``0666`` narrowed by the umask."""
    info = place.stat()
    if info is None and template_path is not None and os.path.exists(template_path):
        info = os.stat(template_path)
    if info is None:
        return None, None, 0o666 & ~_umask()
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


def _selinux_context(module, place, change):
    """The SELinux context the file must keep (None without SELinux)."""
    if not module.selinux_enabled():
        return None
    if change.created:
        return module.selinux_default_context(change.key)
    return module.selinux_context(place.proc_path(place.name))


def refuse_if_changed(module, changes):
    """Fail (nothing written) when a file no longer holds what the plan was made from."""
    root = writable_dir(module)
    for change in changes:
        try:
            with _Place(root, change.key) as place:
                current = place.read()
        except OSError as exc:
            module.fail_json(msg="cannot read %s again: %s; nothing written"
                             % (shown(change.path), shown(to_native(exc))))
        if current != change.before:
            module.fail_json(msg="%s changed while the module was planning; nothing written"
                             % shown(change.path))


def backup_file(place):
    """Copy the file of ``place`` beside it (``name.PID.YYYY-MM-DD@HH:MM:SS~``, as Ansible's
    backups are named), with its owner and mode; returns the copy's name in that directory."""
    stamp = time.strftime("%Y-%m-%d@%H:%M:%S~", time.localtime())
    name = "%s.%d.%s" % (place.name, os.getpid(), stamp)
    info = place.stat()
    created = place.create(".%s." % name, place.read(),
                           (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)))
    os.replace(created, name, src_dir_fd=place.fd, dst_dir_fd=place.fd)
    return name


class _Staged:
    """One change written beside its file, not yet in place: its :class:`_Place` (open), the
    temporary file's name and the backup's name (None without one)."""

    def __init__(self, place):
        self.place = place
        self.temporary = None
        self.backup = None

    def discard(self):
        """Remove what staging made (the temporary file, the backup) and close the directory."""
        for name in (self.temporary, self.backup):
            if name is not None:
                self.place.remove(name)
        self.close()

    def close(self):
        self.place.__exit__(None, None, None)


def _stage(module, root, change, backup, prefix, template_path):
    """Write ``change`` into a temporary file beside its file (named ``prefix`` plus random
    characters), after a backup of the old file when ``backup``.

    The temporary file gets the old file's owner, group and mode, else those of
    ``template_path`` for a created file when that exists, else the module user's and the mode
    the umask leaves; a change that carries its ``attributes`` gets exactly those (an owner or
    group this user may not give fails). Raises what failed, having removed what it made."""
    staged = _Staged(_Place(root, change.key))
    place = staged.place
    try:
        if backup and not change.created:
            staged.backup = backup_file(place)
        context = _selinux_context(module, place, change)
        exact = change.attributes is not None
        staged.temporary = place.create(
            prefix, change.after,
            change.attributes if exact else _attributes(place, template_path), exact)
        if context is not None:
            module.set_context_if_different(place.proc_path(staged.temporary), context, False)
    except BaseException:
        staged.discard()
        raise
    return staged


def write_all(module, items, backup, prefix):
    """Write the changes of ``items`` (``(change, template_path)`` pairs) in two phases: stage
    every one (:func:`_stage`), then rename each into place. A failure while staging fails the
    module with every file as it was; returns the backup files made.

    Call it after :func:`refuse_outside` and :func:`refuse_if_changed`."""
    root = writable_dir(module)
    staged = []
    for change, template_path in items:
        try:
            staged.append(_stage(module, root, change, backup, prefix, template_path))
        except (IOError, OSError) as exc:
            for done in staged:
                done.discard()
            module.fail_json(msg="cannot write %s: %s; nothing written"
                             % (shown(change.path), shown(to_native(exc))))
    backup_files = [os.path.join(done.place.directory, done.backup)
                    for done in staged if done.backup is not None]
    placed = []
    try:
        for done, (change, _template) in zip(staged, items):
            done.place.replace(done.temporary)
            done.temporary = None
            placed.append(change)
    except (IOError, OSError) as exc:
        module.fail_json(msg="cannot put %s in place: %s; written before it: %s"
                         % (shown(change.path), shown(to_native(exc)),
                            ", ".join(shown(item.path) for item in placed) or "none"),
                         backup_files=[shown(path) for path in backup_files])
    finally:
        for done in staged:
            if done.temporary is not None:
                done.place.remove(done.temporary)
            done.close()
    return backup_files


def write_changes(module, changes, backup, prefix, template_path=None):
    """Write every change of a plan (see :func:`write_all`), after :func:`refuse_outside` and
    :func:`refuse_if_changed`. With ``backup``, each existing file is backed up first. Returns
    the backup files made."""
    refuse_outside(module, changes)
    refuse_if_changed(module, changes)
    return write_all(module, [(change, template_path) for change in changes], backup, prefix)


def apply_plan(module, cfg, plan, prefix, extra=()):
    """What every editing module does with an :class:`~astconf_editor.EditPlan` of tree ``cfg``:
    refuse a tree with errors (``strict``) and changes outside the configuration directory, warn
    about ``#exec`` lines, build the diff entries with every credential masked (``extra``: more
    options to mask), and write the changes unless in check mode (``backup`` honoured).

    :returns: ``(diff entries, backup files, exec directives)``."""
    return apply_plans(module, [(cfg, plan)], prefix, extra)


def apply_plans(module, trees, prefix, extra=()):
    """:func:`apply_plan` for the ``(cfg, plan)`` pairs of several trees that one module call
    edits together: every tree is refused (errors, changes outside, a file changed since it was
    read) before any is written, so that either all are written or none.

    :returns: ``(diff entries, backup files, exec directives)`` of all the trees."""
    for cfg, plan in trees:
        refuse_errors(module, cfg, module.params["strict"])
        refuse_outside(module, plan.changes)
        if not module.check_mode:
            refuse_if_changed(module, plan.changes)
    refuse_shared_files(module, trees)
    diffs, exec_directives, items = [], [], []
    for cfg, plan in trees:
        exec_directives += warn_about_tree(module, cfg)
        kind = file_kind(cfg.root_path)
        diffs += [diff_entry(change,
                             "" if change.before is None else
                             redact(change.before, kind, plan.config, change.key, extra),
                             redact(change.after, kind, plan.new_config, change.key, extra))
                  for change in plan.changes]
        items += [(change, cfg.root_path) for change in plan.changes]
    backup_files = [] if module.check_mode or not items else \
        write_all(module, items, module.params["backup"], prefix)
    return diffs, backup_files, exec_directives


def refuse_shared_files(module, trees):
    """Fail (nothing written) when two plans of one call change the same file: each was made
    from the file's old bytes, and the later write would undo the earlier one."""
    planned_by = {}
    for cfg, plan in trees:
        for change in plan.changes:
            if change.key in planned_by:
                module.fail_json(msg="refusing to write %s: the plans for %s and %s both change "
                                     "it; nothing written"
                                 % (shown(change.path), shown(planned_by[change.key]),
                                    shown(cfg.root_path)))
            planned_by[change.key] = cfg.root_path
