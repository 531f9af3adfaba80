# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""astconf_ports: the SIP, IAX2 and RTP ports the firewall role scopes, read from the tree as the
drivers read them (defaults when a file or an option is absent)."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_ports import listen_ports

PJSIP = """[udp](!)
type = transport
bind = 0.0.0.0:5999
[transport-udp]
type = transport
protocol = udp
bind = 0.0.0.0:5160
[transport-v6]
type = transport
bind = [::]:5260
[transport-noport]
type = transport
bind = 0.0.0.0
[100]
type = endpoint
bind = 0.0.0.0:6000
"""


def test_no_files_give_every_default(astconf_tree):
    assert listen_ports(str(astconf_tree({}))) == {"sip": [5060, 5061], "iax2": 4569,
                                                   "rtp": [5000, 31000]}


def test_every_bind_of_loaded_drivers_counts(astconf_tree):
    root = astconf_tree({
        "sip.conf": "[general]\nbindport = 5070\nudpbindaddr = 0.0.0.0:5080\n"
                    "tcpbindaddr = 0.0.0.0\ntlsbindaddr = [::]:5081\n",
        "pjsip.conf": PJSIP,
        "iax.conf": "[general]\nbindport = 4570\n",
        "rtp.conf": "[general]\nrtpstart = 10000\nrtpend = 20000\n"})
    # templates and non-transports do not listen; a bind without a port adds none
    assert listen_ports(str(root)) == {"sip": [5060, 5061, 5070, 5080, 5081, 5160, 5260],
                                       "iax2": 4570, "rtp": [10000, 20000]}
    assert listen_ports(str(root), chan_sip=False)["sip"] == [5060, 5061, 5160, 5260]
    assert listen_ports(str(root), pjsip=False)["sip"] == [5060, 5061, 5070, 5080, 5081]


def test_a_template_value_is_inherited_and_the_last_assignment_wins(astconf_tree):
    root = astconf_tree({
        "pjsip.conf": "[t](!)\ntype = transport\nbind = 0.0.0.0:5170\n[tcp](t)\n",
        "rtp.conf": "[general]\nrtpstart = 11000\nrtpstart = 12000\n",
        "sip.conf": "[general]\nbindport = 5075\n#include sip_general_custom.conf\n",
        "sip_general_custom.conf": "bindport = 5076\n"})
    ports = listen_ports(str(root))
    assert ports["sip"] == [5060, 5061, 5076, 5170]
    assert ports["rtp"] == [12000, 31000]


@pytest.mark.parametrize("value", ["abc", "-1", "5060x", "0", "70000", "", "0.0.0.0:70000"])
def test_values_that_are_no_port_fall_back(astconf_tree, value):
    root = astconf_tree({"sip.conf": "[general]\nbindport = %s\n" % value,
                         "iax.conf": "[general]\nbindport = %s\n" % value})
    assert listen_ports(str(root))["sip"] == [5060, 5061]
    assert listen_ports(str(root))["iax2"] == 4569


def test_a_file_asterisk_refuses_names_file_and_line(astconf_tree):
    root = astconf_tree({"sip.conf": "[general]\nbindport = 5070\n[broken\n"})
    with pytest.raises(AsteriskConfigError) as caught:
        listen_ports(str(root))
    assert caught.value.path.endswith("sip.conf") and caught.value.line == 3
