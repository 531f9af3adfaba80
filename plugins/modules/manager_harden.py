#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: manager_harden
short_description: Lock down AMI (manager.conf), Asterisk's HTTP server (http.conf) and configuration file modes in one call
version_added: 0.1.0
description:
  - Reads manager.conf and http.conf of O(config_dir) as Asterisk reads them, plans the changes
    of the controls in O(controls), writes each changed file once (atomically) and returns what
    changed, which Asterisk modules to reload and what the role cannot fix.
  - C(PBX-AMI-001) - manager.conf C([general]) C(enabled=no) with O(disable_ami), else, when AMI
    is on, C(bindaddr) (and C(tlsbindaddr) when C(tlsenable) is on) at the catalogue's value,
    127.0.0.1.
  - C(PBX-AMI-002) - every AMI user (every non-template category but C([general]), the first of
    each name) ends with C(deny=0.0.0.0/0.0.0.0) followed by C(permit=127.0.0.1/255.255.255.255)
    and one C(permit) per O(management_networks) entry (O(freepbx_ami_user) - 127.0.0.1 only).
    Asterisk applies the rules in order and the last matching one wins, so a wanted permit before
    the deny-all rule is removed and appended again, and other permits outside localhost and those
    networks are removed. What the role cannot fix (C(write) rights to system, command, originate
    or all, read as manager.c reads them; template permits and C(acl=) lines after the deny-all
    rule; lines in files FreePBX writes again) is returned in RV(findings), also when the control
    is not in O(controls) (waived), so that the verdict can report it.
  - C(PBX-HTTP-001) - http.conf C([general]) C(enabled=no), or with O(http_enabled) C(bindaddr)
    (and C(tlsbindaddr) when C(tlsenable) is on) at 127.0.0.1; C(servername) blank either way.
  - C(PBX-FS-001) - before the files are written, O(config_dir) and O(keys_dir) are closed to other
    users and given the group O(group), with the code of M(pbxsec.hardening.asterisk_file_modes);
    modes are only narrowed, links never followed, owners kept.
  - With O(freepbx), changes go only to the custom files FreePBX includes last and never writes
    (M(pbxsec.hardening.freepbx_layout)); the module fails, changing nothing, when those are not
    read after the generated files.
  - O(management_networks) is checked before anything is read; a bad entry fails the module.
  - Every edit follows M(pbxsec.hardening.asterisk_settings)' rules (only lines that carry the
    option change, every other byte is kept, the edited tree is loaded again before anything is
    written). Both trees are planned and checked before either file is written. AMI secrets are
    masked in the diff.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Asterisk's configuration directory, where manager.conf and http.conf are.
    type: path
    required: true
  controls:
    description:
      - The controls to enforce (of C(PBX-AMI-001), C(PBX-AMI-002), C(PBX-HTTP-001),
        C(PBX-FS-001)); the others change nothing.
      - manager.conf is read when an AMI control is listed, http.conf when C(PBX-HTTP-001) is.
    type: list
    elements: str
    required: true
  management_networks:
    description:
      - IPv4 networks (C(address/prefix), prefix 1 to 32) every AMI user but O(freepbx_ami_user)
        is permitted from.
    type: raw
    default: []
  disable_ami:
    description: For C(PBX-AMI-001), switch AMI off (C(enabled=no)) instead of binding it to 127.0.0.1.
    type: bool
    default: false
  http_enabled:
    description: For C(PBX-HTTP-001), keep the HTTP server on, bound to 127.0.0.1, instead of switching it off.
    type: bool
    default: false
  freepbx:
    description: FreePBX manages this host.
    type: bool
    default: false
  freepbx_ami_user:
    description:
      - FreePBX's own AMI user (C(AMPMGRUSER)), found ignoring case - permitted from 127.0.0.1
        only, its write rights (which FreePBX needs) not judged. Ignored without O(freepbx).
    type: str
    default: ""
  keys_dir:
    description: For C(PBX-FS-001), Asterisk's keys directory (files there lose every group and other bit).
    type: path
    default: /var/lib/asterisk/keys
  group:
    description: For C(PBX-FS-001), the group Asterisk runs as, given to both trees.
    type: str
    default: asterisk
extends_documentation_fragment:
  - pbxsec.hardening.attributes
  - pbxsec.hardening.config_tree.edit
seealso:
  - module: pbxsec.hardening.asterisk_settings
  - module: pbxsec.hardening.freepbx_layout
"""

EXAMPLES = r"""
- name: PBX-AMI-001 | PATCH | AMI and the HTTP server on 127.0.0.1 or off, every AMI user behind deny-all
  pbxsec.hardening.manager_harden:
    config_dir: /etc/asterisk
    controls: [PBX-AMI-001, PBX-AMI-002, PBX-HTTP-001]
    management_networks: [192.0.2.0/24]
  register: pbx_discovered_manager

- name: PBX-AMI-002 | AUDIT | Fail on what the role could not fix
  ansible.builtin.assert:
    that: pbx_discovered_manager.findings | length == 0
    fail_msg: "{{ pbx_discovered_manager.findings | map(attribute='msg') | join('; ') }}"
"""

RETURN = r"""
changed:
  description: Whether a file was (or, in check mode, would be) changed.
  returned: always
  type: bool
files:
  description: Paths of the changed (or created) files.
  returned: always
  type: list
  elements: str
diff:
  description:
    - One entry per changed file; credentials (AMI C(secret)) are masked.
    - With C(PBX-FS-001) changes, one more entry, C(modes and groups), one C(path mode group)
      line per changed directory or file.
  returned: always
  type: list
  elements: dict
backup_files:
  description: Backup files created, one per changed existing file, when O(backup=true).
  returned: always
  type: list
  elements: str
read:
  description: The files read (C(manager.conf), C(http.conf)); one absent, or whose controls are not in O(controls), is not.
  returned: always
  type: list
  elements: str
reload:
  description: The Asterisk modules whose configuration changed, to reload (C(manager), C(http)).
  returned: always
  type: list
  elements: str
  sample: [manager, http]
settings:
  description: One entry per setting planned, in order.
  returned: always
  type: list
  elements: dict
  contains:
    control:
      description: The control ID.
      type: str
    file:
      description: C(manager.conf) or C(http.conf).
      type: str
    section:
      description: The section (an AMI user or C(general)).
      type: str
    option:
      description: The option.
      type: str
    changed:
      description: Whether this setting changed the tree.
      type: bool
    effective_before:
      description: Effective value before (null when absent; a list for C(permit) and C(deny)).
      type: raw
    effective_after:
      description: Effective value after the change.
      type: raw
findings:
  description:
    - What the role leaves failing, each with its control ID and a message naming the AMI user,
      the line (C(path:line)) and the fix. Never a secret.
  returned: always
  type: list
  elements: dict
  sample:
    - {control: PBX-AMI-002, msg: "[crm] write = system,call grants system (/etc/asterisk/manager.conf:12)"}
ami:
  description: How AMI listens and what PBX-AMI-002 does to each user (empty when manager.conf is not read).
  returned: always
  type: dict
  contains:
    enabled:
      description: C(on) or C(off), as manager.c reads C(enabled).
      type: str
    users:
      description: The AMI users.
      type: list
      elements: str
    freepbx_user:
      description: FreePBX's own AMI user, or null.
      type: str
    deny_added:
      description: C(user - deny = ...) appended.
      type: list
      elements: str
    permits_added:
      description: C(user - permit = ...) appended.
      type: list
      elements: str
    permits_removed:
      description: C(user - permit = ...) removed.
      type: list
      elements: str
    permits_moved_after_the_deny:
      description: Permits removed and appended again after the deny-all rule.
      type: list
      elements: str
file_modes:
  description:
    - C(PBX-FS-001) - each directory or file whose mode or group changed (in check mode, would
      change), as M(pbxsec.hardening.asterisk_file_modes) returns them in its C(changes), and
      the trees left alone with why (C(left_alone)). Empty when the control is not in O(controls).
  returned: always
  type: dict
  sample:
    changes:
      - {path: /etc/asterisk/sip.conf, mode_before: "0644", mode: "0640", group_before: root, group: asterisk}
    left_alone:
      - {path: /var/lib/asterisk/keys, reason: does not exist}
exec_directives:
  description: C(path:line) of every C(#exec) line of both trees (never run by this module).
  returned: always
  type: list
  elements: str
msg:
  description: What was done.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_manager import (
    ARGUMENT_SPEC,
    run,
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(**printable(run(module)))


if __name__ == "__main__":
    main()
