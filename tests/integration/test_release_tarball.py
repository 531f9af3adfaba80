# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The release as users get it: ``ansible-galaxy collection build`` makes a tarball that,
installed into an empty collections path, runs ``audit.yml`` and ``harden.yml``; and the
execution environment definition takes that tarball (``ansible-builder create``).

The checkout is kept out of sight (no PYTHONPATH, ANSIBLE_COLLECTIONS_PATH only the new path),
and the test checks that the modules ran from the installed copy. One stock Asterisk 16
container (``--network none``, reached through ``docker exec``) is the fleet.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from fleet import HARDEN_VARS, ansible_env, containers, write_inventory

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
IMAGE = "pbxsec/asterisk16:latest"


def run(args, env, cwd, timeout=600):
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(environment, work dir, installed collection dir) of the release tarball."""
    work = tmp_path_factory.mktemp("release")
    env = ansible_env(str(work), collections=str(work / "collections"), drop=("PYTHONPATH",))
    env["HOME"] = str(work)
    build = run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", REPO,
                 "--output-path", str(work)], env, str(work))
    assert build.returncode == 0, build.stderr
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        meta = yaml.safe_load(handle)
    tarball = work / ("%s-%s-%s.tar.gz" % (meta["namespace"], meta["name"], meta["version"]))
    assert tarball.is_file(), build.stdout
    install = run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", str(tarball),
                   "-p", str(work / "collections")], env, str(work))
    assert install.returncode == 0, install.stderr
    target = work / "collections" / "ansible_collections" / meta["namespace"] / meta["name"]
    assert (target / "playbooks" / "audit.yml").is_file()
    assert not (target / "molecule").exists() and not (target / "tests" / "unit").exists()
    return env, work, target, tarball


@pytest.fixture(scope="module")
def host(installed):
    _env, work, _target, _tarball = installed
    with containers("rel", {"a16": IMAGE}) as names:
        write_inventory(str(work / "inventory.yml"), {names["a16"]: {}}, HARDEN_VARS)
        yield names["a16"]


def playbook(installed, *args):
    env, work, _target, _tarball = installed
    return run([os.path.join(BIN, "ansible-playbook"), "-i", str(work / "inventory.yml")]
               + list(args), env, str(work))


def test_installed_audit_runs_and_reports(installed, host):
    _env, work, target, _tarball = installed
    proc = playbook(installed, "pbxsec.hardening.audit", "-vvv",
                    "-e", "pbx_report_dir=%s" % (work / "reports"))
    # A stock host is not compliant: the audit completes and says so with its exit status.
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert str(target / "plugins" / "modules") in proc.stdout
    assert REPO + "/plugins" not in proc.stdout and REPO + "/playbooks" not in proc.stdout
    with open(str(work / "reports" / "fleet.json"), encoding="utf-8") as handle:
        fleet = json.load(handle)
    assert host in json.dumps(fleet)


def test_installed_harden_runs_check_then_real(installed, host):
    check = playbook(installed, "pbxsec.hardening.harden", "--check")
    assert check.returncode == 0, check.stdout[-3000:]
    real = playbook(installed, "pbxsec.hardening.harden")
    assert real.returncode == 0, real.stdout[-3000:]
    assert "changed=0" not in real.stdout.split("PLAY RECAP")[-1]
    again = playbook(installed, "pbxsec.hardening.harden")
    assert again.returncode == 0 and "changed=0" in again.stdout.split("PLAY RECAP")[-1]


def test_execution_environment_takes_the_release_tarball(installed):
    env, work, _target, tarball = installed
    source = work / "ee"
    shutil.copytree(os.path.join(REPO, "execution-environment"), str(source))
    shutil.copy(str(tarball), str(source))
    create = run([os.path.join(BIN, "ansible-builder"), "create", "-f",
                  str(source / "execution-environment.yml"), "-c", str(work / "ee-context")],
                 env, str(work))
    assert create.returncode == 0, create.stdout + create.stderr
    assert glob.glob(str(work / "ee-context" / "_build" / "collections" / tarball.name))
    with open(str(source / "requirements.yml"), encoding="utf-8") as handle:
        wanted = yaml.safe_load(handle)["collections"]
    assert wanted == [{"name": "/build/collections/" + tarball.name, "type": "file"}]
    with open(str(work / "ee-context" / "Dockerfile"), encoding="utf-8") as handle:
        recipe = handle.read()
    assert "COPY _build /build" in recipe
    assert "ansible-galaxy collection install" in recipe and "-r requirements.yml" in recipe
    assert "ansible-core==2.19.14" in recipe


def plugin_names(folder, suffixes):
    """Names of the collection's plugins in plugins/<folder>, from the checkout."""
    names = set()
    for path in glob.glob(os.path.join(REPO, "plugins", folder, "*")):
        base, ext = os.path.splitext(os.path.basename(path))
        if ext in suffixes and not base.startswith("_"):
            names.add(base)
    return sorted(names)


def filter_names():
    """Filters the checkout ships: documented in .yml files (the plugin file can hold several)."""
    return plugin_names("filter", (".yml",))


@pytest.mark.parametrize("kind,name", [("module", name) for name in plugin_names("modules", (".py",))]
                         + [("filter", name) for name in filter_names()]
                         + [("role", os.path.basename(path))
                            for path in sorted(glob.glob(os.path.join(REPO, "roles", "*")))])
def test_installed_plugin_and_role_docs_render(installed, kind, name):
    env, work, _target, _tarball = installed
    proc = run([os.path.join(BIN, "ansible-doc"), "-t", kind, "pbxsec.hardening." + name],
               env, str(work))
    assert proc.returncode == 0, proc.stderr
    assert "[WARNING]" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr
    assert "pbxsec.hardening." + name in proc.stdout
    # Each documents what it does: a description, and options or entry points with their own.
    assert len(proc.stdout.splitlines()) > 8, proc.stdout
