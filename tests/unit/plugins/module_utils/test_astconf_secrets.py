# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""chan_sip's ``register =>`` line as chan_sip reads it (astconf_secrets.Register)."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_secrets import Register


def _reading(text):
    register = Register(text)
    return (register.valid, register.clear, register.user, register.secret, register.authuser,
            register.host, register.extension)


@pytest.mark.parametrize("text, reading", [
    # The cases of chan_sip's own sip_parse_register_line_test.
    ("name@domain", (True, True, "name", "", "", "domain", "")),
    ("name:pass@domain", (True, True, "name", "pass", "", "domain", "")),
    ("name@namedomain:pass:authuser@domain", (True, True, "name", "pass", "authuser", "domain", "")),
    ("tls://name@namedomain:pass:authuser@domain/extension~111",
     (True, True, "name", "pass", "authuser", "domain", "extension")),
    ("peer?tcp://name@namedomain:pass:authuser@domain:1234/extension~111",
     (True, True, "name", "pass", "authuser", "domain", "extension")),
    ("peer?name:pass:authuser:1234/extension~111", (False, False, "", "", "", "", "")),
    ("@domin:1234", (False, False, "", "", "", "", "")),
    ("name@namedomain:4321:pass:authuser@domain", (True, True, "name", "pass", "authuser", "domain", "")),
    ("name@namedomain:4321::@domain", (True, True, "name", "", "", "domain", "")),
    # Ours.
    ("6491234567:kiwi123@sip.kiwi.example/100", (True, True, "6491234567", "kiwi123", "", "sip.kiwi.example", "100")),
    ("trunk?u:pw@h", (True, True, "u", "pw", "", "h", "")),
    ("4000:(Tr?unk)@h", (True, True, "4000", "(Tr?unk)", "", "h", "")),
    # chan_sip takes "4000:Tr" for a peer name and the rest of the secret for the user.
    ("4000:Tr?unkPass1234@sip.provider.example/4000",
     (True, False, "unkPass1234", "", "", "sip.provider.example", "4000")),
    ("4000:a/b@h", (False, False, "", "", "", "", "")),
    ("4001:NoHostSecret99", (False, False, "", "", "", "", "")),
])
def test_pbx_sec_001_register_is_read_as_chan_sip_reads_it(text, reading):
    assert _reading(text) == reading
