# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_config_info, the real module run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
COLLECTIONS = os.path.join(REPO, ".cache", "collections")
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")
MODULE = "pbxsec.hardening.asterisk_config_info"


def run_raw(args, check=False, verbosity=0):
    """Run the module through ``ansible`` ad-hoc; return (result dict, stdout, stderr)."""
    env = dict(os.environ)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_RETRY_FILES_ENABLED="False")
    command = [ANSIBLE, "localhost", "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable,
               "-m", MODULE, "-a", json.dumps(args)]
    if check:
        command.append("--check")
    if verbosity:
        command.append("-" + "v" * verbosity)
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    stdout = proc.stdout.decode("utf-8")
    stderr = proc.stderr.decode("utf-8")
    start = stdout.index("{")     # -vvv prints connection chatter before the JSON document
    out = json.loads(stdout[start:])
    return out["plays"][0]["tasks"][0]["hosts"]["localhost"], stdout, stderr


def run(args, check=False):
    return run_raw(args, check=check)[0]


def snapshot(root):
    files = {}
    for base, _dirs, names in os.walk(str(root)):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, str(root))] = handle.read()
    return files


MANAGER = """\
[general]
enabled = yes
bindaddr = 0.0.0.0
;-- a commented-out user is not a user
[ghost]
secret = boo
--;
[ami-tpl](!)
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read = all

[monitor](ami-tpl)
secret = Sup3r-Secret-Monitor
write = call,reporting

#include "manager.d/*.conf"
"""

DROPIN = """\
[crm]
Secret = Dropin-Secret-CRM
write = system,call
permit=10.1.2.0/255.255.255.0
[monitor](+)
permit = 192.0.2.7/255.255.255.255
"""


def tree(astconf_tree):
    return astconf_tree({"manager.conf": MANAGER, "manager.d/crm.conf": DROPIN})


def test_categories_with_where_they_come_from(astconf_tree):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf")})
    assert result["changed"] is False and not result.get("failed"), result
    manager, dropin = str(root / "manager.conf"), str(root / "manager.d" / "crm.conf")
    assert result["root"] == manager
    assert result["files"] == [manager, dropin]
    listed = [(c["name"], c["is_template"], c["templates"], c["path"], c["line"])
              for c in result["categories"]]
    assert listed == [
        ("general", False, [], manager, 1),
        ("ami-tpl", True, [], manager, 8),
        ("monitor", False, ["ami-tpl"], manager, 13),
        ("crm", False, [], dropin, 1),
    ]
    assert result["errors"] == [] and result["exec_directives"] == []


def test_effective_values_with_templates_additions_and_includes(astconf_tree):
    root = tree(astconf_tree)
    manager, dropin = str(root / "manager.conf"), str(root / "manager.d" / "crm.conf")
    result = run({"path": str(root / "manager.conf"), "get": ["write", "READ", "bindaddr"],
                  "get_all": ["permit", "deny"]})
    by_name = {c["name"]: c for c in result["categories"]}
    monitor = by_name["monitor"]
    assert monitor["effective"] == {"write": "call,reporting", "READ": "all", "bindaddr": None}
    assert monitor["origin"]["READ"] == "%s:11 (inherited from [ami-tpl])" % manager
    assert monitor["origin"]["write"] == "%s:15" % manager
    assert monitor["effective_all"]["permit"] == ["127.0.0.1/255.255.255.255",
                                                  "192.0.2.7/255.255.255.255"]
    assert monitor["origin_all"]["permit"] == ["%s:10 (inherited from [ami-tpl])" % manager,
                                               "%s:6" % dropin]
    assert monitor["effective_all"]["deny"] == ["0.0.0.0/0.0.0.0"]
    # inherited first (deny, permit, read), then own (secret, write), then the (+) part
    assert monitor["index_all"] == {"deny": [0], "permit": [1, 5]}
    crm = by_name["crm"]
    assert crm["effective"]["write"] == "system,call"
    assert crm["origin"]["write"] == "%s:3" % dropin
    assert crm["effective_all"] == {"permit": ["10.1.2.0/255.255.255.0"], "deny": []}
    assert by_name["general"]["effective"]["bindaddr"] == "0.0.0.0"
    assert "ghost" not in by_name


def test_templates_can_be_left_out(astconf_tree):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf"), "templates": False})
    assert [c["name"] for c in result["categories"]] == ["general", "monitor", "crm"]


def test_secrets_are_masked_in_results_and_at_vvv(astconf_tree):
    root = astconf_tree({
        "manager.conf": MANAGER, "manager.d/crm.conf": DROPIN,
        "sip.conf": "[tpl](!)\nmd5secret=Md5-Secret-Value\n[6001](tpl)\nremotesecret=Remote-Secret"
                    "\npassword=Pass-Word-Value\ncallerid=Alice Private <6001>\n",
    })
    secrets = ["Sup3r-Secret-Monitor", "Dropin-Secret-CRM", "Md5-Secret-Value", "Remote-Secret",
               "Pass-Word-Value", "Alice Private"]
    for path, get in (("manager.conf", ["secret", "SECRET", "write"]),
                      ("sip.conf", ["md5secret", "remotesecret", "password", "callerid"])):
        args = {"path": str(root / path), "get": get, "get_all": get, "mask": ["CallerID"]}
        result, stdout, stderr = run_raw(args, verbosity=3)
        assert not result.get("failed"), result
        for secret in secrets:
            assert secret not in stdout and secret not in stderr, secret
        assert "********" in stdout
    result = run({"path": str(root / "manager.conf"), "get": ["secret"], "get_all": ["Secret"]})
    by_name = {c["name"]: c for c in result["categories"]}
    assert by_name["monitor"]["effective"]["secret"] == "********"
    assert by_name["crm"]["effective_all"]["Secret"] == ["********"]
    assert by_name["crm"]["origin"]["secret"].endswith("crm.conf:2")   # where, never what
    assert by_name["general"]["effective"]["secret"] is None           # absent stays visible
    result = run({"path": str(root / "sip.conf"), "get": ["md5secret", "password"]})
    peer = [c for c in result["categories"] if c["name"] == "6001"][0]
    assert peer["effective"] == {"md5secret": "********", "password": "********"}


def test_check_mode_reads_only_and_returns_the_same(astconf_tree):
    root = tree(astconf_tree)
    before = snapshot(root)
    args = {"path": str(root / "manager.conf"), "get": ["write"], "get_all": ["permit"]}
    checked = run(args, check=True)
    assert checked["changed"] is False and not checked.get("failed")
    assert snapshot(root) == before
    real = run(args)
    assert snapshot(root) == before
    assert checked["categories"] == real["categories"]


def test_a_tree_asterisk_refuses_fails_with_file_and_line(astconf_tree):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n#include missing.conf\n"})
    result = run({"path": str(root / "manager.conf")})
    assert result["failed"] is True
    assert result["msg"].startswith("%s:3: " % (root / "manager.conf"))


def test_error_in_an_included_file_is_reported_not_fatal(astconf_tree):
    root = astconf_tree({"manager.conf": "[general]\nenabled=yes\n#include sub.conf\n[b]\n",
                         "sub.conf": "[a]\n#include nothere.conf\nwrite=system\n"})
    result = run({"path": str(root / "manager.conf"), "get": ["write"]})
    assert not result.get("failed"), result
    assert len(result["errors"]) == 1 and "sub.conf:2" in result["errors"][0]
    by_name = {c["name"]: c for c in result["categories"]}
    assert by_name["a"]["effective"]["write"] is None        # rest of sub.conf dropped
    assert "b" in by_name


def test_exec_is_reported_never_run(astconf_tree):
    root = astconf_tree({"manager.conf": "[general]\n#exec /bin/touch /tmp/pbxsec-never\n"})
    result = run({"path": str(root / "manager.conf")})
    assert result["exec_directives"] == ["%s:2" % (root / "manager.conf")]
    assert any("execincludes" in line for line in result["diagnostics"])


def test_blank_option_name_is_refused(astconf_tree):
    root = tree(astconf_tree)
    result = run({"path": str(root / "manager.conf"), "get": [" write"]})
    assert result["failed"] is True and "blanks" in result["msg"]
