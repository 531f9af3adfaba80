# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials as Asterisk reads them where the config engine alone cannot say: chan_sip's
``register =>`` line, whose user, secret and host are fields of one value.

Public API::

    Register("trunk?tcp://4000:pw@sip.example/4000")     # .user, .secret, .host, .clear...

Judging credentials (the secret policy and its findings) is the audit's job:
:mod:`compliance_secret_policy` and :mod:`compliance_secret_findings`.
"""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown

REGISTER_BUFFER = 256      # char buf[256] in sip_parse_register_line()


class Register:
    """A ``register =>`` value as chan_sip's ``sip_parse_register_line()`` reads it:
    ``[peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]``.

    :ivar valid: chan_sip accepts the line (it refuses one without ``@host``, and one whose user
        part holds a ``/`` that is not ``transport://``).
    :ivar clear: the name ``user@host`` holds no part of a secret: the line is valid and what
        comes before the user (a peer name, a transport) reads as one.  A ``?`` inside a secret
        (``4000:Tr?unk@host``) makes chan_sip take ``4000:Tr`` for a peer name and the rest of
        the secret for the user: such a line is not clear.
    """

    __slots__ = ("valid", "clear", "user", "secret", "authuser", "host", "extension")

    def __init__(self, text):
        self.valid = self.clear = False
        self.user = self.secret = self.authuser = self.host = self.extension = ""
        buf = text.encode("utf-8", "surrogateescape")[:REGISTER_BUFFER - 1]
        userpart, at, hostpart = buf.rpartition(b"@")
        if not at or not userpart or not hostpart:
            return
        peer, userpart = _split(userpart, b"?", 2)
        if not userpart:
            peer, userpart = None, peer
        transport, blank, rest = _split(userpart, b"/", 3)
        if not rest:
            transport, rest = None, transport
        if blank:
            return
        userdomain, secret, authuser = _split(rest, b":", 3)
        hostpart = _split(hostpart, b"~", 2)[0]
        hostport, extension = _split(hostpart, b"/", 2)
        authuser, domainport = _split(authuser, b":", 2)
        if domainport is not None:      # user@domain:port:secret:authuser
            secret, authuser = authuser, domainport
        self.valid = True
        self.clear = _plain(peer) and (transport is None or transport[:-1].isalpha())
        self.user = _unquoted(_split(userdomain, b"@", 2)[0])
        self.host = _unquoted(_split(hostport, b":", 2)[0])
        self.secret, self.authuser = _unquoted(secret), _unquoted(authuser)
        self.extension = _unquoted(extension)


def _split(text, delimiter, count):
    """``AST_NONSTANDARD_RAW_ARGS``: ``text`` (bytes or None) split at ``delimiter`` into at most
    ``count`` fields, the last one taking the rest.  A delimiter inside ``()``, ``[]`` or
    ``"..."``, or right after a backslash, does not split.  Missing fields are None."""
    text = text or b""
    fields = []
    pos = 0
    paren = bracket = quote = 0
    ended_on_delimiter = False
    while pos < len(text) and len(fields) < count - 1:
        start = pos
        while pos < len(text):
            byte = text[pos:pos + 1]
            if byte == b"\\":
                pos += 1
            elif byte == delimiter and not (paren or quote or bracket):
                break
            paren, bracket, quote = _nesting(byte, paren, bracket, quote)
            pos += 1
        fields.append(text[start:pos])
        ended_on_delimiter = pos < len(text)
        pos += 1 if ended_on_delimiter else 0
    if pos < len(text) or ended_on_delimiter:
        fields.append(text[pos:])
    return fields + [None] * (count - len(fields))


def _nesting(byte, paren, bracket, quote):
    """The ``()``, ``[]`` and ``"`` state of ``__ast_app_separate_args()`` after ``byte``."""
    if byte == b"(":
        paren += 1
    elif byte == b")":
        paren = max(paren - 1, 0)
    elif byte == b"[":
        bracket += 1
    elif byte == b"]":
        bracket = max(bracket - 1, 0)
    elif byte == b'"':
        quote = 1 - quote
    return paren, bracket, quote


def _plain(peer):
    """No peer, or a peer name as sip.conf can hold one (no ``:``, ``@``, ``/``, quote or
    blank)."""
    if peer is None:
        return True
    return bool(peer) and not any(byte in b":@/\"" or byte < 33 for byte in peer)


def _unquoted(field):
    """``ast_strip_quoted(field, "\"", "\"")`` as text; empty for a missing field."""
    if not field:
        return ""
    if len(field) > 1 and field[:1] == b'"' and field[-1:] == b'"':
        field = field[1:-1]
    return shown(field)
