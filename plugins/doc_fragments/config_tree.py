# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Options shared by the modules that load an Asterisk configuration tree.

    ``pbxsec.hardening.config_tree``: O(config_dir) (each module documents its own O(path)).
    ``pbxsec.hardening.config_tree.edit``: O(backup) and O(strict), for the modules that write
    files; a module may give O(strict) a description of its own.
    """

    DOCUMENTATION = r"""
options:
  config_dir:
    description:
      - Directory that relative C(#include) names resolve against (Asterisk's C(astetcdir)).
      - Defaults to the directory of O(path).
    type: path
"""

    EDIT = r"""
options:
  backup:
    description:
      - Create a backup file (with a timestamp) of each file before changing it.
    type: bool
    default: false
  strict:
    description:
      - Fail, writing nothing, when Asterisk would log an error anywhere in the tree, even one it
        survives (a missing C(#include) target or a syntax error inside an included file drops the
        rest of that file; an include loop ends at Asterisk's include depth limit).
      - With V(false), such errors are reported as warnings and the edit goes ahead, judged as
        Asterisk would read the damaged tree.
    type: bool
    default: true
"""
