# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How Asterisk reads option values, for the roles' Jinja: the same functions the audit uses,
so that a role and the audit never disagree on what a value means."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_sip import (
    insecure_words,
)


def asterisk_true(value):
    """``ast_true()`` of main/utils.c; an absent value (None, or no text) is not true."""
    return isinstance(value, str) and ast_true(value)


def sip_insecure(value, word=None):
    """Whether a chan_sip ``insecure=`` value lets a peer skip anything (``word`` None), or the
    check named ``word`` (``port`` or ``invite``)."""
    words = insecure_words(value) if isinstance(value, str) else set()
    return bool(words) if word is None else word.lower() in words


class TestModule:
    """Asterisk's readings of option values."""

    def tests(self):
        return {"asterisk_true": asterisk_true, "sip_insecure": sip_insecure}
