# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role documentation: each README's generated options section is what ``make docs``
(tests/docs/role_docs.py) writes from ``meta/argument_specs.yml`` today, and each role's
``defaults/main.yml`` and argument spec name the same variables with the same defaults."""

from __future__ import annotations

import importlib.util
import os

import pytest
import yaml

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location(
    "role_docs", os.path.join(_REPO, "tests", "docs", "role_docs.py"))
role_docs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(role_docs)

ROLES = role_docs.roles()


def _yaml(*path):
    with open(os.path.join(_REPO, *path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_every_role_is_covered():
    assert sorted(os.listdir(os.path.join(_REPO, "roles"))) == ROLES


@pytest.mark.parametrize("role", ROLES)
def test_readme_section_is_generated_from_the_argument_spec(role):
    path, current, wanted = role_docs.expected_readme(role)
    assert current == wanted, (
        "%s: the section between the markers is not what the generator writes from "
        "meta/argument_specs.yml; run `make docs`" % os.path.relpath(path, _REPO))


@pytest.mark.parametrize("role", ROLES)
def test_defaults_and_argument_spec_agree(role):
    defaults = _yaml("roles", role, "defaults", "main.yml") or {}
    options = _yaml("roles", role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert sorted(set(defaults) - set(options)) == [], \
        "defaults/main.yml variables missing from meta/argument_specs.yml"
    optional = {name for name, spec in options.items() if not spec.get("required")}
    assert sorted(optional - set(defaults)) == [], \
        "optional options of meta/argument_specs.yml without a value in defaults/main.yml"
    documented = {name: options[name].get("default") for name in defaults}
    assert documented == defaults, "defaults of meta/argument_specs.yml differ from defaults/main.yml"


def test_rewrite_keeps_the_prose_around_the_section():
    readme = "# Role\n\nProse before.\n\n%s\nstale\n%s\n\nProse after.\n" % (
        role_docs.BEGIN, role_docs.END)
    section = role_docs.render({"main": {"short_description": "Do C(x)", "options": {
        "pbx_a": {"type": "list", "elements": "str", "default": [], "required": False,
                  "choices": ["b|c"], "description": ["Set O(pbx_a) to V(true).", "B(Bold)."]},
        "pbx_d": {"type": "dict", "default": {"e": 1}, "description": "Policy.",
                  "options": {"e": {"type": "int", "default": 1, "description": "Sub."}}},
    }}})
    result = role_docs.rewrite(readme, section)
    assert result.startswith("# Role\n\nProse before.\n\n" + role_docs.BEGIN)
    assert result.endswith(role_docs.END + "\n\nProse after.\n")
    assert "stale" not in result
    assert "Entry point `main`: Do `x`." in result
    assert "| `pbx_a` | list of str | no | `[]` | `b\\|c` | Set `pbx_a` to `true`.<br>**Bold**. |" \
        in result
    assert "| `pbx_d.e` | int | no | `1` |  | Sub. |" in result
    assert role_docs.rewrite(result, section) == result


@pytest.mark.parametrize("readme", [
    "no markers at all\n",
    "%s\nonly the beginning\n" % role_docs.BEGIN,
    "%s\nend before beginning\n%s\n" % (role_docs.END, role_docs.BEGIN),
    "%s\n%s\n%s\n%s\n" % (role_docs.BEGIN, role_docs.END, role_docs.BEGIN, role_docs.END),
])
def test_rewrite_refuses_a_readme_without_one_pair_of_markers(readme):
    with pytest.raises(ValueError):
        role_docs.rewrite(readme, role_docs.render({"main": {"options": {}}}))


@pytest.mark.parametrize("text, markdown", [
    ("C(asterisk -rx) and C((+))", "`asterisk -rx` and `(+)`"),
    ("I(italic), U(https://example.org), L(the docs,https://example.org/x)",
     "*italic*, <https://example.org>, [the docs](https://example.org/x)"),
    ("a | b", "a \\| b"),
])
def test_markup_becomes_markdown(text, markdown):
    assert role_docs.markup(text) == markdown


@pytest.mark.parametrize("data, shown", [
    ("", '`""`'), ("yes", '`"yes"`'), ("PBX", "`PBX`"), (True, "`true`"),
    ("{{ inventory_dir }}/x", '`"{{ inventory_dir }}/x"`'), ([22], "`[22]`"),
])
def test_defaults_are_shown_as_yaml(data, shown):
    assert role_docs.value(data) == shown
