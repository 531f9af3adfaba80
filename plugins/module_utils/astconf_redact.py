# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one function that turns a configuration file's bytes into text fit to show (a diff).

Public API::

    text = redact(data, "sip", cfg, source_key)        # str: credentials masked
    text = redact(data, "voicemail", cfg, source_key)  # str: credentials and mailbox PINs masked

Lines carrying a credential option (see :mod:`astconf_credentials`) read ``option = ********``;
in voicemail files every mailbox PIN and ``imappassword`` reads ``****`` (see
:func:`astconf_mailboxes.mask_pins`).  Bytes that are not UTF-8 read ``\\xNN`` (see
:func:`astconf_bytes.shown`): a diff shows them, and stays valid UTF-8.
"""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import shown
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    credential_lines,
    mask_lines,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import mask_pins


def redact(data, kind, cfg=None, source_key=None, extra=()):
    """Text of ``data`` (bytes of the file ``source_key`` of the tree ``cfg``, whose root file
    is of ``kind``) with every credential masked; ``extra``: more option names to mask."""
    if kind == "voicemail":
        data = mask_pins(data, cfg, source_key)
    lines = credential_lines(data, kind, cfg, source_key, extra)
    return shown(mask_lines(data, lines))
