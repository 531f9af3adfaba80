# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where FreePBX (16 and 17) keeps Asterisk's configuration, and where a change survives it.

FreePBX writes the root files (``sip.conf``, ``pjsip.conf``...) and every ``*_additional.conf``
(and ``pjsip.endpoint.conf``...) again on each ``fwconsole reload``, from its database. It never
writes the ``*_custom.conf`` / ``*_custom_post.conf`` files its root files include: a change
belongs there, in a file included B(after) the generated one it must beat (chan_sip, IAX2, AMI
and the HTTP server take the last assignment of a ``[general]`` option; ``[name](+)`` appends to
an object only after the object exists).

For each root file :data:`LAYOUT` gives the files the collection may edit (``writable``, glob
patterns relative to the configuration directory) and, per kind of section, the file a new
assignment goes to (``override``) with the generated file it must be read after (``beats``).
"""

from __future__ import annotations

import fnmatch
import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

# What FreePBX leaves on a host it manages: its settings files, and generated files in the
# configuration directory (asterisk_facts and the audit detect FreePBX by them).
FREEPBX_FILES = ("/etc/freepbx.conf", "/etc/amportal.conf")
FREEPBX_GENERATED = ("sip_general_additional.conf", "pjsip.endpoint.conf", "extensions_additional.conf")

# root file -> {"writable": [patterns], kind -> {"override": file, "beats": generated file}}.
# Kinds: "general" (the [general] section, or PJSIP's type=global section), "objects" (peers,
# endpoints, users: an override is written as [name](+)), "logfiles" (logger.conf [logfiles]),
# "dialplan" (where hand-written contexts and #include lines of the dialplan go).
LAYOUT = {
    "sip.conf": {
        "writable": ["sip_general_custom.conf", "sip_registrations_custom.conf",
                     "sip_custom.conf", "sip_custom_post.conf"],
        "general": {"override": "sip_general_custom.conf", "beats": "sip_general_additional.conf"},
        "objects": {"override": "sip_custom_post.conf", "beats": "sip_additional.conf"},
    },
    "pjsip.conf": {
        "writable": ["pjsip_custom.conf", "pjsip_custom_post.conf", "pjsip.*_custom.conf",
                     "pjsip.*_custom_post.conf"],
        # FreePBX 16 and 17 write [global] into pjsip.conf itself, after every include, and
        # include pjsip_custom_post.conf inside it: lines there belong to [global] and come last.
        "general": {"override": "pjsip_custom_post.conf", "beats": "pjsip.conf"},
        "objects": {"override": "pjsip.endpoint_custom_post.conf", "beats": "pjsip.endpoint.conf"},
    },
    "iax.conf": {
        "writable": ["iax_general_custom.conf", "iax_registrations_custom.conf",
                     "iax_custom.conf", "iax_custom_post.conf"],
        "general": {"override": "iax_general_custom.conf", "beats": "iax_general_additional.conf"},
        "objects": {"override": "iax_custom_post.conf", "beats": "iax_additional.conf"},
    },
    "logger.conf": {
        "writable": ["logger_general_custom.conf", "logger_logfiles_custom.conf"],
        "general": {"override": "logger_general_custom.conf", "beats": "logger_general_additional.conf"},
        "logfiles": {"override": "logger_logfiles_custom.conf", "beats": "logger_logfiles_additional.conf"},
    },
    "manager.conf": {
        "writable": ["manager_custom.conf"],
        "general": {"override": "manager_custom.conf", "beats": "manager_additional.conf"},
        "objects": {"override": "manager_custom.conf", "beats": "manager_additional.conf"},
    },
    "http.conf": {
        "writable": ["http_custom.conf"],
        "general": {"override": "http_custom.conf", "beats": "http_additional.conf"},
    },
    "extensions.conf": {
        "writable": ["extensions_custom.conf"],
        "dialplan": {"override": "extensions_custom.conf", "beats": "extensions_additional.conf"},
    },
    # FreePBX's voicemail module keeps its settings and mailboxes in voicemail.conf itself and
    # writes the whole file again: nothing in that tree is the collection's to edit.
    "voicemail.conf": {
        "writable": [],
    },
}

KINDS = ("general", "objects", "logfiles", "dialplan")

# FreePBX GUI places that own what the generated files say (named in audit messages).
GUI = {
    "sip.conf": "Settings > Asterisk SIP Settings > Chan SIP Settings",
    "pjsip.conf": "Settings > Asterisk SIP Settings > SIP Settings [chan_pjsip]",
    "iax.conf": "Settings > Asterisk IAX Settings",
    "logger.conf": "Settings > Asterisk Logfile Settings",
    "manager.conf": "Settings > Advanced Settings (Asterisk Manager) and Settings > Asterisk Manager Users",
    "http.conf": "Settings > Advanced Settings (Asterisk Builtin mini-HTTP server)",
    "extensions.conf": "Applications and Connectivity (routes, inbound routes)",
    "voicemail.conf": "Settings > Voicemail Admin > Settings",
}


def load_order(cfg):
    """Base names of the files of a loaded tree, in the order Asterisk read them (first read)."""
    order = []
    for load in cfg.loads:
        name = os.path.basename(load.source.path)
        if name not in order:
            order.append(name)
    return order


def freepbx_written(cfg, writable):
    """The files of a loaded tree that FreePBX writes again, relative to the configuration
    directory, in the order Asterisk read them: every file no ``writable`` pattern matches (the
    root file and the generated ones). An edit there is lost at the next ``fwconsole reload``,
    and :mod:`astconf_editor` refuses it when given the same patterns."""
    written = []
    for load in cfg.loads:
        relative = os.path.relpath(load.source.path, cfg.config_dir)
        editable = any(fnmatch.fnmatchcase(relative, pattern) for pattern in writable)
        if relative not in written and not editable:
            written.append(relative)
    return written


def layout_problems(root, order):
    """What keeps the overrides of ``root`` from winning, given the tree's ``order`` of files.

    Each override file must be read, and read after the generated file it must beat (when that
    one is read at all: an override of a section nobody generated wins anyway).
    """
    problems = []
    for kind in KINDS:
        entry = LAYOUT[root].get(kind)
        if entry is None:
            continue
        override, beats = entry["override"], entry["beats"]
        if override not in order:
            problems.append("%s: %s is not included (FreePBX's root file includes it; create it "
                            "empty and restore the #include)" % (root, override))
        elif beats in order and order.index(override) < order.index(beats):
            problems.append("%s: %s is read before %s, so the generated values would win"
                            % (root, override, beats))
    return problems


def describe(config_dir, roots=None, written=False):
    """The layout of each root file present in ``config_dir``, checked against its tree.

    :returns: ``{root: {"path", "writable", "general"/"objects"/"logfiles"/"dialplan" (override
        file names), "gui", "problems"}}`` for every root of ``roots`` (default: all of
        :data:`LAYOUT`) that exists; with ``written``, also "freepbx_written"
        (:func:`freepbx_written`; empty when the tree does not load, which "problems" says).
    """
    result = {}
    for root in roots if roots is not None else sorted(LAYOUT):
        path = os.path.join(config_dir, root)
        if not os.path.exists(path):
            continue
        entry = {"path": path, "writable": list(LAYOUT[root]["writable"]), "gui": GUI[root]}
        for kind in KINDS:
            if kind in LAYOUT[root]:
                entry[kind] = LAYOUT[root][kind]["override"]
        try:
            cfg = load_config(path, config_dir)
        except AsteriskConfigError as exc:
            cfg = None
            entry["problems"] = ["%s: %s" % (root, exc)]
        else:
            entry["problems"] = layout_problems(root, load_order(cfg))
        if written:
            entry["freepbx_written"] = freepbx_written(cfg, entry["writable"]) if cfg is not None else []
        result[root] = entry
    return result
