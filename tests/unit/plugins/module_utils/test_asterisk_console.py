# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_console: where the control socket is, what ``asterisk -rx`` would print of a raw
answer, and that nothing answering is None. What a real Asterisk 16 and 22 answer, compared
with ``asterisk -rx``, is tested in Molecule (``molecule/shared/tests/test_console.py``)."""

from __future__ import annotations

import os
import socket

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    ask,
    control_socket,
    printed,
)

# The first lines of Debian's asterisk.conf (Asterisk 16 and 22): a template, which Asterisk
# does not read, so the compiled-in /var/run/asterisk applies.
DEBIAN_ASTERISK_CONF = """\
[directories](!)
astcachedir => /tmp
astetcdir => /etc/asterisk
astrundir => /var/run/asterisk
astlogdir => /var/log/asterisk

[options]
;astctl = asterisk.ctl
"""


def loaded(astconf_tree, text):
    root = astconf_tree({"asterisk.conf": text})
    return load_config(str(root / "asterisk.conf"), str(root))


@pytest.mark.parametrize("text, expected", [
    (DEBIAN_ASTERISK_CONF, "/var/run/asterisk/asterisk.ctl"),
    ("[directories]\nastrundir => /run/pbx\n", "/run/pbx/asterisk.ctl"),
    ("[files]\nastctl = pbx.ctl\n", "/var/run/asterisk/pbx.ctl"),
    # main/asterisk.c walks every variable: the last assignment wins; [options] is not read.
    ("[directories]\nastrundir => /a\nastrundir => /b\n[files]\nastctl = x.ctl\nastctl = y.ctl\n"
     "[options]\nastctl = z.ctl\n", "/b/y.ctl"),
])
def test_control_socket_from_asterisk_conf(astconf_tree, text, expected):
    assert control_socket(loaded(astconf_tree, text)) == expected


def test_control_socket_without_asterisk_conf_is_the_compiled_in_one():
    assert control_socket(None) == "/var/run/asterisk/asterisk.ctl"


def test_printed_drops_verbose_lines_as_asterisk_rx_does():
    # Verbose messages start with a byte above 127 (a negative char in main/asterisk.c).
    stream = (b"Global Settings:\n"
              b"\xfe    -- Remote UNIX connection\n"
              b"  Manager (AMI):             Yes\n"
              b"\x00stray\n"
              b"\n"
              b"  TLS Enable:                No")
    assert printed(stream) == "Global Settings:\n  Manager (AMI):             Yes\n\n  TLS Enable:                No"


def test_printed_keeps_non_ascii_text_readable():
    assert printed("Beschreibung: Sprachbox für 100\n".encode("utf-8")) == \
        "Beschreibung: Sprachbox für 100\n"
    assert printed(b"caf\xe9\n") == "caf\ufffd\n"


def test_ask_without_a_socket_is_none(tmp_path):
    assert ask(str(tmp_path / "asterisk.ctl"), "module show") is None


def test_ask_a_socket_nobody_listens_on_is_none(tmp_path):
    """What a stopped Asterisk leaves behind: the socket file, refusing connections."""
    path = str(tmp_path / "asterisk.ctl")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
        stale.bind(path)
        assert ask(path, "module show") is None


def test_ask_a_plain_file_is_none(tmp_path):
    path = tmp_path / "asterisk.ctl"
    path.write_text("not a socket\n")
    assert ask(str(path), "module show") is None
    assert os.path.isfile(str(path))
