# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""pbx_erase (PBX-DEC-001) on scratch trees: which paths it refuses (issue 16, item 11), what it
erases, and that a directory swapped for a link while it walks never leads it outside the erase
path (item 12). The refusals run in check mode, so that a module that wrongly accepts a path
only counts it. The races run the module in this process, with a hook on its ``remove`` that
swaps a directory between the walk and the action."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.modules import pbx_erase

MODULE = "pbxsec.hardening.pbx_erase"

DOCUMENTED = ["/etc/asterisk", "/var/lib/asterisk", "/var/spool/asterisk", "/var/log/asterisk",
              "/etc/freepbx.conf", "/etc/amportal.conf", "/etc/odbc.ini", "/tftpboot"]


def _fingerprint(path):
    """Bytes hash, mode and existence of a file (what an erase outside its path would change)."""
    if not os.path.lexists(path):
        return None
    info = os.lstat(path)
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest(), info.st_mode, info.st_nlink


@pytest.fixture
def scratch(tmp_path):
    """An erase path ``pbx`` (``a/one``, ``b/two``, ``top``) beside an ``outside`` directory
    holding a set-uid ``victim``."""
    pbx = tmp_path / "pbx"
    for name in ("a", "b"):
        (pbx / name).mkdir(parents=True)
    (pbx / "a" / "one").write_bytes(b"secret one\n")
    (pbx / "b" / "two").write_bytes(b"secret two\n")
    (pbx / "top").write_bytes(b"secret top\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim"
    victim.write_bytes(b"#!/bin/sh\necho do not touch\n")
    os.chmod(victim, 0o4755)
    return pbx, outside, victim


def _run_in_process(capsys, args):
    """Run pbx_erase's main() here and return its result."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            pbx_erase.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("path", [
    "/usr/lib/", "/usr/lib", "/var/lib/dpkg/..", "/var/lib/dpkg", "/var/lib", "/var/lib/",
    "/var//asterisk", "", "var/lib/asterisk", "/etc", "/", "/var/spool/asterisk/../..",
    "/etc/ssh", "/boot/grub", "/home", "/usr/share/asterisk", "/var/./lib",
])
def test_pbx_dec_001_system_paths_and_empty_renders_are_refused(run_module, path):
    result = run_module(MODULE, dict(paths=["/etc/asterisk", path]), check=True)
    assert result.get("failed") is True, result
    assert "refusing to erase" in result["msg"]
    assert "paths" not in result


def test_pbx_dec_001_link_that_resolves_into_the_system_is_refused(run_module, tmp_path):
    os.symlink("/usr/lib", tmp_path / "spool")
    result = run_module(MODULE, dict(paths=[str(tmp_path / "spool")]), check=True)
    assert result.get("failed") is True and "resolves to /usr/lib" in result["msg"]


@pytest.mark.parametrize("path", DOCUMENTED)
def test_pbx_dec_001_documented_paths_are_accepted(path):
    assert pbx_erase.refusal(path) is None


def test_pbx_dec_001_playbook_defaults_are_the_documented_paths():
    playbook = os.path.join(os.path.dirname(pbx_erase.__file__), "..", "..", "playbooks",
                            "decommission.yml")
    with open(playbook, encoding="utf-8") as handle:
        text = handle.read()
    defaults = text.split("__pbx_decommission_default_paths:", 1)[1].split("__pbx_", 1)[0]
    listed = [line.strip()[2:] for line in defaults.splitlines() if line.strip().startswith("- ")]
    assert listed and all(pbx_erase.refusal(path) is None for path in listed), listed


def test_pbx_dec_001_erases_the_tree_and_removes_links_without_following(run_module, scratch):
    pbx, outside, victim = scratch
    os.symlink(victim, pbx / "a" / "link-to-victim")
    os.symlink(outside, pbx / "b" / "link-to-outside")
    before = _fingerprint(victim)
    counted = run_module(MODULE, dict(paths=[str(pbx)]), check=True)["paths"]
    assert os.path.isdir(pbx)
    result = run_module(MODULE, dict(paths=[str(pbx)]))
    assert result["changed"] is True and result["paths"] == counted
    assert result["paths"] == [dict(path=str(pbx), present=True, files=3, bytes=33, directories=3,
                                    others=2)]
    assert not os.path.lexists(pbx)
    assert _fingerprint(victim) == before and os.listdir(outside) == ["victim"]


def test_pbx_dec_001_path_that_is_a_link_is_erased_where_it_points(run_module, scratch, tmp_path):
    pbx, dummy, victim = scratch
    os.symlink(pbx, tmp_path / "spool")
    before = _fingerprint(victim)
    result = run_module(MODULE, dict(paths=[str(tmp_path / "spool")]))
    assert result["paths"][0]["files"] == 3 and result["paths"][0]["others"] == 1
    assert not os.path.lexists(pbx) and not os.path.lexists(tmp_path / "spool")
    assert _fingerprint(victim) == before


def test_pbx_dec_001_file_with_other_hard_links_is_unlinked_not_overwritten(run_module, scratch):
    pbx, outside, dummy = scratch
    os.link(pbx / "top", outside / "kept")
    run_module(MODULE, dict(paths=[str(pbx)]))
    assert (outside / "kept").read_bytes() == b"secret top\n"


def _swap_for_link(directory, target):
    """Move ``directory`` away (its files are still the erase path's) and put a link to
    ``target`` in its place."""
    os.rename(directory, str(directory) + ".moved")
    os.symlink(target, directory)


def _hook_first_remove(monkeypatch, action):
    """Run ``action(path)`` once, just before pbx_erase removes its first entry (at ``path``)."""
    real = pbx_erase.remove
    done = []

    def hooked(entry, *args):
        if not done:
            done.append(True)
            action(getattr(entry, "path", entry))
        return real(entry, *args)

    monkeypatch.setattr(pbx_erase, "remove", hooked)


def test_pbx_dec_001_directory_not_yet_walked_swapped_for_a_link(monkeypatch, capsys, scratch):
    pbx, outside, victim = scratch
    before = _fingerprint(victim)

    def swap_the_other(path):       # the walk is in a/ or b/ (directory order): swap the other
        other = "b" if os.path.basename(os.path.dirname(path)) == "a" else "a"
        _swap_for_link(pbx / other, outside)

    _hook_first_remove(monkeypatch, swap_the_other)
    _run_in_process(capsys, dict(paths=[str(pbx)]))
    assert _fingerprint(victim) == before
    assert sorted(os.listdir(outside)) == ["victim"]


def test_pbx_dec_001_directory_being_walked_swapped_for_a_link(monkeypatch, capsys, scratch):
    pbx, outside, victim = scratch
    (outside / "sub").mkdir()
    for name in ("one", "two"):         # the names of the PBX's files, whichever the walk is at
        (outside / "sub" / name).write_bytes(b"not the PBX's\n")
    kept = [outside / "sub" / "one", outside / "sub" / "two"]
    before = _fingerprint(victim), [_fingerprint(path) for path in kept]
    _hook_first_remove(monkeypatch, lambda path: _swap_for_link(os.path.dirname(path), outside / "sub"))
    result = _run_in_process(capsys, dict(paths=[str(pbx)]))
    assert (_fingerprint(victim), [_fingerprint(path) for path in kept]) == before
    assert os.path.isdir(outside / "sub")
    assert result.get("failed") is True and "erasing %s stopped" % pbx in result["msg"]


def test_pbx_dec_001_file_swapped_for_a_link_is_never_written(monkeypatch, capsys, scratch):
    pbx, dummy, victim = scratch
    before = _fingerprint(victim)

    def swap(path):
        os.unlink(path)
        os.symlink(victim, path)

    _hook_first_remove(monkeypatch, swap)
    result = _run_in_process(capsys, dict(paths=[str(pbx)]))
    assert _fingerprint(victim) == before
    assert stat.S_IMODE(os.lstat(victim).st_mode) == 0o4755
    assert result.get("failed") is True and "replaced while it was being erased" in result["msg"]
