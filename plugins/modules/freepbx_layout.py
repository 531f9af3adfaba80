#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: freepbx_layout
short_description: Tell where a change to a FreePBX host's Asterisk configuration survives FreePBX
version_added: 0.1.0
description:
  - FreePBX writes its root files (C(sip.conf), C(pjsip.conf)...) and every generated file
    (C(sip_general_additional.conf), C(pjsip.endpoint.conf)...) again on each C(fwconsole reload).
    It leaves alone the C(*_custom.conf) and C(*_custom_post.conf) files those root files
    include.
  - For each root file present under O(config_dir), returns the files a change may go to
    (C(writable) in RV(layout), for M(pbxsec.hardening.asterisk_config)'s C(writable)) and
    the file a new assignment goes to per kind of section (for its C(override_file)), and checks
    on the host's real tree that each of those files is read after the generated file it must
    beat.
  - Also names the files of each tree that FreePBX writes again (C(freepbx_written) in
    RV(layout)), so that a role can tell a line it may change from one only FreePBX can change,
    and per control the FreePBX GUI setting that makes such a change (RV(gui_fixes)).
  - Reads only; never changes a file.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description:
      - Asterisk's configuration directory.
    type: path
    default: /etc/asterisk
  roots:
    description:
      - Root files to describe. Defaults to all that the module knows (C(sip.conf),
        C(pjsip.conf), C(iax.conf), C(logger.conf), C(manager.conf), C(http.conf),
        C(extensions.conf), C(voicemail.conf)).
    type: list
    elements: str
    choices: [extensions.conf, http.conf, iax.conf, logger.conf, manager.conf, pjsip.conf, sip.conf, voicemail.conf]
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
seealso:
  - module: pbxsec.hardening.asterisk_config
  - module: pbxsec.hardening.freepbx_setting
"""

EXAMPLES = r"""
- name: Preflight | Where changes survive FreePBX
  pbxsec.hardening.freepbx_layout:
    roots: [sip.conf]
  register: pbx_discovered_freepbx_layout

- name: PBX-SIP-004 | PATCH | Disable overlap dialing, in the file FreePBX leaves alone
  pbxsec.hardening.asterisk_config:
    path: /etc/asterisk/sip.conf
    section: general
    option: allowoverlap
    value: "no"
    writable: "{{ pbx_discovered_freepbx_layout.layout['sip.conf'].writable }}"
    override_file: "{{ pbx_discovered_freepbx_layout.layout['sip.conf'].general }}"
"""

RETURN = r"""
layout:
  description: One entry per root file present, by its name.
  returned: always
  type: dict
  sample:
    sip.conf:
      path: /etc/asterisk/sip.conf
      writable: [sip_general_custom.conf, sip_registrations_custom.conf, sip_custom.conf, sip_custom_post.conf]
      general: sip_general_custom.conf
      objects: sip_custom_post.conf
      freepbx_written: [sip.conf, sip_general_additional.conf, sip_nat.conf, sip_registrations.conf, sip_additional.conf]
      gui: Settings > Asterisk SIP Settings > Chan SIP Settings
      problems: []
  contains:
    path:
      description: The root file.
      type: str
    writable:
      description: Glob patterns (relative to O(config_dir)) of the files FreePBX leaves alone.
      type: list
      elements: str
    general:
      description:
        - Where a new C([general]) assignment goes (PJSIP - the C(type=global) section). Absent
          when nothing in that tree may be edited.
      type: str
      returned: when the tree has one
    objects:
      description: Where an assignment to an object (peer, endpoint, user) goes, as C([name](+)).
      type: str
      returned: when the tree has one
    logfiles:
      description: Where a new C([logfiles]) channel goes (C(logger.conf)).
      type: str
      returned: for logger.conf
    dialplan:
      description:
        - Where hand-written contexts and C(#include)/C(#tryinclude) lines of the dialplan go
          (C(extensions.conf)), read after FreePBX's generated dialplan.
      type: str
      returned: for extensions.conf
    freepbx_written:
      description:
        - The files of the tree as Asterisk reads it (relative to O(config_dir), in that order)
          that match no C(writable) pattern - the root file and FreePBX's generated files. A
          line there changes only through FreePBX (see RV(gui_fixes)).
      type: list
      elements: str
    gui:
      description: The FreePBX GUI page that owns what the generated files of this tree say.
      type: str
    problems:
      description:
        - Why an override would not win on this host (an override file not included, or read
          before the generated file it must beat, or a tree Asterisk cannot load). Empty when
          the layout is FreePBX's.
      type: list
      elements: str
gui_fixes:
  description:
    - Control ID to the FreePBX GUI setting that fixes a finding of that control (the same text
      the audit names), for the controls FreePBX has one for.
  returned: always
  type: dict
  sample:
    PBX-SIP-006: "Connectivity > Trunks > (the trunk) > sip Settings > PEER Details: deny=0.0.0.0/0.0.0.0 and permit= the provider networks"
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_freepbx import FIXES
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import (
    LAYOUT,
    describe,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", default="/etc/asterisk"),
            roots=dict(type="list", elements="str", choices=sorted(LAYOUT)),
        ),
        supports_check_mode=True,
    )
    module.exit_json(changed=False,
                     layout=describe(module.params["config_dir"], module.params["roots"],
                                     written=True),
                     gui_fixes=dict((control, gui) for control, (gui, _customs) in FIXES.items() if gui))


if __name__ == "__main__":
    main()
