# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""asterisk_facts, the real module run through ``ansible`` ad-hoc against localhost.

The controller has no Asterisk: facts come from temporary trees (``etc/`` holds asterisk.conf
and modules.conf, ``modules/`` holds empty ``*.so`` files; the control socket would be in
``run/``), so ``source`` is ``config``.  The expected loader
behaviour (noload beats load, the first autoload wins, dependencies, Asterisk refusing to start)
was checked against Debian's Asterisk 16.28 and 22.10 in the test bed images.
"""

from __future__ import annotations

import glob
import os
import socket

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_modules import (
    parse_version,
    running_modules,
)
from asterisk_host import bare_controller

MODULE = "pbxsec.hardening.asterisk_facts"

WATCHED = ("chan_sip", "chan_pjsip", "res_pjsip", "res_pjsip_endpoint_identifier_anonymous",
           "chan_iax2", "app_voicemail", "res_ari", "res_http_websocket")
INSTALLED = ("chan_sip", "res_pjsip", "chan_pjsip")


@pytest.fixture
def run(run_module):
    """``run(args, check=False)``: the module's result dict."""

    def run_facts(args, check=False):
        return run_module(MODULE, args, check=check)

    return run_facts


@pytest.fixture
def facts(run):
    """``facts(args, **run_kwargs)``: ``ansible_facts.asterisk`` of a run that must not fail."""

    def asterisk_facts(args, **kwargs):
        result = run(args, **kwargs)
        assert not result.get("failed"), result
        assert result["changed"] is False
        return result["ansible_facts"]["asterisk"]

    return asterisk_facts


def compiled_in_module_dir():
    """What the module falls back to when asterisk.conf names no astmoddir."""
    candidates = sorted(glob.glob("/usr/lib/*/asterisk/modules"))
    candidates += ["/usr/lib/asterisk/modules", "/usr/lib64/asterisk/modules"]
    return next((path for path in candidates if os.path.isdir(path)), "/usr/lib/asterisk/modules")


def no_freepbx():
    """The facts of a host FreePBX does not manage (the controller running these tests)."""
    return {"detected": False, "evidence": [], "ami_user": None, "ami_user_source": None,
            "layout": {}}


pytestmark = bare_controller


@pytest.fixture
def pbx(astconf_tree):
    """``pbx(modules_conf, extra_modules=(), files=None)``: an ``etc/`` config dir whose
    asterisk.conf points astmoddir at ``modules/`` (chan_sip, res_pjsip, chan_pjsip and
    ``extra_modules``, empty files).  Returns ``(config_dir, module_dir)`` as str."""

    def build(modules_conf, extra_modules=(), files=None, asterisk_conf=None):
        root = astconf_tree({})
        module_dir = str(root / "modules")
        tree = {"modules/%s.so" % name: b"" for name in INSTALLED + tuple(extra_modules)}
        tree["etc/asterisk.conf"] = (asterisk_conf if asterisk_conf is not None else
                                     "[directories]\nastetcdir => %s\nastmoddir => %s\n"
                                     "astrundir => %s\n" % (root / "etc", module_dir, root / "run"))
        if modules_conf is not None:
            tree["etc/modules.conf"] = modules_conf
        for name, content in (files or {}).items():
            tree["etc/" + name] = content
        astconf_tree(tree)
        return str(root / "etc"), module_dir

    return build


def modules_state(loaded, installed=INSTALLED):
    return {name: {"installed": name in installed, "loaded": name in loaded} for name in WATCHED}


# --- the controller: no binary, configuration only ------------------------------------------


def test_asterisk_facts_without_binary_reports_config_source(pbx, facts):
    config_dir, module_dir = pbx("[modules]\nautoload=yes\nnoload => chan_sip.so\n")
    got = facts({"config_dir": config_dir})
    assert got == {
        "installed": False,
        "binary": None,
        "version": None,
        "version_full": None,
        "version_major": None,
        "running": False,
        "source": "config",
        "config_dir": config_dir,
        "module_dir": module_dir,
        "modules": modules_state({"res_pjsip", "chan_pjsip"}),
        "chan_sip": {"installed": True, "loaded": False},
        "pjsip": {"installed": True, "loaded": True},
        "iax2": {"installed": False, "loaded": False},
        "freepbx": no_freepbx(),
        "files": ["asterisk.conf", "modules.conf"],
        "ports": {"sip": [5060, 5061], "iax2": 4569, "rtp": [5000, 31000]},
        "backends": [],
        "config_errors": [],
    }


def test_asterisk_facts_autoload_no_loads_only_what_is_listed(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=no\nload => res_pjsip.so\n")
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state({"res_pjsip"})
    assert got["chan_sip"] == {"installed": True, "loaded": False}
    assert got["pjsip"] == {"installed": True, "loaded": False}      # chan_pjsip not listed
    assert got["config_errors"] == []


@pytest.mark.parametrize("modules_conf, loaded", [
    ("[modules]\nautoload=yes\nnoload => chan_sip\n", {"res_pjsip", "chan_pjsip"}),
    ("[modules]\nautoload=no\nload => res_pjsip\nload => chan_pjsip\n", {"res_pjsip", "chan_pjsip"}),
    ("[modules]\nautoload=no\nload = chan_sip\n", {"chan_sip"}),
    # Option names and noload names compare case-insensitively, `.so` in any case.
    ("[Modules]\nAutoLoad=Yes\nNOLOAD => CHAN_SIP.SO\n", {"res_pjsip", "chan_pjsip"}),
    ("[modules]\nautoload=on\nnoload => Res_PjSip.so\n", {"chan_sip"}),       # chan_pjsip needs it
    # noload wins over an explicit load (main/loader.c removes it from the load order).
    ("[modules]\nautoload=no\nload => chan_sip.so\nnoload => chan_sip\n", set()),
    ("[modules]\nautoload=yes\npreload => chan_sip.so\nnoload => chan_sip.so\n",
     {"res_pjsip", "chan_pjsip"}),
    # The FIRST autoload counts (ast_variable_retrieve()).
    ("[modules]\nautoload=no\nautoload=yes\n", set()),
    ("[modules]\nautoload=yes\nautoload=no\n", set(INSTALLED)),
    # A load name is opened as written: chan_sip.SO is not chan_sip.so on disk.
    ("[modules]\nautoload=no\nload => chan_sip.SO\n", set()),
    # Only the first [modules] counts; templates do not.
    ("[modules](!)\nautoload=yes\n[modules]\nautoload=no\nload => chan_sip.so\n"
     "[modules]\nload => res_pjsip.so\n", {"chan_sip"}),
    # A tree of includes, read as Asterisk reads it.
    ("[modules]\n#include modules_site.conf\n", {"chan_sip"}),
])
def test_asterisk_facts_predicts_the_loader(pbx, modules_conf, loaded, facts):
    config_dir, dummy = pbx(modules_conf, files={
        "modules_site.conf": "autoload=no ; site policy\nload => chan_sip.so\n"})
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state(loaded)
    assert got["chan_sip"] == {"installed": True, "loaded": "chan_sip" in loaded}
    assert got["pjsip"] == {"installed": True,
                            "loaded": {"res_pjsip", "chan_pjsip"} <= loaded}
    assert got["config_errors"] == []


PJSIP_CHAIN = ("res_pjproject", "res_sorcery_config", "res_sorcery_memory", "res_sorcery_astdb",
               "res_pjsip_session", "res_pjsip_pubsub")
CHAIN_LOADED = set(PJSIP_CHAIN) | {"res_pjsip", "chan_pjsip"}
LOAD_CHAIN = "".join("load => %s.so\n" % name for name in PJSIP_CHAIN + ("res_pjsip",))


@pytest.mark.parametrize("modules_conf, loaded", [
    # What each module needs, installed but not loaded, keeps it (and what needs it) down.
    ("[modules]\nautoload=yes\nnoload => res_pjproject.so\n",
     {"chan_sip", "chan_iax2", "res_sorcery_config", "res_sorcery_memory", "res_sorcery_astdb"}),
    ("[modules]\nautoload=yes\nnoload => res_sorcery_astdb\n",
     {"chan_sip", "chan_iax2", "res_sorcery_config", "res_sorcery_memory", "res_pjproject"}),
    ("[modules]\nautoload=yes\nnoload => res_pjsip_pubsub.so\n",
     {"chan_sip", "chan_iax2"} | CHAIN_LOADED - {"res_pjsip_pubsub", "chan_pjsip"}
     | {"res_pjsip_endpoint_identifier_anonymous"}),
    ("[modules]\nautoload=yes\nnoload => res_pjsip_endpoint_identifier_anonymous.so\n",
     {"chan_sip", "chan_iax2"} | CHAIN_LOADED),
    ("[modules]\nautoload=no\nload => res_pjsip.so\nload => chan_pjsip.so\n"
     "load => res_pjsip_session.so\nload => res_pjsip_pubsub.so\n", set()),
    ("[modules]\nautoload=no\n" + LOAD_CHAIN, CHAIN_LOADED - {"chan_pjsip"}),
    ("[modules]\nautoload=no\n" + LOAD_CHAIN + "load => chan_pjsip\n"
     "load => res_pjsip_endpoint_identifier_anonymous.so\n",
     CHAIN_LOADED | {"res_pjsip_endpoint_identifier_anonymous"}),
])
def test_asterisk_facts_dependencies(pbx, modules_conf, loaded, facts):
    extra = PJSIP_CHAIN + ("res_pjsip_endpoint_identifier_anonymous", "chan_iax2")
    config_dir, dummy = pbx(modules_conf, extra_modules=extra)
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state(loaded, INSTALLED + extra)
    assert got["pjsip"] == {"installed": True, "loaded": {"res_pjsip", "chan_pjsip"} <= loaded}
    assert got["iax2"] == {"installed": True, "loaded": "chan_iax2" in loaded}
    assert got["config_errors"] == []


@pytest.mark.parametrize("modules_conf, loaded", [
    ("[modules]\nautoload=yes\n", {"res_stasis", "res_ari", "res_http_websocket"}),
    # Asterisk 16: res_http_websocket is optional for res_ari.
    ("[modules]\nautoload=yes\nnoload => res_http_websocket.so\n", {"res_stasis", "res_ari"}),
    ("[modules]\nautoload=yes\nnoload => res_stasis.so\n", {"res_http_websocket"}),
])
def test_asterisk_facts_ari_dependencies_16(pbx, modules_conf, loaded, facts):
    extra = ("res_ari", "res_stasis", "res_http_websocket")
    config_dir, dummy = pbx(modules_conf, extra_modules=extra)
    got = facts({"config_dir": config_dir})
    expected = {"res_ari": "res_ari" in loaded, "res_http_websocket": "res_http_websocket" in loaded}
    assert dict((name, got["modules"][name]["loaded"]) for name in expected) == expected


@pytest.mark.parametrize("modules_conf, loaded", [
    ("[modules]\nautoload=yes\n", {"res_ari", "res_http_websocket"}),
    # Asterisk 22 (res_websocket_client installed): res_ari needs the websocket modules.
    ("[modules]\nautoload=yes\nnoload => res_http_websocket.so\n", set()),
    ("[modules]\nautoload=yes\nnoload => res_websocket_client.so\n", {"res_http_websocket"}),
])
def test_asterisk_facts_ari_dependencies_22(pbx, modules_conf, loaded, facts):
    extra = ("res_ari", "res_stasis", "res_http_websocket", "res_websocket_client",
             "res_sorcery_config")
    config_dir, dummy = pbx(modules_conf, extra_modules=extra)
    got = facts({"config_dir": config_dir})
    expected = {"res_ari": "res_ari" in loaded, "res_http_websocket": "res_http_websocket" in loaded}
    assert dict((name, got["modules"][name]["loaded"]) for name in expected) == expected


def test_asterisk_facts_dependency_not_installed_is_ignored(pbx, facts):
    """res_pjproject absent from the module dir (built in or another version): no veto."""
    config_dir, dummy = pbx("[modules]\nautoload=no\nload => res_pjsip.so\nload => chan_pjsip\n")
    got = facts({"config_dir": config_dir})
    assert got["pjsip"] == {"installed": True, "loaded": True}


def test_asterisk_facts_no_modules_section_loads_nothing(pbx, facts):
    config_dir, dummy = pbx("[global]\nautoload=yes\n")
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state(set())
    assert got["config_errors"] == []


# --- asterisk.conf [directories] ------------------------------------------------------------


def test_asterisk_facts_template_directories_fall_back_to_compiled_in_dir(pbx, facts):
    """Stock asterisk.conf has `[directories](!)`: Asterisk ignores templates."""
    config_dir, module_dir = pbx("[modules]\nautoload=no\nload => chan_sip.so\n", asterisk_conf="")
    with open(os.path.join(config_dir, "asterisk.conf"), "w") as handle:
        handle.write("[directories](!)\nastetcdir => %s\nastmoddir => %s\n" % (config_dir, module_dir))
    expected = compiled_in_module_dir()
    assert expected != module_dir
    got = facts({"config_dir": config_dir})
    assert got["module_dir"] == expected
    there = set(name for name in WATCHED if os.path.isfile(os.path.join(expected, name + ".so")))
    assert got["modules"] == modules_state(there & {"chan_sip"}, there)
    assert got["config_errors"] == []


def test_asterisk_facts_real_directories_after_template_wins(pbx, facts):
    config_dir, module_dir = pbx("[modules]\nautoload=yes\n", asterisk_conf="")
    with open(os.path.join(config_dir, "asterisk.conf"), "w") as handle:
        handle.write("[directories](!)\nastmoddir => /nonexistent/template\n"
                     "[directories]\nastmoddir => /nonexistent/first\nastmoddir => %s\n"
                     % module_dir)
    got = facts({"config_dir": config_dir})
    assert got["module_dir"] == module_dir          # the last astmoddir of [directories]
    assert got["modules"] == modules_state(set(INSTALLED))


def test_asterisk_facts_missing_asterisk_conf_falls_back_quietly(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=no\n")
    os.remove(os.path.join(config_dir, "asterisk.conf"))
    got = facts({"config_dir": config_dir})
    assert got["module_dir"] == compiled_in_module_dir()
    assert got["config_errors"] == []


def test_asterisk_facts_broken_asterisk_conf_is_reported_and_falls_back(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=no\n",
                            asterisk_conf="[directories]\nastmoddir => /x\n#include nope.conf\n")
    got = facts({"config_dir": config_dir})
    path = os.path.join(config_dir, "asterisk.conf")
    assert got["config_errors"] == [
        "%s:3: The file 'nope.conf' was listed as a #include but it does not exist." % path]
    assert got["module_dir"] == compiled_in_module_dir()


# --- trees Asterisk refuses: the module still returns -----------------------------------------


def test_asterisk_facts_broken_modules_conf_names_file_and_line(pbx, run):
    config_dir, module_dir = pbx("[modules]\nautoload=yes\n#include missing.conf\n")
    result = run({"config_dir": config_dir})
    assert not result.get("failed") and result["changed"] is False
    got = result["ansible_facts"]["asterisk"]
    path = os.path.join(config_dir, "modules.conf")
    assert got["config_errors"] == [
        "%s:3: The file 'missing.conf' was listed as a #include but it does not exist. "
        "(Asterisk does not start with an invalid modules.conf)" % path]
    assert got["modules"] == modules_state(set())      # Asterisk would not start
    assert got["chan_sip"] == {"installed": True, "loaded": False}
    assert got["module_dir"] == module_dir and got["source"] == "config"


def test_asterisk_facts_broken_included_file_is_survived_like_asterisk(pbx, facts):
    """A fatal line in an INCLUDED file drops the rest of that file only; Asterisk starts."""
    config_dir, dummy = pbx("[modules]\nautoload=yes\n#include modules_site.conf\n"
                            "noload => chan_pjsip.so\n",
                            files={"modules_site.conf": "[nope](+)\nnoload => chan_sip.so\n"})
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state({"chan_sip", "res_pjsip"})
    assert got["config_errors"] == [
        "%s:1: Category addition requested, but category 'nope' does not exist"
        % os.path.join(config_dir, "modules_site.conf")]


@pytest.mark.parametrize("modules_conf, line, message", [
    ("[modules]\nautoload=yes\nloadd => chan_sip.so\n", 3,
     "Unknown configuration option 'loadd' in [modules]: Asterisk does not start"),
    ("[modules]\nautoload=yes\npreload-foo => chan_sip.so\n", 3,
     "Unknown configuration option 'preload-foo' in [modules]: Asterisk does not start"),
    ("[modules]\nautoload=yes\nrequire => chan_sip.so\nnoload => chan_sip\n", 4,
     "chan_sip is configured with 'require' and 'noload': Asterisk does not start"),
    ("[modules]\nautoload=no\nload => chan_sip.so\npreload-require => chan_iax2.so\n", 4,
     "required module chan_iax2.so cannot load from {module_dir}: Asterisk does not start"),
])
def test_asterisk_facts_config_asterisk_refuses(pbx, modules_conf, line, message, facts):
    config_dir, module_dir = pbx(modules_conf)
    got = facts({"config_dir": config_dir})
    assert got["config_errors"] == ["%s:%d: %s" % (os.path.join(config_dir, "modules.conf"), line,
                                                   message.format(module_dir=module_dir))]
    assert got["modules"] == modules_state(set())


def test_asterisk_facts_require_of_an_installed_module_loads_it(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=no\nrequire => chan_sip.so\n")
    got = facts({"config_dir": config_dir})
    assert got["modules"] == modules_state({"chan_sip"})
    assert got["config_errors"] == []


def test_asterisk_facts_missing_modules_conf(pbx, facts):
    config_dir, dummy = pbx(None)
    got = facts({"config_dir": config_dir})
    assert got["config_errors"] == [
        "%s:0: missing: Asterisk does not start without it" % os.path.join(config_dir, "modules.conf")]
    assert got["modules"] == modules_state(set())


def test_asterisk_facts_missing_config_dir_is_not_an_error(tmp_path, facts):
    got = facts({"config_dir": str(tmp_path / "nowhere")})
    assert got["config_errors"] == []
    assert got["config_dir"] == str(tmp_path / "nowhere")
    assert got["chan_sip"]["loaded"] is False and got["pjsip"]["loaded"] is False


def test_asterisk_facts_autoload_with_unreadable_module_dir(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=yes\nload => chan_sip.so\n",
                            asterisk_conf="[directories]\nastmoddir => /nonexistent/modules\n")
    got = facts({"config_dir": config_dir})
    assert got["module_dir"] == "/nonexistent/modules"
    assert got["config_errors"] == [
        "%s:2: autoload: unable to open modules directory '/nonexistent/modules' (No such file or "
        "directory): Asterisk does not start" % os.path.join(config_dir, "modules.conf")]
    assert got["modules"] == modules_state(set(), installed=())


# --- options and modes ----------------------------------------------------------------------


def test_asterisk_facts_live_false_and_check_mode_return_the_same(pbx, run, facts):
    config_dir, dummy = pbx("[modules]\nautoload=no\nload => chan_pjsip.so\nload => res_pjsip\n")
    default = facts({"config_dir": config_dir})
    assert default["source"] == "config" and default["pjsip"] == {"installed": True, "loaded": True}
    assert facts({"config_dir": config_dir, "live": False}) == default
    checked = run({"config_dir": config_dir}, check=True)
    assert checked["changed"] is False and not checked.get("failed")
    assert checked["ansible_facts"]["asterisk"] == default
    assert facts({"config_dir": config_dir, "live": False}, check=True) == default


def test_asterisk_facts_freepbx_generated_file(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=yes\n")
    assert facts({"config_dir": config_dir})["freepbx"] == no_freepbx()
    with open(os.path.join(config_dir, "sip_general_additional.conf"), "w") as handle:
        handle.write(";--- FreePBX generated: do not edit ---\nallowguest=no\n")
    generated = os.path.join(config_dir, "sip_general_additional.conf")
    # No settings file names FreePBX's AMI user here: FreePBX's default. No logger.conf: no layout.
    assert facts({"config_dir": config_dir})["freepbx"] == {
        "detected": True, "evidence": [generated], "ami_user": "admin", "ami_user_source": None,
        "layout": {}}
    # A logger.conf that does not read FreePBX's custom logger files: the fail2ban role's change
    # there would not survive, and the layout says so.
    with open(os.path.join(config_dir, "logger.conf"), "w") as handle:
        handle.write("[general]\n[logfiles]\nmessages => notice,warning,error\n")
    layout = facts({"config_dir": config_dir})["freepbx"]["layout"]
    assert list(layout) == ["logger.conf"]
    assert layout["logger.conf"]["logfiles"] == "logger_logfiles_custom.conf"
    assert [problem for problem in layout["logger.conf"]["problems"]
            if "logger_logfiles_custom.conf is not included" in problem]


def test_asterisk_facts_rejects_unknown_option(pbx, run):
    config_dir, dummy = pbx("[modules]\nautoload=yes\n")
    result = run({"config_dir": config_dir, "nonsense": True})
    assert result["failed"] is True
    assert "nonsense" in result["msg"]


# --- the live path: the answer of a running Asterisk, and none --------------------------------
# What a real Asterisk answers on its control socket is tested in Molecule
# (molecule/shared/tests/test_facts_live.py); here, how its text is read and what the module does
# when no Asterisk answers.

MODULE_SHOW = """\
Module                         Description                              Use Count  Status      Support Level
acl                            Named ACL system                         2          Running              core
chan_pjsip.so                  PJSIP Channel Driver                     1          Not Running          core
chan_sip.so                    Session Initiation Protocol (SIP)        0          Running          extended
res_pjsip.so                   Basic SIP resource                       48         Running              core
res_pjsip_endpoint_identifier_anonymous.so PJSIP Anonymous endpoint identifier      0          Running              core
res_pjsip_endpoint_identifier_anonymous_x.so Not Running 0          Not Running              core
5 modules loaded
"""


def test_running_modules_counts_running_modules_only():
    assert running_modules(MODULE_SHOW) == {
        "chan_sip", "res_pjsip", "res_pjsip_endpoint_identifier_anonymous"}


@pytest.mark.parametrize("answer", [None, "", "No such command 'module show'\n"])
def test_running_modules_without_a_module_list_is_none(answer):
    assert running_modules(answer) is None


@pytest.mark.parametrize("version_line, expected", [
    ("Asterisk 16.28.0~dfsg-0+deb11u10", ("16.28.0", "16.28.0~dfsg-0+deb11u10", 16)),
    ("Asterisk 22.10.1+dfsg+~cs6.17.60671434-1", ("22.10.1", "22.10.1+dfsg+~cs6.17.60671434-1", 22)),
    ("Asterisk certified/18.9-cert4", ("18.9-cert4", "18.9-cert4", 18)),
    ("Asterisk GIT-master-1234abc", (None, None, None)),
])
def test_parse_version_of_asterisk_dash_v(version_line, expected):
    assert parse_version(version_line) == expected


def test_asterisk_facts_nobody_on_the_control_socket_falls_back_to_config(pbx, facts):
    """A control socket left behind by a stopped Asterisk refuses the connection."""
    config_dir, dummy = pbx("[modules]\nautoload=yes\nnoload => chan_sip.so\n")
    run_dir = os.path.join(os.path.dirname(config_dir), "run")
    os.mkdir(run_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
        stale.bind(os.path.join(run_dir, "asterisk.ctl"))      # bound, never listening
        got = facts({"config_dir": config_dir})
    assert got["running"] is False and got["source"] == "config"
    assert got["modules"] == modules_state({"res_pjsip", "chan_pjsip"})


def test_asterisk_facts_lists_the_conf_files_and_links_by_name(pbx, facts):
    files = {"sip.conf": "[general]\n", "notes.txt": "x"}
    config_dir, dummy = pbx("[modules]\nautoload=yes\n", files=files)
    os.mkdir(os.path.join(config_dir, "dir.conf"))
    os.symlink("/etc/passwd", os.path.join(config_dir, "outside.conf"))
    os.symlink("/nowhere", os.path.join(config_dir, "dangling.conf"))
    got = facts({"config_dir": config_dir})["files"]
    assert got == ["asterisk.conf", "dangling.conf", "modules.conf", "outside.conf", "sip.conf"]


def test_asterisk_facts_without_a_config_dir_lists_no_files(tmp_path, facts):
    assert facts({"config_dir": str(tmp_path / "nowhere")})["files"] == []


def test_asterisk_facts_ports_of_the_loaded_drivers(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=yes\nnoload => chan_sip.so\n", files={
        "sip.conf": "[general]\nbindport = 5070\n",
        "pjsip.conf": "[t]\ntype = transport\nbind = 0.0.0.0:5160\n",
        "rtp.conf": "[general]\nrtpstart = 10000\nrtpend = 20000\n"})
    assert facts({"config_dir": config_dir})["ports"] == {
        "sip": [5060, 5061, 5160], "iax2": 4569, "rtp": [10000, 20000]}


def test_asterisk_facts_ports_of_a_file_asterisk_refuses_are_unknown(pbx, facts):
    config_dir, dummy = pbx("[modules]\nautoload=yes\n", files={"rtp.conf": "[general\n"})
    got = facts({"config_dir": config_dir})
    assert got["ports"] is None
    assert len(got["config_errors"]) == 1
    assert got["config_errors"][0].startswith(os.path.join(config_dir, "rtp.conf") + ":1: ")
    assert got["config_errors"][0].endswith("(the ports Asterisk listens on are unknown)")
