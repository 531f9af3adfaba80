# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The objects res_pjsip_config_wizard builds (issue 15 item 3): the expansion of the test bed's
wizard site is compared with what Asterisk 22 showed for it (tests/unit/fixtures/cli/wizard),
and PBX-SEC-002 judges the wizard's auths, naming the wizard file and line."""

from __future__ import annotations

import ipaddress
import json
import os
import re

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_findings import (
    audit_dir,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    make_policy,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_wizard import (
    expand,
    split_hosts,
    with_wizard,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SITE = os.path.join(ROOT, "tests", "images", "asterisk22-wizard", "asterisk",
                    "pjsip_wizard_site.conf")
CLI = os.path.join(ROOT, "tests", "unit", "fixtures", "cli", "wizard")
POLICY = make_policy()
# Options the export shows in Asterisk's own spelling (codec lists, ACLs) or never shows.
NORMALISED = ("type", "password", "allow", "disallow", "match")


def _cli(name):
    with open(os.path.join(CLI, name), encoding="utf-8") as handle:
        return handle.read()


def _site_objects():
    return expand(load_config(SITE))


def _site_line(text):
    """Line number of the first line of the site file that starts with ``text``."""
    with open(SITE, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.startswith(text):
                return number
    raise AssertionError(text)


def _listed(listing, label):
    """Object names of a ``pjsip show <objects>`` listing: the first word after ``label:``, up
    to a ``/``."""
    names = set()
    for line in listing.splitlines():
        head, colon, rest = line.strip().partition(":")
        if colon and head == label and rest.split() and not rest.strip().startswith("<"):
            names.add(rest.split()[0].split("/")[0])
    return names


def _exported():
    """``{(type, name): {option: [values]}}`` of ``pjsip export config_wizard primitives``."""
    objects, current = {}, None
    for line in _cli("pjsip_export_config_wizard_primitives.txt").splitlines():
        header = re.match(r"^\[([^\]]+)\]$", line)
        if header:
            current = {"name": header.group(1)}
            continue
        name, equals, value = line.partition(" = ")
        if current is None or not equals:
            continue
        if name == "type":
            objects[(value, current["name"])] = current = dict(current, options={})
        else:
            current.setdefault("options", {}).setdefault(name, []).append(value)
    return dict((key, item["options"]) for key, item in objects.items())


def _by(objects, kind):
    return dict((o.name, o) for o in objects if o.kind == kind)


# --- what Asterisk 22 built from the site -----------------------------------------------------

@pytest.mark.parametrize("kind, listing, label", [
    ("endpoint", "pjsip_show_endpoints.txt", "Endpoint"),
    ("auth", "pjsip_show_auths.txt", "Auth"),
    ("aor", "pjsip_show_aors.txt", "Aor"),
    ("identify", "pjsip_show_identifies.txt", "Identify"),
])
def test_expansion_builds_the_objects_asterisk_22_lists(kind, listing, label):
    assert set(_by(_site_objects(), kind)) == _listed(_cli(listing), label)


def test_expansion_builds_the_registrations_asterisk_22_lists():
    shown = set(line.split()[0].split("/")[0] for line in
                _cli("pjsip_show_registrations.txt").splitlines()
                if line.startswith(" ") and "/sip:" in line)
    assert set(_by(_site_objects(), "registration")) == shown


def test_expansion_options_are_those_asterisk_22_applied():
    exported = _exported()
    objects = _site_objects()
    assert set((o.kind, o.name) for o in objects) == set(exported)
    for obj in objects:
        options = exported[(obj.kind, obj.name)]
        for name, value in obj.items():
            if name not in NORMALISED:
                assert options.get(name) == [str(v) for v in obj.get_all(name)], (obj, name)
                assert value.path == SITE and value.line > 0


def test_expansion_inbound_and_outbound_auths_as_asterisk_22_pairs_them():
    listing = _cli("pjsip_show_endpoints.txt")
    auths = _by(_site_objects(), "auth")
    for endpoint in _by(_site_objects(), "endpoint").values():
        for option, label in (("auth", "InAuth"), ("outbound_auth", "OutAuth")):
            name = endpoint.get(option)
            if name is not None:
                assert "%s:  %s/%s" % (label, name, auths[name].get("username")) in listing


def test_expansion_identify_matches_are_the_networks_asterisk_22_shows():
    shown = [ipaddress.ip_network(line.split()[-1]) for line in
             _cli("pjsip_show_identifies.txt").splitlines()
             if line.strip().startswith("Match:") and "<" not in line]
    matched = [ipaddress.ip_network(str(v)) for o in _site_objects() if o.kind == "identify"
               for v in o.get_all("match")]
    assert matched == shown


def test_values_name_the_wizard_line_that_set_them():
    objects = _site_objects()
    identify = _by(objects, "identify")["carrier-identify"]
    assert identify.get("match").line == _site_line("remote_hosts")
    assert identify.line == _site_line("[carrier]")
    phone = _by(objects, "endpoint")["200"]
    assert phone.get("auth").line == _site_line("accepts_auth")
    assert phone.get("auth").inherited_from == "phone"
    assert _by(objects, "auth")["200-iauth"].get("password").line == \
        _site_line("inbound_auth/password = 200 ")
    assert _by(objects, "endpoint")["carrier"].get("allow_subscribe") is None


# --- the wizard's rules -------------------------------------------------------------------------

def _expanded(astconf_tree, text):
    root = astconf_tree({"pjsip_wizard.conf": text})
    return expand(load_config(str(root / "pjsip_wizard.conf")))


@pytest.mark.parametrize("value, hosts", [
    (b"127.0.0.3:5062, 127.0.0.4 ,", [b"127.0.0.3:5062", b"127.0.0.4", b""]),
    (b'a,"b,c",d', [b"a", b'"b,c"', b"d"]),
    (b"a\\,b,c", [b"a\\,b", b"c"]),
    (b"", []),
])
def test_remote_hosts_split_as_ast_strsep_trim(value, hosts):
    assert split_hosts(value) == hosts


def test_identify_keeps_ports_and_skips_empty_hosts_as_asterisk_22(astconf_tree):
    """Checked on Asterisk 22: ``remote_hosts = 127.0.0.3:5062, 127.0.0.4 ,`` shows
    ``Match: 127.0.0.3:5062/32`` and ``Match: 127.0.0.4/32``."""
    objects = _expanded(astconf_tree, "[t]\ntype=wizard\nremote_hosts = 127.0.0.3:5062, "
                                      "127.0.0.4 ,\n")
    assert _by(objects, "identify")["t-identify"].get_all("match") == ["127.0.0.3:5062",
                                                                       "127.0.0.4"]


def test_accepts_auth_without_username_builds_no_auth_but_the_endpoint_names_it(astconf_tree):
    """Checked on Asterisk 22: the endpoint shows ``auth: probe-acc-iauth`` (after its own
    ``endpoint/auth``), and no such auth exists."""
    objects = _expanded(astconf_tree, "[probe-acc]\ntype=wizard\naccepts_registrations=yes\n"
                                      "accepts_auth=yes\nendpoint/auth=other\n")
    assert _by(objects, "endpoint")["probe-acc"].get("auth") == "probe-acc-iauth"
    assert _by(objects, "auth") == {} and _by(objects, "identify") == {}


@pytest.mark.parametrize("text, identify", [
    ("accepts_registrations=yes\n", False),
    ("sends_line_with_registrations=yes\n", False),
    ("identify/match=192.0.2.7\n", True),
    ("", True),
])
def test_identify_built_unless_registrations_accepted_or_lines_sent(astconf_tree, text, identify):
    objects = _expanded(astconf_tree, "[t]\ntype=wizard\nremote_hosts=192.0.2.1\n" + text)
    found = _by(objects, "identify")
    assert bool(found) is identify
    if "identify/match" in text:
        assert found["t-identify"].get_all("match") == ["192.0.2.7"]


def test_later_wizard_of_a_name_replaces_and_deletes_what_the_earlier_built(astconf_tree):
    objects = _expanded(astconf_tree, (
        "[t]\ntype=wizard\nremote_hosts=192.0.2.1,192.0.2.2\naccepts_auth=yes\n"
        "inbound_auth/username=t\nsends_registrations=yes\n"
        "[t]\ntype=wizard\nremote_hosts=192.0.2.3\nsends_registrations=yes\n"))
    assert sorted(o.name for o in objects) == ["t", "t", "t-identify", "t-reg-0"]
    assert _by(objects, "identify")["t-identify"].get_all("match") == ["192.0.2.3"]
    assert _by(objects, "endpoint")["t"].get("auth") is None


def test_only_type_wizard_categories_and_case_sensitive_prefixes(astconf_tree):
    objects = _expanded(astconf_tree, (
        "[tpl](!)\ntype=wizard\naccepts_registrations=yes\n"
        "[a](tpl)\nEndpoint/context=ignored\nendpoint/context=kept\nACCEPTS_AUTH=yes\n"
        "inbound_auth/username=a\n"
        "[b]\ntype=Wizard\naccepts_registrations=yes\n"
        "[c]\ntype=endpoint\n"))
    assert sorted((o.kind, o.name) for o in objects) == [
        ("aor", "a"), ("auth", "a-iauth"), ("endpoint", "a")]
    assert _by(objects, "endpoint")["a"].get_all("context") == ["kept"]


def test_pjsip_conf_object_of_the_same_type_and_name_hides_the_wizards(astconf_tree):
    """Checked on Asterisk 22: with ``[201] type=endpoint`` in pjsip.conf, ``pjsip show endpoint
    201`` shows pjsip.conf's (no auth, its context) and the wizard's 201 is not listed."""
    root = astconf_tree({"pjsip.conf": "[201]\ntype=endpoint\ncontext=pjsip\n"})
    view = with_wizard(load_config(str(root / "pjsip.conf")), _site_objects())
    endpoints = [c for c in view.categories if str(c.get("type")) == "endpoint"]
    assert sorted(c.name for c in endpoints) == ["200", "201", "carrier"]
    assert [str(c.get("context")) for c in endpoints if c.name == "201"] == ["pjsip"]
    assert any(c.name == "201-iauth" for c in view.categories)


def test_expansion_builds_every_object_of_many_wizards_in_one_pass():
    # Time is measured by tests/bench (not here): this checks the count on a large tree.
    count = 4000
    text = "".join("[w%d]\ntype=wizard\nremote_hosts=192.0.2.1,192.0.2.2\n"
                   "sends_registrations=yes\naccepts_auth=yes\ninbound_auth/username=u\n"
                   % number for number in range(count))
    cfg = load_config("/pjsip_wizard.conf", "/", overlay={"/pjsip_wizard.conf": text.encode()})
    objects = expand(cfg)
    assert len(objects) == 6 * count
    assert len(set((o.kind, o.name) for o in objects)) == 6 * count


# --- PBX-SEC-002 on the wizard's auths ----------------------------------------------------------

def _site_dir(astconf_tree, extra=""):
    with open(SITE, encoding="utf-8") as handle:
        return astconf_tree({"pjsip_wizard.conf": handle.read() + extra})


def test_pbx_sec_002_weak_wizard_inbound_password_names_the_wizard_line(astconf_tree):
    root = _site_dir(astconf_tree)
    findings, statuses, _errors = audit_dir(str(root), POLICY, ["PBX-SEC-002"])
    assert statuses == {"PBX-SEC-002": "fail"}
    assert [(f.object, f.line, f.section, f.section_type, f.option, f.rotatable)
            for f in findings] == [("200-iauth", _site_line("inbound_auth/password = 200 "),
                                    "200", "wizard", "inbound_auth/password", True)]
    assert findings[0].file == str(root / "pjsip_wizard.conf")
    assert "equal to the object name" in "; ".join(findings[0].reasons)
    assert "Vt7-qhWm2-Lr9x" not in json.dumps([f.as_dict() for f in findings])


def test_pbx_sec_002_weak_outbound_and_duplicate_wizards_are_not_rotatable(astconf_tree):
    root = _site_dir(astconf_tree, "\n[201]\ntype=wizard\naccepts_auth=yes\n"
                                   "inbound_auth/username=201\ninbound_auth/password=201\n"
                                   "[isp]\ntype=wizard\nremote_hosts=192.0.2.9\nsends_auth=yes\n"
                                   "outbound_auth/username=isp\noutbound_auth/password=1234\n")
    findings = dict((f.object, f) for f in audit_dir(str(root), POLICY, ["PBX-SEC-002"])[0])
    assert sorted(findings) == ["200-iauth", "201-iauth", "isp-oauth"]
    assert not findings["201-iauth"].rotatable and not findings["isp-oauth"].rotatable
    assert "provider" in findings["isp-oauth"].why_not_rotatable


def test_pbx_sec_002_wizard_endpoint_without_auth_or_identify(astconf_tree):
    root = astconf_tree({"pjsip_wizard.conf": "[open]\ntype=wizard\naccepts_registrations=yes\n"})
    findings, statuses, _errors = audit_dir(str(root), POLICY, ["PBX-SEC-002"])
    assert statuses == {"PBX-SEC-002": "fail"}
    assert [(f.object, f.kind, f.line) for f in findings] == [("open", "pjsip wizard endpoint", 1)]


def test_pbx_sec_002_pjsip_conf_and_wizard_statuses_combine(astconf_tree):
    root = astconf_tree({"pjsip.conf": "[a]\ntype=auth\nusername=a\npassword=Vt7-qhWm2-Lr9x\n",
                         "pjsip_wizard.conf": "[w]\ntype=wizard\naccepts_auth=yes\n"
                                              "inbound_auth/username=w\n"
                                              "inbound_auth/password=Qz4nT8-wLp2rX\n"})
    assert audit_dir(str(root), POLICY, ["PBX-SEC-002"])[1] == {"PBX-SEC-002": "pass"}
    (root / "pjsip.conf").unlink()
    (root / "pjsip_wizard.conf").unlink()
    assert audit_dir(str(root), POLICY, ["PBX-SEC-002"])[1] == {"PBX-SEC-002": "not_applicable"}
