# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the checks know about the audited host, each piece read once and kept: the Asterisk
configuration files (through the config engine), the running Asterisk's answers, the loaded
modules (live, or predicted from modules.conf) and the Asterisk version.

``live=False`` judges the files alone: no command is run and no process is looked at.  Where the
module directory is not there (a configuration backup on the controller), or the operator named
the Asterisk version the files come from, the installed modules are those that version installs
(assumed, and every judgement that rests on them says so)."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_modules import (
    AssumedModules,
    ModuleDirectory,
    discover_module_dir,
    installed_version,
    predict_loaded,
    running_modules,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    ask,
    control_socket,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import named_acls
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_freepbx import detect
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import Outcome
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import FREEPBX_FILES

CHANNELS = {
    "sip": ("chan_sip",),
    "pjsip": ("res_pjsip", "chan_pjsip"),
    "iax2": ("chan_iax2",),
}


class Host:
    """The audited host.

    :param module: the AnsibleModule (runs commands, finds binaries).
    :param config_dir: Asterisk's configuration directory.
    :param live: whether the running Asterisk, nftables and fail2ban may be asked.
    :param asterisk_version: major version of the Asterisk the files are for, when the operator
        names it: the modules that version installs are assumed instead of reading a module
        directory, and it is the version the checks go by.
    """

    def __init__(self, module, config_dir, live, asterisk_version=None):
        self.module = module
        self.config_dir = config_dir
        self.live = live
        self.asterisk_version = asterisk_version
        self._configs = {}
        self._memo = {}
        self._cli = {}
        self._modules = None
        self.module_source = None
        self.module_assumption = None
        self.modules_asked = 0
        self._modules_stop = None

    def path(self, name):
        return os.path.join(self.config_dir, name)

    def config(self, name):
        """The loaded tree rooted at ``name`` (None when the file does not exist).

        :raises AsteriskConfigError: Asterisk would refuse the tree (kept and raised again on
            every call, so each control that needs the file reports the same error).
        """
        if name not in self._configs:
            path = self.path(name)
            try:
                self._configs[name] = load_config(path, self.config_dir) \
                    if os.path.exists(path) else None
            except AsteriskConfigError as exc:
                self._configs[name] = exc
        found = self._configs[name]
        if isinstance(found, AsteriskConfigError):
            raise found
        return found

    def section(self, name, section):
        """The first non-template category ``section`` of file ``name``, or None."""
        cfg = self.config(name)
        return cfg.first(section) if cfg is not None else None

    def remember(self, key, compute):
        """``compute()`` once per host; later calls with ``key`` return the first answer."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def run(self, args):
        """``(rc, stdout)`` of a command (never raises; rc 127 when the binary is missing)."""
        binary = self.module.get_bin_path(args[0], opt_dirs=["/usr/sbin", "/sbin"])
        if binary is None:
            return 127, ""
        rc, out, err = self.module.run_command([binary] + list(args[1:]))
        return rc, out if rc == 0 else (out + err)

    def nft_ruleset(self):
        """``(rc, stdout)`` of ``nft -j list ruleset``, asked once (rc 127: nft missing)."""
        return self.remember("nft_ruleset", lambda: self.run(["nft", "-j", "list", "ruleset"]))

    @property
    def asterisk_conf(self):
        """asterisk.conf, for the paths it sets: None when absent or refused (Asterisk then
        uses its compiled-in paths)."""
        try:
            return self.config("asterisk.conf")
        except AsteriskConfigError:
            return None

    def cli(self, command):
        """What the running Asterisk answers to CLI ``command`` (as ``asterisk -rx``), asked
        once; None when not live or no Asterisk answers."""
        if not self.live:
            return None
        if command not in self._cli:
            self._cli[command] = ask(control_socket(self.asterisk_conf), command)
        return self._cli[command]

    def installed_modules(self):
        """``(installed modules, assumption)``: the module directory, or the modules assumed
        (:class:`AssumedModules`) with the sentence that says so and from what (else None)."""
        if self.asterisk_version is not None:
            assumed = AssumedModules(self.asterisk_version, sip_conf=True)
            return assumed, "%s (from asterisk_version %d)" % (assumed, self.asterisk_version)
        module_dir = discover_module_dir(self.asterisk_conf)
        if os.path.isdir(module_dir):
            return ModuleDirectory(module_dir), None
        assumed = AssumedModules(None, sip_conf=os.path.exists(self.path("sip.conf")))
        return assumed, "%s (no module directory %s here, no asterisk_version given)" % (
            assumed, module_dir)

    @property
    def loaded_modules(self):
        """Names of the loaded modules; ``module_source`` says whether asked (``live``),
        predicted from modules.conf and the module directory (``modules.conf``) or from
        modules.conf and the modules assumed (``assumed``, ``module_assumption`` says which)."""
        if self._modules is None:
            running = running_modules(self.cli("module show"))
            if running is not None:
                self._modules, self.module_source = running, "live"
            else:
                installed, self.module_assumption = self.installed_modules()
                self._modules, self._modules_stop = predict_loaded(self.config_dir, installed)
                self.module_source = "modules.conf" if self.module_assumption is None else "assumed"
        return self._modules

    def loaded(self, *names):
        """Whether all of ``names`` are loaded.

        :raises AsteriskConfigError: the prediction found that Asterisk does not start (a
            missing or refused modules.conf...): nothing that needs a module can be judged."""
        self.modules_asked += 1
        loaded = self.loaded_modules
        if self._modules_stop is not None:
            raise self._modules_stop
        return all(name in loaded for name in names)

    def channel_loaded(self, channel):
        return self.loaded(*CHANNELS[channel])

    def not_loaded_reason(self, what):
        """Why ``what`` is not loaded: asked, predicted, or predicted with assumed modules."""
        if self.module_source == "live":
            source = "asked of the running Asterisk"
        elif self.module_assumption is not None:
            source = "predicted from modules.conf and %s, assumed" % self.module_assumption
        else:
            source = "predicted from modules.conf"
        return "%s is not loaded (%s)" % (what, source)

    def applicable_config(self, controls, modules, name, absent):
        """``(tree, None)`` of file ``name``; or ``(None, {control: not_applicable})`` when one of
        ``modules`` is not loaded or the file is absent (``absent`` says what that means)."""
        if not self.loaded(*modules):
            why, path = self.not_loaded_reason("/".join(modules)), None
        else:
            cfg = self.config(name)
            if cfg is not None:
                return cfg, None
            why, path = absent, self.path(name)
        return None, dict((control, Outcome.not_applicable(why, path)) for control in controls)

    @property
    def freepbx(self):
        """The :class:`FreePBX` managing the host, or None.  Live, its settings files count as
        evidence too; a configuration backup (``live=False``) is judged by its own files only."""
        return self.remember("freepbx", lambda: detect(
            self.config_dir, FREEPBX_FILES if self.live else ()))

    @property
    def version_major(self):
        """The Asterisk major version the operator named, else the installed Asterisk's
        (``asterisk -V``), or None."""
        if self.asterisk_version is not None:
            return self.asterisk_version
        return self.remember("version_major", lambda: installed_version(self.module)[3])


def host_named_acls(host):
    """The named ACLs of the host's acl.conf (``{name: HostAcl}``), read once.

    :raises AsteriskConfigError: Asterisk would refuse acl.conf."""
    return host.remember("named_acls", lambda: named_acls(host.config("acl.conf")))
