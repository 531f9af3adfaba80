# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which options carry credentials, per kind of Asterisk configuration file, and how their lines
are masked.  Every module that shows an option value or a file's text asks here.

Public API::

    kind = file_kind("/etc/asterisk/sip_general_custom.conf")    # "sip"
    is_credential(kind, "auth")                                  # True (chan_sip: user:secret@realm)
    is_credential("pjsip", "auth")                               # False (names an auth section)
    mask_value("hunter2")                                        # "********"
    mask_lines(data, credential_lines(data, kind, cfg, key))     # bytes, credential lines masked

The kind of a file is the kind of the tree's root file: a file included from ``sip.conf`` is read
by chan_sip, whatever its name.  A file of a kind masks its own options and every other kind's
option whose name means a credential wherever it appears (``secret``, ``password``...): all but
the :data:`AMBIGUOUS` ones.  An unknown kind (a root file not in :data:`CREDENTIALS`) masks every
kind's options: masking too much is safe, too little is not.

Lines are physical lines as Asterisk reads them: they end at ``\\n`` only (a form feed, a lone
``\\r``, U+0085 or U+2028 are bytes inside a line).  A line is masked when

* the loaded tree (``cfg``) assigns a credential option on it (block comment splices included),
* or, when a fatal error made Asterisk drop the rest of the file (or without a tree), reading the
  file alone does (the dropped lines still show in a diff),
* or a comment on it mentions ``option =`` for a credential option (a commented-out credential
  may still be the real one).

Nothing here ever puts a value into a message or an exception.
"""

from __future__ import annotations

import bisect

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_lexer import (
    ASSIGNMENT,
    Endless,
    LineFatal,
    ScanState,
    classify,
    line_starts,
    parse_assignment,
    scan,
)

MASK = "********"

# Kind (the root file's name without ".conf") -> credential option -> why its value is secret.
CREDENTIALS = {
    "sip": {
        "secret": "the peer's or user's password",
        "md5secret": "md5(user:realm:secret): authenticates as the peer without the secret",
        "remotesecret": "password chan_sip sends to the remote party",
        "auth": "user:secret@realm (or user#md5secret@realm) for outbound authentication",
        "register": "[peer?][transport://]user[@domain][:secret[:authuser]]@host...",
        "mwi": "user:secret@host/mailbox subscription",
    },
    "pjsip": {
        "password": "type=auth password (also a transport's private key password)",
        "md5_cred": "md5(username:realm:password) of a type=auth",
        "oauth_secret": "OAuth client secret of a type=auth",
        "refresh_token": "OAuth refresh token of a type=auth",
    },
    "pjsip_wizard": {
        "inbound_auth/password": "the wizard's inbound auth password",
        "outbound_auth/password": "the wizard's outbound auth password",
        "inbound_auth/md5_cred": "md5 credential of the inbound auth",
        "outbound_auth/md5_cred": "md5 credential of the outbound auth",
    },
    "iax": {
        "secret": "the peer's or user's password",
        "dbsecret": "AstDB family/key that holds the secret: where to read it",
        "register": "user[:secret]@host registration",
    },
    "manager": {"secret": "AMI user password"},
    "ari": {"password": "ARI user password (plain or crypt hash)"},
    "users": {
        "secret": "SIP/IAX2 password of the unified users.conf",
        "vmsecret": "voicemail PIN of the unified users.conf",
    },
    "voicemail": {
        "authpassword": "IMAP master password ([general])",
        "imappassword": "per-mailbox IMAP password (a mailbox option)",
    },
    "confbridge": {"pin": "conference user PIN"},
    "meetme": {"conf": "conf => number,pin,adminpin"},
    "rtp": {"turnpassword": "TURN server password"},
    "xmpp": {
        "secret": "XMPP account password",
        "oauth_secret": "Google OAuth client secret",
        "refresh_token": "Google OAuth refresh token",
    },
    "calendar": {"secret": "calendar server password"},
    "prometheus": {"auth_password": "HTTP basic auth password of the metrics page"},
    "res_curl": {"userpwd": "user:password for every CURL() request"},
    "res_odbc": {"password": "database password"},
    "res_config_mysql": {"dbpass": "realtime MySQL password"},
    "res_pgsql": {"dbpass": "realtime PostgreSQL password"},
    "res_ldap": {"pass": "realtime LDAP bind password"},
    "cdr_mysql": {"password": "CDR database password"},
    "cdr_pgsql": {"password": "CDR database password"},
    "cdr_tds": {"password": "CDR database password"},
    "cel_pgsql": {"password": "CEL database password"},
    "cel_tds": {"password": "CEL database password"},
}
# Deliberately left out: key and file names (inkeys, outkey, tlsprivatekey, priv_key_file: they
# name a secret, they are not one), commands (mailcmd, externpass), user names.

# Credential names in one kind, something else in another: masked only in their own kind.
AMBIGUOUS = {
    "auth": "a PJSIP endpoint names its auth section with it",
    "conf": "only meetme.conf's conf => lines carry PINs",
    "pin": "only confbridge.conf's user profiles carry a PIN under this name",
}

_ALL = frozenset(name for options in CREDENTIALS.values() for name in options)
_ANYWHERE = _ALL - frozenset(AMBIGUOUS)
# Longest first, so that "pjsip_wizard" wins over "pjsip".
_KINDS = sorted(CREDENTIALS, key=len, reverse=True)
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")


def file_kind(path):
    """The kind of a configuration file from its name: ``sip.conf``, ``sip_custom.conf`` and
    ``sip.d.conf`` are ``"sip"``; None when unknown."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith(".conf"):
        name = name[:-len(".conf")]
    for kind in _KINDS:
        if name == kind or (name.startswith(kind) and name[len(kind)] in "._-"):
            return kind
    return None


def credential_options(kind, extra=()):
    """Folded names of the credential options of ``kind`` (every kind's when None or unknown),
    plus ``extra``."""
    known = CREDENTIALS.get(kind)
    names = _ALL if known is None else _ANYWHERE | frozenset(known)
    return names | frozenset(_text(name).lower() for name in extra)


def is_credential(kind, option):
    """Whether the value of ``option`` (str or bytes) in a file of ``kind`` is a credential."""
    return _text(option).lower() in credential_options(kind)


def _text(name):
    return shown(name) if isinstance(name, bytes) else str(name)


def mask_value(value):
    """What to show instead of a credential value: None stays None, a list keeps its length."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [MASK for _item in value]
    return MASK


# --- lines of a file ---------------------------------------------------------------------------

def _assigned(kind, failed, parsed):
    """Folded name of the option a line assigns, or None."""
    if kind != ASSIGNMENT or failed or parsed.op is None:
        return None
    return _text(parsed.name).lower()


def _tree_reading(cfg, source_key):
    """``(line, assigned option or None)`` of every line the loaded tree read from the file
    ``source_key`` (as Asterisk reads it, block comment state carried over from other files)."""
    return [(s.lex.line, _assigned(s.kind, s.failed, s.parsed))
            for s in cfg.statements if s.source.key == source_key]


def _reading_alone(data):
    """``(line, assigned option or None)`` of every line of ``data`` read on its own, so that
    lines Asterisk dropped (after a fatal error) count too."""
    try:
        lines = scan(data, ScanState(), "", [])
    except Endless:
        return []
    reading = []
    for lex in lines:
        if lex.text is None:
            continue
        kind = classify(lex.text)
        try:
            parsed = parse_assignment(lex.text) if kind == ASSIGNMENT else None
        except LineFatal:
            kind = None
        reading.append((lex.line, _assigned(kind, False, parsed) if kind else None))
    return reading


def _assigns_after(lowered, end):
    """Whether ``=`` (or ``+=``) follows offset ``end`` after blanks on the same line."""
    size = len(lowered)
    while end < size and lowered[end] in (0x20, 0x09):
        end += 1
    if end < size and lowered[end] == 0x2B:
        end += 1
    return end < size and lowered[end] == 0x3D


def _mentioned_lines(data, options, carrying):
    """``{line: ";option"}`` of the lines where ``option =`` is written in a comment: anywhere on
    a line that carries no text for Asterisk (a comment or block comment line), after a ``;`` on
    one that does.  One ``find`` pass per option, no regular expression."""
    lowered = data.lower()
    starts = line_starts(data)
    comment_start = {}
    found = {}
    for name in sorted(options):
        needle = name.encode("utf-8")
        pos = lowered.find(needle)
        while pos >= 0:
            end = pos + len(needle)
            number = bisect.bisect_right(starts, pos)
            if (pos == 0 or lowered[pos - 1] not in _NAME_BYTES) and \
                    _assigns_after(lowered, end) and \
                    (number not in carrying or _after_semicolon(data, starts, number, pos,
                                                                comment_start)):
                found.setdefault(number, ";" + name)
            pos = lowered.find(needle, end)
    return found


def _after_semicolon(data, starts, number, pos, cache):
    """Whether a ``;`` comes before offset ``pos`` on line ``number`` (``cache``: the first
    ``;`` of each line looked at)."""
    if number not in cache:
        cache[number] = data.find(b";", starts[number - 1], pos)
        if cache[number] < 0:
            end = starts[number] if number < len(starts) else len(data)
            cache[number] = data.find(b";", pos, end)
    return 0 <= cache[number] < pos


def _reading(data, cfg, source_key):
    """What the tree read from the file, plus, when a fatal error stopped a reading of it (or
    there is no tree), ``data`` read on its own: the lines Asterisk dropped still show."""
    if cfg is None:
        return _reading_alone(data)
    reading = _tree_reading(cfg, source_key)
    source = cfg.files.get(source_key)
    if source is None or any(load.invalid for load in source.loads):
        reading.extend(_reading_alone(data))
    return reading


def carrying_lines(data, cfg=None, source_key=None):
    """Numbers of the physical lines of ``data`` that carry text for Asterisk: as the loaded
    tree ``cfg`` read the file ``source_key`` (lines it dropped after a fatal error do not count),
    or without ``cfg`` as ``data`` reads on its own.  The other lines are blank, comments or
    inside block comments."""
    reading = _reading_alone(data) if cfg is None else _tree_reading(cfg, source_key)
    return set(line for line, _name in reading)


def credential_lines(data, kind, cfg=None, source_key=None, extra=()):
    """``{line: shown name}`` of the physical lines (1-based, split at ``\\n``) of ``data`` that
    carry a credential of ``kind`` (and of ``extra`` options); a commented one's name starts with
    ``;``.  ``cfg`` and ``source_key``: the loaded tree that holds ``data`` as that file."""
    options = credential_options(kind, extra)
    reading = _reading(data, cfg, source_key)
    found = _mentioned_lines(data, options, set(line for line, _name in reading))
    found.update((line, name) for line, name in reading if name in options)
    return found


def mask_lines(data, lines):
    """``data`` with each line numbered in ``lines`` (``{line: shown name}``) replaced by
    ``name = ********``, its line end kept."""
    if not lines:
        return data
    out = data.split(b"\n")
    for number, name in lines.items():
        if number > len(out):
            continue
        ending = b"\r" if out[number - 1].endswith(b"\r") and number < len(out) else b""
        out[number - 1] = ("%s = %s" % (name, MASK)).encode("utf-8") + ending
    return b"\n".join(out)
