# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``asterisk_facts``, shared with ``pbx_harden`` (which discovers the host in
the same process before its areas): its options and the facts of one Asterisk host, read from
its files, its modules directory and, where Asterisk runs, its CLI."""

from __future__ import annotations

import os
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import AsteriskConfigError
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_modules import (
    WATCHED_MODULES,
    discover_module_dir,
    installed_version,
    loaded_by_config,
    read_asterisk_conf,
    running_modules,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_ports import listen_ports
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    ask,
    control_socket,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    SHOWN_TEXT,
    pjsip_sources,
    realtime_families,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import read_ami_user
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import (
    FREEPBX_FILES,
    FREEPBX_GENERATED,
    describe,
)

ARGUMENT_SPEC = dict(
    config_dir=dict(type="path", default="/etc/asterisk"),
    live=dict(type="bool", default=True),
)

FREEPBX_COMMANDS = ("/usr/sbin/fwconsole", "/var/lib/asterisk/bin/fwconsole", "/usr/local/sbin/fwconsole")
MAX_BACKENDS = 50       # mapping lines returned (the judges name every object of every one)


def detect_freepbx(config_dir):
    """FreePBX leaves its settings files, its CLI and its generated *_additional.conf files; its
    settings files name its own AMI user. Where it does, the layout of logger.conf (the one file
    a role edits with asterisk_config) spares that role a call of its own."""
    generated = [os.path.join(config_dir, name) for name in FREEPBX_GENERATED]
    evidence = [path for path in FREEPBX_FILES + FREEPBX_COMMANDS + tuple(generated) if os.path.exists(path)]
    ami_user, ami_user_source = read_ami_user(FREEPBX_FILES) if evidence else (None, None)
    return {"detected": bool(evidence), "evidence": evidence, "ami_user": ami_user,
            "ami_user_source": ami_user_source,
            "layout": describe(config_dir, ["logger.conf"]) if evidence else {}}


def config_files(config_dir):
    """The sorted names of the ``*.conf`` files (regular files and links, not followed) directly
    in ``config_dir``; an unreadable directory has none."""
    try:
        names = sorted(name for name in os.listdir(config_dir) if name.endswith(".conf"))
    except OSError:
        return []
    found = []
    for name in names:
        try:
            info = os.lstat(os.path.join(config_dir, name))
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            found.append(name)
    return found


def ports(config_dir, modules, errors):
    """:func:`listen_ports` for the drivers that load, or None (and the reason in ``errors``)."""
    try:
        return listen_ports(config_dir, chan_sip=modules["chan_sip"]["loaded"],
                            pjsip=modules["res_pjsip"]["loaded"] and modules["chan_pjsip"]["loaded"])
    except AsteriskConfigError as exc:
        errors.append("%s (the ports Asterisk listens on are unknown)" % exc)
        return None


class MappingsHost(Host):
    """The host as :mod:`compliance_backends` reads it for :func:`backends`: sorcery.conf and
    extconfig.conf (and what they include) through the config engine, never the running
    Asterisk; a module counts as loaded when these facts found it loaded, and every module
    does when that could not be known (``loaded`` None), so that no mapping is left out."""

    def __init__(self, module, config_dir, loaded):
        super().__init__(module, config_dir, live=False)
        self.known = loaded

    def loaded(self, *names):
        return self.known is None or all(name in self.known for name in names)


def _capped(text):
    text = str(text)
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "..."


def _backend(mapping, what):
    return {"file": mapping.path, "line": mapping.line, "what": _capped(what),
            "text": str(mapping)}


def backends(host, errors):
    """The lines of sorcery.conf and extconfig.conf that may give objects no configuration file
    shows, by the rules the audit's judges use (:func:`pjsip_sources`, :func:`realtime_families`):
    the PJSIP endpoint, auth and identify mappings first, then the realtime families, one item
    per line, at most :data:`MAX_BACKENDS`.  Where Asterisk would refuse one of those files, one
    item says the mappings are unknown (and ``errors`` why), so that the judges still run."""
    try:
        found = [_backend(m, m.what) for source in pjsip_sources(host).values()
                 for m in source.mappings]
        found += [_backend(m, m.value.variable.name) for m in realtime_families(host).values()]
    except AsteriskConfigError as exc:
        errors.append("%s (the objects Asterisk takes from databases are unknown)" % exc)
        return printable([{"file": exc.path, "line": exc.line, "what": "unknown",
                           "text": _capped("unknown: %s" % exc.message)}])
    unique = {}
    for item in found:      # sipfriends/iaxfriends map two families on one line
        unique.setdefault((item["file"], item["line"]), item)
    return printable(list(unique.values())[:MAX_BACKENDS])


def run(module):
    """The facts of the host (``ansible_facts.asterisk``) for the module's options."""
    config_dir = module.params["config_dir"]
    errors = []
    binary, version, full, major = installed_version(module)

    asterisk_conf = read_asterisk_conf(config_dir, errors)
    module_dir = discover_module_dir(asterisk_conf)
    installed = dict(
        (name, os.path.isfile(os.path.join(module_dir, name + ".so"))) for name in WATCHED_MODULES
    )
    loaded = running_modules(ask(control_socket(asterisk_conf), "module show")) \
        if module.params["live"] else None
    running = loaded is not None
    source = "live"
    known = loaded         # the loaded modules, where they can be known
    if loaded is None:
        loaded, stop = loaded_by_config(config_dir, module_dir, errors)
        if stop:
            errors.append(stop)
        source = "config"
        known = loaded if stop is None and os.path.isdir(module_dir) else None

    modules = dict(
        (name, {"installed": installed[name], "loaded": name in loaded}) for name in WATCHED_MODULES
    )

    def combined(*names):
        return {
            "installed": all(modules[name]["installed"] for name in names),
            "loaded": all(modules[name]["loaded"] for name in names),
        }

    return {
        "installed": binary is not None,
        "binary": binary,
        "version": version,
        "version_full": full,
        "version_major": major,
        "running": running,
        "source": source,
        "config_dir": config_dir,
        "module_dir": module_dir,
        "modules": modules,
        "chan_sip": combined("chan_sip"),
        "pjsip": combined("res_pjsip", "chan_pjsip"),
        "iax2": combined("chan_iax2"),
        "freepbx": detect_freepbx(config_dir),
        "files": config_files(config_dir),
        "ports": ports(config_dir, modules, errors),
        "backends": backends(MappingsHost(module, config_dir, known), errors),
        "config_errors": errors,
    }
