# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which Asterisk modules are loaded: asked of the running Asterisk (``module show``), or
predicted from ``modules.conf`` the way ``main/loader.c`` decides.

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


def loaded_by_config(config_dir, module_dir, errors=None):
    """Predict which modules Asterisk loads at start, as main/loader.c does from modules.conf.

    load/require/preload/preload-require lines come first, then (when the FIRST `autoload`
    is true, ast_variable_retrieve()) every `*.so` of the module directory; `noload` then
    removes matching names (ASCII case-insensitive, `.so` optional) even when explicitly loaded.
    A missing or invalid modules.conf, an unknown option, `noload` of a required module or a
    required module that cannot load stop Asterisk: nothing is loaded then.

    :param errors: list that receives the problems Asterisk starts with anyway (a fatal line in
        an included file drops the rest of that file), when given.
    :returns: ``(loaded module names, stop)``: ``stop`` says, with file and line, what keeps
        Asterisk from starting (``loaded`` is then empty), else None.
    """
    path = os.path.join(config_dir, "modules.conf")
    if not os.path.exists(path):
        if os.path.isdir(config_dir):
            return set(), "%s:0: missing: Asterisk does not start without it" % path
        return set(), None
    try:
        cfg = load_config(path, config_dir=config_dir)
    except AsteriskConfigError as exc:
        return set(), "%s (Asterisk does not start with an invalid modules.conf)" % exc
    if errors is not None:
        errors.extend(str(error) for error in cfg.errors)
    modules = cfg.first("modules")
    if modules is None:
        return set(), None

    order = []          # [resource, required, Value] in Asterisk's load order
    noload = []
    for name, value in modules.items():
        option = name.lower()
        if option == "noload":
            noload.append(value)
        elif option in LOAD_OPTIONS:
            entry = next((e for e in order if module_name(e[0]).lower() == module_name(value).lower()), None)
            if entry is None:
                order.append([str(value), LOAD_OPTIONS[option], value])
            else:
                entry[1] = entry[1] or LOAD_OPTIONS[option]
        elif option != "autoload":
            return set(), ("%s: Unknown configuration option '%s' in [modules]: Asterisk does "
                           "not start" % (value.origin, name))
    autoload = modules.get_first("autoload")
    if ast_true(autoload):
        try:
            names = sorted(os.listdir(module_dir))
        except OSError as exc:
            return set(), ("%s: autoload: unable to open modules directory '%s' (%s): Asterisk "
                           "does not start" % (autoload.origin, module_dir, exc.strerror or exc))
        known = set(module_name(e[0]).lower() for e in order)
        for name in names:
            if len(name) >= 4 and name[-3:].lower() == ".so" and module_name(name).lower() not in known:
                known.add(module_name(name).lower())
                order.append([name, False, None])
    for value in noload:
        for entry in [e for e in order if module_name(e[0]).lower() == module_name(value).lower()]:
            if entry[1]:
                return set(), ("%s: %s is configured with 'require' and 'noload': Asterisk "
                               "does not start" % (value.origin, value))
            order.remove(entry)

    loaded = set(module_name(e[0]) for e in order if os.path.isfile(module_file(module_dir, e[0])))
    changed = True
    while changed:
        changed = False
        for name in sorted(loaded):
            if any(dep not in loaded and os.path.isfile(os.path.join(module_dir, dep + ".so"))
                   for dep in REQUIRES.get(name, ())):
                loaded.discard(name)
                changed = True
    for resource, required, value in order:
        if required and module_name(resource) not in loaded:
            return set(), ("%s: required module %s cannot load from %s: Asterisk does not start"
                           % (value.origin, resource, module_dir))
    return loaded, None


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
