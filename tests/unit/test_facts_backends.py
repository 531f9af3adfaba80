# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_facts' ``backends`` (issue 17): the sorcery.conf and extconfig.conf lines that may
give objects no configuration file shows, by the audit's own rules (compliance_backends).  The
sip and secrets roles judge database objects (``pbx_compliance`` with ``objects: backends``) only
where the list is not empty, so an empty list must mean that the judge finds nothing.

The real modules run through ``ansible`` against localhost on trees in a temporary directory
(``etc/`` with asterisk.conf pointing astmoddir at ``modules/``, which holds empty ``*.so``
files); no Asterisk runs, so ``source`` is ``config`` and the judge reads the files alone."""

from __future__ import annotations

import os

import pytest

from asterisk_host import facts_task

FACTS = "pbxsec.hardening.asterisk_facts"
AUDIT = "pbxsec.hardening.pbx_compliance"
# The controls the sip and secrets roles judge with objects: backends.
JUDGED = ["PBX-SIP-%03d" % n for n in range(1, 7)] + ["PBX-PJS-%03d" % n for n in range(1, 5)] \
    + ["PBX-IAX-001", "PBX-IAX-002", "PBX-SEC-001", "PBX-SEC-002", "PBX-SEC-003"]
INSTALLED = ("chan_sip", "res_pjsip", "chan_pjsip", "chan_iax2", "res_config_odbc",
             "res_config_sqlite3")
# Debian's stock files, without their comments (tests/images: asterisk16, asterisk22, FreePBX).
STOCK = {
    "sorcery.conf": "[general]\n\n[test_sorcery_section]\ntest=memory\n\n"
                    "[test_sorcery_cache]\ntest/cache=test\ntest=memory\n",
    "extconfig.conf": "[settings]\n;sippeers => odbc,asterisk,sippeers\n",
    "sip.conf": "[general]\nallowguest=no\n",
    "pjsip.conf": "[transport-udp]\ntype=transport\nprotocol=udp\nbind=0.0.0.0:5060\n",
    "iax.conf": "[general]\nbindport=4569\n",
}
REALTIME_ENDPOINTS = ("sorcery.conf:2 endpoint=realtime,ps_endpoints (extconfig.conf:2 "
                      "ps_endpoints => sqlite3,asterisk,ps_endpoints)")

pytestmark = pytest.mark.skipif(
    any(os.access(os.path.join(d, "asterisk"), os.X_OK)
        for d in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin"] if d)
    or os.path.exists("/etc/freepbx.conf"),
    reason="needs a controller without Asterisk and FreePBX")


@pytest.fixture
def pbx(astconf_tree):
    """``pbx(files, modules_conf=..., installed=INSTALLED)``: the ``etc/`` directory (str) of a
    tree with Debian's stock files, overridden by ``files`` (None removes one)."""

    def build(files, modules_conf="[modules]\nautoload=yes\n", installed=INSTALLED):
        root = astconf_tree({})
        tree = dict(("etc/" + name, text) for name, text in STOCK.items())
        tree.update(("etc/" + name, text) for name, text in files.items() if text is not None)
        for name, text in files.items():
            if text is None:
                tree.pop("etc/" + name, None)
        tree.update(("modules/%s.so" % name, b"") for name in installed)
        tree["etc/asterisk.conf"] = "[directories]\nastmoddir => %s\nastrundir => %s\n" % (
            root / "modules", root / "run")
        if modules_conf is not None:
            tree["etc/modules.conf"] = modules_conf
        astconf_tree(tree)
        return str(root / "etc")

    return build


@pytest.fixture
def facts(run_module):
    def asterisk_facts(config_dir):
        result = run_module(FACTS, {"config_dir": config_dir})
        assert not result.get("failed") and result["changed"] is False, result
        return result["ansible_facts"]["asterisk"]

    return asterisk_facts


@pytest.fixture
def judge(run_module):
    """What the roles' judge says on the files: ``{control: (status, [finding messages])}``."""

    def judged(config_dir):
        result = run_module(AUDIT, {"config_dir": config_dir, "live": False,
                                    "objects": "backends", "controls": JUDGED,
                                    "pressure": False})
        assert not result.get("failed"), result
        return dict((entry["id"], (entry["status"], [f["message"] for f in entry["findings"]]))
                    for entry in result["controls"] if entry["id"] in JUDGED)

    return judged


def found_nothing(judged):
    return all(status in ("pass", "not_applicable") for status, _messages in judged.values())


def item(config_dir, name, line, what, text):
    return {"file": os.path.join(config_dir, name), "line": line, "what": what, "text": text}


# --- nothing mapped: the roles skip their judges, which would find nothing ------------------


@pytest.mark.parametrize("files", [
    {},
    {"sorcery.conf": None, "extconfig.conf": None},
    # pjsip.conf named for a type keeps its objects in the file the audit reads
    {"sorcery.conf": "[res_pjsip]\nendpoint=config,pjsip.conf,criteria=type=endpoint\n"
                     "auth = config , pjsip.conf\n"},
    # a cache is no source of its own
    {"sorcery.conf": "[res_pjsip]\nendpoint/cache=memory_cache\nendpoint=config,pjsip.conf\n"},
    # realtime without a family in extconfig.conf gives nothing
    {"sorcery.conf": "[res_pjsip]\nendpoint=realtime,ps_endpoints\n"},
    # a family through a driver that is not loaded, or a line Asterisk ignores
    {"extconfig.conf": "[settings]\nsippeers => odbc,asterisk,sippeers\nvoicemail => ,asterisk\n"
                       "iaxusers => odbc\n"},
], ids=["stock", "no-files", "config-pjsip-conf", "cache", "realtime-without-family",
        "driver-not-loaded"])
def test_facts_backends_none(pbx, facts, judge, files):
    modules_conf = "[modules]\nautoload=yes\nnoload => res_config_odbc.so\n"
    config_dir = pbx(files, modules_conf=modules_conf)
    got = facts(config_dir)
    assert got["backends"] == [] and got["config_errors"] == []
    assert found_nothing(judge(config_dir))


# --- mapped: listed as the audit quotes them, and the judge finds them -----------------------


def test_facts_backends_sorcery_realtime_mapping_with_its_family(pbx, facts, judge):
    config_dir = pbx({
        "sorcery.conf": "[res_pjsip]\nendpoint=realtime,ps_endpoints\n"
                        "auth=config,pjsip.conf,criteria=type=auth\naor=realtime,ps_aors\n"
                        "[res_pjsip_endpoint_identifier_ip]\nidentify=memory\n",
        "extconfig.conf": "[settings]\nps_endpoints => sqlite3,asterisk,ps_endpoints\n"})
    assert facts(config_dir)["backends"] == [
        item(config_dir, "sorcery.conf", 2, "endpoint", REALTIME_ENDPOINTS),
        item(config_dir, "sorcery.conf", 6, "identify", "sorcery.conf:6 identify=memory"),
        item(config_dir, "extconfig.conf", 2, "ps_endpoints",
             "extconfig.conf:2 ps_endpoints => sqlite3,asterisk,ps_endpoints"),
    ]
    status, messages = judge(config_dir)["PBX-PJS-001"]
    assert status == "manual"
    assert any(REALTIME_ENDPOINTS in message for message in messages)


def test_facts_backends_extconfig_families_through_a_driver(pbx, facts, judge):
    config_dir = pbx({"extconfig.conf": (
        "[settings]\nsipfriends => odbc,asterisk,sip_buddies\n"    # two families, one line
        "iaxusers => mongodb,asterisk\n"                           # a driver of no known module
        "voicemail => pgsql,asterisk\n"                            # res_config_pgsql not loaded
        "sip.conf => sqlite3,asterisk\n")})                        # static realtime
    assert facts(config_dir)["backends"] == [
        item(config_dir, "extconfig.conf", 2, "sipfriends",
             "extconfig.conf:2 sipfriends => odbc,asterisk,sip_buddies"),
        item(config_dir, "extconfig.conf", 3, "iaxusers",
             "extconfig.conf:3 iaxusers => mongodb,asterisk"),
        item(config_dir, "extconfig.conf", 5, "sip.conf",
             "extconfig.conf:5 sip.conf => sqlite3,asterisk"),
    ]
    judged = judge(config_dir)
    for control, mapping in (("PBX-SIP-006", "sipfriends => odbc"),
                             ("PBX-IAX-001", "iaxusers => mongodb"),
                             ("PBX-SEC-001", "sip.conf => sqlite3")):
        status, messages = judged[control]
        assert status == "manual" and any(mapping in message for message in messages), control


def test_facts_backends_count_every_driver_when_the_loaded_modules_are_unknown(pbx, facts):
    """modules.conf missing: Asterisk would not start, so what loads is unknown."""
    config_dir = pbx({"extconfig.conf": "[settings]\nsippeers => pgsql,asterisk\n"},
                     modules_conf=None)
    got = facts(config_dir)
    assert got["backends"] == [item(config_dir, "extconfig.conf", 2, "sippeers",
                                    "extconfig.conf:2 sippeers => pgsql,asterisk")]


def test_facts_backends_are_bounded(pbx, facts):
    long_name = "f" * 300
    lines = ["%s%d => odbc,%s" % (long_name, n, "d" * 300) for n in range(60)]
    config_dir = pbx({"extconfig.conf": "[settings]\n" + "\n".join(lines) + "\n"})
    got = facts(config_dir)["backends"]
    assert len(got) == 50
    assert got[0]["what"] == "f" * 120 + "..."
    assert got[0]["text"] == ("extconfig.conf:2 %s0 => odbc,%s" % (long_name, "d" * 300))[:120] \
        + "..."


# --- files Asterisk would refuse: the facts survive, the judges still run and name the error --


@pytest.mark.parametrize("name", ["extconfig.conf", "sorcery.conf"])
def test_facts_backends_of_a_refused_file_are_unknown(pbx, facts, judge, name):
    config_dir = pbx({name: "[settings\n"})
    got = facts(config_dir)
    path = os.path.join(config_dir, name)
    assert got["backends"] == [{"file": path, "line": 1, "what": "unknown",
                                "text": "unknown: parse error: no closing ']'"}]
    assert got["config_errors"] == ["%s:1: parse error: no closing ']' (the objects Asterisk "
                                    "takes from databases are unknown)" % path]
    assert got["pjsip"] == {"installed": True, "loaded": True} and got["ports"] is not None
    errors = [(control, messages) for control, (status, messages) in judge(config_dir).items()
              if status == "error"]
    assert errors and all(any(path in message for message in messages)
                          for _control, messages in errors)


# --- the roles: a skipped judge and one that found nothing lead to the same verdicts ---------


SIP_JUDGE = "PBX-PJS-001 | AUDIT | Judge the peers and endpoints the running Asterisk takes from databases"
SEC_JUDGE = "PBX-SEC-002 | AUDIT | Judge the credentials the running Asterisk takes from databases"
SIP_LIVE = "PBX-SIP-006 | PATCH | Make the changes live before judging what is left"
SEC_LIVE = "PBX-SEC-001 | AUDIT | Reload Asterisk before the weak-secret check can fail the host"
# What the judges could not see, shown beside them (where they run).
SHOWN = ("PBX-PJS-001 | AUDIT | Show the peers and endpoints of databases this audit cannot see",
         "PBX-SEC-002 | AUDIT | Show the credentials of databases this audit cannot see")


def test_facts_backends_skip_the_role_judges_with_the_same_verdicts(pbx, run_play, tmp_path):
    """Check mode (nothing written, no reload run): the sip and secrets roles on a tree without
    mappings, whose judges are skipped, and on the same tree with a family no judged control
    reads (``queues``), whose judges run and find nothing.  The facts are asterisk_facts' own,
    with Asterisk said to run (its reloads would be CLI commands, which check mode skips)."""

    def play(extconfig):
        config_dir = pbx({"extconfig.conf": extconfig})
        play_vars = {"pbx_config_dir": config_dir, "pbx_defer_failures": True,
                     "pbx_secrets_store": str(tmp_path / "store.yml")}
        tasks = [
            {"name": "Facts", FACTS: {"config_dir": config_dir}, "register": "found"},
            facts_task("{{ found.ansible_facts.asterisk | combine({'running': true}) }}", "Running"),
        ] + [{"name": role, "ansible.builtin.include_role": {"name": "pbxsec.hardening." + role}}
             for role in ("sip", "secrets")]
        results = dict(run_play(tasks, play_vars, check=True))
        return results["Facts"]["ansible_facts"]["asterisk"]["backends"], results

    skipped_backends, skipped = play("[settings]\n")
    ran_backends, ran = play("[settings]\nqueues => odbc,asterisk\n")
    assert skipped_backends == [] and len(ran_backends) == 1
    for judge_task in (SIP_JUDGE, SEC_JUDGE):
        assert skipped[judge_task].get("skipped") is True
        assert "skipped" not in ran[judge_task] and ran[judge_task]["compliant"] is True
    # With failures deferred, the verdicts of the sip and secrets roles make nothing live (the
    # play reloads once, at its end); the judges of the running Asterisk's databases make the
    # changes live first, in the file that holds them (tasks/backends.yml).
    for flush in (SIP_LIVE, SEC_LIVE):
        assert skipped[flush].get("skipped") is True and ran[flush].get("skipped") is True

    def verdicts(results):
        return dict((name, (bool(r.get("skipped")), bool(r.get("failed")), r.get("msg")))
                    for name, r in results.items()
                    if name not in (SIP_JUDGE, SIP_LIVE, SEC_JUDGE, SEC_LIVE, "Facts", "Running") + SHOWN)

    assert verdicts(skipped) == verdicts(ran)


def test_facts_backends_never_show_the_credentials_of_a_url(pbx, facts, judge):
    config_dir = pbx({"extconfig.conf": (
        "[settings]\nsippeers => curl,https://rt-user:Rt-Pass-99@rt.example.test/sip\n")},
        installed=INSTALLED + ("res_config_curl",))
    assert facts(config_dir)["backends"] == [
        item(config_dir, "extconfig.conf", 2, "sippeers",
             "extconfig.conf:2 sippeers => curl,https://****@rt.example.test/sip")]
    judged = judge(config_dir)
    assert "Rt-Pass-99" not in str(judged) and "rt-user" not in str(judged)
