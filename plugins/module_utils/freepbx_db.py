# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""FreePBX's settings database, reached through the ``mysql`` client every FreePBX host has.

FreePBX keeps its settings in MySQL/MariaDB (database ``asterisk`` by default), with the
credentials in ``/etc/freepbx.conf`` (PHP: ``$amp_conf['AMPDBUSER'] = '...';``) or, on older
installs, ``/etc/amportal.conf`` (``AMPDBUSER=...``). Two table shapes hold the settings the
collection changes:

- ``sipsettings`` (``keyword``, ``data``, ``seq``, ``type``): chan_sip settings such as
  ``allowguest`` ("Allow SIP Guests").
- ``kvstore_<Module>`` (``key``, ``val``, ``type``, ``id``; module-wide values have
  ``id = 'noid'``): for example ``kvstore_Sipsettings`` ``allowanon`` ("Allow Anonymous Inbound
  SIP Calls", ``Yes``/``No``).
"""

from __future__ import annotations

import os
import re
import tempfile

DEFAULTS = {"AMPDBHOST": "localhost", "AMPDBPORT": "", "AMPDBNAME": "asterisk",
            "AMPDBUSER": "", "AMPDBPASS": ""}

# Line by line, each pattern anchored at the line's start and never crossing it: linear in the
# file, which comes from the PBX and may be hostile.
_PHP_ASSIGNMENT = re.compile(
    r"""^\s*\$amp_conf\s*\[\s*(['"])([A-Za-z0-9_]+)\1\s*\]\s*=\s*(['"])(.*?)\3\s*;""")
_SHELL_ASSIGNMENT = re.compile(r"""^\s*([A-Za-z0-9_]+)\s*=(.*)""")
_TABLE = re.compile(r"^(sipsettings|kvstore_[A-Za-z0-9_]+)$")

# FreePBX's own AMI user when its settings files name none (FreePBX installs it as "admin").
DEFAULT_AMI_USER = "admin"


class FreePBXError(Exception):
    """Something a person must fix: the message says what."""


def _setting(line):
    """``(name, value)`` of one freepbx.conf (PHP) or amportal.conf (KEY=VALUE) line, or None."""
    match = _PHP_ASSIGNMENT.match(line)
    if match:
        value = match.group(4)
        if match.group(3) == "'":
            value = value.replace("\\'", "'").replace("\\\\", "\\")
        return match.group(2), value
    match = _SHELL_ASSIGNMENT.match(line)
    if match:
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        return match.group(1), value
    return None


def parse_settings(text):
    """Every setting of a freepbx.conf (``$amp_conf['KEY'] = 'value';``) or amportal.conf
    (``KEY=value``) text; the last assignment of a name wins, as PHP and the shell read it."""
    return dict(found for found in map(_setting, text.splitlines()) if found is not None)


def _credentials(settings):
    return dict((name, value) for name, value in settings.items() if name.startswith("AMPDB"))


def parse_credentials(text):
    """The ``AMPDB*`` settings of a freepbx.conf or amportal.conf text."""
    return _credentials(parse_settings(text))


def _read_settings(path):
    with open(path, "rb") as handle:
        return parse_settings(handle.read().decode("utf-8", "replace"))


def read_credentials(paths):
    """AMPDB* settings from the first of ``paths`` that exists and names a database user."""
    for path in paths:
        if not os.path.isfile(path):
            continue
        found = _credentials(_read_settings(path))
        if found.get("AMPDBUSER"):
            settings = dict(DEFAULTS)
            settings.update(found)
            return settings, path
    raise FreePBXError("no FreePBX database credentials (AMPDBUSER) in %s" % ", ".join(paths))


def read_ami_user(paths):
    """``(AMPMGRUSER, file)`` from the first of ``paths`` that names FreePBX's own AMI user, else
    ``(DEFAULT_AMI_USER, None)``."""
    for path in paths:
        if os.path.isfile(path):
            user = _read_settings(path).get("AMPMGRUSER", "").strip()
            if user:
                return user, path
    return DEFAULT_AMI_USER, None


def _escaped(value, mark):
    """``value`` between ``mark`` quotes, backslash and quote escaped (MySQL's rules for string
    literals and for option file values); control characters are refused."""
    if re.search(r"[\x00-\x1f]", value):
        raise FreePBXError("a FreePBX setting or credential cannot hold control characters")
    return "%s%s%s" % (mark, value.replace("\\", "\\\\").replace(mark, "\\" + mark), mark)


def quote(value):
    """A MySQL string literal."""
    return _escaped(value, "'")


def _shape(table):
    if not _TABLE.match(table):
        raise FreePBXError("table %r is neither sipsettings nor kvstore_<Module>" % table)
    if table == "sipsettings":
        return "keyword", "data", ""
    return "`key`", "val", " AND id = 'noid'"


def select_sql(table, name):
    key, val, scope = _shape(table)
    return "SELECT %s FROM %s WHERE %s = %s%s" % (val, table, key, quote(name), scope)


def write_sql(table, name, value, exists):
    """The statement that makes ``name`` hold ``value``: UPDATE when a row exists, else INSERT."""
    key, val, scope = _shape(table)
    if exists:
        return "UPDATE %s SET %s = %s WHERE %s = %s%s" % (table, val, quote(value), key,
                                                          quote(name), scope)
    if table == "sipsettings":
        return ("INSERT INTO sipsettings (keyword, data, seq, type) VALUES (%s, %s, 0, 0)"
                % (quote(name), quote(value)))
    return ("INSERT INTO %s (`key`, val, type, id) VALUES (%s, %s, NULL, 'noid')"
            % (table, quote(name), quote(value)))


class Client:
    """Runs SQL through the ``mysql`` client, the password in a 0600 option file (never argv)."""

    def __init__(self, module, mysql, settings):
        self.module = module
        self.mysql = mysql
        self.settings = settings

    def run(self, sql):
        """Rows of the statement's result, each a list of column values (tab-separated)."""
        fd, option_file = tempfile.mkstemp(prefix="pbxsec-mysql-", suffix=".cnf")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write("[client]\n")
                for option, setting in (("user", "AMPDBUSER"), ("password", "AMPDBPASS"),
                                        ("host", "AMPDBHOST"), ("port", "AMPDBPORT")):
                    if self.settings[setting]:
                        handle.write("%s=%s\n" % (option, _escaped(self.settings[setting], '"')))
            command = [self.mysql, "--defaults-extra-file=" + option_file, "--batch", "--raw",
                       "--skip-column-names", "--database", self.settings["AMPDBNAME"],
                       "--execute", sql]
            rc, out, err = self.module.run_command(command)
        finally:
            os.unlink(option_file)
        if rc != 0:
            raise FreePBXError("mysql failed on database %s (rc %d): %s"
                               % (self.settings["AMPDBNAME"], rc, err.strip()))
        return [line.split("\t") for line in out.splitlines()]

    def get(self, table, name):
        """The values stored for ``name`` (empty when there is no row)."""
        return [row[0] for row in self.run(select_sql(table, name))]

    def set(self, table, name, value, exists):
        self.run(write_sql(table, name, value, exists))
