# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The dialplan role's one change, PBX-DP-001's guest reject context (module
``dialplan_harden``), planned through the config engine; nothing is written here.

Three files: the drop-in :data:`DROPIN` holds a context that hangs up every call; one
``#tryinclude`` line at the end of the *includer* (``extensions.conf``, or on FreePBX the custom
file it reads after its generated dialplan) makes the dialplan read it; chan_sip's ``[general]
context`` names it (on FreePBX in the custom file that FreePBX reads last). The edited dialplan
tree is loaded again in memory: the plan stands only when that tree reads the drop-in from the
includer and the context is there. The drop-in gets the includer's owner and group and mode
:data:`MODE`, in the write itself when its bytes change (the fix is refused before anything is
written when this user may not give them, :func:`can_give`); it is this collection's own file,
so a link, or a file with more than one name, in its place is refused."""

from __future__ import annotations

import errno
import os
import re
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    EditPlan,
    FileChange,
    Setting,
    plan_options,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.descriptor_walk import (
    ENTRY_FLAGS,
    open_directory,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import describe

CONTROL = "PBX-DP-001"
DROPIN = "extensions_pbxsec.conf"
MODE = 0o640
# A context name Asterisk keeps whole (79 bytes) and that needs no quoting anywhere.
CONTEXT_NAME = re.compile(r"[A-Za-z0-9_-]{1,79}\Z")


class FixRefused(Exception):
    """The fix must not be made on this host; the message says why and what to do."""


def dropin_bytes(context, includer):
    """The drop-in's contents: ``[context]`` hanging up every number, ``s`` and ``i`` with cause
    21 (call rejected)."""
    return ("; Ansible managed\n"
            "; pbxsec.hardening role dialplan (%s): unauthenticated SIP callers land here and are\n"
            "; refused (cause 21, call rejected). Read through \"#tryinclude %s\" at the\n"
            "; end of %s.\n"
            "\n"
            "[%s]\n"
            "exten => _X.,1,Hangup(21)\n"
            "exten => _[+*#a-z].,1,Hangup(21)\n"
            "exten => s,1,Hangup(21)\n"
            "exten => i,1,Hangup(21)\n" % (CONTROL, DROPIN, includer, context)).encode("ascii")


def can_give(owner, euid, gids):
    """Whether a process of effective uid ``euid`` and groups ``gids`` (its effective and
    supplementary ones) may give a file it writes ``owner``, ``(uid, gid, mode)``: root may give
    any, another user only its own uid with one of its groups (the rule of ``fchown``)."""
    uid, gid, _mode = owner
    return euid == 0 or (uid == euid and gid in gids)


class Dropin:
    """The drop-in file as it is: ``data`` (None when absent) and ``info`` (its ``fstat``),
    read without following a link from the real configuration directory ``root``.

    :raises FixRefused: a link, something else than a file, or a file with several names."""

    def __init__(self, root):
        self.root = root
        self.path = os.path.join(root, DROPIN)
        self.data, self.info = None, None
        fd = self._open(os.O_RDONLY)
        if fd is None:
            return
        try:
            self.info = os.fstat(fd)
            self._check(self.info)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            self.data = handle.read()

    def _open(self, flags):
        directory = open_directory(self.root)
        try:
            return os.open(DROPIN, flags | ENTRY_FLAGS, dir_fd=directory)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return None
            if exc.errno == errno.ELOOP:
                raise FixRefused("refusing to write %s: it is a link; nothing written"
                                 % shown(self.path))
            raise
        finally:
            os.close(directory)

    def _check(self, info):
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise FixRefused("refusing to write %s: not a file with one name (a link, a "
                             "directory or a hard link); nothing written" % shown(self.path))

    def attributes(self):
        """``(uid, gid, mode)`` now, None when absent."""
        if self.info is None:
            return None
        return self.info.st_uid, self.info.st_gid, stat.S_IMODE(self.info.st_mode)

    def set_attributes(self, uid, gid, mode):
        """Give the drop-in (as written now) ``uid``, ``gid`` and ``mode`` on a descriptor
        opened without following a link."""
        fd = self._open(os.O_RDONLY)
        if fd is None:
            raise FixRefused("%s is gone" % shown(self.path))
        try:
            info = os.fstat(fd)
            self._check(info)
            if (info.st_uid, info.st_gid) != (uid, gid):
                os.fchown(fd, uid, gid)
            if stat.S_IMODE(info.st_mode) != mode:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)


def _reads_dropin(cfg, includer_key, dropin_key):
    """Whether the tree ``cfg`` reads the drop-in through an include line of the includer."""
    return any(load.source.key == dropin_key and load.include is not None
               and load.include.source.key == includer_key for load in cfg.loads)


def _appended(data, line):
    """``data`` with ``line`` appended as its last line, in the file's line end."""
    first = data.find(b"\n")
    eol = b"\r\n" if first > 0 and data[first - 1:first] == b"\r" else b"\n"
    return data + (eol if data and not data.endswith(b"\n") else b"") + line + eol


class GuestFix:
    """The plan of the fix on one host.

    :ivar trees: ``[(loaded tree, EditPlan)]`` of the dialplan and of sip.conf, for
        :func:`~astconf_files.apply_plans`.
    :ivar reload: what must be reloaded, in this order: ``dialplan``, ``chan_sip``.
    :ivar dropin: the :class:`Dropin`; ``owner`` its wanted ``(uid, gid, mode)``, ``attributes``
        those it has now (None when absent), ``rewritten`` whether its bytes change (it is then
        written with ``owner``).
    :ivar actions: what the plan does, ``path: ...``.
    :ivar appended_to: the includer's path when the ``#tryinclude`` line is appended to it (its
        diff shows that line alone: the rest of a dialplan may hold DISA passcodes and dial
        strings with credentials), else None.
    """

    def __init__(self):
        self.trees, self.reload, self.actions = [], [], []
        self.dropin, self.owner, self.attributes, self.rewritten = None, None, None, False
        self.appended_to = None

    @property
    def attributes_differ(self):
        """Whether the drop-in exists with another owner, group or mode than ``owner``."""
        return self.attributes is not None and self.attributes != self.owner

    @property
    def attributes_due(self):
        """Whether the drop-in's owner, group or mode must be set after the write: they differ
        and its bytes stay (a rewritten drop-in is written with them)."""
        return self.attributes_differ and not self.rewritten

    def attributes_diff(self):
        """The ``diff`` entry of an owner, group or mode change of an existing drop-in."""

        def text(uid, gid, mode):
            return "owner=%d group=%d mode=%04o\n" % (uid, gid, mode)

        path = shown(self.dropin.path) + " (owner, group, mode)"
        return dict(before=text(*self.attributes), after=text(*self.owner), before_header=path,
                    after_header=path)


def _dialplan(fix, cfg, config_dir, context, includer_name):
    """The plan of the dialplan tree ``cfg``: the drop-in's contents and, when the includer does
    not read it yet, the ``#tryinclude`` line at the includer's end."""
    includer_key = os.path.realpath(os.path.join(config_dir, includer_name))
    includer = cfg.files.get(includer_key)
    if includer is None:
        raise FixRefused("%s: extensions.conf does not read it, so the guest context would not "
                         "be read; nothing written" % shown(includer_name))
    dropin = fix.dropin
    wanted = dropin_bytes(context, os.path.basename(includer_name))
    info = os.stat(includer_key)
    fix.owner = (info.st_uid, info.st_gid, MODE)
    fix.attributes = dropin.attributes()
    fix.rewritten = dropin.data != wanted
    if (fix.rewritten or fix.attributes_differ) and not can_give(
            fix.owner, os.geteuid(), set(os.getgroups()) | {os.getegid()}):
        raise FixRefused("refusing to write %s: this user (uid %d) may not give it the owner %d "
                         "and group %d of %s; run the fix as root or as that owner; nothing "
                         "written" % (shown(dropin.path), os.geteuid(), info.st_uid, info.st_gid,
                                      shown(includer.path)))
    overlay = {dropin.path: wanted}
    # The tree as it will be: the one read when the drop-in already holds what it should.
    new = load_config(cfg.root_path, config_dir, overlay) if fix.rewritten else cfg
    changes = []
    if fix.rewritten:
        changes.append(FileChange(dropin.path, dropin.path, dropin.data, wanted, fix.owner))
        fix.actions.append("%s: context [%s] that hangs up" % (shown(dropin.path), context))
    if not _reads_dropin(new, includer_key, dropin.path):
        after = _appended(includer.data, b"#tryinclude " + DROPIN.encode("ascii"))
        overlay[includer_key] = after
        new = load_config(cfg.root_path, config_dir, overlay)
        if not _reads_dropin(new, includer_key, dropin.path):
            raise FixRefused("%s would not read %s with a #tryinclude line at its end (does it "
                             "end inside a block comment?); nothing written"
                             % (shown(includer.path), DROPIN))
        changes.append(FileChange(includer.path, includer_key, includer.data, after))
        fix.actions.append("%s: #tryinclude %s at the end" % (shown(includer.path), DROPIN))
        fix.appended_to = includer.path
    statements = [category.statement for category in new.categories_named(context)]
    if not any(statement.source.key == dropin.path for statement in statements):
        raise FixRefused("[%s] would not be read from %s; nothing written"
                         % (context, shown(dropin.path)))
    others = ["%s:%d" % (shown(statement.source.path), statement.line)
              for statement in statements if statement.source.key != dropin.path]
    if others:
        raise FixRefused("[%s] is also a context of the dialplan (%s): guests sent there would "
                         "reach its extensions. Name another guest context; nothing written"
                         % (context, ", ".join(others)))
    plan = EditPlan(cfg, None)
    plan.changes, plan.new_config, plan.actions = changes, new, list(fix.actions)
    fix.trees.append((cfg, plan))
    if changes:
        fix.reload.append("dialplan")


def _layout(config_dir, freepbx):
    """FreePBX's layout of sip.conf and extensions.conf (``{}`` elsewhere).

    :raises FixRefused: FreePBX's custom files would not win."""
    if not freepbx:
        return {}
    layout = describe(config_dir, ["sip.conf", "extensions.conf"])
    problems = [problem for entry in layout.values() for problem in entry["problems"]]
    if problems:
        raise FixRefused("%s: FreePBX host, but the guest context in its custom files would not "
                         "win, so nothing was changed: %s" % (CONTROL, "; ".join(problems)))
    return layout


def plan_guest_fix(config_dir, context, sip_cfg, sip_users, freepbx=False, dialplan_cfg=None):
    """:class:`GuestFix` sending chan_sip guests to ``context``.

    :param sip_cfg: the loaded sip.conf tree (None when there is no sip.conf).
    :param dialplan_cfg: the loaded extensions.conf tree, when the caller has read it (the
        audit has); else it is read here.
    :param sip_users: chan_sip peers without a ``context`` of their own (the audit's
        ``sip_general_context_users``): they would move into ``context`` too.
    :param freepbx: write where FreePBX leaves the lines alone (:mod:`freepbx_layout`).
    :raises FixRefused: something the operator must fix first (nothing is to be written).
    :raises AsteriskConfigError: a tree Asterisk would refuse, or an edit that cannot be made."""
    if not CONTEXT_NAME.match(context):
        raise FixRefused("guest_context must be a plain context name (letters, digits, - and _, "
                         "at most 79; got %r)" % context)
    if sip_users:
        raise FixRefused("%s: chan_sip peers without their own context= would move into [%s] "
                         "with the guest context: %s. Give them a context= first, or leave the "
                         "guest context fix off; nothing was changed."
                         % (CONTROL, context, ", ".join(shown(user) for user in sip_users)))
    if sip_cfg is None:
        raise FixRefused("%s not found: chan_sip has no [general] context to set; nothing was "
                         "changed" % shown(os.path.join(config_dir, "sip.conf")))
    layout = _layout(config_dir, freepbx)
    fix = GuestFix()
    fix.dropin = Dropin(os.path.realpath(config_dir))
    if dialplan_cfg is None:
        dialplan_cfg = load_config(os.path.join(config_dir, "extensions.conf"), config_dir)
    _dialplan(fix, dialplan_cfg, config_dir, context,
              layout.get("extensions.conf", {}).get("dialplan", "extensions.conf"))
    sip = layout.get("sip.conf", {})
    plan, _done = plan_options(sip_cfg, [Setting(CONTROL, "general", "context", context)],
                               writable=sip.get("writable"), override_file=sip.get("general"))
    fix.trees.append((sip_cfg, plan))
    fix.actions.extend(plan.actions)
    if plan.changes:
        # The running dialplan must hold the context before chan_sip sends guests to it, also
        # when an earlier run wrote the drop-in but stopped before its reload.
        fix.reload = ["dialplan", "chan_sip"]
    return fix
