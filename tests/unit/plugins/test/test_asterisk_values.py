# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Jinja tests the roles read option values with read them as the audit does."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.test.asterisk_values import (
    asterisk_true,
    sip_insecure,
)

VALUES = ["yes", "YES", "Yes", "true", "TRUE", "y", "T", "1", "on", "oN",
          "no", "0", "off", "", "yess", " yes", "enabled"]


@pytest.mark.parametrize("value", VALUES)
def test_asterisk_true_is_the_engine_s_ast_true(value):
    assert asterisk_true(value) is ast_true(value)


@pytest.mark.parametrize("value", [None, 1, True, ["yes"]])
def test_asterisk_true_of_no_text_is_false(value):
    assert asterisk_true(value) is False


@pytest.mark.parametrize("value, skips, invite", [
    ("invite", True, True),
    ("port,invite", True, True),
    ("Port, Invite", True, True),
    ("very", True, True),
    ("port", True, False),
    ("no", False, False),
    ("very-no", False, False),
    ("NO", False, False),
    (None, False, False),
])
def test_sip_insecure_reads_words_as_the_audit_does(value, skips, invite):
    assert sip_insecure(value) is skips
    assert sip_insecure(value, "invite") is invite
