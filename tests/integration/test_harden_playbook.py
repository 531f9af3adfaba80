# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""End-to-end tests of ``ansible-playbook pbxsec.hardening.harden`` on real Asterisk.

One fleet of four containers (stock and typical-site Asterisk 16 and 22, from the local test bed
images) is started once per session and reused, in this order:

1. ``--check --diff -vvv`` on the fresh fleet writes nothing under /etc/asterisk;
2. its per-host ``changed`` count is the one of the real run (``--diff -vvv``) that follows;
3. a second real run changes nothing;
4. no known secret of the images appears in any byte of the output of runs 1 and 2;
5. broken configuration (each case on its own host, all in one run with a good host): the host
   fails naming file and line, writes nothing, and the good host completes.

The containers run with ``--network none``: Ansible reaches them through ``docker exec``
(``community.docker.docker``), so no test traffic leaves a container's loopback. They are
removed at the end of the session, also when a test fails.

Runs 1 and 2 use the default callback (their whole output is what test 4 searches); their
per-host counts come from the PLAY RECAP. The other runs use the json callback. Pipelining is
on (the docker connection supports it): it changes how modules are shipped (one ``docker exec``
per task instead of several), not what they do.

Run: ``PYTHONPATH=.cache/collections .venv/bin/python -m pytest -q tests/integration``.
"""

from __future__ import annotations

import json
import re

import pytest

from fleet import (
    CONFIG_DIR,
    HARDEN_VARS,
    TOKEN,
    Fleet,
    config_tar,
    docker,
    fleet_secrets,
    manifest,
    manifest_diff,
    secret_hits,
    start_fleet,
    tar_files,
    write_config_file,
)

PLAYBOOK = "pbxsec.hardening.harden"

# Fleet member -> image. Keys are also the suffixes of the container names.
IMAGES = {
    "a16": "pbxsec/asterisk16:latest",
    "s16": "pbxsec/asterisk16-site:latest",
    "a22": "pbxsec/asterisk22:latest",
    "s22": "pbxsec/asterisk22-site:latest",
}

# The group variables are fleet.HARDEN_VARS (also those of the release test and of
# tests/bench/bench_inventory.py): firewall and fail2ban off, loopback trusted, weak secrets
# rotated into the store next to the inventory, the provider trunk's credential waived.
# The typical-site dialplan jumps from the trunk context into from-internal: reported by the
# dialplan role, which does not rewrite the operator's dialplan.
SITE_WAIVERS = {"pbx_waivers": {"PBX-DP-002": "site dialplan", "PBX-VM-006": "site dialplan"}}
HOST_VARS = {"s16": SITE_WAIVERS, "s22": SITE_WAIVERS}


# --------------------------------------------------------------------------------------------
# ansible-playbook
# --------------------------------------------------------------------------------------------

RECAP_LINE = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failures>\d+)\s+skipped=(?P<skipped>\d+)\s+"
    r"rescued=(?P<rescued>\d+)\s+ignored=(?P<ignored>\d+)\s*$", re.M)
TASK_HEADER = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(?P<task>.*)\] \*+\s*$")
CHANGED_LINE = re.compile(r"^changed: \[(?P<host>[^\]]+)\]")


class Run:
    """One ansible-playbook run: return code, output, per-host stats and changed tasks."""

    def __init__(self, args, proc, json_callback):
        self.args = args
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        text = self.stdout.decode("utf-8", "replace")
        self.changed_tasks = {}     # host -> [task names], in order
        self.failed = {}            # host -> [messages of failed results]
        if json_callback:
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise AssertionError("no json from ansible-playbook %s (%s): %s %s" % (
                    " ".join(args), exc, text[-2000:],
                    self.stderr.decode("utf-8", "replace")[-2000:]))
            self.stats = data["stats"]
            for play in data["plays"]:
                for task in play["tasks"]:
                    for host, result in task["hosts"].items():
                        if result.get("changed"):
                            self.changed_tasks.setdefault(host, []).append(task["task"]["name"])
                        if result.get("failed") or result.get("unreachable"):
                            self.failed.setdefault(host, []).append(
                                "%s: %s" % (task["task"]["name"], result.get("msg", result)))
        else:
            recap = text.rfind("PLAY RECAP")
            assert recap >= 0, "no PLAY RECAP in the output of ansible-playbook %s: %s %s" % (
                " ".join(args), text[-2000:], self.stderr.decode("utf-8", "replace")[-2000:])
            self.stats = {}
            for match in RECAP_LINE.finditer(text, recap):
                counts = {k: int(v) for k, v in match.groupdict().items() if k != "host"}
                assert match.group("host") not in self.stats, "host twice in the PLAY RECAP"
                self.stats[match.group("host")] = counts
            task = None
            for line in text[:recap].splitlines():
                header = TASK_HEADER.match(line)
                if header:
                    task = header.group("task")
                    continue
                changed = CHANGED_LINE.match(line)
                if changed:
                    tasks = self.changed_tasks.setdefault(changed.group("host"), [])
                    if not tasks or tasks[-1] != task:     # loop items: one task, many lines
                        tasks.append(task)

    def output(self):
        return self.stdout + b"\n" + self.stderr

    def describe(self):
        return "ansible-playbook %s: rc=%d\n%s\n%s" % (
            " ".join(self.args), self.rc, self.stdout.decode("utf-8", "replace")[-4000:],
            self.stderr.decode("utf-8", "replace")[-4000:])


class HardenFleet(Fleet):
    def playbook(self, *args, json_callback=False):
        settings = {"ANSIBLE_FORCE_COLOR": "0"}
        if json_callback:
            settings.update({"ANSIBLE_STDOUT_CALLBACK": "json",
                             "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1"})
        proc = self.ansible_playbook(PLAYBOOK, *args, settings=settings)
        return Run(list(args), proc, json_callback)


@pytest.fixture(scope="session")
def fleet(tmp_path_factory):
    """Four fresh PBX containers (removed at the end, whatever happens)."""
    with start_fleet(HardenFleet, "it", IMAGES, str(tmp_path_factory.mktemp("fleet")),
                     HARDEN_VARS, HOST_VARS, label=True) as result:
        yield result


# --------------------------------------------------------------------------------------------
# The runs, in the order the tests use them
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def check_run(fleet):
    """``--check --diff -vvv`` on the fresh fleet, with the manifests before and after."""
    before = fleet.manifests()
    assert before == {name: manifest(tar) for name, tar in fleet.fresh.items()}, \
        "the fleet is not fresh"
    run = fleet.playbook("--check", "--diff", "-vvv")
    return run, before, fleet.manifests()


@pytest.fixture(scope="session")
def real_run(fleet, check_run):
    """The real run (``--diff -vvv``) right after the check run."""
    return fleet.playbook("--diff", "-vvv"), fleet.manifests()


@pytest.fixture(scope="session")
def second_run(fleet, real_run):
    """A second real run (json callback), with the manifests after it."""
    return fleet.playbook(json_callback=True), fleet.manifests()


def assert_completed(run, hosts):
    for host in hosts:
        stats = run.stats.get(host)
        assert stats is not None, "%s missing from the recap of %s" % (host, run.describe())
        assert stats["failures"] == 0 and stats["unreachable"] == 0, \
            "%s did not complete: %s\n%s" % (host, run.failed.get(host), run.describe())


# --------------------------------------------------------------------------------------------
# 1-3: check mode, check versus real, idempotence
# --------------------------------------------------------------------------------------------

def test_check_run_writes_nothing(fleet, check_run):
    run, before, after = check_run
    assert run.rc == 0, run.describe()
    assert_completed(run, fleet.hosts)
    for host in fleet.hosts:
        # Every image is non-compliant on purpose: a check run that reports nothing proves nothing.
        assert run.stats[host]["changed"] > 0, "check run reports no change on fresh %s" % host
        assert after[host] == before[host], "check run wrote to %s:\n%s" % (
            host, "\n".join(manifest_diff(before[host], after[host])))


def test_check_run_predicts_the_real_run(fleet, check_run, real_run):
    check, before = check_run[:2]
    real, after = real_run
    assert real.rc == 0, real.describe()
    assert_completed(real, fleet.hosts)
    mismatches = []
    for host in fleet.hosts:
        assert after[host] != before[host], "the real run changed no file on %s" % host
        predicted, done = check.stats[host]["changed"], real.stats[host]["changed"]
        if predicted != done:
            check_tasks = check.changed_tasks.get(host, [])
            real_tasks = real.changed_tasks.get(host, [])
            mismatches.append(
                "%s: check changed=%d, real changed=%d; changed only in the real run: %s; "
                "only in the check run: %s" % (
                    host, predicted, done, [t for t in real_tasks if t not in check_tasks],
                    [t for t in check_tasks if t not in real_tasks]))
    assert not mismatches, "\n".join(mismatches)


def test_second_run_changes_nothing(fleet, real_run, second_run):
    run, after = second_run
    assert run.rc == 0, run.describe()
    assert_completed(run, fleet.hosts)
    assert {host: run.stats[host]["changed"] for host in fleet.hosts} == \
        {host: 0 for host in fleet.hosts}, run.changed_tasks
    for host in fleet.hosts:
        assert after[host] == real_run[1][host], "second run wrote to %s:\n%s" % (
            host, "\n".join(manifest_diff(real_run[1][host], after[host])))


# --------------------------------------------------------------------------------------------
# 3b: one reload per host, each changed module once, the dialplan first
# --------------------------------------------------------------------------------------------
#
# The real run's -vvv output names each item of the common role's reload handler by its command.
# Before the roles shared that handler, the stock Asterisk 16 had chan_sip reloaded three times
# (by the sip, dialplan and secrets roles' handlers): this test failed there.

RELOAD_ITEM = re.compile(
    r"^ok: \[(?P<host>[^\]]+)\] => \(item=(?P<command>(?:dialplan|module|sip) reload[^)]*)\)",
    re.M)


def test_real_run_reloads_each_changed_module_once(fleet, real_run):
    text = real_run[0].stdout.decode("utf-8", "replace")
    reloads = {}
    for match in RELOAD_ITEM.finditer(text):
        reloads.setdefault(match.group("host"), []).append(match.group("command"))
    print("reloads: %s" % json.dumps(reloads, sort_keys=True))
    for host in fleet.hosts:
        commands = reloads.get(host, [])
        module_reloads = [c for c in commands if c.startswith("module reload ")]
        assert len(module_reloads) == 1, "%s: %s" % (host, commands)
        modules = module_reloads[0].split()[2:]
        assert len(modules) == len(set(modules)), "%s: %s" % (host, commands)
        # One command; the dialplan (pbx_config.so), when it changed, before the other modules.
        assert commands == module_reloads, "%s: %s" % (host, commands)
        assert "pbx_config.so" not in modules[1:], "%s: %s" % (host, commands)
    # The stock Asterisk 16's chan_sip is changed by the sip role, the guest context fix and the
    # secret rotation alike: the dialplan first, then chan_sip once.
    a16 = reloads[fleet.names["a16"]][0].split()[2:]
    assert a16[:2] == ["pbx_config.so", "chan_sip.so"], a16


# --------------------------------------------------------------------------------------------
# 4: no secret in any byte of the output
# --------------------------------------------------------------------------------------------
#
# The secrets of the fresh images and of the secrets store, searched in the output of runs 1 and
# 2 by the rule of fleet.py (fleet_secrets, secret_hits).


def test_no_secret_in_output(fleet, check_run, real_run):
    secrets, public = fleet_secrets(fleet)
    tokens = set(TOKEN.findall(public))
    # The extraction must find the images' known secrets, or the search below proves nothing.
    for known in ("4242", "kiwi123", "1234", "password", "1000"):
        assert known in secrets, "secret %r not found in the images: %s" % (known, sorted(secrets))
    skipped = sorted(v for v in secrets if len(v) < 4)
    searched = {v: (not v.isdigit() and v.encode("utf-8") not in tokens)
                for v in secrets if len(v) >= 4}
    print("secrets skipped (shorter than 4): %s; distinctive: %s; in credential context only: %s"
          % (skipped, sorted(v for v, d in searched.items() if d),
             sorted(v for v, d in searched.items() if not d)))
    assert "kiwi123" in [v for v, d in searched.items() if d]
    # ...and the secrets and PINs the real run generated (letters and digits are distinctive;
    # PINs are digits, searched in a credential context).
    generated = fleet.stored_secrets()
    assert any(key.endswith("/pin") for key in generated.values()), generated.values()
    assert any(not value.isdigit() for value in generated), generated.values()
    for value, where in generated.items():
        secrets.setdefault(value, []).append(where)
        searched[value] = not value.isdigit()
    runs = {"check run": check_run[0], "real run": real_run[0]}
    for label, run in runs.items():
        assert b"PLAY RECAP" in run.stdout, run.describe()
        # -vvv --diff really showed diffs of the credential-bearing site files.
        assert b"voicemail_site.conf" in run.output() and b"+++ after" in run.output(), label
    leaks = []
    for label, run in runs.items():
        output = run.output()
        for value, distinctive in sorted(searched.items()):
            for hit in secret_hits(output, value, distinctive, public):
                leaks.append("%s: %r (from %s) in ...%r..." % (
                    label, value, secrets[value][0], hit))
    assert not leaks, "secrets in the output:\n" + "\n".join(leaks)


# --------------------------------------------------------------------------------------------
# 5: broken configuration fails its host, writes nothing, and spares the others
# --------------------------------------------------------------------------------------------
#
# All three cases run in one playbook run, each on its own fresh (restored) host, with the
# fourth host (typical-site Asterisk 22, fresh) as the good one.

BAD_INPUTS = {
    # case: (fleet member, file, how to break it)
    "sip-syntax-error": ("a16", "sip.conf", "append"),
    "missing-include": ("a22", "pjsip.conf", "include"),
    "unknown-template-in-included-file": ("s16", "sip_site.conf", "template"),
}
GOOD_HOST = "s22"
# Bytes Asterisk loads: a Latin-1 comment in the good host's included file must not stop it.
GOOD_LATIN1 = ("pjsip_site.conf", b"; caf\xe9 M\xfcller (Latin-1)\n")


def break_file(data, how):
    """(broken bytes, line of the fault)."""
    if not data.endswith(b"\n"):
        data += b"\n"
    if how == "append":
        broken = data + b"[general\n"              # no closing bracket
        return broken, broken.count(b"\n")
    if how == "include":
        broken = data + b'#include "pbxsec-it-missing.conf"\n'
        return broken, broken.count(b"\n")
    if how == "template":
        broken = data + b"[pbxsec-it](no-such-template)\n"   # Asterisk refuses the file
        return broken, broken.count(b"\n")
    raise ValueError(how)


@pytest.fixture(scope="session")
def bad_input_run(fleet):
    """One run over the fleet, three hosts broken as BAD_INPUTS says; then the fleet is fresh."""
    fleet.restore_fresh()
    faults = {}
    try:
        for case, (member, relpath, how) in BAD_INPUTS.items():
            host = fleet.names[member]
            broken, line = break_file(tar_files(fleet.fresh[host])[relpath], how)
            write_config_file(host, relpath, broken)
            faults[case] = (host, CONFIG_DIR + "/" + relpath, line)
        good, (relpath, comment) = fleet.names[GOOD_HOST], GOOD_LATIN1
        write_config_file(good, relpath, tar_files(fleet.fresh[good])[relpath] + comment)
        before = fleet.manifests()
        run = fleet.playbook(json_callback=True)
        after = fleet.manifests()
        kept = tar_files(config_tar(good))[relpath]
    finally:
        fleet.restore_fresh()
    return run, faults, before, after, kept


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_its_host_and_writes_nothing(bad_input_run, case):
    run, faults, before, after, dummy_kept = bad_input_run
    host, path, line = faults[case]
    assert run.rc != 0, run.describe()
    stats = run.stats.get(host)
    assert stats is not None and stats["failures"] >= 1, "%s did not fail:\n%s" % (
        host, run.describe())
    assert stats["unreachable"] == 0
    messages = run.failed.get(host, [])
    print("%s (%s): %s" % (case, host, messages))
    named = re.compile(re.escape(path) + r"(?::| line |, line )%d\b" % line)
    assert any(named.search(m) for m in messages), \
        "no failure of %s names %s line %d: %s" % (host, path, line, messages)
    assert after[host] == before[host], "%s was written after failing:\n%s" % (
        host, "\n".join(manifest_diff(before[host], after[host])))


def test_bad_input_spares_the_good_host(fleet, bad_input_run):
    run, dummy_faults, before, after, kept = bad_input_run
    good = fleet.names[GOOD_HOST]
    assert_completed(run, [good])
    assert run.stats[good]["ok"] > 0 and run.stats[good]["changed"] > 0, run.stats[good]
    assert after[good] != before[good], "the good host was not hardened"
    assert GOOD_LATIN1[1] in kept, "the Latin-1 comment was not kept byte for byte"


# --------------------------------------------------------------------------------------------
# 6: an area that fails after others changed files stops its host, and what they changed is live
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def late_failure_run(fleet):
    """One run with voicemail.conf of the stock Asterisk 16 broken: the sip, dialplan and manager
    areas of the one call change their files before the secrets area (reading the PINs) refuses
    the tree."""
    fleet.restore_fresh()
    host = fleet.names["a16"]
    try:
        broken, line = break_file(tar_files(fleet.fresh[host])["voicemail.conf"], "append")
        write_config_file(host, "voicemail.conf", broken)
        run = fleet.playbook("--limit", host, json_callback=True)
        sip_conf = tar_files(config_tar(host))["sip.conf"]
        settings = docker("exec", host, "asterisk", "-rx", "sip show settings").stdout
    finally:
        fleet.restore_fresh()
    return run, host, line, sip_conf, settings


def test_a_late_area_failure_stops_the_host_with_the_earlier_changes_live(late_failure_run):
    run, host, line, sip_conf, settings = late_failure_run
    assert run.rc != 0 and run.stats[host]["failures"] == 1, run.describe()
    messages = run.failed.get(host, [])
    # The secrets area, which reads the PINs, is the first to refuse the tree.
    named = re.compile(r": secrets: %s/voicemail\.conf:%d: " % (re.escape(CONFIG_DIR), line))
    assert any(named.search(m) for m in messages), messages
    # The sip area ran first: sip.conf says allowguest = no, and the handlers made it live.
    assert re.search(rb"^allowguest\s*=\s*no", sip_conf, re.M), sip_conf
    assert re.search(rb"Allow unknown access:\s+No", settings), settings
