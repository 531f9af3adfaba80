# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet report as JSON: the whole fleet in one document, and one document per host."""

from __future__ import annotations

import json


def _dump(data):
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def render_fleet(report):
    """The fleet document (bytes, UTF-8)."""
    return _dump(report)


def render_host(report, host):
    """One host's document (bytes, UTF-8): the host entry, with when the report was made."""
    return _dump(dict(host, generated=report.get("generated")))
