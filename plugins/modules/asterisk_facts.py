#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_facts
short_description: Discover Asterisk on a host (version, running, channel drivers, FreePBX)
version_added: 0.1.0
description:
  - Finds the Asterisk version, whether Asterisk runs, which SIP/IAX channel drivers are
    installed and loaded, where its configuration and modules live, and whether FreePBX manages
    the host.
  - When Asterisk runs, loaded modules are asked of the running Asterisk (C(asterisk -rx "module show"));
    when it does not, they are predicted from C(modules.conf) (C(autoload), C(load), C(noload))
    and the modules installed in C(astmoddir), read with the collection's Asterisk config engine.
  - Reads only; safe in check mode.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Directory Asterisk reads its configuration from.
    type: path
    default: /etc/asterisk
  live:
    description:
      - Ask the running Asterisk when it runs. When false, judge from the files alone.
    type: bool
    default: true
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
notes:
  - The facts are returned under C(ansible_facts.asterisk).
"""

EXAMPLES = r"""
- name: Discover Asterisk
  pbxsec.hardening.asterisk_facts:

- name: Harden chan_sip only where it is installed
  ansible.builtin.debug:
    msg: "chan_sip loaded: {{ ansible_facts.asterisk.chan_sip.loaded }}"
  when: ansible_facts.asterisk.chan_sip.installed

- name: Judge a configuration backup without asking a running Asterisk
  pbxsec.hardening.asterisk_facts:
    config_dir: /srv/backup/pbx1/etc/asterisk
    live: false
"""

RETURN = r"""
ansible_facts:
  description: Facts about Asterisk on the host.
  returned: always
  type: dict
  contains:
    asterisk:
      description: What was found.
      type: dict
      contains:
        installed:
          description: Whether the C(asterisk) binary was found.
          type: bool
          sample: true
        binary:
          description: Path of the C(asterisk) binary, or null.
          type: str
          sample: /usr/sbin/asterisk
        version:
          description: Asterisk version as C(asterisk -V) prints it, without distribution suffix.
          type: str
          sample: 16.28.0
        version_full:
          description: The whole C(asterisk -V) version string.
          type: str
          sample: 16.28.0~dfsg-0+deb11u10
        version_major:
          description: Major version, or null when unknown.
          type: int
          sample: 16
        running:
          description: Whether a running Asterisk answered on its control socket.
          type: bool
        source:
          description: Where the loaded state comes from, C(live) or C(config).
          type: str
          sample: live
        config_dir:
          description: The configuration directory.
          type: str
          sample: /etc/asterisk
        module_dir:
          description: Where Asterisk loads modules from (asterisk.conf C(astmoddir)).
          type: str
          sample: /usr/lib/asterisk/modules
        modules:
          description: Installed and loaded state of the modules the collection's controls depend on.
          type: dict
          sample: {"chan_sip": {"installed": true, "loaded": true}}
        chan_sip:
          description: chan_sip installed and loaded (C(chan_sip.so)).
          type: dict
          sample: {"installed": true, "loaded": true}
        pjsip:
          description: PJSIP installed and loaded (C(res_pjsip.so) and C(chan_pjsip.so)).
          type: dict
          sample: {"installed": true, "loaded": true}
        iax2:
          description: chan_iax2 installed and loaded.
          type: dict
          sample: {"installed": true, "loaded": false}
        freepbx:
          description: Whether FreePBX manages this host, and why we think so.
          type: dict
          sample: {"detected": true, "evidence": ["/etc/freepbx.conf"]}
        config_errors:
          description: Errors met while reading asterisk.conf or modules.conf (file:line message).
          type: list
          elements: str
"""

import glob
import os
import re

from ansible.module_utils.basic import AnsibleModule
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
FREEPBX_FILES = ("/etc/freepbx.conf", "/etc/amportal.conf")
FREEPBX_COMMANDS = ("/usr/sbin/fwconsole", "/var/lib/asterisk/bin/fwconsole", "/usr/local/sbin/fwconsole")
FREEPBX_GENERATED = ("sip_general_additional.conf", "pjsip.endpoint.conf", "extensions_additional.conf")
VERSION_RE = re.compile(r"Asterisk\s+(?:certified/)?(?P<full>(?P<version>(?P<major>\d+)(?:\.\d+)*(?:-cert\d+)?)\S*)")
LOADED_MODULE_RE = re.compile(r"^(?P<name>\S+)\.so\s")


def module_name(resource):
    """Normalise a resource as modules.conf and `module show` name it: no `.so`."""
    resource = resource.strip()
    return resource[:-3] if resource.endswith(".so") else resource


def parse_version(text):
    match = VERSION_RE.search(text or "")
    if not match:
        return None, None, None
    return match.group("version"), match.group("full"), int(match.group("major"))


def read_section(path, config_dir, section, errors):
    """Return the first category named `section` of the tree rooted at `path`, or None."""
    if not os.path.exists(path):
        return None
    try:
        return load_config(path, config_dir=config_dir).first(section)
    except AsteriskConfigError as exc:
        errors.append(str(exc))
        return None


def discover_module_dir(config_dir, errors):
    """asterisk.conf [directories] astmoddir, else the first compiled-in default that exists.

    Stock asterisk.conf ships `[directories](!)`: a template, which Asterisk does not read,
    so the packaging's compiled-in directory applies (multiarch on newer Debian).
    """
    directories = read_section(os.path.join(config_dir, "asterisk.conf"), config_dir, "directories", errors)
    value = directories.get("astmoddir") if directories is not None else None
    if value:
        return value
    candidates = sorted(glob.glob("/usr/lib/*/asterisk/modules")) + list(DEFAULT_MODULE_DIRS)
    return next((path for path in candidates if os.path.isdir(path)), DEFAULT_MODULE_DIRS[0])


def loaded_by_config(config_dir, installed, errors):
    """Predict which modules Asterisk loads at start from modules.conf [modules]."""
    modules = read_section(os.path.join(config_dir, "modules.conf"), config_dir, "modules", errors)
    if modules is None:
        return set(name for name, present in installed.items() if present)
    explicit = set()
    for option in ("load", "preload", "require", "preload-require"):
        explicit.update(module_name(value) for value in modules.get_all(option))
    noload = set(module_name(value) for value in modules.get_all("noload"))
    autoload = ast_true(modules.get("autoload") or "no")
    return set(
        name for name, present in installed.items()
        if present and (name in explicit or (autoload and name not in noload))
    )


def loaded_live(module, binary):
    """Return the set of loaded module names, or None when no Asterisk answers."""
    rc, out, dummy = module.run_command([binary, "-rx", "module show"])
    if rc != 0 or "modules loaded" not in out:
        return None
    return set(
        match.group("name") for match in map(LOADED_MODULE_RE.match, out.splitlines()) if match
    )


def detect_freepbx(config_dir):
    """FreePBX leaves its settings files, its CLI and its generated *_additional.conf files."""
    generated = [os.path.join(config_dir, name) for name in FREEPBX_GENERATED]
    evidence = [path for path in FREEPBX_FILES + FREEPBX_COMMANDS + tuple(generated) if os.path.exists(path)]
    return {"detected": bool(evidence), "evidence": evidence}


def gather(module):
    config_dir = module.params["config_dir"]
    errors = []
    binary = module.get_bin_path("asterisk", opt_dirs=["/usr/sbin", "/usr/local/sbin"])
    version = full = major = None
    if binary:
        dummy, out, dummy_err = module.run_command([binary, "-V"])
        version, full, major = parse_version(out)

    module_dir = discover_module_dir(config_dir, errors)
    installed = dict(
        (name, os.path.exists(os.path.join(module_dir, name + ".so"))) for name in WATCHED_MODULES
    )
    loaded = loaded_live(module, binary) if binary and module.params["live"] else None
    running = loaded is not None
    source = "live"
    if loaded is None:
        loaded = loaded_by_config(config_dir, installed, errors)
        source = "config"

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
        "config_errors": errors,
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", default="/etc/asterisk"),
            live=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    module.exit_json(changed=False, ansible_facts={"asterisk": gather(module)})


if __name__ == "__main__":
    main()
