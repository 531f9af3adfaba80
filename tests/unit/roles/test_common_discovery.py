# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Role common discovers Asterisk once per host per run: facts this run gathered for the same
configuration directory are reused, facts a fact cache kept from an earlier run are not (they
may lack a realtime mapping added since, which would skip the database judges of roles sip and
secrets). The role runs for real (ansible-playbook) on localhost."""

from __future__ import annotations

DISCOVER = "Preflight | Discover Asterisk"
COMMON = {"ansible.builtin.include_role": {"name": "pbxsec.hardening.common"}}


def discoveries(results):
    """Per run of the discovery task: True when it ran, False when it was skipped."""
    return [not result.get("skipped", False) for name, result in results if name == DISCOVER]


def test_a_fact_cache_from_an_earlier_run_is_not_trusted(tmp_path, astconf_tree, run_play):
    config_dir = astconf_tree({"asterisk.conf": "[directories]\n"})
    env = {"ANSIBLE_CACHE_PLUGIN": "jsonfile",
           "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(tmp_path / "facts")}
    tasks = [COMMON, COMMON, COMMON, {"name": "Backends", "ansible.builtin.debug": {
        "var": "ansible_facts.asterisk.backends"}}]
    play_vars = {"pbx_config_dir": str(config_dir)}
    earlier = run_play(tasks, play_vars=play_vars, env=env)
    assert discoveries(earlier) == [True, False, False]      # reused within the run
    assert earlier[-1][1]["ansible_facts.asterisk.backends"] == []
    assert list((tmp_path / "facts").iterdir()), "the earlier run cached no facts"
    # Since then, PJSIP endpoints come from a database.
    astconf_tree({"sorcery.conf": "[res_pjsip]\nendpoint=realtime,ps_endpoints\n",
                  "extconfig.conf": "[settings]\nps_endpoints => odbc,asterisk\n"})
    results = run_play(tasks, play_vars=play_vars, env=env)
    assert discoveries(results) == [True, False, False]
    backends = results[-1][1]["ansible_facts.asterisk.backends"]
    assert [(item["file"].rsplit("/", 1)[-1], item["what"]) for item in backends] == [
        ("sorcery.conf", "endpoint"), ("extconfig.conf", "ps_endpoints")], backends


def test_another_configuration_directory_is_discovered_again(astconf_tree, tmp_path, run_play):
    first = astconf_tree({"a/asterisk.conf": "[directories]\n"}) / "a"
    second = tmp_path / "b"
    second.mkdir()
    (second / "asterisk.conf").write_text("[directories]\n")
    results = run_play([
        {"ansible.builtin.include_role": {"name": "pbxsec.hardening.common"},
         "vars": {"pbx_config_dir": str(first)}},
        {"ansible.builtin.include_role": {"name": "pbxsec.hardening.common"},
         "vars": {"pbx_config_dir": str(second)}},
        {"ansible.builtin.include_role": {"name": "pbxsec.hardening.common"},
         "vars": {"pbx_config_dir": str(second)}},
        {"ansible.builtin.include_role": {"name": "pbxsec.hardening.common"},
         "vars": {"pbx_config_dir": str(first)}},
    ])
    assert discoveries(results) == [True, True, False, True]


def test_the_facts_of_module_pbx_harden_s_discovery_are_reused(astconf_tree, run_play):
    """playbooks/harden.yml's one call discovers Asterisk itself (registered as __pbx_harden): the
    common role then takes those facts instead of discovering again, for the same directory."""
    config_dir = astconf_tree({"asterisk.conf": "[directories]\n"})
    harden = {"name": "One call", "pbxsec.hardening.pbx_harden": {"config_dir": str(config_dir)},
              "register": "__pbx_harden"}
    results = run_play([harden, COMMON], play_vars={"pbx_config_dir": str(config_dir)})
    assert results[0][1]["ansible_facts"]["asterisk"]["config_dir"] == str(config_dir)
    assert discoveries(results) == [False]
    other = config_dir / "other"
    other.mkdir()
    results = run_play([harden, dict(COMMON, vars={"pbx_config_dir": str(other)})],
                       play_vars={"pbx_config_dir": str(config_dir)})
    assert discoveries(results) == [True]


def test_the_one_calls_facts_are_not_reused_once_another_directorys_replaced_them(
        astconf_tree, tmp_path, run_play):
    """harden.yml's call discovered D1, a later role discovered D2: back on D1, the facts of the
    play are D2's, so the role discovers D1 again."""
    first = astconf_tree({"a/asterisk.conf": "[directories]\n"}) / "a"
    second = tmp_path / "b"
    second.mkdir()
    (second / "asterisk.conf").write_text("[directories]\n")
    results = run_play([
        {"name": "One call", "pbxsec.hardening.pbx_harden": {"config_dir": str(first)},
         "register": "__pbx_harden"},
        dict(COMMON, vars={"pbx_config_dir": str(second)}),
        dict(COMMON, vars={"pbx_config_dir": str(first)}),
        {"name": "Directory", "ansible.builtin.debug": {"var": "ansible_facts.asterisk.config_dir"}},
    ], play_vars={"pbx_config_dir": str(first)})
    assert discoveries(results) == [True, True]
    assert results[-1][1]["ansible_facts.asterisk.config_dir"] == str(first)
