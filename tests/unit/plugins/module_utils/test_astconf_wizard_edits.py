# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The engine edits a wizard's own options (issue 15 item 3): ``endpoint/allow_subscribe``,
``endpoint/identify_by`` and ``inbound_auth/password`` in a ``type = wizard`` section, the ``/``
being part of the option's name, and the object the wizard builds then has the new value."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import plan_option
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import expand

SITE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "images",
                                    "asterisk22-wizard", "asterisk", "pjsip_wizard_site.conf"))


@pytest.fixture
def site(astconf_tree):
    """A directory holding the test bed's wizard site as its pjsip_wizard.conf."""
    with open(SITE, encoding="utf-8") as handle:
        return astconf_tree({"pjsip_wizard.conf": handle.read()})


def _applied(root, plan):
    for change in plan.changes:
        with open(change.key, "wb") as handle:
            handle.write(change.after)
    return load_config(str(root / "pjsip_wizard.conf"))


def _object(cfg, kind, name):
    return [o for o in expand(cfg) if o.kind == kind and o.name == name][0]


@pytest.mark.parametrize("option, value", [("endpoint/allow_subscribe", "no"),
                                           ("endpoint/identify_by", "ip")])
def test_wizard_endpoint_option_is_added_to_the_wizard_section(site, option, value):
    cfg = load_config(str(site / "pjsip_wizard.conf"))
    plan = plan_option(cfg, "carrier", option, value, section_type="wizard")
    assert (plan.before, plan.after) == (None, value)
    new = _applied(site, plan)
    endpoint = _object(new, "endpoint", "carrier")
    assert endpoint.get(option.split("/", 1)[1]) == value
    assert plan_option(new, "carrier", option, value, section_type="wizard").changed is False


def test_wizard_option_set_in_place_keeps_the_rest_of_the_line(astconf_tree):
    root = astconf_tree({"pjsip_wizard.conf": "[t]\ntype = wizard\nremote_hosts = 192.0.2.1\n"
                                              "endpoint/allow_subscribe = yes   ; default\n"})
    plan = plan_option(load_config(str(root / "pjsip_wizard.conf")), "t",
                       "endpoint/allow_subscribe", "no", section_type="wizard")
    assert plan.changes[0].after.endswith(b"endpoint/allow_subscribe = no   ; default\n")


def test_wizard_password_inherited_from_a_template_is_overridden_in_the_wizard(astconf_tree):
    root = astconf_tree({"pjsip_wizard.conf": (
        "[phone](!)\ntype = wizard\naccepts_auth = yes\naccepts_registrations = yes\n"
        "inbound_auth/password = 1234\n[300](phone)\ninbound_auth/username = 300\n")})
    cfg = load_config(str(root / "pjsip_wizard.conf"))
    plan = plan_option(cfg, "300", "inbound_auth/password", "Vt7-qhWm2-Lr9x",
                       section_type="wizard")
    assert "Vt7-qhWm2-Lr9x" not in repr(plan.actions)
    new = _applied(root, plan)
    assert _object(new, "auth", "300-iauth").get("password") == "Vt7-qhWm2-Lr9x"
    assert _object(new, "auth", "300-iauth").get("password").own
    assert new.categories_named("phone", templates=True)[0].get("inbound_auth/password") == "1234"


def test_wizard_section_type_skips_a_category_of_the_same_name_of_another_type(astconf_tree):
    root = astconf_tree({"pjsip_wizard.conf": "[t]\ntype = other\n[t]\ntype = wizard\n"
                                              "remote_hosts = 192.0.2.1\n"})
    plan = plan_option(load_config(str(root / "pjsip_wizard.conf")), "t",
                       "endpoint/allow_subscribe", "no", section_type="wizard")
    new = _applied(root, plan)
    assert _object(new, "endpoint", "t").get("allow_subscribe") == "no"
    assert new.categories_named("t")[0].get("endpoint/allow_subscribe") is None


def test_wizard_option_name_with_an_equals_sign_is_refused(site):
    with pytest.raises(AsteriskConfigError, match="must not contain"):
        plan_option(load_config(str(site / "pjsip_wizard.conf")), "carrier",
                    "endpoint/allow_subscribe=no", "no", section_type="wizard")


def test_asterisk_config_rotates_a_wizard_password_without_showing_it(site, run_module):
    """The secrets role's task, run through the real module with --diff: the wizard's
    ``inbound_auth/password`` is a credential by its file's kind, so neither the old nor the new
    value appears anywhere in the result, and the phone's auth has the new one."""
    result, stdout, stderr = run_module(
        "pbxsec.hardening.asterisk_config",
        {"path": str(site / "pjsip_wizard.conf"), "config_dir": str(site), "section": "200",
         "section_type": "wizard", "option": "inbound_auth/password", "value": "Vt7-qhWm2-Lr9x"},
        diff=True, output="raw")
    assert result["changed"] is True, result
    for text in (stdout, stderr):
        assert "Vt7-qhWm2-Lr9x" not in text and "password = 200" not in text
    cfg = load_config(str(site / "pjsip_wizard.conf"))
    assert _object(cfg, "auth", "200-iauth").get("password") == "Vt7-qhWm2-Lr9x"
