# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Objects in realtime and sorcery backends (issue 15 item 4): never ``pass`` unseen.

The trees are the realtime site's own files (tests/images/asterisk22-realtime); live, the
running Asterisk is the realtime site's real CLI answers (tests/unit/fixtures/cli, captured from
that image), served on a real control socket the way Asterisk serves them.  The same site is
attacked on Asterisk 22 in molecule/asterisk22/tests/test_realtime.py."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    MAX_ANSWER,
    ask,
    pjsip_endpoints,
    pjsip_listed,
    pjsip_parameters,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_audit import (
    Options,
    audit,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    askable,
    realtime_switches,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host

from audit_result import by_id, statuses
from test_compliance_controls import SPEC  # pbx_compliance's own argument spec

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))
SITE = os.path.join(REPO, "tests", "images", "asterisk22-realtime", "asterisk")
CAPTURED = os.path.join(REPO, "tests", "unit", "fixtures", "cli", "asterisk22-realtime")
PJS = ["PBX-PJS-%03d" % n for n in range(1, 5)]
ENDPOINT_MAPPING = "sorcery_realtime.conf:5 endpoint=realtime,ps_endpoints"
WEAK_PASSWORD = "letmein1"      # auth 201's password in the realtime site's database


def captured(command):
    with open(os.path.join(CAPTURED, command.replace(" ", "_") + ".txt"), "rb") as stream:
        return stream.read()


def site_file(name):
    with open(os.path.join(SITE, name), encoding="utf-8") as stream:
        return stream.read()


def installed_modules():
    """The .so modules the realtime site's Asterisk 22 lists (``module show``)."""
    return [line.split()[0][:-3] for line in captured("module show").decode().splitlines()
            if line.split() and line.split()[0].endswith(".so")]


def realtime_site():
    """The realtime site's tree as the image builds it: Debian's stock files (their settings)
    with the overlay's files included at their end."""
    tree = dict((name, site_file(name)) for name in os.listdir(SITE))
    tree.update({
        "modules.conf": "[modules]\nautoload=yes\n",
        "pjsip.conf": "\n#include pjsip_realtime.conf\n",
        "sorcery.conf": "[test_sorcery_section]\ntest=memory\n\n#include sorcery_realtime.conf\n",
        "extconfig.conf": "[settings]\n\n#include extconfig_realtime.conf\n",
        "extensions.conf": "[general]\nstatic=yes\n\n#include extensions_realtime.conf\n",
        "manager.conf": "[general]\nenabled=no\n",
        "logger.conf": "[logfiles]\n",
    })
    return tree


class CapturedAsterisk:
    """A control socket that answers as the realtime site's Asterisk 22 answered (the captured
    output of each command; Asterisk's own reply to an unknown object otherwise)."""

    def __init__(self, path):
        self.asked = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(8)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def answer(self, command):
        try:
            return captured(command)
        except OSError:
            return b"Unable to find object %s.\n" % command.rpartition(" ")[2].encode()

    def _serve(self):
        while True:
            try:
                conn, _address = self.server.accept()
            except OSError:
                return
            with conn:
                received = b""
                while not received.endswith(b"\0"):
                    received += conn.recv(4096)
                command = received[len(b"cli quit after "):-1].decode()
                self.asked.append(command)
                conn.sendall(b"h10/1/22.10.1\n" + self.answer(command))

    def close(self):
        self.server.close()


@pytest.fixture
def realtime_host(astconf_tree, tmp_path):
    """``realtime_host(live=False, changes=None, objects="all")`` -> ``(Host, Options,
    CapturedAsterisk or None)`` of the realtime site's tree (``changes`` replaces files; a file
    given as None is left out)."""
    servers = []

    def build(live=False, changes=None, objects="all"):
        moddir, rundir = tmp_path / "modules", tmp_path / "run"
        moddir.mkdir(exist_ok=True)
        rundir.mkdir(exist_ok=True)
        for name in installed_modules():
            (moddir / (name + ".so")).write_bytes(b"")
        tree = realtime_site()
        tree["asterisk.conf"] = "[directories]\nastmoddir => %s\nastrundir => %s\n" % (
            moddir, rundir)
        tree.update(changes or {})
        astconf_tree(dict((os.path.join("etc", name), text)
                          for name, text in tree.items() if text is not None))
        server = None
        if live:
            server = CapturedAsterisk(str(rundir / "asterisk.ctl"))
            servers.append(server)
        args = dict(config_dir=str(tmp_path / "etc"), live=live, keys_dir=str(tmp_path / "keys"),
                    fail2ban_dir=str(tmp_path / "fail2ban"),
                    provider_networks=["198.51.100.0/24"], trusted_networks=["127.0.0.1/32"],
                    objects=objects)
        with patch_module_args(args):
            module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
        return Host(module, module.params["config_dir"], live), Options(module.params), server

    yield build
    for server in servers:
        server.close()


@pytest.fixture
def realtime(realtime_host):
    """``realtime(live=False, changes=None, objects="all")`` -> ``(result, asked CLI commands)``:
    the audit of the realtime site's tree."""

    def run(live=False, changes=None, objects="all"):
        host, options, server = realtime_host(live, changes, objects)
        result = audit(host, options)
        json.dumps(result)
        return result, (server.asked if server else [])

    return run


def messages(entry):
    return [item["message"] for item in entry["findings"]]


# --- files only: what the audit cannot see is manual, never pass --------------------------------

def test_pbx_pjs_realtime_objects_unseen_are_manual_naming_the_mapping(realtime):
    result, _asked = realtime(live=False)
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["manual"] * 5
    for control in PJS:
        entry = by_id(result)[control]
        assert any(ENDPOINT_MAPPING in m for m in messages(entry)), entry
        assert all(item["file"].endswith("sorcery_realtime.conf") for item in entry["findings"])
    # The family's own line says where the rows are.
    assert any("extconfig_realtime.conf:3 ps_endpoints => sqlite3,asterisk,ps_endpoints" in m
               for m in messages(by_id(result)["PBX-PJS-001"]))
    assert any("sorcery_realtime.conf:6 auth=realtime,ps_auths" in m
               for m in messages(by_id(result)["PBX-SEC-002"]))


def test_pbx_pjs_same_files_without_the_backend_pass(realtime):
    result, _asked = realtime(changes={"sorcery.conf": "[test_sorcery_section]\ntest=memory\n"})
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["pass"] * 5


def test_pbx_pjs_driver_not_loaded_gives_no_realtime_objects(realtime):
    noload = "[modules]\nautoload=yes\nnoload => res_config_sqlite3.so\n"
    result, _asked = realtime(changes={"modules.conf": noload})
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["pass"] * 5


def test_pbx_pjs_realtime_family_not_in_extconfig_gives_no_objects(realtime):
    result, _asked = realtime(changes={"extconfig.conf": "[settings]\n"})
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["pass"] * 5


@pytest.mark.parametrize("mapping, expected", [
    ("endpoint=config,pjsip.conf,criteria=type=endpoint", "pass"),      # the file judged here
    ("endpoint/cache=memory_cache,expire_on_reload=yes", "pass"),       # a cache, not a source
    ("endpoint=config,pjsip_endpoints.conf,criteria=type=endpoint", "manual"),
    ("endpoint=astdb,ps_endpoints", "manual"),
    ("endpoint = realtime , ps_endpoints", "manual"),
])
def test_pbx_pjs_sorcery_wizards(realtime, mapping, expected):
    result, _asked = realtime(changes={"sorcery_realtime.conf": "[res_pjsip]\n%s\n" % mapping})
    assert statuses(result, PJS) == [expected] * 4


def test_pbx_pjs_backend_only_without_pjsip_conf_is_manual_not_not_applicable(realtime):
    result, _asked = realtime(changes={"pjsip.conf": None, "pjsip_realtime.conf": None})
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["manual"] * 5


def test_static_realtime_voicemail_conf_from_database_is_manual(realtime):
    static = "[settings]\nvoicemail.conf => sqlite3,asterisk,ast_config\n"
    vm = ["PBX-VM-%03d" % n for n in range(1, 6)]
    vm_conf = "[general]\nminpassword=6\nmaxlogins=3\n[default]\n"
    result, _asked = realtime(changes={"extconfig.conf": static, "voicemail.conf": vm_conf})
    assert statuses(result, vm) == ["manual"] * 5
    assert "Asterisk reads voicemail.conf from a database (extconfig.conf:2 voicemail.conf => " \
           "sqlite3,asterisk,ast_config)" in messages(by_id(result)["PBX-VM-001"])[0]
    result, _asked = realtime(changes={"voicemail.conf": vm_conf})
    assert statuses(result, vm) == ["pass"] * 5


def test_pbx_vm_realtime_mailboxes_make_mailbox_controls_manual(realtime):
    vm_conf = "[general]\nminpassword=6\nmaxlogins=3\n[default]\n"
    mapped = "[settings]\nvoicemail => sqlite3,asterisk,voicemail\n"
    result, _asked = realtime(changes={"extconfig.conf": mapped, "voicemail.conf": vm_conf})
    assert statuses(result, ["PBX-VM-%03d" % n for n in range(1, 6)]) == \
        ["manual"] * 4 + ["pass"]       # minpassword and maxlogins live in the file


def test_chan_sip_and_iax_realtime_peers_make_peer_controls_manual(realtime, tmp_path):
    """Asterisk 22 has no chan_sip: the modules of a 16 (chan_sip, ODBC realtime) are added."""
    friends = "[settings]\nsipfriends => odbc,asterisk,sip_buddies\niaxusers => odbc,asterisk\n"
    (tmp_path / "modules").mkdir()
    for name in ("chan_sip", "chan_iax2", "res_config_odbc"):
        (tmp_path / "modules" / (name + ".so")).write_bytes(b"")
    sip = "[general]\nallowguest=no\nalwaysauthreject=yes\nallowoverlap=no\n"
    result, _asked = realtime(changes={"extconfig.conf": friends, "sip.conf": sip,
                                       "iax.conf": "[general]\n"})
    assert statuses(result, ["PBX-SIP-%03d" % n for n in range(1, 7)]) == \
        ["pass"] * 3 + ["manual"] * 3
    assert statuses(result, ["PBX-IAX-001", "PBX-IAX-002", "PBX-SEC-001", "PBX-SEC-003"]) == \
        ["manual"] * 4
    assert any("extconfig.conf:2 sipfriends => odbc,asterisk,sip_buddies" in m
               for m in messages(by_id(result)["PBX-SEC-001"]))


@pytest.mark.parametrize("switch, expected", [
    ("switch => Realtime/rt-anon@extensions",
     ["extensions.conf:2 switch => Realtime/rt-anon@extensions (extconfig.conf:2 extensions => "
      "sqlite3,asterisk,extensions)"]),
    ("switch => Realtime", ["extensions.conf:2 switch => Realtime (extconfig.conf:2 extensions "
                            "=> sqlite3,asterisk,extensions)"]),
    ("switch => Realtime/@other_family", []),           # a family extconfig.conf does not map
    ("switch => IAX2/user@host/context", []),            # not a realtime switch
])
def test_realtime_switch_takes_the_dialplan_from_a_mapped_family(realtime_host, switch, expected):
    host, _options, _server = realtime_host(changes={
        "extensions.conf": "[from-realtime-anon]\n%s\n" % switch,
        "extconfig.conf": "[settings]\nextensions => sqlite3,asterisk,extensions\n"})
    found = realtime_switches(host)
    assert [str(m) for m in found.get("from-realtime-anon", [])] == expected


# --- live: the running Asterisk shows the PJSIP objects; they are judged ------------------------

def test_pbx_pjs_001_realtime_anonymous_endpoint_fails_live(realtime):
    result, _asked = realtime(live=True)
    entry = by_id(result)["PBX-PJS-001"]
    assert entry["status"] == "fail"
    assert [item["object"] for item in entry["findings"]] == ["anonymous"]
    assert ENDPOINT_MAPPING in entry["findings"][0]["message"]
    assert "reach context from-realtime-anon" in entry["findings"][0]["message"]
    assert entry["findings"][0]["file"].endswith("sorcery_realtime.conf")


def test_pbx_pjs_002_004_realtime_trunk_judged_live(realtime):
    result, _asked = realtime(live=True)
    entries = by_id(result)
    assert statuses(result, PJS) == ["fail", "fail", "pass", "fail"]
    assert [(f["object"], "203.0.113.10/32" in f["message"])
            for f in entries["PBX-PJS-002"]["findings"]] == [("rt-trunk", True)]
    assert [f["object"] for f in entries["PBX-PJS-004"]["findings"]] == ["rt-trunk"]


def test_pbx_sec_002_realtime_weak_passwords_fail_live_and_are_never_shown(realtime):
    result, asked = realtime(live=True)
    entry = by_id(result)["PBX-SEC-002"]
    assert entry["status"] == "fail"
    assert [item["object"] for item in entry["findings"]] == ["200", "201"]
    assert WEAK_PASSWORD not in json.dumps(result)
    assert "pjsip show auth 201" in asked


def test_pbx_pjs_001_anonymous_identifier_noloaded_still_reached_by_name(realtime):
    """Checked on Asterisk 22: with res_pjsip_endpoint_identifier_anonymous unloaded, an INVITE
    from anonymous@... still reaches the endpoint named anonymous, by the username identifier."""
    noload = "[modules]\nautoload=yes\nnoload => res_pjsip_endpoint_identifier_anonymous.so\n"
    anonymous = "[anonymous]\ntype=endpoint\ncontext=public\n"
    result, _asked = realtime(changes={"modules.conf": noload, "pjsip_realtime.conf": anonymous,
                                       "sorcery_realtime.conf": ""})
    entry = by_id(result)["PBX-PJS-001"]
    assert entry["status"] == "fail"
    assert "res_pjsip_endpoint_identifier_user" in entry["findings"][0]["message"]
    by_ip = anonymous + "identify_by=ip\n"
    result, _asked = realtime(changes={"modules.conf": noload, "pjsip_realtime.conf": by_ip,
                                       "sorcery_realtime.conf": ""})
    assert by_id(result)["PBX-PJS-001"]["status"] == "pass"


# --- objects=backends: what only the database's owner can change (the roles' last check) --------

FILE_ANONYMOUS = {"pjsip_realtime.conf": "[anonymous]\ntype=endpoint\ncontext=public\n"}


def test_backends_alone_judges_the_database_objects_live(realtime):
    result, _asked = realtime(live=True, changes=FILE_ANONYMOUS, objects="backends")
    entries = by_id(result)
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["fail", "fail", "pass", "fail", "fail"]
    # The database's anonymous endpoint, not the one of the files (which a role can remove).
    assert [(f["object"], f["file"].endswith("sorcery_realtime.conf"))
            for f in entries["PBX-PJS-001"]["findings"]] == [("anonymous", True)]
    assert WEAK_PASSWORD not in json.dumps(result)


def test_all_objects_judges_the_files_and_the_database(realtime):
    result, _asked = realtime(live=True, changes=FILE_ANONYMOUS)
    assert [f["file"].rsplit("/", 1)[1] for f in by_id(result)["PBX-PJS-001"]["findings"]] == \
        ["pjsip_realtime.conf", "sorcery_realtime.conf"]


def test_backends_alone_passes_what_the_files_fail(realtime):
    no_backend = dict(FILE_ANONYMOUS, **{"sorcery.conf": "[test_sorcery_section]\ntest=memory\n"})
    result, _asked = realtime(changes=no_backend)
    assert statuses(result, ["PBX-PJS-001"]) == ["fail"]
    result, _asked = realtime(live=True, changes=no_backend, objects="backends")
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["pass"] * 5
    assert by_id(result)["PBX-PJS-001"]["findings"] == []


def test_backends_alone_unseen_objects_are_manual(realtime):
    result, _asked = realtime(live=False, changes=FILE_ANONYMOUS, objects="backends")
    assert statuses(result, PJS + ["PBX-SEC-002"]) == ["manual"] * 5
    assert all(item["file"].endswith("sorcery_realtime.conf")
               for control in PJS for item in by_id(result)[control]["findings"])


def test_live_audit_asks_each_backend_object_once(realtime):
    _result, asked = realtime(live=True)
    assert sorted(set(asked)) == sorted(asked)
    assert sorted(c for c in asked if c.startswith("pjsip show endpoint ")) == [
        "pjsip show endpoint 200", "pjsip show endpoint 201", "pjsip show endpoint anonymous",
        "pjsip show endpoint rt-trunk"]


# --- the CLI answers, parsed linearly ----------------------------------------------------------

def test_pjsip_endpoints_of_a_real_answer():
    shown = pjsip_endpoints(captured("pjsip show endpoints").decode())
    assert [(e["name"], e["inauths"]) for e in shown] == [
        ("200", ["200"]), ("201", ["201"]), ("anonymous", []), ("rt-trunk", [])]
    assert shown[3]["identifies"] == [dict(name="rt-trunk-identify", matches=["203.0.113.10/32"])]


def test_pjsip_parameters_and_listed_of_real_answers():
    assert pjsip_parameters(captured("pjsip show endpoint anonymous").decode())["context"] == \
        "from-realtime-anon"
    assert pjsip_parameters(captured("pjsip show endpoint no-such-endpoint").decode()) == {}
    assert pjsip_listed(captured("pjsip show auths").decode(), "Auth") == ["200", "201"]


def test_cli_parsers_are_linear_on_hostile_answers():
    hostile = "=" * 10 + "\n" + (" Endpoint: " + ":" * 5000 + "/" * 5000 + "\n") * 200 + \
        (" x : " * 20000) + "\n"
    started = time.process_time()
    pjsip_endpoints(hostile)
    pjsip_parameters("ParameterName : x\n" + hostile)
    pjsip_listed(hostile, "Auth")
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize("name, expected", [
    ("rt-trunk", True), ("anonymous@example.com", True), ("a b", False), ("x\ny", False),
    ("", False), ("a" * 256, False), ('a"b', False)])
def test_only_one_word_names_are_put_in_a_cli_command(name, expected):
    assert askable(name) is expected


def test_ask_an_answer_over_the_bound_is_none(tmp_path):
    path = str(tmp_path / "asterisk.ctl")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def serve():
        conn, _address = server.accept()
        with conn:
            conn.recv(4096)
            with contextlib.suppress(OSError):     # the client hangs up past the bound
                conn.sendall(b"h/1/22\n" + b"x" * (MAX_ANSWER + 1))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        assert ask(path, "pjsip show endpoints") is None
    finally:
        thread.join(10)
        server.close()
