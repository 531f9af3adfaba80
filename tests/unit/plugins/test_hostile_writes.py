# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile trees for the modules that write (issue 16, items 10-13): hypothesis builds a
configuration directory whose included files and directories are regular, links inside, links
outside, chains of links and ``..`` paths, runs asterisk_config (several options),
asterisk_file_modes and pbx_erase on it (in this process), and checks that nothing outside the
writable set changed - no byte, mode or file - and that no outside content reached a result."""

from __future__ import annotations

import contextlib
import grp
import io
import json
import os
import stat
import tempfile

import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.modules import (
    asterisk_config,
    asterisk_file_modes,
    pbx_erase,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")

MARKER = "OUTSIDE-MARKER"
# How an included name can reach its file: the kinds of entry a hostile PBX can plant.
KINDS = ("file", "link_inside", "link_outside", "chain_outside", "dotdot_outside",
         "dir_link_outside", "dir_inside")
OPTIONS = (("general", "allowguest", "no"), ("general", "alwaysauthreject", "yes"),
           ("general", "context", "public"))


def _outside(base):
    """The files a hostile tree aims at: plain, set-uid, in a directory; returns the directory."""
    outside = os.path.join(base, "outside")
    os.makedirs(os.path.join(outside, "dir"))
    for name, mode in (("plain.conf", 0o644), ("setuid", 0o4755), ("dir/x.conf", 0o666)):
        path = os.path.join(outside, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("context=from-%s ; %s\n" % (name.replace("/", "-"), MARKER))
        os.chmod(path, mode)
    os.chmod(os.path.join(outside, "dir"), 0o777)
    return outside


def _plant(conf, outside, number, kind):
    """Plant entry ``number`` of ``kind`` in ``conf``; returns the name to ``#include``."""
    name = "inc%d.conf" % number
    path = os.path.join(conf, name)
    if kind == "file":
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("context=inside%d\n" % number)
    elif kind == "link_inside":
        os.makedirs(os.path.join(conf, "real"), exist_ok=True)
        with open(os.path.join(conf, "real", name), "w", encoding="utf-8") as handle:
            handle.write("context=real%d\n" % number)
        os.symlink(os.path.join("real", name), path)
    elif kind == "link_outside":
        os.symlink(os.path.join(outside, "plain.conf"), path)
    elif kind == "chain_outside":
        os.symlink(name + ".hop", path)
        os.symlink(os.path.join(outside, "setuid"), path + ".hop")
    elif kind == "dotdot_outside":
        os.symlink(os.path.join("..", "outside", "plain.conf"), path)
    elif kind == "dir_link_outside":
        os.symlink(os.path.join(outside, "dir"), os.path.join(conf, "d%d" % number))
        return "d%d/x.conf" % number
    else:
        os.makedirs(os.path.join(conf, "sub%d" % number))
        with open(os.path.join(conf, "sub%d" % number, "x.conf"), "w", encoding="utf-8") as handle:
            handle.write("context=sub%d\n" % number)
        return "sub%d/x.conf" % number
    return name


def _tree(base, kinds):
    conf = os.path.join(base, "conf")
    os.makedirs(conf)
    outside = _outside(base)
    names = [_plant(conf, outside, number, kind) for number, kind in enumerate(kinds)]
    with open(os.path.join(conf, "sip.conf"), "w", encoding="utf-8") as handle:
        handle.write("[general]\nallowguest=yes\n")
        handle.writelines("#include %s\n" % name for name in names)
    return conf, outside, names


def _state(top):
    """Every entry below ``top``: its type and mode, and its bytes for a file (never followed)."""
    seen = {}
    for base, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(base, name)
            info = os.lstat(path)
            data = None
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    data = handle.read()
            seen[path] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_gid, data)
    return seen


def _run(main, args):
    """Run a module's ``main`` here; its result (a failure is a result too)."""
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            main()
    return json.loads(out.getvalue())


def _runs(conf, base, names, option, override, check):
    section, name, value = option
    yield _run(asterisk_config.main, dict(
        path=os.path.join(conf, "sip.conf"), section=section, option=name, value=value,
        override_file=names[override % len(names)], writable=names, strict=False,
        _ansible_check_mode=check, _ansible_diff=True))
    yield _run(asterisk_file_modes.main, dict(
        config_dir=conf, keys_dir=os.path.join(base, "keys"), group=grp.getgrgid(0).gr_name,
        _ansible_check_mode=check))
    yield _run(pbx_erase.main, dict(paths=[conf], _ansible_check_mode=check))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5),
       option=st.sampled_from(OPTIONS), override=st.integers(0, 4), check=st.booleans())
def test_hostile_trees_change_nothing_outside_and_show_nothing_from_outside(kinds, option,
                                                                            override, check):
    with tempfile.TemporaryDirectory() as base:
        conf, outside, names = _tree(base, kinds)
        before = _state(outside)
        for result in _runs(conf, base, names, option, override, check):
            assert _state(outside) == before
            shown = json.dumps(result)
            assert MARKER not in shown, shown
