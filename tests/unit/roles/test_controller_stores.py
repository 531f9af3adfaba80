# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where the controller keeps what the playbooks write (the secrets role's store of rotated
secrets, the decommission playbook's erasure records): next to the inventory, yet never read as
part of it when a whole inventory directory is passed with ``-i``. The default paths are
evaluated by Ansible itself against a real directory inventory, then ``ansible-inventory``
reads that directory with a vault-encrypted store in place and no vault password."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))
_BIN = os.path.dirname(sys.executable)


def _ansible(*args, cwd):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(_REPO, ".cache", "collections"),
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="False")
    return subprocess.run(list(args), env=env, cwd=cwd, capture_output=True, text=True,
                          check=False)


def _default_paths(inventory):
    """(secret store, erasure record dir) for host ``pbx1``, as Ansible evaluates the defaults."""
    with open(os.path.join(_REPO, "roles", "secrets", "defaults", "main.yml"), encoding="utf-8") as handle:
        store = yaml.safe_load(handle)["pbx_secrets_store"]
    with open(os.path.join(_REPO, "playbooks", "decommission.yml"), encoding="utf-8") as handle:
        record_dir = yaml.safe_load(handle)[0]["vars"]["__pbx_decommission_record_dir"]
    proc = _ansible(os.path.join(_BIN, "ansible"), "pbx1", "-i", inventory,
                    "-m", "ansible.builtin.debug",
                    "-a", json.dumps({"msg": [store, record_dir.strip()]}), cwd=inventory)
    stdout = proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"][0]["hosts"]["pbx1"]["msg"]


@pytest.fixture
def inventory(tmp_path):
    folder = tmp_path / "customer-acme"
    folder.mkdir()
    (folder / "hosts.yml").write_text(yaml.safe_dump({"pbx": {"hosts": {"pbx1": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    return str(folder)


def _write_outputs(store, record_dir, vault_password_file):
    """A vault-encrypted secret store and an erasure record, where the playbooks put them."""
    os.makedirs(os.path.dirname(store))
    with open(store, "w", encoding="utf-8") as handle:
        handle.write("PBX-SEC-001/100/secret: 'fixture-only-value'\n")
    proc = _ansible(os.path.join(_BIN, "ansible-vault"), "encrypt", store,
                    "--vault-password-file", vault_password_file, cwd=os.path.dirname(store))
    assert proc.returncode == 0, proc.stderr
    os.makedirs(record_dir)
    with open(os.path.join(record_dir, "pbx1.json"), "w", encoding="utf-8") as handle:
        json.dump({"host": "pbx1", "erased": []}, handle)


def _read_inventory(inventory):
    return _ansible(os.path.join(_BIN, "ansible-inventory"), "-i", inventory, "--list",
                    cwd=inventory)


def test_default_stores_sit_next_to_the_inventory_and_are_never_read_as_inventory(inventory, tmp_path):
    store, record_dir = _default_paths(inventory)
    assert os.path.dirname(os.path.dirname(store)) == inventory
    assert os.path.basename(store) == "pbx1.yml"
    assert os.path.dirname(record_dir) == inventory
    password = tmp_path / "vault-pass"
    password.write_text("fixture-vault-password\n")
    _write_outputs(store, record_dir, str(password))

    proc = _read_inventory(inventory)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["pbx"]["hosts"] == ["pbx1"]


def test_the_same_files_in_plain_folders_break_a_directory_inventory(inventory, tmp_path):
    """The control: what the hidden folders avoid does happen, so the test above can fail."""
    store, record_dir = _default_paths(inventory)
    plain_store = os.path.join(inventory, os.path.basename(os.path.dirname(store)).lstrip("."),
                               os.path.basename(store))
    plain_records = os.path.join(inventory, os.path.basename(record_dir).lstrip("."))
    password = tmp_path / "vault-pass"
    password.write_text("fixture-vault-password\n")
    _write_outputs(plain_store, plain_records, str(password))

    proc = _read_inventory(inventory)
    assert proc.returncode != 0 or "WARNING" in proc.stderr, proc.stderr
