# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared unit-test setup: make ``ansible_collections.pbxsec.hardening`` importable and offer
``astconf_tree`` (write a small Asterisk config tree into a temporary directory)."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_COLLECTIONS = os.path.join(_REPO, ".cache", "collections")


def _importable(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


if not _importable("ansible_collections.pbxsec.hardening") and \
        os.path.isdir(os.path.join(_COLLECTIONS, "ansible_collections", "pbxsec", "hardening")):
    sys.path.insert(0, _COLLECTIONS)      # PYTHONPATH was not set


@pytest.fixture
def astconf_tree(tmp_path):
    """``write({"sip.conf": "...", "sub/x.conf": b"..."})`` writes files (str is UTF-8 encoded,
    newlines kept as given) under a fresh directory and returns that directory (a Path)."""

    def write(files):
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return tmp_path

    return write
