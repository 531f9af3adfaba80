# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write the options section of every role's README.md from its ``meta/argument_specs.yml``.

``python tests/docs/role_docs.py`` (``make docs``) rewrites, in ``roles/<role>/README.md``, only
the lines between the two markers below and keeps the hand-written prose around them;
``--check`` writes nothing and exits 1, naming each README whose section is stale. A README
without the markers is an error: where the section goes is the author's choice.

The section lists, per entry point, every option with its type, whether it is required, its
default, its choices and its description (suboptions as ``option.suboption``). Ansible's
documentation markup (``C()``, ``O()``, ``V()``, ``B()``, ``I()``, ``U()``, ``L()``, ...) becomes
Markdown. Standard library and PyYAML only."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sections  # noqa: E402  pylint: disable=wrong-import-position

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN = "<!-- BEGIN generated from meta/argument_specs.yml -->"
END = "<!-- END generated from meta/argument_specs.yml -->"
NOTICE = ("Written by `make docs` (tests/docs/role_docs.py) from "
          "[meta/argument_specs.yml](meta/argument_specs.yml), which also validates the options "
          "when the role runs: edit that file, not this section.")

# Ansible documentation markup -> Markdown. A markup's argument ends at the first ")" (code may
# hold one level of balanced parentheses: C((+))); L(text,url) splits at the last comma.
_CODE = r"((?:[^()]|\([^()]*\))*)"
_MARKUP = [
    (re.compile(r"\b(?:[COVME]|RV)\(" + _CODE + r"\)"), lambda m: "`%s`" % m.group(1)),
    (re.compile(r"\bB\(([^)]*)\)"), lambda m: "**%s**" % m.group(1)),
    (re.compile(r"\bI\(([^)]*)\)"), lambda m: "*%s*" % m.group(1)),
    (re.compile(r"\bU\(([^)]*)\)"), lambda m: "<%s>" % m.group(1)),
    (re.compile(r"\bL\(([^)]*),([^),]*)\)"), lambda m: "[%s](%s)" % (m.group(1), m.group(2))),
    (re.compile(r"\bR\(([^)]*),([^),]*)\)"), lambda m: m.group(1)),
    (re.compile(r"\bHORIZONTALLINE\b"), lambda m: ""),
]


def markup(text):
    """One paragraph of Ansible documentation markup as Markdown for a table cell."""
    text = " ".join(str(text).split())
    for pattern, replace in _MARKUP:
        text = pattern.sub(replace, text)
    return text.replace("|", "\\|")


def value(data):
    """A default or choice as inline code, in YAML flow style (JSON is YAML)."""
    if isinstance(data, bool):
        shown = "true" if data else "false"
    elif isinstance(data, str):
        # Plain where YAML reads the text back as this string, quoted where it would not
        # ("", "yes", "{{ ... }}", " x").
        try:
            plain = data != "" and yaml.safe_load(data) == data
        except yaml.YAMLError:
            plain = False
        shown = data if plain else json.dumps(data)
    else:
        shown = json.dumps(data, sort_keys=False)
    return "`%s`" % shown.replace("|", "\\|").replace("`", "'")


def option_rows(options, prefix=""):
    """Table rows of an options mapping, suboptions after their option."""
    rows = []
    for name, spec in options.items():
        spec = spec or {}
        kind = spec.get("type", "str")
        if spec.get("elements"):
            kind = "%s of %s" % (kind, spec["elements"])
        description = spec.get("description", "")
        if isinstance(description, str):
            description = [description]
        rows.append("| `%s%s` | %s | %s | %s | %s | %s |" % (
            prefix, name, kind, "yes" if spec.get("required") else "no",
            value(spec["default"]) if "default" in spec else "",
            ", ".join(value(choice) for choice in spec.get("choices", [])),
            "<br>".join(markup(paragraph) for paragraph in description)))
        if spec.get("options"):
            rows.extend(option_rows(spec["options"], "%s%s." % (prefix, name)))
    return rows


def render(specs):
    """The generated section (markers included) for a role's ``argument_specs`` mapping."""
    lines = [BEGIN, "", NOTICE]
    for entry_point, spec in specs.items():
        lines += ["", "Entry point `%s`: %s." % (
            entry_point, markup(spec.get("short_description", "")).rstrip("."))]
        options = spec.get("options") or {}
        if not options:
            lines += ["", "No options."]
            continue
        lines += ["", "| Option | Type | Required | Default | Choices | Description |",
                  "|---|---|---|---|---|---|"] + option_rows(options)
    return "\n".join(lines + ["", END])


def load_specs(role_dir):
    with open(os.path.join(role_dir, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]


def rewrite(readme, section):
    """``readme`` with the text between the markers replaced by ``section``."""
    return sections.rewrite(readme, section, BEGIN, END)


def roles(root=REPO):
    """Names of the roles that have an argument spec, sorted."""
    base = os.path.join(root, "roles")
    return sorted(name for name in os.listdir(base)
                  if os.path.isfile(os.path.join(base, name, "meta", "argument_specs.yml")))


def expected_readme(role, root=REPO):
    """(path, current text, text the generator would write) of a role's README.md."""
    role_dir = os.path.join(root, "roles", role)
    path = os.path.join(role_dir, "README.md")
    with open(path, encoding="utf-8") as handle:
        current = handle.read()
    return path, current, rewrite(current, render(load_specs(role_dir)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a README's section is stale")
    parser.add_argument("role", nargs="*", help="roles to do (default: every role)")
    args = parser.parse_args(argv)
    pages, errors = [], []
    for role in args.role or roles():
        try:
            pages.append(expected_readme(role))
        except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
            errors.append("roles/%s/README.md: %s" % (role, exc))
    for error in errors:
        print("role_docs: %s" % error, file=sys.stderr)
    stale = sections.write_stale(pages, args.check, "role_docs", REPO)
    return 1 if errors or (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
