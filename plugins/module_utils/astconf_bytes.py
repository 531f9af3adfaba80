# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bytes Asterisk accepts, and the text the engine makes of them.

Asterisk reads configuration as bytes and never asks for an encoding: a latin-1 comment, caller
ID name or mailbox name loads (checked on Asterisk 16.28: ``callerid="Jos\\xe9"`` is a peer's
caller ID byte for byte).  The engine keeps every byte (``SourceFile.data``, the ``*_b``
attributes, ``Value.raw``) and edits bytes; text is made of them two ways:

* :func:`exact`: UTF-8 with every other byte as one lone surrogate (``surrogateescape``), so
  that matching and comparing see the bytes themselves and :func:`exact_bytes` gives them back.  Never
  shown: ansible-core refuses a module result holding a lone surrogate ("Refusing to deserialize
  an invalid UTF8 string value") and the task fails.
* :func:`shown`: UTF-8 with every other byte written ``\\xNN`` (``callerid="Jos\\xe9"``): the
  text of names, values, messages, diffs and results.  :class:`Shown` is such a text that keeps
  its bytes, so that a name read from a file finds its category again.

:func:`printable` makes a whole module result valid UTF-8 (paths from ``os.listdir`` carry
surrogates for the bytes of a file name that are not UTF-8).
"""

from __future__ import annotations


def exact(data):
    """Text of ``data`` (bytes) holding each byte that is not UTF-8 as a lone surrogate."""
    return data.decode("utf-8", "surrogateescape")


def shown(data):
    """Text fit to show of ``data`` (bytes, or text from :func:`exact` or ``os.fsdecode``):
    UTF-8 as it is, every other byte as ``\\xNN``."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            # A surrogate no file byte gives (from a caller's text): written out, never kept.
            return data.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")


def exact_bytes(text):
    """The bytes of a text: those a :class:`Shown` name (or an engine ``Value``) was read from,
    else its UTF-8 with :func:`exact`'s surrogates back to their bytes; bytes pass through."""
    if isinstance(text, bytes):
        return text
    raw = getattr(text, "raw", None)
    if raw is not None:
        return raw
    return text.encode("utf-8", "surrogateescape")


class Shown(str):
    """:func:`shown` text of a name read from a file; ``raw`` holds its bytes."""

    def __new__(cls, data):
        text = str.__new__(cls, shown(data))
        text.raw = data
        return text


def printable(value):
    """``value`` (a module result: dicts, lists, tuples, text, numbers) with every text made
    :func:`shown`, so that it serialises as valid UTF-8 JSON."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return dict((printable(key), printable(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [printable(item) for item in value]
    return value
