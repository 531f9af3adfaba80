# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write the control catalogue's pages from plugins/module_utils/compliance_registry.py.

``python tests/docs/control_docs.py`` (``make docs``) rewrites, between the two markers below,
the catalogue section of ``docs/controls.md`` (per area a table of ID, title, severity, role,
what the control applies to, the setting it enforces, the FreePBX fix and the remediation) and
the control table of ``README.md``, and keeps the hand-written prose around them. ``--check``
writes nothing and exits 1, naming each stale file. A file without exactly one pair of markers
is an error: where the section goes is the author's choice.

The catalogue is loaded from its file (it imports nothing), so this needs neither Ansible nor
the collection on the Python path. Standard library only."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sections  # noqa: E402  pylint: disable=wrong-import-position

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGISTRY = os.path.join("plugins", "module_utils", "compliance_registry.py")
BEGIN = ("<!-- BEGIN generated from plugins/module_utils/compliance_registry.py by "
         "tests/docs/control_docs.py (make docs): edit the catalogue, not this section -->")
END = "<!-- END generated from plugins/module_utils/compliance_registry.py -->"
PAGE = os.path.join("docs", "controls.md")
README = "README.md"

# Who answers for a control no role enforces, by how the audit judges it.
WITHOUT_ROLE = {
    "check": "none (audit only)",
    "attestation": "none: the operator attests it (`pbx_attest`)",
    "procedure": "none: `playbooks/decommission.yml`",
    "probe": "none: the audit with `pbx_probe: true`",
}
READS_SHORT = {"bool": "ast_true", "number": "number", "word": "word", "words": "word list",
               "acl": "ACL, last match wins"}


def load_registry(root=REPO):
    """The catalogue module, loaded from its file."""
    spec = importlib.util.spec_from_file_location("pbxsec_compliance_registry",
                                                  os.path.join(root, REGISTRY))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text(value):
    """Prose for a Markdown table cell: nothing in it becomes a link, tag, emphasis or column."""
    value = " ".join(str(value).split())
    for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), ("](", "\\]("),
                          ("*", "\\*"), ("`", "\\`")):
        value = value.replace(char, escaped)
    return value


def code(value):
    """Inline code for a table cell."""
    return "`%s`" % str(value).replace("|", "\\|").replace("`", "'")


def applies_to(applies, supported):
    """What a control applies to, in a few words."""
    parts = [code(applies.driver)] if applies.driver else []
    parts += [code(module) for module in applies.modules]
    if applies.versions is not None:
        first = applies.versions[0] if applies.versions[0] is not None else supported[0]
        last = applies.versions[1] if applies.versions[1] is not None else supported[1]
        parts.append("Asterisk %d-%d" % (first, last))
    if applies.subject != "PBX":
        parts.append(text(applies.subject))
    if not applies.freepbx:
        parts.append("not FreePBX")
    return ", ".join(parts) or "any PBX"


def setting(item):
    """One enforced setting: file, objects, option, wanted value, how Asterisk reads it."""
    value = "(blank)" if item.value == "" else text(item.value)
    option = " and ".join(code(name.strip()) for name in item.option.split(","))
    wanted = {
        "=": ("%s: %s" if item.reads == "acl" else "%s = %s") % (option, value),
        "!=": "%s not %s" % (option, value),
        ">=": "%s &gt;= %s" % (option, value),
        "<=": "%s &lt;= %s" % (option, value),
        "absent": "no %s" % option,
        "excludes": "%s without %s" % (option, value),
        "includes": "%s includes %s" % (option, value),
    }[item.relation]
    notes = [READS_SHORT[item.reads]] if item.relation != "absent" else []
    if item.default is not None:
        notes.append("absent: %s" % text(item.default))
    return "%s %s: %s%s" % (code(item.file), text(item.selector), wanted,
                            " (%s)" % "; ".join(notes) if notes else "")


def freepbx_fix(fix):
    """The FreePBX GUI setting and custom files of a control, or a dash."""
    if fix is None:
        return "—"
    parts = ["GUI: %s" % text(fix.gui)] if fix.gui else []
    parts += ["%s: %s" % (code(custom), text(what)) for custom, what in fix.customs]
    return "<br>".join(parts)


def role_cell(control, link):
    """The role (linked to its README), the others that carry the tag, or who answers instead."""
    if not control.role:
        return WITHOUT_ROLE[control.judged]
    roles = ["[%s](%s)" % (code(role), link % role) for role in control.roles]
    return roles[0] + (" (also %s)" % ", ".join(roles[1:]) if roles[1:] else "")


def page_section(registry):
    """The generated section of docs/controls.md (markers included)."""
    lines = [BEGIN, "",
             "Written by `make docs` (tests/docs/control_docs.py) from the control catalogue, "
             "[plugins/module_utils/compliance_registry.py](../%s): edit the catalogue, not "
             "this section. %d controls." % (REGISTRY, len(registry.CATALOGUE))]
    for area, heading, controls in registry.by_area():
        lines += ["", "### %s" % heading, "", "Area `%s`." % area, "",
                  "| ID | Title | Severity | Role | Applies to | Setting | FreePBX fix | "
                  "Remediation |",
                  "|---|---|---|---|---|---|---|---|"]
        for control in controls:
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                control.id, text(control.title), control.severity,
                role_cell(control, "../roles/%s/README.md"),
                applies_to(control.applies, registry.SUPPORTED_VERSIONS),
                "<br>".join(setting(item) for item in control.settings) or "—",
                freepbx_fix(control.freepbx), text(control.remediation)))
    lines += ["", "### How the audit judges a control", "", "| Judged | Meaning |", "|---|---|"]
    lines += ["| `%s` | %s |" % (kind, text(meaning)) for kind, meaning in registry.JUDGED.items()]
    lines += ["", "### How Asterisk reads a setting", "", "| Reads | Meaning |", "|---|---|"]
    lines += ["| %s | %s |" % (READS_SHORT[kind], text(meaning))
              for kind, meaning in registry.READS.items()]
    return "\n".join(lines + ["", END])


def readme_section(registry):
    """The generated control table of README.md (markers included)."""
    lines = [BEGIN, "", "| Control | What it checks | Severity | Role |", "|---|---|---|---|"]
    for control in registry.CATALOGUE:
        lines.append("| [%s](docs/controls.md#%s) | %s | %s | %s |" % (
            control.id, anchor(registry, control.area), text(control.title), control.severity,
            role_cell(control, "roles/%s/README.md")))
    return "\n".join(lines + ["", END])


def anchor(registry, area):
    """The GitHub anchor of an area's heading in docs/controls.md."""
    heading = dict(registry.CATALOGUE_AREAS)[area]
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def rewrite(current, section):
    """``current`` with the text between the markers replaced by ``section``."""
    return sections.rewrite(current, section, BEGIN, END)


def expected(root=REPO, registry=None):
    """``[(path, current text, text the generator would write)]`` of the catalogue's pages."""
    registry = registry if registry is not None else load_registry(root)
    out = []
    for name, render in ((PAGE, page_section), (README, readme_section)):
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        out.append((path, current, rewrite(current, render(registry))))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a page's section is stale")
    args = parser.parse_args(argv)
    try:
        pages = expected()
    except (OSError, ValueError) as exc:
        print("control_docs: %s" % exc, file=sys.stderr)
        return 1
    stale = sections.write_stale(pages, args.check, "control_docs", REPO)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
