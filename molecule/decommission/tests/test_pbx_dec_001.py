# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PBX-DEC-001: the decommissioned hosts hold none of their secrets, the spared ones every one."""

import glob
import json
import os
import re

import pytest

from conftest import (EPHEMERAL, ERASED_PATHS, FREEPBX_DATABASES, RECORD_DIR, SECRETS,
                      asterisk_pid, databases, host, name_in, secrets_found)

IMAGES = sorted(SECRETS)


@pytest.mark.parametrize("image", IMAGES)
def test_pbx_dec_001_no_secret_left_anywhere(image):
    found = secrets_found(host(name_in("pbx", image)), SECRETS[image])
    assert found == {}


@pytest.mark.parametrize("image", IMAGES)
def test_pbx_dec_001_spared_host_still_holds_every_secret(image, check_run):
    found = secrets_found(host(name_in("spared", image)), SECRETS[image])
    assert sorted(found) == sorted(SECRETS[image])


@pytest.mark.parametrize("image", IMAGES)
def test_pbx_dec_001_paths_erased_and_asterisk_stopped(image):
    target = host(name_in("pbx", image))
    assert [path for path in ERASED_PATHS if target.file(path).exists] == []
    assert asterisk_pid(target) == ""


def test_pbx_dec_001_freepbx_databases_dropped(check_run):
    assert databases(host(name_in("pbx", "freepbx"))) & FREEPBX_DATABASES == set()
    assert databases(host(name_in("spared", "freepbx"))) >= FREEPBX_DATABASES


@pytest.mark.parametrize("image", IMAGES)
def test_pbx_dec_001_spared_host_untouched(image, check_run):
    name = name_in("spared", image)
    target = host(name)
    with open(os.path.join(EPHEMERAL, "spared", name + ".sha256"), encoding="utf-8") as before:
        assert target.check_output("find /etc/asterisk -type f -exec sha256sum {} + | sort") \
            == before.read().rstrip("\n")
    with open(os.path.join(EPHEMERAL, "spared", name + ".pid"), encoding="utf-8") as before:
        assert asterisk_pid(target) == before.read().strip()
    assert glob.glob(os.path.join(RECORD_DIR, name + "-*.json")) == []


def test_pbx_dec_001_check_mode_lists_what_it_would_erase(check_run):
    listed = check_run["PBX-DEC-001 | Report what was erased (or would be, in check mode)"]
    listed = listed["msg"]["would erase"]
    assert {item["name"] for item in listed["databases"]} == FREEPBX_DATABASES
    files = {item["path"]: item["files"] for item in listed["paths"]}
    assert files["/etc/asterisk"] > 0 and files["/var/spool/asterisk"] > 0


@pytest.mark.parametrize("image", IMAGES)
def test_pbx_dec_001_erasure_record(image):
    name = name_in("pbx", image)
    records = glob.glob(os.path.join(RECORD_DIR, name + "-*.json"))
    assert len(records) == 1, "one record per erasure; the idempotence run erased nothing"
    with open(records[0], encoding="utf-8") as handle:
        text = handle.read()
    record = json.loads(text)
    assert record["host"] == name and record["control"] == "PBX-DEC-001"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["when"]) and record["who"]
    erased = {item["path"]: item for item in record["paths"]}
    assert erased["/etc/asterisk"]["files"] > 0 and erased["/var/spool/asterisk"]["bytes"] >= 65536
    assert [secret for secret in SECRETS[image] if secret in text] == []
