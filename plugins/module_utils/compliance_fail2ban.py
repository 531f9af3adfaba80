# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Read a fail2ban jail the way fail2ban-server does (``client/configreader.py``,
``client/jailsreader.py``): ``jail.conf``, ``jail.d/*.conf``, ``jail.local``, ``jail.d/*.local``
in that order (a later file overrides an option), each with its ``[INCLUDES]`` ``before=`` and
``after=`` files, ``[DEFAULT]`` as the fallback of every section and ``%(name)s`` interpolation
(``__name__`` is the section name)."""

from __future__ import annotations

import configparser
import glob
import os
import re

INTERPOLATION = re.compile(r"%\(([^)]+)\)s")
MAX_DEPTH = 10
TRUE_WORDS = ("true", "yes", "on", "1")


def read_order(fail2ban_dir):
    """The jail files fail2ban reads, in order (existing ones only)."""
    out = []
    for pattern in ("jail.conf", "jail.d/*.conf", "jail.local", "jail.d/*.local"):
        out.extend(sorted(glob.glob(os.path.join(fail2ban_dir, pattern))))
    return out


def _parser():
    parser = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";", "#"),
                                          default_section="DEFAULT")
    return parser


def _includes(path, key):
    parser = _parser()
    parser.read(path, encoding="utf-8")
    if not parser.has_section("INCLUDES") or not parser.has_option("INCLUDES", key):
        return []
    base = os.path.dirname(path)
    return [os.path.join(base, name) for name in parser.get("INCLUDES", key).split()]


def _with_includes(path, seen):
    """``path`` with its before/after includes, depth first, each file once."""
    if path in seen or not os.path.isfile(path):
        return []
    seen.add(path)
    out = []
    for before in _includes(path, "before"):
        out.extend(_with_includes(before, seen))
    out.append(path)
    for after in _includes(path, "after"):
        out.extend(_with_includes(after, seen))
    return out


class Jail:
    """The options of one jail after every file is read (``None`` when the jail is absent)."""

    def __init__(self, name, options, files):
        self.name = name
        self.options = options
        self.files = files

    def get(self, option, default=None):
        return self.options.get(option, default)

    @property
    def enabled(self):
        return str(self.get("enabled", "false")).strip().lower() in TRUE_WORDS

    def list(self, option, separators=r"[\s,]+"):
        return [w for w in re.split(separators, self.get(option, "") or "") if w]

    @property
    def logpaths(self):
        """Log path patterns (one a line; a trailing ``head``/``tail`` is a read mode)."""
        out = []
        for line in (self.get("logpath", "") or "").splitlines():
            words = line.split()
            if words and words[-1] in ("head", "tail"):
                words = words[:-1]
            if words:
                out.append(" ".join(words))
        return out


def _interpolate(parser, section, value, depth=0):
    def resolve(match):
        name = match.group(1).lower()
        if name == "__name__":
            return section
        if parser.has_option(section, name):
            return _interpolate(parser, section, parser.get(section, name), depth + 1)
        return match.group(0)
    if depth > MAX_DEPTH:
        raise ValueError("interpolation nests too deeply in [%s]" % section)
    return INTERPOLATION.sub(resolve, value)


def read_jail(fail2ban_dir, name):
    """The :class:`Jail` ``name`` (None when no file defines it).

    :raises ValueError: a file fail2ban could not parse either (configparser.Error included).
    """
    files, seen = [], set()
    for path in read_order(fail2ban_dir):
        files.extend(_with_includes(path, seen))
    parser = _parser()
    try:
        parser.read(files, encoding="utf-8")
    except (configparser.Error, UnicodeError) as exc:
        raise ValueError(str(exc))
    if not parser.has_section(name):
        return None
    options = dict((option, _interpolate(parser, name, parser.get(name, option)))
                   for option in parser.options(name))
    return Jail(name, options, files)


# --- ban actions --------------------------------------------------------------------------------

# What an action's commands act on (first match wins; comments are not read).
_FAMILIES = (("nftables", re.compile(r"<nftables>|\bnft\b")),
             ("iptables", re.compile(r"<iptables>|\biptables\b|\bipset\b|\bufw\b")),
             ("firewalld", re.compile(r"\bfirewall-cmd\b")))
_NAME_FAMILIES = (("nftables", "nftables"), ("iptables", "iptables"), ("ufw", "iptables"),
                  ("firewallcmd", "firewalld"))
_ACTION_KEYS = ("actionstart", "actionban")


def action_names(value):
    """The action names of a jail's ``action`` value: one action a line, ``name[params]`` (the
    parameters may span lines inside the brackets)."""
    names, depth, current = [], 0, ""
    for char in value or "":
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        if char == "\n" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    out = []
    for text in names:
        match = re.match(r"\s*([^\s\[]+)", text)
        if match:
            out.append(match.group(1))
    return out


def _action_text(fail2ban_dir, name):
    """The ``actionstart``/``actionban`` commands of action ``name`` (its .conf, .local and
    their ``before``/``after`` files), or None when action.d has no such action."""
    files, seen = [], set()
    for suffix in (".conf", ".local"):
        files.extend(_with_includes(os.path.join(fail2ban_dir, "action.d", name + suffix), seen))
    if not files:
        return None
    parser = _parser()
    try:
        parser.read(files, encoding="utf-8")
    except (configparser.Error, UnicodeError) as exc:
        raise ValueError(str(exc))
    out = []
    for section in parser.sections():
        out.extend(_interpolate(parser, section, parser.get(section, key))
                   for key in _ACTION_KEYS if parser.has_option(section, key))
    return "\n".join(out)


def action_family(fail2ban_dir, name):
    """``nftables``, ``iptables``, ``firewalld`` (it drives either), ``notify`` (bans nothing:
    mail, reporting) or ``unknown`` (no such action in action.d and a name that says nothing)."""
    text = _action_text(fail2ban_dir, name)
    if text is None:
        for prefix, family in _NAME_FAMILIES:
            if name.startswith(prefix):
                return family
        return "unknown"
    for family, pattern in _FAMILIES:
        if pattern.search(text):
            return family
    return "notify"
