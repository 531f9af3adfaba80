# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the checks know about the audited host, each piece read once and kept: the Asterisk
configuration files (through the config engine), the running Asterisk's answers, the loaded
modules (live, or predicted from modules.conf) and the Asterisk version.

``live=False`` judges the files alone: no command is run and no process is looked at."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_modules import (
    discover_module_dir,
    installed_version,
    loaded_by_config,
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
    """

    def __init__(self, module, config_dir, live):
        self.module = module
        self.config_dir = config_dir
        self.live = live
        self._configs = {}
        self._memo = {}
        self._cli = {}
        self._modules = None
        self.module_source = None
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

    @property
    def loaded_modules(self):
        """Names of the loaded modules; ``module_source`` says whether asked or predicted."""
        if self._modules is None:
            running = running_modules(self.cli("module show"))
            if running is not None:
                self._modules, self.module_source = running, "live"
            else:
                module_dir = discover_module_dir(self.asterisk_conf)
                self._modules, self._modules_stop = loaded_by_config(self.config_dir, module_dir)
                self.module_source = "modules.conf"
        return self._modules

    def loaded(self, *names):
        return all(name in self.loaded_modules for name in names)

    def channel_loaded(self, channel):
        return self.loaded(*CHANNELS[channel])

    def not_loaded_reason(self, what):
        """Why ``what`` is not loaded; when predicted from modules.conf, with what keeps
        Asterisk from starting, if something does (a missing or refused modules.conf...)."""
        if self.module_source == "live":
            source = "asked of the running Asterisk"
        elif self._modules_stop:
            source = "predicted from modules.conf: %s" % self._modules_stop
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
        """Major version of the installed Asterisk (``asterisk -V``), or None."""
        return self.remember("version_major", lambda: installed_version(self.module)[3])


def host_named_acls(host):
    """The named ACLs of the host's acl.conf (``{name: HostAcl}``), read once.

    :raises AsteriskConfigError: Asterisk would refuse acl.conf."""
    return host.remember("named_acls", lambda: named_acls(host.config("acl.conf")))
