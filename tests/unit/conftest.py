# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared unit-test setup: make ``ansible_collections.pbxsec.hardening`` importable and offer
``astconf_tree`` (write a small Asterisk config tree into a temporary directory), ``snapshot``
(read every file of such a tree back), ``run_module`` (run one module through ``ansible``
ad-hoc against localhost) and ``run_play`` (run tasks, a role's included, through
``ansible-playbook`` against localhost), and ``netns`` / ``netns_module`` (a command or a
module run inside a network namespace of its own, for the real ``nft``)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_COLLECTIONS = os.path.join(_REPO, ".cache", "collections")
_ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")
_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
_ANSIBLE_ENV = dict(ANSIBLE_COLLECTIONS_PATH=_COLLECTIONS, ANSIBLE_NOCOLOR="1",
                    ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_RETRY_FILES_ENABLED="False")
_JSON_CALLBACK_ENV = dict(ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json")


def _importable(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


if not _importable("ansible_collections.pbxsec.hardening") and \
        os.path.isdir(os.path.join(_COLLECTIONS, "ansible_collections", "pbxsec", "hardening")):
    sys.path.insert(0, _COLLECTIONS)      # PYTHONPATH was not set


@pytest.fixture
def astconf_tree(tmp_path):
    """``write({"sip.conf": "...", "sub/x.conf": b"..."})`` writes files (str is UTF-8 encoded,
    newlines kept as given) under a fresh directory and returns that directory (a Path)."""

    def write(files):
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return tmp_path

    return write


@pytest.fixture
def snapshot():
    """``snapshot(root)``: the bytes of every file below ``root``, by path relative to it."""

    def take(root):
        files = {}
        for base, _dirs, names in os.walk(str(root)):
            for name in names:
                path = os.path.join(base, name)
                with open(path, "rb") as handle:
                    files[os.path.relpath(path, str(root))] = handle.read()
        return files

    return take


def _adhoc_command(module, args, check, diff, verbosity):
    command = [_ANSIBLE, "localhost", "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable,
               "-m", module, "-a", json.dumps(args)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if verbosity:
        command.append("-" + "v" * verbosity)
    return command


def _host_result(stdout):
    """localhost's result of the one task of an ad-hoc run, from the ``json`` callback's output
    (``-vvv`` prints connection chatter before the JSON document)."""
    return json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"][0]["hosts"]["localhost"]


def _ansible_env(json_callback, env):
    environ = dict(os.environ)
    environ.update(_ANSIBLE_ENV)
    if json_callback:
        environ.update(_JSON_CALLBACK_ENV)
    environ.update(env or {})
    return environ


@pytest.fixture
def run_module():
    """``run_module(module, args, check=False, diff=False, verbosity=0, env=None, output="result")``
    runs ``module`` (a FQCN) with ``args`` (a dict) through ``ansible`` ad-hoc against localhost,
    with this interpreter and the collection from ``.cache/collections``.

    ``check``/``diff`` add ``--check``/``--diff``, ``verbosity`` adds ``-v`` that many times and
    ``env`` adds or overrides environment variables. ``output`` says what is returned:

    - ``"result"``: the host's result dict (read from the ``json`` stdout callback);
    - ``"raw"``: ``(result dict, stdout, stderr)``;
    - ``"text"``: everything printed (stderr merged into stdout) with the default stdout callback.
    """

    def run(module, args, check=False, diff=False, verbosity=0, env=None, output="result"):
        if output not in ("result", "raw", "text"):
            raise ValueError("output must be result, raw or text, not %r" % (output,))
        text = output == "text"
        proc = subprocess.run(_adhoc_command(module, args, check, diff, verbosity),
                              env=_ansible_env(not text, env), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT if text else subprocess.PIPE, check=False)
        if text:
            return proc.stdout.decode("utf-8", "replace")
        stdout = proc.stdout.decode("utf-8")
        result = _host_result(stdout)
        if output == "raw":
            return result, stdout, proc.stderr.decode("utf-8")
        return result

    return run


def _namespace_ready(pid, command, deadline=30.0):
    """Whether ``unshare`` (process ``pid``) finished making its namespaces: ``unshare -r`` makes
    them, writes the uid map, then the gid map, and only then starts ``command``; before that an
    ``nsenter`` gets a user without rights in them. False when it exited (it was refused)."""
    own = os.readlink("/proc/self/ns/net")
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        try:
            with open("/proc/%d/comm" % pid, encoding="utf-8") as handle:
                running = handle.read().strip()
            if running == command and os.readlink("/proc/%d/ns/net" % pid) != own:
                return True
        except OSError:
            return False
        time.sleep(0.02)
    raise AssertionError("unshare made no namespace in %d seconds" % deadline)


@pytest.fixture
def netns():
    """``netns(*argv, **kwargs)``: the completed process of ``argv`` run inside a user and
    network namespace of its own, kept for the whole test (so real nft rulesets are loaded
    without touching the machine's firewall); ``kwargs`` go to :func:`subprocess.run`."""
    if not (shutil.which("unshare") and shutil.which("nsenter") and shutil.which("nft")):
        pytest.skip("needs unshare, nsenter and nft")
    holder = subprocess.Popen(["unshare", "-rn", "sleep", "600"])
    try:
        if not _namespace_ready(holder.pid, "sleep"):
            pytest.skip("cannot create a user and network namespace here")

        def run(*argv, **kwargs):
            return subprocess.run(["nsenter", "-t", str(holder.pid), "-U", "-n",
                                   "--preserve-credentials"] + list(argv),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
                                  **kwargs)

        yield run
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def netns_module(netns, tmp_path):
    """``netns_module(module, args, check=False, diff=False)``: the host's result of ``module``
    run through ``ansible`` ad-hoc inside :func:`netns` (temporary files under ``tmp_path``)."""
    env = _ansible_env(True, dict(ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
                                  ANSIBLE_REMOTE_TEMP=str(tmp_path / "tmp")))

    def run(module, args, check=False, diff=False):
        return _host_result(netns(*_adhoc_command(module, args, check, diff, 0),
                                  env=env).stdout.decode("utf-8"))

    return run


@pytest.fixture
def run_play(tmp_path):
    """``run_play(tasks, play_vars=None, check=False, diff=False, path=(), args=(), env=None,
    play=None)`` runs one play of ``tasks`` (dicts, as in YAML) with ``play_vars`` through
    ``ansible-playbook`` against localhost (connection local, this interpreter, the collection
    from ``.cache/collections``); ``play`` adds keys to the play (``pre_tasks``, ``roles``).

    ``check``/``diff`` add ``--check``/``--diff`` and ``args`` other options (``--tags``...);
    ``path`` lists directories put before ``PATH`` (stand-ins for commands such as ``asterisk``
    or ``fwconsole``); ``env`` adds environment variables (a fact cache...). Returns
    ``[(task name, result)]`` in order, read from the ``json`` stdout callback, each name
    without its ``role : `` prefix.
    """

    def run(tasks, play_vars=None, check=False, diff=False, path=(), args=(), env=None,
            play=None):
        playbook = tmp_path / "play.yml"
        playbook.write_text(json.dumps([dict({"hosts": "localhost", "gather_facts": False,
                                              "vars": play_vars or {}, "tasks": tasks},
                                             **(play or {}))]))
        command = [_PLAYBOOK, "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % sys.executable, str(playbook)]
        command.extend(flag for flag, wanted in (("--check", check), ("--diff", diff)) if wanted)
        command.extend(args)
        environ = dict(ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
                       ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
                       PATH=os.pathsep.join([str(d) for d in path] + [os.environ["PATH"]]))
        environ.update(env or {})
        proc = subprocess.run(command, env=_ansible_env(True, environ), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        stdout = proc.stdout.decode("utf-8")
        assert "{" in stdout, proc.stderr.decode("utf-8")
        played = json.loads(stdout[stdout.index("{"):])["plays"][0]["tasks"]
        return [(task["task"]["name"].split(" : ", 1)[-1], task["hosts"]["localhost"])
                for task in played if "localhost" in task["hosts"]]

    return run


# Asterisk's CLI answers `module reload A B` with one line per module, `dialplan reload` with
# "Dialplan reloaded." (main/loader.c, pbx/pbx_config.c); every other command with nothing.
_ASTERISK_CLI = r"""#!/bin/sh
printf '%%s\n' "$2" >> '%s'
case "$2" in
    "dialplan reload") echo "Dialplan reloaded." ;;
    "module reload "*) for module in ${2#module reload }; do
                           echo "Module '$module' reloaded successfully."
                       done ;;
esac
"""


class AsteriskCli:
    """An ``asterisk`` stand-in in ``bin`` (pass it to ``run_play``'s ``path``) for the roles'
    ``asterisk -rx COMMAND`` calls on localhost, where no Asterisk runs: it logs each COMMAND and
    answers reloads as Asterisk does. ``commands()`` returns the logged commands and clears the
    log."""

    def __init__(self, directory):
        self.bin = directory / "bin"
        self.bin.mkdir(exist_ok=True)
        self.log = directory / "asterisk-cli.log"
        script = self.bin / "asterisk"
        script.write_text(_ASTERISK_CLI % self.log)
        script.chmod(0o755)

    def commands(self):
        if not self.log.exists():
            return []
        commands = self.log.read_text().splitlines()
        self.log.unlink()
        return commands


@pytest.fixture
def asterisk_cli(tmp_path):
    """An :class:`AsteriskCli` in ``tmp_path``."""
    return AsteriskCli(tmp_path)
