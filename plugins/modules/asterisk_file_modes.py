#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_file_modes
short_description: Close Asterisk's configuration and keys to other users (PBX-FS-001)
version_added: 0.1.0
description:
  - Walks O(config_dir) and O(keys_dir) and, for every directory and regular file in them,
    clears the mode bits PBX-FS-001 wants clear and gives it the group O(group). Owners stay as
    they are.
  - Directories lose group write and every bit for others (C(0027)); files of O(config_dir) lose
    the same bits, files of O(keys_dir) lose every bit but the owner's (C(0077)). A mode is only
    ever narrowed, never opened; a file at C(0600) stays C(0600).
  - Symbolic links are neither followed nor changed, inside the trees or as the trees
    themselves (a warning names a directory that is a link). A directory that does not exist is
    skipped.
  - The trees are walked with directory descriptors and each change is made on a descriptor
    opened without following links, so an entry that someone replaces with a link (or another
    file) while the module runs is left alone, with a warning, and nothing outside the trees
    is changed.
  - One call does the whole walk, however many files there are.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description:
      - Asterisk's configuration directory.
    type: path
    default: /etc/asterisk
  keys_dir:
    description:
      - Asterisk's key directory (C(astkeydir) of C(asterisk.conf)).
    type: path
    default: /var/lib/asterisk/keys
  group:
    description:
      - The group that gets both trees, Asterisk's C(rungroup). It must exist.
    type: str
    default: asterisk
extends_documentation_fragment:
  - pbxsec.hardening.attributes
seealso:
  - module: pbxsec.hardening.pbx_compliance
"""

EXAMPLES = r"""
- name: PBX-FS-001 | PATCH | Close the configuration and the keys to other users
  pbxsec.hardening.asterisk_file_modes:
    config_dir: /etc/asterisk
    keys_dir: /var/lib/asterisk/keys
    group: asterisk
  register: pbx_fs_modes

- name: PBX-FS-001 | AUDIT | What a run would change, changing nothing
  pbxsec.hardening.asterisk_file_modes:
  check_mode: true
  register: pbx_fs_modes_due
"""

RETURN = r"""
changes:
  description: Each directory or file whose mode or group was (in check mode, would be) changed.
  returned: always
  type: list
  elements: dict
  sample:
    - {path: /etc/asterisk/sip.conf, mode_before: "0644", mode: "0640", group_before: root, group: asterisk}
  contains:
    path:
      description: The directory or file.
      type: str
    mode_before:
      description: Its mode before, four octal digits.
      type: str
    mode:
      description: Its mode after.
      type: str
    group_before:
      description: Its group before (the number when no group has it).
      type: str
    group:
      description: Its group after.
      type: str
left_alone:
  description: The directories of O(config_dir) and O(keys_dir) that were left alone, with why.
  returned: always
  type: list
  elements: dict
  sample:
    - {path: /var/lib/asterisk/keys, reason: does not exist}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.file_modes import (
    FileModesError,
    close_trees,
    modes_diff,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", default="/etc/asterisk"),
            keys_dir=dict(type="path", default="/var/lib/asterisk/keys"),
            group=dict(type="str", default="asterisk"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        changes, left_alone = close_trees(params["config_dir"], params["keys_dir"],
                                          params["group"], module.check_mode, module.warn)
    except FileModesError as error:
        module.fail_json(msg=str(error), changes=error.changes)
    result = dict(changed=bool(changes), changes=changes, left_alone=left_alone)
    if module._diff and changes:
        result["diff"] = modes_diff(changes)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
