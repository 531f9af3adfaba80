# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small dialplan site shared by the dialplan engine and toll-fraud tests: a guest context
(``[public]``) that includes ``from-internal`` during office hours, a trunk context, and the
chan_sip configuration whose ``[general]`` context is ``public``."""

from __future__ import annotations

SITE = """\
[general]
static=yes
[globals]
TRUNK=SIP/kiwi
[public]
exten => s,1,Playback(hello)
#include extensions_site.conf
"""


SITE_INC = """\
[from-internal]
exten => _1XX,1,Dial(SIP/${EXTEN},20)
 same => n(vm),VoiceMail(${EXTEN}@default,u)
exten => _00.,1,Dial(SIP/kiwi-trunk/${EXTEN},60)
exten => _0900.,1,Dial(SIP/kiwi-trunk/${EXTEN},60)
exten => *98,1,VoiceMailMain(${CALLERID(num)}@default,s)
exten => 100,hint,SIP/100

[from-trunk]
exten => _X.,1,Goto(from-internal,${EXTEN},1)

[public](+)
include => from-internal,08:00-17:00,mon-fri,*,*
"""


SIP = """\
[general]
context=public
allowguest=no
[kiwi]
type=peer
insecure=port,invite
context=from-trunk
[phone](!)
context=from-internal
[100](phone)
type=friend
[200]
type=friend
"""


def site(astconf_tree, extra=None):
    files = {"extensions.conf": SITE, "extensions_site.conf": SITE_INC, "sip.conf": SIP}
    files.update(extra or {})
    return astconf_tree(files)
