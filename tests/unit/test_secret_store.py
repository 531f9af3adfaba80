# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``pbxsec.hardening.pbx_secret_store`` (issue 17): the secrets role's store of rotated secrets,
kept by the controller's worker process. Its functions run here on real files (plain and
vault-encrypted with Ansible's VaultLib, check mode, refusals, modes, writers racing on one
store); the action runs through ``ansible`` ad-hoc, and ``ansible-vault view`` reads what it
encrypted."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys

import pytest
import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from ansible_collections.pbxsec.hardening.plugins.action import pbx_secret_store as store

# The collections directory this test imports the collection from: the ad-hoc runs use the
# same code.
_COLLECTIONS = os.path.abspath(os.path.join(os.path.dirname(store.__file__), *[os.pardir] * 5))
_ENV = dict(ANSIBLE_COLLECTIONS_PATH=_COLLECTIONS)
SECRET = "Qz7pLr2XwK9mVt4sNb8cYd3F"      # a value no output may show
PASSWORD = "fixture-vault-password"


def _vault(password=PASSWORD):
    return VaultLib([("default", VaultSecret(password.encode("utf-8")))])


def _mode(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


def _plain(path):
    with open(str(path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_plain_store_0600_in_0700_directories_keys_kept_and_replaced(tmp_path):
    path = tmp_path / "inventory" / ".pbx-secrets" / "pbx1.yml"
    first = store.update_store(str(path), {"PBX-SEC-001/100/secret": SECRET})
    assert first["changed"] is True and first["added"] == ["PBX-SEC-001/100/secret"]
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    second = store.update_store(str(path), {"PBX-VM-004/1234@default/pin": "12345678",
                                            "PBX-SEC-001/100/secret": SECRET + "x"})
    assert second["added"] == ["PBX-VM-004/1234@default/pin"]
    assert second["replaced"] == ["PBX-SEC-001/100/secret"]
    assert _plain(path) == {"PBX-SEC-001/100/secret": SECRET + "x",
                            "PBX-VM-004/1234@default/pin": "12345678"}     # a PIN stays a string
    assert store.update_store(str(path), {"PBX-VM-004/1234@default/pin": "12345678"})[
        "changed"] is False
    os.chmod(str(path), 0o644)                  # a wider mode alone is a change, and fixed
    assert store.update_store(str(path), {})["changed"] is True
    assert _mode(path) == 0o600
    assert sorted(os.listdir(str(path.parent))) == [".pbx1.yml.lock", "pbx1.yml"]   # no temp


def test_an_existing_directory_keeps_its_mode(tmp_path):
    os.chmod(str(tmp_path), 0o755)
    store.update_store(str(tmp_path / "pbx1.yml"), {"k": SECRET})
    assert _mode(tmp_path) == 0o755


def test_vault_store_is_never_plain_on_disk_and_keeps_keys(tmp_path):
    path = tmp_path / "pbx1.yml"
    store.update_store(str(path), {"PBX-SEC-001/100/secret": SECRET}, _vault())
    raw = path.read_bytes()
    assert raw.startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert SECRET.encode() not in raw and b"PBX-SEC-001" not in raw
    result = store.update_store(str(path), {"PBX-SEC-003/200/secret": "other"}, _vault())
    assert result["added"] == ["PBX-SEC-003/200/secret"] and result["replaced"] == []
    mapping, mode = store.read_store(str(path), _vault())
    assert mapping == {"PBX-SEC-001/100/secret": SECRET, "PBX-SEC-003/200/secret": "other"}
    assert mode == 0o600


def test_check_mode_predicts_and_writes_nothing(tmp_path):
    missing = tmp_path / "new" / "pbx1.yml"
    result = store.update_store(str(missing), {"k": SECRET}, check=True)
    assert result["changed"] is True and result["added"] == ["k"]
    assert not (tmp_path / "new").exists()
    path = tmp_path / "pbx1.yml"
    store.update_store(str(path), {"k": SECRET})
    before = dict((name, (tmp_path / name).read_bytes()) for name in os.listdir(str(tmp_path)))
    assert store.update_store(str(path), {"k": "new"}, check=True)["replaced"] == ["k"]
    assert store.update_store(str(path), {"k": SECRET}, check=True)["changed"] is False
    assert dict((name, (tmp_path / name).read_bytes())
                for name in os.listdir(str(tmp_path))) == before


@pytest.mark.parametrize("check", [False, True])
def test_a_store_that_is_a_link_is_refused_naming_it(tmp_path, check):
    target = tmp_path / "elsewhere.yml"
    target.write_text("kept: %s\n" % SECRET)
    link = tmp_path / "pbx1.yml"
    link.symlink_to(target)
    with pytest.raises(store.StoreError) as refused:
        store.update_store(str(link), {"k": "v"}, check=check)
    assert str(refused.value) == "refused: the secret store %s is a symbolic link" % link
    assert target.read_text() == "kept: %s\n" % SECRET and link.is_symlink()


@pytest.mark.parametrize("content, message", [
    ("- %s\n- b\n" % SECRET, "refused: the secret store {} does not hold a YAML mapping "
                             "(key: secret)"),
    ("%s\n" % SECRET, "refused: the secret store {} does not hold a YAML mapping (key: secret)"),
    ("a: 1\nb: [%s\n" % SECRET, "the secret store {} is not valid YAML (line 3)"),
])
def test_a_store_that_is_not_a_mapping_is_refused_without_its_content(tmp_path, content, message):
    path = tmp_path / "pbx1.yml"
    path.write_text(content)
    with pytest.raises(store.StoreError) as refused:
        store.update_store(str(path), {"k": "v"})
    assert str(refused.value) == message.format(path)
    assert path.read_text() == content


def test_vault_and_plain_stores_are_not_mixed_up(tmp_path):
    path = tmp_path / "pbx1.yml"
    store.update_store(str(path), {"k": SECRET}, _vault())
    encrypted = path.read_bytes()
    with pytest.raises(store.StoreError, match="is vault-encrypted: give vault_password_file"):
        store.update_store(str(path), {"k2": "v"})
    with pytest.raises(store.StoreError, match="cannot decrypt the secret store .* with the vault"):
        store.update_store(str(path), {"k2": "v"}, _vault("another password"))
    assert path.read_bytes() == encrypted
    plain = tmp_path / "plain.yml"
    plain.write_text("k: %s\n" % SECRET)
    with pytest.raises(store.StoreError, match="is not vault-encrypted although"):
        store.update_store(str(plain), {"k2": "v"}, _vault())


def test_a_value_that_is_not_a_string_is_refused_by_its_key(tmp_path):
    with pytest.raises(store.StoreError, match="^the new secret of PBX-VM-004/1@x/pin must be"):
        store.update_store(str(tmp_path / "pbx1.yml"), {"PBX-VM-004/1@x/pin": 1234})


def _writer(path, worker, rounds, vault):
    for index in range(rounds):
        store.update_store(path, {"w%d/%d" % (worker, index): "v%d" % index},
                           _vault() if vault else None)


@pytest.mark.parametrize("vault", [False, True])
def test_writers_sharing_one_store_lose_no_entry(tmp_path, vault):
    path = str(tmp_path / "store" / "shared.yml")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(path, worker, 15, vault))
               for worker in range(6)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [process.exitcode for process in workers] == [0] * len(workers)
    mapping, mode = store.read_store(path, _vault() if vault else None)
    assert mapping == dict(("w%d/%d" % (w, i), "v%d" % i) for w in range(6) for i in range(15))
    assert mode == 0o600


# --- the action, through ansible ad-hoc ------------------------------------------------------

def test_action_writes_keeps_keys_and_shows_no_value(run_module, tmp_path):
    path = tmp_path / "inventory" / ".pbx-secrets" / "pbx1.yml"
    path.parent.mkdir(parents=True)
    path.write_text("PBX-SEC-003/200/secret: kept-value\n")
    args = dict(path=str(path), secrets={"PBX-SEC-001/100/secret": SECRET})
    checked, stdout, stderr = run_module("pbxsec.hardening.pbx_secret_store", args, check=True,
                                         diff=True, env=_ENV, output="raw")
    assert checked["changed"] is True and checked["added"] == ["PBX-SEC-001/100/secret"]
    assert path.read_text() == "PBX-SEC-003/200/secret: kept-value\n"
    result, stdout, stderr = run_module("pbxsec.hardening.pbx_secret_store", args, diff=True,
                                        verbosity=3, env=_ENV, output="raw")
    assert result["changed"] is True and result["path"] == str(path)
    assert result["diff"]["after"] == "PBX-SEC-001/100/secret\nPBX-SEC-003/200/secret\n"
    assert SECRET not in stdout + stderr and "kept-value" not in stdout + stderr
    assert _plain(path) == {"PBX-SEC-001/100/secret": SECRET,
                            "PBX-SEC-003/200/secret": "kept-value"}
    assert _mode(path) == 0o600


def test_action_vault_store_is_read_by_ansible_vault_view(run_module, tmp_path):
    password = tmp_path / "vault-pass"
    password.write_text(PASSWORD + "\n")
    path = tmp_path / "pbx1.yml"
    for secrets in ({"PBX-SEC-001/100/secret": SECRET}, {"PBX-VM-004/1234@default/pin": "0042"}):
        result = run_module("pbxsec.hardening.pbx_secret_store", dict(
            path=str(path), secrets=secrets, vault_password_file=str(password)), env=_ENV)
        assert result["changed"] is True, result
    view = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-vault"), "view",
                           "--vault-password-file", str(password), str(path)],
                          capture_output=True, text=True, check=False)
    assert view.returncode == 0, view.stderr
    assert yaml.safe_load(view.stdout) == {"PBX-SEC-001/100/secret": SECRET,
                                           "PBX-VM-004/1234@default/pin": "0042"}
    assert _mode(path) == 0o600
    missing = run_module("pbxsec.hardening.pbx_secret_store", dict(
        path=str(path), secrets={}, vault_password_file=str(tmp_path / "nope")), env=_ENV)
    assert missing["failed"] is True
    assert missing["msg"].startswith("cannot read the vault password file %s: " % (tmp_path / "nope"))
    assert json.dumps(missing).count(PASSWORD) == 0
