# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The layers of ``plugins/module_utils`` (issue 17, "layers you can see"; CONTRIBUTING.md,
"Layers"): every import between its files points down, from the modules' runs to the roles'
plans and the reports, to the audit, to the host helpers, to the Asterisk config engine, so that the engine holds no
audit code and the audit no enforcement."""

from __future__ import annotations

import ast
import os

import pytest

MODULE_UTILS = os.path.join(os.path.dirname(__file__), *[os.pardir] * 4, "plugins",
                            "module_utils")
PACKAGE = "ansible_collections.pbxsec.hardening.plugins.module_utils"

# Bottom first.  A file belongs to the first layer whose prefix or name matches it.
LAYERS = (
    ("engine", ("astconf_",), ("descriptor_walk",)),
    ("host", (), ("asterisk_console", "file_modes", "freepbx_db", "freepbx_layout",
                  "shared_bans")),
    ("audit", ("compliance_",), ("sip_probe",)),
    ("plans", ("harden_",), ()),
    ("reports", ("report_",), ()),
    ("runs", ("run_",), ()),
)
# The plans and the reports stand side by side: neither imports the other.
RANK = {"engine": 0, "host": 1, "audit": 2, "plans": 3, "reports": 3, "runs": 4}


def layer_of(name):
    for layer, prefixes, names in LAYERS:
        if name in names or name.startswith(prefixes):
            return layer
    raise AssertionError("%s.py belongs to no layer: add it to LAYERS and to CONTRIBUTING.md"
                         % name)


def sibling_imports(name):
    """The module_utils files ``name`` imports, at any depth of its code."""
    with open(os.path.join(MODULE_UTILS, name + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
            found.add(node.module[len(PACKAGE) + 1:].split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name[len(PACKAGE) + 1:].split(".")[0] for alias in node.names
                         if alias.name.startswith(PACKAGE + "."))
    return found - {name}


NAMES = sorted(entry[:-3] for entry in os.listdir(MODULE_UTILS)
               if entry.endswith(".py") and entry != "__init__.py")


@pytest.mark.parametrize("name", NAMES)
def test_imports_point_down(name):
    mine = layer_of(name)
    upward = sorted("%s (%s)" % (other, layer_of(other)) for other in sibling_imports(name)
                    if layer_of(other) != mine and RANK[layer_of(other)] >= RANK[mine])
    assert not upward, "%s (%s) imports %s" % (name, mine, ", ".join(upward))


def test_the_check_sees_every_kind_of_import():
    """The test above can fail: the import forms the files use are all found."""
    assert "astconf_model" in sibling_imports("astconf_loader")          # from PACKAGE import x
    assert "compliance_registry" in sibling_imports("report_model")
    assert {layer_of(other) for other in sibling_imports("harden_sip")} >= {"engine", "audit"}
    assert layer_of("compliance_sip") == "audit" and layer_of("descriptor_walk") == "engine"
    assert {layer_of(other) for other in sibling_imports("run_areas")} == {"runs"}
    with pytest.raises(AssertionError, match="belongs to no layer"):
        layer_of("helpers")
