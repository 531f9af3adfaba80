#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: freepbx_setting
short_description: Read or set a FreePBX setting in FreePBX's own database
version_added: 0.1.0
description:
  - Makes the FreePBX setting O(name) of O(table) hold O(value), in the database FreePBX
    generates Asterisk's configuration from, so that the next C(fwconsole reload) (or B(Apply
    Config) in the GUI) writes the hardened value itself instead of undoing a file edit.
  - Works through the C(mysql) client on the host, with the credentials FreePBX keeps in
    C(/etc/freepbx.conf) (or C(/etc/amportal.conf)); the password goes to C(mysql) in a
    temporary option file readable by the module's user only, never on the command line.
  - Only writes the database. Asterisk's files change when FreePBX regenerates them, so reload
    FreePBX (C(fwconsole reload)) afterwards, as the collection's roles do.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  name:
    description:
      - The setting, for example V(allowguest) (table C(sipsettings), "Allow SIP Guests") or
        V(allowanon) (table C(kvstore_Sipsettings), "Allow Anonymous Inbound SIP Calls").
    type: str
    required: true
  value:
    description:
      - The wanted value, compared exactly (FreePBX writes C(yes)/C(no) in C(sipsettings) and
        C(Yes)/C(No) for C(allowanon)).
    type: str
    required: true
  table:
    description:
      - V(sipsettings) (columns C(keyword), C(data)) or a module's key-value store
        C(kvstore_<Module>) (columns C(key), C(val); the module-wide row, C(id = 'noid')).
      - Every row of O(name) is updated; a missing one is inserted.
    type: str
    default: sipsettings
  credentials_files:
    description:
      - Files read, in order, for the database settings C(AMPDBUSER), C(AMPDBPASS),
        C(AMPDBHOST), C(AMPDBPORT), C(AMPDBNAME); the first one naming a user is used.
    type: list
    elements: path
    default: [/etc/freepbx.conf, /etc/amportal.conf]
extends_documentation_fragment:
  - pbxsec.hardening.attributes
requirements:
  - the C(mysql) (or C(mariadb)) command line client on the target, as on every FreePBX host
notes:
  - Voicemail settings are not here - FreePBX's voicemail module keeps them in C(voicemail.conf)
    itself (B(Settings > Voicemail Admin)).
seealso:
  - module: pbxsec.hardening.freepbx_layout
"""

EXAMPLES = r"""
- name: PBX-SIP-001 | PATCH | Allow SIP Guests = no, in FreePBX's chan_sip settings
  pbxsec.hardening.freepbx_setting:
    name: allowguest
    value: "no"
  notify: Reload FreePBX

- name: PBX-PJS-001 | PATCH | Allow Anonymous Inbound SIP Calls = No
  pbxsec.hardening.freepbx_setting:
    table: kvstore_Sipsettings
    name: allowanon
    value: "No"
  notify: Reload FreePBX
"""

RETURN = r"""
before:
  description: The values stored before (one per row; empty when the setting had no row).
  returned: always
  type: list
  elements: str
  sample: ["yes"]
after:
  description: The value stored afterwards (what it would be, in check mode).
  returned: always
  type: str
  sample: "no"
credentials_file:
  description: The file the database settings were read from.
  returned: always
  type: str
  sample: /etc/freepbx.conf
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import (
    Client,
    FreePBXError,
    read_credentials,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            value=dict(type="str", required=True),
            table=dict(type="str", default="sipsettings"),
            credentials_files=dict(type="list", elements="path",
                                   default=["/etc/freepbx.conf", "/etc/amportal.conf"]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    name, value, table = params["name"], params["value"], params["table"]
    mysql = module.get_bin_path("mysql") or module.get_bin_path("mariadb")
    if mysql is None:
        module.fail_json(msg="neither mysql nor mariadb (the client) is installed on this host")
    try:
        settings, source = read_credentials(params["credentials_files"])
        if settings["AMPDBPASS"]:
            module.no_log_values.add(settings["AMPDBPASS"])
        client = Client(module, mysql, settings)
        before = client.get(table, name)
        changed = not before or any(item != value for item in before)
        if changed and not module.check_mode:
            client.set(table, name, value, exists=bool(before))
    except FreePBXError as exc:
        module.fail_json(msg=str(exc))

    where = "%s %s" % (table, name)
    module.exit_json(
        changed=changed,
        before=before,
        after=value,
        credentials_file=source,
        diff=dict(before="".join("%s = %s\n" % (where, item) for item in before),
                  after="%s = %s\n" % (where, value),
                  before_header="%s (database %s)" % (table, settings["AMPDBNAME"]),
                  after_header="%s (database %s)" % (table, settings["AMPDBNAME"])),
    )


if __name__ == "__main__":
    main()
