# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The stand-in for role common's discovery in the tests that run a role on localhost: the
facts ``asterisk_facts`` would give an Asterisk host (running, FreePBX or not, ...)."""

from __future__ import annotations

import os

import pytest

# Where a FreePBX leaves evidence on its host (what asterisk_facts looks for).
FREEPBX_HOST_PATHS = ("/etc/freepbx.conf", "/etc/amportal.conf", "/usr/sbin/fwconsole",
                      "/var/lib/asterisk/bin/fwconsole", "/usr/local/sbin/fwconsole")


def controller_is_a_pbx():
    """Whether the machine running the tests has an Asterisk binary or FreePBX of its own, which
    a discovery of localhost would see."""
    dirs = os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin", "/usr/local/sbin"]
    return any(os.access(os.path.join(d, "asterisk"), os.X_OK) for d in dirs if d) or any(
        os.path.exists(path) for path in FREEPBX_HOST_PATHS)


# For the tests that discover localhost: they need a controller that is no PBX.
bare_controller = pytest.mark.skipif(controller_is_a_pbx(),
                                     reason="needs a controller without Asterisk and FreePBX")


# What asterisk_facts says of a host with no driver installed, FreePBX not detected and no file:
# the facts a test's own facts complete (module pbx_harden refuses facts without these keys).
BARE_HOST = {"module_dir": None, "chan_sip": {"installed": False, "loaded": False},
             "pjsip": {"installed": False, "loaded": False},
             "iax2": {"installed": False, "loaded": False},
             "freepbx": {"detected": False, "evidence": [], "ami_user": None}, "files": []}


def facts_task(facts, name="Facts of an Asterisk host", **task):
    """A ``set_fact`` task that leaves ``facts`` (a dict, completed with :data:`BARE_HOST`, or a
    template giving a whole one; its ``config_dir`` the play's ``pbx_config_dir``) as role
    common's discovery of this run leaves them: ``ansible_facts.asterisk`` and the discovery's
    registered result, so that the roles take them as gathered by this run instead of
    discovering localhost. ``task``: more keys of the task (``tags``...)."""
    if isinstance(facts, dict):
        facts = dict(BARE_HOST, **facts)
    return dict({"name": name, "ansible.builtin.set_fact": {
        "cacheable": True, "asterisk": facts,
        "__pbx_common_discovery": {"ansible_facts": {"asterisk": facts}}}}, **task)
