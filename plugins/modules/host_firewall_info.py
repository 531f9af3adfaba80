#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: host_firewall_info
short_description: Tell what manages a PBX host's firewall, in one call
version_added: 0.1.0
description:
  - Reads, without changing anything, what the firewall role needs to know before it touches a
    host's packet filter; the role used to ask each question with a task of its own.
  - Whether the C(nftables) package is installed (C(dpkg-query)), whether systemd is the
    service manager (C(/run/systemd/system)), whether FreePBX's Firewall module is installed
    and enabled (its module directory, and the C(firewall.enabled) flag FreePBX keeps in
    O(config_dir)), whether firewalld runs (C(firewall-cmd --state)) and whether ufw is active
    (C(ufw status)).
  - A command that is not installed is not run; its tool counts as absent.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description:
      - Asterisk's configuration directory, where FreePBX keeps C(firewall.enabled).
    type: path
    default: /etc/asterisk
  freepbx_modules_dir:
    description:
      - Where FreePBX keeps its modules (its Firewall module is C(firewall) there).
    type: path
    default: /var/www/html/admin/modules
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
seealso:
  - module: pbxsec.hardening.nft_ruleset
"""

EXAMPLES = r"""
- name: PBX-NET-001 | AUDIT | Find what manages the firewall
  pbxsec.hardening.host_firewall_info:
    config_dir: /etc/asterisk
  register: pbx_discovered_firewall_host

- name: PBX-NET-001 | AUDIT | Stop where firewalld owns the firewall
  ansible.builtin.assert:
    that: not pbx_discovered_firewall_host.firewalld.running
"""

RETURN = r"""
nftables_installed:
  description: Whether the C(nftables) package is installed.
  returned: always
  type: bool
systemd:
  description: Whether systemd is the service manager (false in most containers).
  returned: always
  type: bool
freepbx_firewall:
  description: FreePBX's Firewall module.
  returned: always
  type: dict
  contains:
    installed:
      description: Its module directory exists.
      type: bool
    enabled:
      description: FreePBX's C(firewall.enabled) flag exists in O(config_dir).
      type: bool
firewalld:
  description: firewalld.
  returned: always
  type: dict
  contains:
    installed:
      description: C(firewall-cmd) is installed.
      type: bool
    running:
      description: C(firewall-cmd --state) answered C(running).
      type: bool
ufw:
  description: ufw.
  returned: always
  type: dict
  contains:
    installed:
      description: C(ufw) is installed.
      type: bool
    active:
      description: "C(ufw status) answered C(Status: active)."
      type: bool
"""

import os

from ansible.module_utils.basic import AnsibleModule


def _answer(module, command, *args):
    """``(installed, stdout)`` of ``command args`` (stdout '' where it fails or is missing)."""
    binary = module.get_bin_path(command)
    if binary is None:
        return False, ""
    rc, out, _err = module.run_command([binary] + list(args))
    return True, out if rc == 0 else ""


def gather(module):
    params = module.params
    _dpkg, status = _answer(module, "dpkg-query", "--show", "--showformat=${db:Status-Abbrev}",
                            "nftables")
    firewalld, state = _answer(module, "firewall-cmd", "--state")
    ufw, ufw_status = _answer(module, "ufw", "status")
    return dict(
        nftables_installed=status.startswith("ii"),
        systemd=os.path.isdir("/run/systemd/system"),
        freepbx_firewall=dict(
            installed=os.path.isdir(os.path.join(params["freepbx_modules_dir"], "firewall")),
            enabled=os.path.exists(os.path.join(params["config_dir"], "firewall.enabled")),
        ),
        firewalld=dict(installed=firewalld, running=state.strip() == "running"),
        ufw=dict(installed=ufw, active="Status: active" in ufw_status),
    )


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", default="/etc/asterisk"),
            freepbx_modules_dir=dict(type="path", default="/var/www/html/admin/modules"),
        ),
        supports_check_mode=True,
    )
    module.exit_json(changed=False, **gather(module))


if __name__ == "__main__":
    main()
