# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Asterisk config engine's one error type, and its warning record.

Every failure of the engine (a tree Asterisk refuses to load, an unreadable file,
an input over the engine's bounds, an edit that cannot be made safely) is raised as
:class:`AsteriskConfigError`.  Nothing else escapes the engine's public functions.
"""

from __future__ import annotations


class AsteriskConfigError(Exception):
    """An error located in a configuration file.

    :ivar path: the file the error is in (absolute path as the engine resolved it).
    :ivar line: 1-based line number in that file, 0 when the error is about the whole file.
    :ivar message: what went wrong, in words a person can act on.

    ``str(error)`` is ``"path:line: message"``.
    """

    def __init__(self, path, line, message):
        self.path = str(path)
        self.line = int(line)
        self.message = str(message)
        super().__init__(self.path, self.line, self.message)

    def __str__(self):
        return "%s:%d: %s" % (self.path, self.line, self.message)


class Diagnostic:
    """A message Asterisk would log while loading the tree (a warning it survives).

    ``level`` is ``"warning"`` for what Asterisk logs as WARNING and goes on, or ``"error"`` for
    a fatal error inside an included file: Asterisk drops the rest of that file, yet the tree
    still loads (only an error in the root file makes the whole load fail).
    """

    __slots__ = ("path", "line", "message", "level")

    def __init__(self, path, line, message, level="warning"):
        self.path = str(path)
        self.line = int(line)
        self.message = str(message)
        self.level = level

    def __str__(self):
        return "%s:%d: %s" % (self.path, self.line, self.message)

    def __repr__(self):
        return "Diagnostic(%r, %d, %r, %r)" % (self.path, self.line, self.message, self.level)
