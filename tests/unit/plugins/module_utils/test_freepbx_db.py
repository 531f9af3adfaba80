# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""freepbx_db: reading FreePBX's database credentials and building its SQL (the statements run
against MariaDB in the freepbx16 image, in the Molecule scenario ``freepbx``)."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import (
    FreePBXError,
    parse_credentials,
    quote,
    read_credentials,
    select_sql,
    write_sql,
)

FREEPBX_CONF = """<?php
$amp_conf['AMPDBUSER'] = 'freepbxuser';
$amp_conf['AMPDBPASS'] = 'it\\'s # a \\\\ secret';
$amp_conf["AMPDBHOST"] = "localhost";
$amp_conf['AMPDBNAME'] = 'asterisk';
$amp_conf['AMPDBENGINE'] = 'mysql';
// $amp_conf['AMPDBUSER'] = 'commented';
require_once('/var/www/html/admin/bootstrap.php');
?>
"""

AMPORTAL_CONF = """# FreePBX
AMPDBHOST=127.0.0.1
AMPDBUSER=asteriskuser
AMPDBPASS="quoted pass"
AMPMGRPASS=amp111
"""


def test_php_assignments_are_read_with_php_escapes():
    found = parse_credentials(FREEPBX_CONF)
    assert found == {"AMPDBUSER": "freepbxuser", "AMPDBPASS": "it's # a \\ secret",
                     "AMPDBHOST": "localhost", "AMPDBNAME": "asterisk", "AMPDBENGINE": "mysql"}


def test_shell_assignments_are_read_and_unquoted():
    assert parse_credentials(AMPORTAL_CONF) == {
        "AMPDBHOST": "127.0.0.1", "AMPDBUSER": "asteriskuser", "AMPDBPASS": "quoted pass"}


def test_first_file_naming_a_user_wins_and_defaults_fill_the_rest(tmp_path):
    empty = tmp_path / "freepbx.conf"
    empty.write_text("<?php require_once('x'); ?>\n")
    amportal = tmp_path / "amportal.conf"
    amportal.write_text(AMPORTAL_CONF)
    settings, source = read_credentials([str(tmp_path / "missing"), str(empty), str(amportal)])
    assert source == str(amportal)
    assert settings["AMPDBNAME"] == "asterisk" and settings["AMPDBPORT"] == ""
    assert settings["AMPDBUSER"] == "asteriskuser"


def test_no_credentials_names_the_files(tmp_path):
    with pytest.raises(FreePBXError, match="AMPDBUSER.*missing"):
        read_credentials([str(tmp_path / "missing")])


@pytest.mark.parametrize("value, literal", [
    ("no", "'no'"),
    ("it's", "'it\\'s'"),
    ("back\\slash", "'back\\\\slash'"),
    ("\\'", "'\\\\\\''"),
])
def test_quote_escapes_backslash_and_quote(value, literal):
    assert quote(value) == literal


@pytest.mark.parametrize("value", ["a\nb", "a\x00b", "tab\there"])
def test_quote_refuses_control_characters(value):
    with pytest.raises(FreePBXError):
        quote(value)


def test_sipsettings_statements():
    assert select_sql("sipsettings", "allowguest") == \
        "SELECT data FROM sipsettings WHERE keyword = 'allowguest'"
    assert write_sql("sipsettings", "allowguest", "no", True) == \
        "UPDATE sipsettings SET data = 'no' WHERE keyword = 'allowguest'"
    assert write_sql("sipsettings", "allowguest", "no", False) == \
        "INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('allowguest', 'no', 0, 0)"


def test_kvstore_statements_touch_the_module_wide_row_only():
    assert select_sql("kvstore_Sipsettings", "allowanon") == \
        "SELECT val FROM kvstore_Sipsettings WHERE `key` = 'allowanon' AND id = 'noid'"
    assert write_sql("kvstore_Sipsettings", "allowanon", "No", True) == \
        "UPDATE kvstore_Sipsettings SET val = 'No' WHERE `key` = 'allowanon' AND id = 'noid'"
    assert write_sql("kvstore_Sipsettings", "allowanon", "No", False) == \
        "INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('allowanon', 'No', NULL, 'noid')"


@pytest.mark.parametrize("table", ["users", "sipsettings; DROP TABLE x", "kvstore_", "kvstore_a-b"])
def test_other_tables_are_refused(table):
    with pytest.raises(FreePBXError, match="neither sipsettings nor kvstore"):
        select_sql(table, "x")


def test_settings_last_assignment_wins_and_only_ampdb_are_credentials():
    text = FREEPBX_CONF + "$amp_conf['AMPDBUSER'] = 'second';\nAMPMGRUSER=admin\n"
    found = parse_credentials(text)
    assert found["AMPDBUSER"] == "second" and "AMPMGRUSER" not in found


def test_shell_value_blanks_around_are_stripped():
    assert parse_credentials("AMPDBUSER =  spaced  \n") == {"AMPDBUSER": "spaced"}
