# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""role_argument_specs: the harden playbook checks every role's variables in one task, against
the specs the roles would check them with themselves, and fails naming the bad variable."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible.errors import AnsibleLookupError
from ansible_collections.pbxsec.hardening.plugins.lookup import role_argument_specs
from ansible_collections.pbxsec.hardening.plugins.lookup.role_argument_specs import LookupModule

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))))


def _spec(role):
    with open(os.path.join(REPO, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def _check(run_play, play_vars):
    task = {"name": "check",
            "ansible.builtin.validate_argument_spec": {
                "argument_spec": "{{ lookup('pbxsec.hardening.role_argument_specs', 'sip', 'voicemail') }}"}}
    (_name, result), = run_play([task], play_vars)
    return result


def test_the_options_of_the_named_roles_merged():
    merged, = LookupModule().run(["sip", "voicemail"])
    assert merged == dict(_spec("sip"), **_spec("voicemail"))


def test_a_bad_value_of_any_named_role_fails_naming_the_variable(run_play):
    assert not _check(run_play, {}).get("failed")
    result = _check(run_play, {"pbx_voicemail_operator_allowed": "sometimes"})
    assert result.get("failed") and "pbx_voicemail_operator_allowed" in result["msg"], result


def test_the_harden_playbook_checks_the_roles_it_imports_without_their_own_checks():
    with open(os.path.join(REPO, "playbooks", "harden.yml"), encoding="utf-8") as handle:
        tasks = yaml.safe_load(handle)[0]["tasks"]
    imports = [task["ansible.builtin.import_role"] for task in tasks if "ansible.builtin.import_role" in task]
    checked = tasks[0]["ansible.builtin.validate_argument_spec"]["argument_spec"]
    roles = [imported["name"].rsplit(".", 1)[1] for imported in imports]
    assert roles == ["dialplan", "sip", "manager", "firewall", "fail2ban", "secrets", "voicemail"]
    assert all(imported["rolespec_validate"] is False for imported in imports)
    assert "lookup('pbxsec.hardening.role_argument_specs'," in checked
    assert [role for role in roles if "'%s'" % role not in checked] == []
    # The roles judged at the end are imported public and their verdicts named one by one, so
    # that private_role_vars cannot hide a failed check (a verdict the play cannot see errs).
    judged = [imported for imported in imports if imported.get("tasks_from") == "follow_up"]
    assert [imported["name"].rsplit(".", 1)[1] for imported in judged] == [
        "dialplan", "sip", "manager", "secrets", "voicemail"]
    assert all(imported.get("public") is True for imported in judged)
    with open(os.path.join(REPO, "playbooks", "harden.yml"), encoding="utf-8") as handle:
        verdict = yaml.safe_load(handle)[0]["post_tasks"][0]["vars"]["__pbx_failed_checks"]
    assert all("__pbx_%s_failed_checks" % imported["name"].rsplit(".", 1)[1] in verdict for imported in judged)


def test_an_option_two_roles_declare_differently_is_refused(tmp_path, monkeypatch):
    for role, kind in (("one", "str"), ("two", "int")):
        meta = tmp_path / role / "meta"
        meta.mkdir(parents=True)
        (meta / "argument_specs.yml").write_text(yaml.safe_dump(
            {"argument_specs": {"main": {"options": {"pbx_shared": {"type": kind}}}}}))
    monkeypatch.setattr(role_argument_specs, "_ROLES", str(tmp_path))
    with pytest.raises(AnsibleLookupError, match="pbx_shared is declared differently by the roles one and two"):
        LookupModule().run(["one", "two"])


def test_a_spec_without_a_main_entry_point_is_refused(tmp_path, monkeypatch):
    meta = tmp_path / "odd" / "meta"
    meta.mkdir(parents=True)
    (meta / "argument_specs.yml").write_text(yaml.safe_dump({"argument_specs": {"other": {}}}))
    monkeypatch.setattr(role_argument_specs, "_ROLES", str(tmp_path))
    with pytest.raises(AnsibleLookupError, match="has no main entry point"):
        LookupModule().run(["odd"])


@pytest.mark.parametrize("name", ["nosuchrole", "../sip", "Sip"])
def test_a_name_that_is_not_a_role_here_is_refused(name):
    with pytest.raises(AnsibleLookupError, match="role_argument_specs"):
        LookupModule().run([name])
