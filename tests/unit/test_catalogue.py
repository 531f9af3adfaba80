# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The control catalogue (plugins/module_utils/compliance_registry.py) is the single source:
catalogue = audit areas = role tags = docs.

- The audit: the checks of ``compliance_audit.AREAS`` judge exactly the catalogue's controls
  judged on the host, each once; every other control has its fixed verdict.
- The roles: every role declares its controls by area tag (``__pbx_<role>_controls`` in its
  vars, which ``selected_controls`` turns into the controls a run enforces): exactly the
  catalogue's controls of that role (and of the roles in ``also_in``). No task carries two
  control IDs as tags (``--skip-tags`` of one would skip the other: such a task carries
  ``always`` and runs for the selected controls); no task tag that looks like a control ID
  names a control that is not in the catalogue or not the role's; a task named after a control
  carries its tag, or ``always``; an ``asterisk_config`` task of a control that sets the option
  of one of its settings to a literal value sets the catalogue's value.
- The docs: docs/controls.md and the README's control table are what tests/docs/control_docs.py
  writes from the catalogue now (``make docs``).

Each check is a function that lists problems; the tests below it prove it finds them."""

from __future__ import annotations

import copy
import importlib.util
import os
import re

import pytest
import yaml
from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    compliance_audit,
    compliance_freepbx,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    compliance_registry as registry,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location(
    "control_docs", os.path.join(_REPO, "tests", "docs", "control_docs.py"))
control_docs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(control_docs)

# What a tag or task name prefix that means a control looks like (typos included).
ID_LIKE = re.compile(r"^PBX-[A-Z0-9]+-[0-9]+$", re.IGNORECASE)
ID_FORMAT = re.compile(r"^PBX-[A-Z]+-[0-9]{3}$")
NAME_PREFIX = re.compile(r"^\s*(PBX-[A-Za-z0-9]+-[0-9]+)\s*\|")
# Outcome status of the fixed verdict, by how the audit judges the control.
FIXED_STATUS = {"attestation": "manual", "procedure": "not_applicable", "probe": "not_applicable"}


# --- the audit ----------------------------------------------------------------------------------

def area_problems(catalogue, areas, fixed):
    """What keeps the audit's ``areas`` (``[(controls, check)]``) and fixed verdicts
    (``{control ID: Outcome}``) from judging exactly the catalogue."""
    on_host = [c.id for c in catalogue if c.judged == "check"]
    judged = [control for controls, _check in areas for control in controls]
    problems = ["judged by two areas: %s" % c for c in sorted(set(judged))
                if judged.count(c) > 1]
    problems += ["judged on the host, in no area: %s" % c for c in on_host if c not in judged]
    problems += ["in an area, not a catalogue control judged on the host: %s" % c
                 for c in sorted(set(judged) - set(on_host))]
    off_host = dict((c.id, c.judged) for c in catalogue if c.judged != "check")
    problems += ["no fixed verdict: %s" % c for c in off_host if c not in fixed]
    problems += ["fixed verdict for a control that is not judged off the host: %s" % c
                 for c in sorted(set(fixed) - set(off_host))]
    problems += ["fixed verdict %s of %s, judged by %s" % (fixed[c].status, c, how)
                 for c, how in off_host.items()
                 if c in fixed and fixed[c].status != FIXED_STATUS[how]]
    return problems


def test_the_audit_judges_exactly_the_catalogue():
    assert area_problems(registry.CATALOGUE, compliance_audit.AREAS,
                         compliance_audit.NOT_ON_A_LIVE_HOST) == []


def test_the_areas_judge_the_non_probe_controls_and_the_probe_the_others():
    judged = set(c for controls, _check in compliance_audit.AREAS for c in controls)
    assert judged == set(registry.HOST_CONTROL_IDS)
    assert judged | set(registry.PROBE_CONTROL_IDS) | {
        c.id for c in registry.CATALOGUE if c.judged in ("attestation", "procedure")} == set(
            registry.CONTROL_IDS)
    assert registry.PROBE_CONTROL_IDS == tuple(
        c.id for c in registry.CATALOGUE if c.area == "probe")


def _catalogue_with(**changes):
    catalogue = [copy.copy(c) for c in registry.CATALOGUE]
    for control in catalogue:
        for attribute, value in changes.get(control.id, {}).items():
            setattr(control, attribute, value)
    return catalogue


def test_area_problems_finds_a_missing_an_extra_and_a_twice_judged_control():
    areas = [(controls, check) for controls, check in compliance_audit.AREAS
             if "PBX-HTTP-001" not in controls]
    areas += [(("PBX-SIP-001", "PBX-XYZ-001"), None)]
    problems = area_problems(registry.CATALOGUE, areas, compliance_audit.NOT_ON_A_LIVE_HOST)
    assert problems == ["judged by two areas: PBX-SIP-001",
                        "judged on the host, in no area: PBX-HTTP-001",
                        "in an area, not a catalogue control judged on the host: PBX-XYZ-001"]


def test_area_problems_finds_fixed_verdicts_that_do_not_fit():
    fixed = dict(compliance_audit.NOT_ON_A_LIVE_HOST)
    del fixed["PBX-ACC-001"]
    fixed["PBX-SIP-001"] = fixed["PBX-DEC-001"]
    fixed["PBX-ACC-002"] = fixed["PBX-DEC-001"]
    assert area_problems(registry.CATALOGUE, compliance_audit.AREAS, fixed) == [
        "no fixed verdict: PBX-ACC-001",
        "fixed verdict for a control that is not judged off the host: PBX-SIP-001",
        "fixed verdict not_applicable of PBX-ACC-002, judged by attestation"]


def test_area_problems_finds_a_catalogue_control_the_audit_does_not_know():
    catalogue = list(registry.CATALOGUE) + [registry.Control(
        "PBX-SIP-099", "new", "low", "fix it", area="sip", role="sip")]
    assert area_problems(catalogue, compliance_audit.AREAS,
                         compliance_audit.NOT_ON_A_LIVE_HOST) == [
        "judged on the host, in no area: PBX-SIP-099"]


# --- the roles ----------------------------------------------------------------------------------

def _tags(task):
    tags = task.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    return set(str(tag).strip() for tag in tags)


def _import_of(task):
    for key in ("ansible.builtin.import_tasks", "import_tasks"):
        if isinstance(task.get(key), str):
            return task[key]
    return None


CONFIG_MODULES = ("pbxsec.hardening.asterisk_config", "asterisk_config")
SETTINGS_MODULES = ("pbxsec.hardening.asterisk_settings", "asterisk_settings")


def _settings_lists(value):
    """The lists of settings (dicts with ``control`` and ``option``) in a vars value."""
    if isinstance(value, list) and value and all(
            isinstance(item, dict) and "control" in item and "option" in item for item in value):
        return [value]
    return []


def role_settings(root, role):
    """``[(file, item)]``: the literal settings (``control``, ``option``, ``value``) a role hands
    ``asterisk_settings``, from its tasks and from the lists in its vars/main.yml."""
    found = []
    vars_file = os.path.join(root, "roles", role, "vars", "main.yml")
    if os.path.exists(vars_file):
        with open(vars_file, encoding="utf-8") as handle:
            for value in (yaml.safe_load(handle) or {}).values():
                found.extend(("vars/main.yml", item) for items in _settings_lists(value)
                             for item in items)
    base = os.path.join(root, "roles", role, "tasks")
    for name in sorted(os.listdir(base)):
        with open(os.path.join(base, name), encoding="utf-8") as handle:
            tasks = yaml.safe_load(handle) or []
        for task in tasks if isinstance(tasks, list) else ():
            for key in SETTINGS_MODULES:
                args = task.get(key) if isinstance(task, dict) else None
                if isinstance(args, dict):
                    found.extend(("tasks/" + name, item)
                                 for items in _settings_lists(args.get("settings"))
                                 for item in items)
    return found


def role_tasks(root, role):
    """``[(file, task name, effective tags, asterisk_config arguments or None)]`` of
    ``roles/<role>/tasks/*.yml``: a task's tags with those of its blocks and of the
    ``import_tasks`` that pulls its file in."""
    base = os.path.join(root, "roles", role, "tasks")
    files = sorted(name for name in os.listdir(base) if name.endswith(".yml"))
    loaded = {}
    for name in files:
        with open(os.path.join(base, name), encoding="utf-8") as handle:
            loaded[name] = yaml.safe_load(handle) or []
    out, imports = [], []

    def walk(name, tasks, above):
        for task in tasks:
            if not isinstance(task, dict):
                continue
            tags = above | _tags(task)
            config = [task[key] for key in CONFIG_MODULES if isinstance(task.get(key), dict)]
            out.append((name, str(task.get("name", "")), tags, config[0] if config else None))
            if _import_of(task) in loaded:
                imports.append((name, tags, _import_of(task)))
            for key in ("block", "rescue", "always"):
                walk(name, task.get(key) or [], tags)

    for name in files:
        walk(name, loaded[name], set())
    # The tags of an import reach every task of the imported file, through nested imports too.
    inherited = dict((name, set()) for name in files)
    changed = True
    while changed:
        changed = False
        for parent, tags, child in imports:
            more = (tags | inherited[parent]) - inherited[child]
            if more:
                inherited[child] |= more
                changed = True
    return [(name, task, tags | inherited[name], config) for name, task, tags, config in out]


def all_role_tasks(root=_REPO):
    base = os.path.join(root, "roles")
    return dict((role, role_tasks(root, role)) for role in sorted(os.listdir(base))
                if os.path.isdir(os.path.join(base, role, "tasks")))


def role_controls(root, role):
    """``[control ID]`` of ``__pbx_<role>_controls`` (``{area tag: [control ID]}``) in the
    role's vars/main.yml; None when the role declares none."""
    path = os.path.join(root, "roles", role, "vars", "main.yml")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        declared = (yaml.safe_load(handle) or {}).get("__pbx_%s_controls" % role)
    if not isinstance(declared, dict):
        return None
    return [control for ids in declared.values() for control in ids]


def all_role_controls(root=_REPO):
    base = os.path.join(root, "roles")
    return dict((role, role_controls(root, role)) for role in sorted(os.listdir(base)))


def tag_problems(catalogue, tasks_by_role, controls_by_role):
    """What keeps the roles' declared controls and task tags from matching the catalogue."""
    by_id = dict((c.id, c) for c in catalogue)
    problems = []
    for control in catalogue:
        for role in control.roles:
            if role not in tasks_by_role:
                problems.append("%s: role %s has no tasks" % (control.id, role))
            elif control.id not in (controls_by_role.get(role) or ()):
                problems.append("%s: not in __pbx_%s_controls" % (control.id, role))
    for role, declared in sorted(controls_by_role.items()):
        if declared is None:
            if role in tasks_by_role and any(role in c.roles for c in catalogue):
                problems.append("roles/%s: declares no __pbx_%s_controls" % (role, role))
            continue
        for control in declared:
            if control not in by_id:
                problems.append("roles/%s: __pbx_%s_controls: %s is not a control of the "
                                "catalogue" % (role, role, control))
            elif role not in by_id[control].roles:
                problems.append("roles/%s: __pbx_%s_controls: %s, a control of role %s" % (
                    role, role, control, by_id[control].role))
    for role, tasks in sorted(tasks_by_role.items()):
        for name, task, tags, _config in tasks:
            where = "roles/%s/tasks/%s: %r" % (role, name, task[:60])
            ids = sorted(t for t in tags if ID_LIKE.match(t))
            if len(ids) > 1:
                problems.append("%s: tags %s (--skip-tags of one skips the others: tag it "
                                "always and select the controls)" % (where, ", ".join(ids)))
            for tag in ids:
                if tag not in by_id:
                    problems.append("%s: tag %s is not a control of the catalogue" % (where, tag))
                elif role not in by_id[tag].roles:
                    problems.append("%s: tag %s, a control of role %s" % (
                        where, tag, by_id[tag].role))
            prefix = NAME_PREFIX.match(task)
            if prefix and prefix.group(1) not in tags and "always" not in tags:
                problems.append("%s: named after %s without its tag" % (where, prefix.group(1)))
    return sorted(set(problems))


def test_role_tags_match_the_catalogue():
    assert tag_problems(registry.CATALOGUE, all_role_tasks(), all_role_controls()) == []


def test_every_role_of_the_catalogue_exists():
    roles = set(role for c in registry.CATALOGUE for role in c.roles)
    assert sorted(roles - set(os.listdir(os.path.join(_REPO, "roles")))) == []


def _role(tmp_path, role, files):
    base = tmp_path / "roles" / role / "tasks"
    base.mkdir(parents=True)
    for name, text in files.items():
        (base / name).write_text(text)


def test_role_tasks_inherit_block_and_import_tags(tmp_path):
    _role(tmp_path, "sip", {
        "main.yml": "- name: Guard\n  block:\n    - name: Import\n"
                    "      ansible.builtin.import_tasks: chan_sip.yml\n      tags: [sip]\n"
                    "  tags: [outer]\n",
        "chan_sip.yml": "- name: PBX-SIP-001 | PATCH | x\n  tags: PBX-SIP-001, other\n"
                        "- name: Nested\n  import_tasks: a.yml\n  tags: [nested]\n",
        "a.yml": "- name: PBX-SIP-002 | PATCH | y\n  tags: [PBX-SIP-002]\n",
    })
    tasks = role_tasks(str(tmp_path), "sip")
    assert ("chan_sip.yml", "PBX-SIP-001 | PATCH | x",
            {"PBX-SIP-001", "other", "sip", "outer"}, None) in tasks
    assert ("a.yml", "PBX-SIP-002 | PATCH | y",
            {"PBX-SIP-002", "nested", "sip", "outer"}, None) in tasks


def test_tag_problems_finds_two_ids_an_unknown_id_a_foreign_control_and_a_missing_tag(tmp_path):
    _role(tmp_path, "sip", {"main.yml": "- name: PBX-SIP-001 | PATCH | x\n  tags: [PBX-SIP-001]\n"
                                        "- name: PBX-SIP-02 | PATCH | typo\n  tags: [PBX-SIP-02]\n"
                                        "- name: PBX-AMI-001 | PATCH | y\n  tags: [PBX-AMI-001]\n"
                                        "- name: PBX-SIP-003 | PATCH | z\n  tags: [sip]\n"
                                        "- name: PBX-SIP-001 | PATCH | both\n"
                                        "  tags: [PBX-SIP-001, PBX-SIP-002]\n"
                                        "- name: PBX-SIP-002 | PATCH | selected\n"
                                        "  tags: [always, sip]\n"})
    catalogue = [c for c in registry.CATALOGUE if c.id in ("PBX-SIP-001", "PBX-SIP-002",
                                                           "PBX-SIP-003", "PBX-AMI-001")]
    declared = {"sip": ["PBX-SIP-001", "PBX-SIP-002", "PBX-AMI-001"], "manager": None}
    problems = tag_problems(catalogue, all_role_tasks(str(tmp_path)), declared)
    assert problems == [
        "PBX-AMI-001: role manager has no tasks",
        "PBX-SIP-003: not in __pbx_sip_controls",
        "roles/sip/tasks/main.yml: 'PBX-AMI-001 | PATCH | y': tag PBX-AMI-001, a control of "
        "role manager",
        "roles/sip/tasks/main.yml: 'PBX-SIP-001 | PATCH | both': tags PBX-SIP-001, PBX-SIP-002 "
        "(--skip-tags of one skips the others: tag it always and select the controls)",
        "roles/sip/tasks/main.yml: 'PBX-SIP-003 | PATCH | z': named after PBX-SIP-003 without "
        "its tag",
        "roles/sip/tasks/main.yml: 'PBX-SIP-02 | PATCH | typo': tag PBX-SIP-02 is not a "
        "control of the catalogue",
        "roles/sip: __pbx_sip_controls: PBX-AMI-001, a control of role manager",
    ]


def test_tag_problems_wants_the_control_in_every_role_that_shares_it():
    controls = all_role_controls()
    controls["secrets"] = [c for c in controls["secrets"] if c != "PBX-VM-004"]
    problems = tag_problems(registry.CATALOGUE, all_role_tasks(), controls)
    assert "PBX-VM-004: not in __pbx_secrets_controls" in problems
    assert all("PBX-VM-004" in problem for problem in problems), problems


def _same(reads, one, other):
    if reads == "bool":
        return _ast_true(one) == _ast_true(other)
    return str(one).strip().lower() == str(other).strip().lower()


def _ast_true(value):
    return ast_true(str(value).strip())


def value_problems(catalogue, tasks_by_role, settings_by_role=None):
    """``asterisk_config`` tasks of a control that set one of its settings' options to a literal
    value other than the catalogue's, and so do the literal settings they hand asterisk_settings
    (``settings_by_role``: ``{role: role_settings()}``); templated values are not judged here."""
    settings_by_role = settings_by_role or {}
    problems = []
    for control in catalogue:
        wanted = dict((item.option, item) for item in control.settings if item.relation == "=")
        for role in control.roles:
            for name, task, tags, config in tasks_by_role.get(role, ()):
                if control.id not in tags or not config or config.get("option") not in wanted:
                    continue
                item, value = wanted[config["option"]], config.get("value")
                if value is None or "{{" in str(value) or _same(item.reads, value, item.value):
                    continue
                problems.append("%s: roles/%s/tasks/%s: %r sets %s=%s, the catalogue %s=%s" % (
                    control.id, role, name, task[:60], item.option, value, item.option,
                    item.value))
            for where, setting in settings_by_role.get(role, ()):
                if setting["control"] != control.id or setting["option"] not in wanted:
                    continue
                item, value = wanted[setting["option"]], setting.get("value")
                if value is None or "{{" in str(value) or _same(item.reads, value, item.value):
                    continue
                problems.append("%s: roles/%s/%s: sets %s=%s, the catalogue %s=%s" % (
                    control.id, role, where, item.option, value, item.option, item.value))
    return problems


def test_role_values_match_the_catalogue_settings():
    settings = dict((role, role_settings(_REPO, role)) for role in all_role_tasks())
    assert value_problems(registry.CATALOGUE, all_role_tasks(), settings) == []


def test_value_problems_finds_a_settings_list_that_writes_another_value(tmp_path):
    _role(tmp_path, "sip", {"main.yml": "- name: PBX-SIP-001 | PATCH | x\n  tags: [PBX-SIP-001]\n"})
    (tmp_path / "roles" / "sip" / "vars").mkdir()
    (tmp_path / "roles" / "sip" / "vars" / "main.yml").write_text(
        "__x:\n  - {control: PBX-SIP-001, section: general, option: allowguest, value: 'yes'}\n"
        "  - {control: PBX-SIP-002, section: general, option: alwaysauthreject, value: 'on'}\n")
    settings = {"sip": role_settings(str(tmp_path), "sip")}
    assert value_problems(registry.CATALOGUE, {}, settings) == [
        "PBX-SIP-001: roles/sip/vars/main.yml: sets allowguest=yes, the catalogue allowguest=no"]


def test_value_problems_finds_a_role_that_writes_another_value(tmp_path):
    _role(tmp_path, "sip", {"main.yml": (
        "- name: PBX-SIP-001 | PATCH | x\n  pbxsec.hardening.asterisk_config:\n"
        "    section: general\n    option: allowguest\n    value: 'off'\n"
        "  tags: [PBX-SIP-001]\n"
        "- name: PBX-SIP-002 | PATCH | y\n  pbxsec.hardening.asterisk_config:\n"
        "    option: alwaysauthreject\n    value: 'no'\n  tags: [PBX-SIP-002]\n"
        "- name: PBX-SIP-003 | PATCH | z\n  pbxsec.hardening.asterisk_config:\n"
        "    option: autocreatepeer\n    value: '{{ x }}'\n  tags: [PBX-SIP-003]\n")})
    assert value_problems(registry.CATALOGUE, all_role_tasks(str(tmp_path))) == [
        "PBX-SIP-002: roles/sip/tasks/main.yml: 'PBX-SIP-002 | PATCH | y' sets "
        "alwaysauthreject=no, the catalogue alwaysauthreject=yes"]


# --- the docs -----------------------------------------------------------------------------------

def test_docs_are_what_the_generator_writes_from_the_catalogue():
    for path, current, wanted in control_docs.expected():
        assert current == wanted, (
            "%s: the section between the markers is not what tests/docs/control_docs.py writes "
            "from the catalogue; run `make docs`" % os.path.relpath(path, _REPO))


def test_generated_sections_say_they_are_generated_and_by_what():
    assert "generated" in control_docs.BEGIN and "tests/docs/control_docs.py" in control_docs.BEGIN
    for _path, current, _wanted in control_docs.expected():
        assert current.count(control_docs.BEGIN) == 1 and current.count(control_docs.END) == 1


def test_every_control_is_in_both_pages():
    page = control_docs.page_section(registry)
    readme = control_docs.readme_section(registry)
    for control in registry.CATALOGUE:
        assert "\n| %s |" % control.id in page, control.id
        assert "\n| [%s](docs/controls.md#" % control.id in readme, control.id
    assert page.count("\n| PBX-") == readme.count("\n| [PBX-") == len(registry.CATALOGUE)


def test_a_stale_page_is_found(tmp_path):
    for name in (control_docs.PAGE, control_docs.README):
        with open(os.path.join(_REPO, name), encoding="utf-8") as handle:
            text = handle.read()
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.replace("| PBX-SIP-001 |", "| PBX-SIP-001 | stale |")
                                     .replace("chan_sip refuses guest calls", "old title"))
    stale = [os.path.relpath(path, str(tmp_path))
             for path, current, wanted in control_docs.expected(str(tmp_path),
                                                                control_docs.load_registry())
             if current != wanted]
    assert stale == [control_docs.PAGE, control_docs.README]


def test_a_changed_catalogue_changes_the_pages():
    catalogue = _catalogue_with(**{"PBX-SIP-001": {"title": "changed title"}})

    class Changed:
        pass
    changed = Changed()
    for name in ("CATALOGUE_AREAS", "JUDGED", "READS", "SUPPORTED_VERSIONS"):
        setattr(changed, name, getattr(registry, name))
    changed.CATALOGUE = tuple(catalogue)
    changed.by_area = lambda: [(area, heading, [c for c in catalogue if c.area == area])
                               for area, heading in registry.CATALOGUE_AREAS]
    assert "changed title" in control_docs.page_section(changed)
    assert "changed title" in control_docs.readme_section(changed)
    assert control_docs.page_section(changed) != control_docs.page_section(registry)


@pytest.mark.parametrize("text", [
    "no markers\n",
    "%s\nonly the beginning\n" % control_docs.BEGIN,
    "%s\nend first\n%s\n" % (control_docs.END, control_docs.BEGIN),
])
def test_rewrite_refuses_a_page_without_one_pair_of_markers(text):
    with pytest.raises(ValueError):
        control_docs.rewrite(text, "section")


@pytest.mark.parametrize("raw, cell", [
    ("[peer](+) allow=no", "[peer\\](+) allow=no"),
    ("a | b <x> *97", "a \\| b &lt;x> \\*97"),
])
def test_cells_escape_markdown(raw, cell):
    assert control_docs.text(raw) == cell


# --- the catalogue itself -----------------------------------------------------------------------

def test_catalogue_entries_are_well_formed():
    areas = dict(registry.CATALOGUE_AREAS)
    ids = [c.id for c in registry.CATALOGUE]
    assert len(ids) == len(set(ids))
    assert registry.CONTROL_IDS == tuple(ids)
    assert all(registry.BY_ID[i].id == i for i in ids)
    for control in registry.CATALOGUE:
        assert ID_FORMAT.match(control.id), control.id
        assert control.title and control.remediation, control.id
        assert control.severity in registry.SEVERITIES, control.id
        assert control.area in areas, control.id
        assert control.judged in registry.JUDGED, control.id
        assert control.role is not None or not control.also_in, control.id
        versions = control.applies.versions
        if versions is not None:
            assert registry.SUPPORTED_VERSIONS[0] <= (versions[0] or 16), control.id
            assert (versions[1] or 22) <= registry.SUPPORTED_VERSIONS[1], control.id
        for item in control.settings:
            assert item.reads in registry.READS and item.relation in registry.RELATIONS, control.id
            assert item.file.endswith(".conf") and item.selector and item.option, control.id
            assert (item.value is None) == (item.relation == "absent"), control.id


def test_an_id_prefix_belongs_to_one_area():
    areas = {}
    for control in registry.CATALOGUE:
        areas.setdefault(control.id.rsplit("-", 1)[0], set()).add(control.area)
    assert dict((prefix, sorted(a)) for prefix, a in areas.items() if len(a) > 1) == {}


def test_freepbx_fixes_come_from_the_catalogue():
    assert compliance_freepbx.FIXES == dict(
        (c.id, (c.freepbx.gui, c.freepbx.customs)) for c in registry.CATALOGUE
        if c.freepbx is not None)
    gui = registry.BY_ID["PBX-SIP-001"].freepbx.gui
    assert compliance_freepbx.remediation("PBX-SIP-001", "plain").startswith(
        "FreePBX GUI: %s." % gui)
    assert compliance_freepbx.remediation("PBX-FS-001", "plain") == "plain"
