#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_secret_store
short_description: Keep rotated secrets in a controller-side store (YAML, optionally vault-encrypted)
version_added: 0.1.0
description:
  - Merges O(secrets) into the store file O(path) on the controller - a YAML mapping, one key per
    secret (the C(secrets) role uses C(CONTROL/object/option)). Keys already in the store and not
    in O(secrets) are kept; a key in both gets the new value.
  - Runs on the controller, in Ansible's own worker process (an action plugin - no module is run,
    nothing is sent to a host, no C(ansible-vault) process is started); use it with C(no_log).
  - With O(vault_password_file), the store is read and written with Ansible Vault (the format of
    C(ansible-vault encrypt), readable by C(ansible-vault view)) and never in plain text on disk.
  - The directory is created with mode 0700 when missing (and its missing parents), tolerating
    another host creating it at the same time. The read, merge and write hold an exclusive lock
    on C(.<store name>.lock) in the same directory, so that hosts sharing one store lose no entry.
    The new store is written to a temporary file of mode 0600 in the same directory, synced, and
    moved over the old one (C(os.replace)); the file is rewritten only when an entry is added or
    replaced or its mode is not 0600.
  - Refuses a store that is a symbolic link or not a regular file, that is not a YAML mapping, that
    is vault-encrypted without O(vault_password_file), or that is in plain text with it. Messages
    name the store, never what it holds.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The store file. A relative path is relative to the directory ansible-playbook runs in.
    type: path
    required: true
  secrets:
    description:
      - New entries, key to secret (strings). Never shown; the diff names keys only.
    type: dict
    required: true
  vault_password_file:
    description:
      - A vault password file, read as C(ansible-vault --vault-password-file) reads it (an
        executable file is run as a password script). When set, the store is vault-encrypted.
      - V("") (the default) keeps the store in plain YAML (mode 0600).
    type: path
    default: ""
extends_documentation_fragment:
  - pbxsec.hardening.attributes
attributes:
  check_mode:
    details: In check mode nothing is written (no directory, lock or store); C(changed) says whether the store would change.
  diff_mode:
    details: The diff lists the store's keys before and after (replaced keys marked), never a value.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
"""

EXAMPLES = r"""
- name: Store the new secrets on the controller before they reach the PBX
  pbxsec.hardening.pbx_secret_store:
    path: "{{ inventory_dir }}/.pbx-secrets/{{ inventory_hostname }}.yml"
    secrets:
      PBX-SEC-001/100/secret: "{{ new_secret }}"
  no_log: true

- name: The same, vault-encrypted
  pbxsec.hardening.pbx_secret_store:
    path: "{{ inventory_dir }}/.pbx-secrets/{{ inventory_hostname }}.yml"
    secrets: "{{ new_secrets }}"
    vault_password_file: "{{ inventory_dir }}/.vault-pass"
  no_log: true
"""

RETURN = r"""
path:
  description: The store file (absolute path).
  returned: always
  type: str
added:
  description: Keys new in the store.
  returned: always
  type: list
  elements: str
  sample: ["PBX-SEC-001/100/secret"]
replaced:
  description: Keys the store held with another value.
  returned: always
  type: list
  elements: str
  sample: ["PBX-VM-004/1234@default/pin"]
"""
