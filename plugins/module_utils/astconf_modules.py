# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which Asterisk modules are loaded: asked of the running Asterisk (``module show``), or
predicted from ``modules.conf`` the way ``main/loader.c`` decides, with the modules of the
module directory or, where there is none to look at (a configuration backup), those Asterisk
installs for its version (:data:`INSTALLED_IN`).

Shared by ``asterisk_facts`` and ``pbx_compliance`` (a module cannot import another module's
code: Ansible ships only ``module_utils`` to the host).
"""

from __future__ import annotations

import glob
import os
import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import AsteriskConfigError
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true

DEFAULT_MODULE_DIRS = ("/usr/lib/asterisk/modules", "/usr/lib64/asterisk/modules")
WATCHED_MODULES = (
    "chan_sip",
    "chan_pjsip",
    "res_pjsip",
    "res_pjsip_endpoint_identifier_anonymous",
    "chan_iax2",
    "app_voicemail",
    "res_ari",
    "res_http_websocket",
)
# Modules a module cannot run without (its `.requires`, or what it needs to link or to start),
# as Debian's Asterisk 16 and 22 show it: `noload => res_sorcery_astdb.so` takes PJSIP down.
# A dependency that is not installed at all is ignored (built in, or absent in that version):
# res_websocket_client (22 only) carries res_ari's 22-only need of res_http_websocket.
REQUIRES = {
    "res_pjproject": ("res_sorcery_config",),
    "res_pjsip": ("res_pjproject", "res_sorcery_config", "res_sorcery_memory", "res_sorcery_astdb"),
    "res_pjsip_session": ("res_pjsip",),
    "res_pjsip_pubsub": ("res_pjsip",),
    "chan_pjsip": ("res_pjsip", "res_pjsip_session", "res_pjsip_pubsub"),
    "res_pjsip_endpoint_identifier_anonymous": ("res_pjsip",),
    "res_ari": ("res_stasis", "res_websocket_client"),
    "res_websocket_client": ("res_http_websocket", "res_sorcery_config"),
}
# The modules the checks depend on and those they need to run (REQUIRES), by the Asterisk major
# versions that install them: (first, last), None where unbounded. Upstream builds each of them
# by default and Debian's packages install them (asterisk-modules; app_voicemail comes with
# asterisk-voicemail on 16, which `asterisk` recommends, and with asterisk-modules on 22). Where
# unsure, a module counts as installed: a control judged in vain costs a look, a control left
# unjudged can cost a fraud. The manager (AMI) and the HTTP server are part of the core.
# Used where the module directory cannot be looked at (a configuration backup): AssumedModules.
INSTALLED_IN = {
    "chan_sip": (None, 20),                 # deprecated in 17, removed in 21
    "chan_iax2": (None, None),
    "app_voicemail": (None, None),
    "chan_pjsip": (12, None),
    "res_pjsip": (12, None),
    "res_pjsip_session": (12, None),
    "res_pjsip_pubsub": (12, None),
    "res_pjsip_endpoint_identifier_anonymous": (12, None),
    "res_pjproject": (13, None),
    "res_sorcery_config": (12, None),
    "res_sorcery_memory": (12, None),
    "res_sorcery_astdb": (12, None),
    "res_ari": (12, None),
    "res_stasis": (12, None),
    "res_http_websocket": (11, None),
    "res_websocket_client": (22, None),
}
LOAD_OPTIONS = {"load": False, "require": True, "preload": False, "preload-require": True}
VERSION_RE = re.compile(r"Asterisk\s+(?:certified/)?(?P<full>(?P<version>(?P<major>\d+)(?:\.\d+)*(?:-cert\d+)?)\S*)")
# `module show`: name, description, use count, Running or Not Running (declined), support level.
MODULE_LINE_RE = re.compile(r"^(?P<name>\S+)\.so\s.*\s-?\d+\s+(?P<status>Running|Not Running)\s+\S+\s*$")


def module_name(resource):
    """A resource as modules.conf and `module show` name it, without `.so` (any case, as
    Asterisk's resource_name_baselen() cuts it)."""
    resource = resource.strip()
    return resource[:-3] if len(resource) > 3 and resource[-3:].lower() == ".so" else resource


def parse_version(text):
    match = VERSION_RE.search(text or "")
    if not match:
        return None, None, None
    return match.group("version"), match.group("full"), int(match.group("major"))


def installed_version(module):
    """``(binary, version, full, major)`` of the installed asterisk binary, as ``asterisk -V``
    prints them (see :func:`parse_version`); all None when no binary is found.

    :param module: the AnsibleModule (finds the binary, runs it).
    """
    binary = module.get_bin_path("asterisk", opt_dirs=["/usr/sbin", "/usr/local/sbin"])
    if binary is None:
        return None, None, None, None
    dummy, out, dummy_err = module.run_command([binary, "-V"])
    return (binary,) + parse_version(out)


def read_asterisk_conf(config_dir, errors):
    """The loaded asterisk.conf of ``config_dir``, for the paths it sets; None when it is absent
    or Asterisk would refuse it (Asterisk then uses its compiled-in paths). Its errors are
    added to ``errors``."""
    path = os.path.join(config_dir, "asterisk.conf")
    if not os.path.exists(path):
        return None
    try:
        cfg = load_config(path, config_dir=config_dir)
    except AsteriskConfigError as exc:
        errors.append(str(exc))
        return None
    errors.extend(str(error) for error in cfg.errors)
    return cfg


def discover_module_dir(asterisk_conf):
    """asterisk.conf [directories] astmoddir, else the first compiled-in default that exists.

    Stock asterisk.conf ships `[directories](!)`: a template, which Asterisk does not read,
    so the packaging's compiled-in directory applies (multiarch on newer Debian).

    :param asterisk_conf: the loaded asterisk.conf (see :func:`read_asterisk_conf`), or None.
    """
    value = asterisk_conf.get("directories", "astmoddir") if asterisk_conf is not None else None
    if value:
        return value
    candidates = sorted(glob.glob("/usr/lib/*/asterisk/modules")) + list(DEFAULT_MODULE_DIRS)
    return next((path for path in candidates if os.path.isdir(path)), DEFAULT_MODULE_DIRS[0])


def module_file(module_dir, resource):
    """The file Asterisk dlopen()s for a resource: `.so` is added unless present (any case)."""
    return os.path.join(module_dir, resource if module_name(resource) != resource else resource + ".so")


class ModuleDirectory:
    """The modules installed in a directory, as Asterisk's loader finds them there.

    :param path: the module directory (see :func:`discover_module_dir`).
    """

    def __init__(self, path):
        self.path = path

    def listing(self):
        """The directory's file names, sorted (what ``autoload`` walks).

        :raises OSError: the directory cannot be read."""
        return sorted(os.listdir(self.path))

    def has(self, resource):
        return os.path.isfile(module_file(self.path, resource))

    def __str__(self):
        return self.path


class AssumedModules:
    """The modules an Asterisk version installs, assumed (no module directory to look at).

    The modules of :data:`INSTALLED_IN` are installed when the version is in their range; any
    other module counts as installed (a ``require`` of it does not stop the prediction).

    :param major: Asterisk's major version, or None when unknown: then every module of the
        table counts as installed, except chan_sip, which counts only where ``sip_conf`` is true
        (the tree has a sip.conf).
    :param sip_conf: whether the tree has a sip.conf.
    """

    def __init__(self, major, sip_conf):
        self.major = major
        if major is None:
            self.names = frozenset(name for name in INSTALLED_IN if name != "chan_sip" or sip_conf)
        else:
            self.names = frozenset(name for name, (first, last) in INSTALLED_IN.items()
                                   if (first is None or first <= major)
                                   and (last is None or major <= last))

    def listing(self):
        return sorted(name + ".so" for name in self.names)

    def has(self, resource):
        name = module_name(resource)
        return name in self.names or name not in INSTALLED_IN

    def __str__(self):
        if self.major is None:
            return "the modules of an Asterisk of unknown version, chan_sip where sip.conf exists"
        return "the modules Asterisk %d installs" % self.major


def _stop(value, message):
    """The error of a modules.conf line that keeps Asterisk from starting."""
    return AsteriskConfigError(value.path, value.line, "%s: Asterisk does not start" % message)


def _load_order(modules, installed):
    """``(entries, noload)`` of the ``[modules]`` category: ``entries`` maps each module's
    lower-case name to ``[resource, required, Value]`` in Asterisk's load order (autoloaded
    modules last), ``noload`` holds the noload values.

    :raises AsteriskConfigError: an unknown option, or a module directory ``autoload`` cannot
        read: Asterisk does not start."""
    entries = {}
    noload = []
    for name, value in modules.items():
        option = name.lower()
        if option == "noload":
            noload.append(value)
        elif option in LOAD_OPTIONS:
            entry = entries.setdefault(module_name(value).lower(), [str(value), False, value])
            entry[1] = entry[1] or LOAD_OPTIONS[option]
        elif option != "autoload":
            raise _stop(value, "Unknown configuration option '%s' in [modules]" % name)
    autoload = modules.get_first("autoload")
    if ast_true(autoload):
        try:
            names = installed.listing()
        except OSError as exc:
            raise _stop(autoload, "autoload: unable to open modules directory '%s' (%s)"
                        % (installed, exc.strerror or exc))
        for name in names:
            if len(name) >= 4 and name[-3:].lower() == ".so":
                entries.setdefault(module_name(name).lower(), [name, False, None])
    return entries, noload


def _without_unmet_requirements(loaded, installed):
    """``loaded`` less the modules whose installed dependencies (:data:`REQUIRES`) do not load."""
    loaded = set(loaded)
    changed = True
    while changed:
        changed = False
        for name in sorted(loaded):
            if any(dep not in loaded and installed.has(dep) for dep in REQUIRES.get(name, ())):
                loaded.discard(name)
                changed = True
    return loaded


def predict_loaded(config_dir, installed, errors=None):
    """Predict which modules Asterisk loads at start, as main/loader.c does from modules.conf.

    load/require/preload/preload-require lines come first, then (when the FIRST `autoload`
    is true, ast_variable_retrieve()) every `*.so` of the module directory; `noload` then
    removes matching names (ASCII case-insensitive, `.so` optional) even when explicitly loaded.
    A missing or invalid modules.conf, an unknown option, `noload` of a required module or a
    required module that cannot load stop Asterisk: nothing is loaded then.

    :param installed: the installed modules: a :class:`ModuleDirectory`, or
        :class:`AssumedModules` when there is no module directory to look at.
    :param errors: list that receives the problems Asterisk starts with anyway (a fatal line in
        an included file drops the rest of that file), when given.
    :returns: ``(loaded module names, stop)``: ``stop`` is the :class:`AsteriskConfigError`
        (file and line) that keeps Asterisk from starting (``loaded`` is then empty), else None.
    """
    path = os.path.join(config_dir, "modules.conf")
    if not os.path.exists(path):
        if os.path.isdir(config_dir):
            return set(), AsteriskConfigError(path, 0, "missing: Asterisk does not start without it")
        return set(), None
    try:
        cfg = load_config(path, config_dir=config_dir)
    except AsteriskConfigError as exc:
        return set(), AsteriskConfigError(exc.path, exc.line, "%s (Asterisk does not start with "
                                          "an invalid modules.conf)" % exc.message)
    if errors is not None:
        errors.extend(str(error) for error in cfg.errors)
    modules = cfg.first("modules")
    if modules is None:
        return set(), None
    try:
        entries, noload = _load_order(modules, installed)
        for value in noload:
            entry = entries.pop(module_name(value).lower(), None)
            if entry is not None and entry[1]:
                raise _stop(value, "%s is configured with 'require' and 'noload'" % value)
        loaded = _without_unmet_requirements(
            (module_name(e[0]) for e in entries.values() if installed.has(e[0])), installed)
        for resource, required, value in entries.values():
            if required and module_name(resource) not in loaded:
                raise _stop(value, "required module %s cannot load from %s" % (resource, installed))
    except AsteriskConfigError as exc:
        return set(), exc
    return loaded, None


def loaded_by_config(config_dir, module_dir, errors=None):
    """:func:`predict_loaded` with the modules of ``module_dir``; ``stop`` as its text
    (``"path:line: message"``), for facts that are plain data."""
    loaded, stop = predict_loaded(config_dir, ModuleDirectory(module_dir), errors)
    return loaded, str(stop) if stop is not None else None


def running_modules(module_show):
    """The names of the running modules in the text of CLI ``module show``, or None when there is
    no such text (no Asterisk answered). A module listed as "Not Running" declined to load: it
    is not counted."""
    if module_show is None or "modules loaded" not in module_show:
        return None
    return set(
        match.group("name") for match in map(MODULE_LINE_RE.match, module_show.splitlines())
        if match and match.group("status") == "Running"
    )
