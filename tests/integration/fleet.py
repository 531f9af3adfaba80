# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the integration tests share: the test-bed containers, their /etc/asterisk, the fleet
inventory, ansible-playbook in a clean environment, and the search for secrets in output.

The containers run with ``--network none``: Ansible reaches them through ``docker exec``
(``community.docker.docker``), so no test traffic leaves a container's loopback. ``containers``
and ``start_fleet`` remove them at the end, also when a test fails.

Not a test module (no ``test_`` prefix): the test modules of this directory import it, and
``tests/bench/bench_inventory.py`` loads it by path for ``HARDEN_VARS``, so it imports neither
pytest nor a test module.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import time
import uuid

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(REPO, ".cache", "collections")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
CONFIG_DIR = "/etc/asterisk"
# The test-bed images' init (their CMD, but for the FreePBX image, whose CMD is freepbx-init).
PBXSEC_INIT = ("/usr/local/sbin/pbxsec-init",)
RUN_TIMEOUT = 600

# Group variables of every fleet: reached through docker exec, test networks only.
FLEET_VARS = {
    "ansible_connection": "community.docker.docker",
    "ansible_python_interpreter": "auto_silent",
    "pbx_become": False,
    # Test networks only: TEST-NET-2 stands in for the provider; the site trunk is loopback.
    "pbx_provider_networks": ["198.51.100.0/24"],
    "pbx_trusted_networks": ["127.0.0.1/32"],
    # Containers without NET_ADMIN, on no network: molecule/network proves these two roles.
    "pbx_firewall_enabled": False,
    "pbx_fail2ban_enabled": False,
}
# ...and of a fleet that harden.yml hardens (the harden test, the release test, the benchmark):
# weak phone secrets and voicemail PINs are rotated into the store next to the inventory (the
# role's default place); the provider trunk's credential is the provider's to change.
HARDEN_VARS = dict(FLEET_VARS, **{
    "pbx_secrets_rotate": True,
    "pbx_secrets_object_waivers": {"kiwi-trunk": "provider credential",
                                   "kiwi-trunk-auth": "provider credential"},
    "pbx_dialplan_fix_guest_context": True,
})


# --------------------------------------------------------------------------------------------
# Docker and the configuration directory
# --------------------------------------------------------------------------------------------

def docker(*args, stdin=None, check=True, timeout=120):
    proc = subprocess.run(("docker",) + args, input=stdin, capture_output=True, timeout=timeout,
                          check=False)
    if check and proc.returncode != 0:
        raise AssertionError("docker %s failed (rc=%d): %s" % (
            " ".join(args[:4]), proc.returncode, proc.stderr.decode("utf-8", "replace")))
    return proc


def wait_booted(name, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        proc = docker("exec", name, "asterisk", "-rx", "core waitfullybooted", check=False)
        if proc.returncode == 0 and b"fully booted" in proc.stdout:
            return
        if time.monotonic() > deadline:
            logs = docker("logs", "--tail", "30", name, check=False)
            raise AssertionError("Asterisk did not boot in %s: %r %r" % (
                name, proc.stdout + proc.stderr, logs.stdout + logs.stderr))
        time.sleep(0.5)


def require_images(images):
    missing = [image for image in images
               if docker("image", "inspect", image, check=False).returncode != 0]
    assert not missing, "test bed images missing (run `make images`): %s" % missing


def require_collection():
    assert os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "pbxsec", "hardening")), \
        "the collection is not linked into %s (run `make collection`)" % COLLECTIONS


@contextlib.contextmanager
def containers(kind, images, command=(), label=False, stopped=None):
    """``{key: container name}`` of fresh containers ``pbxsec-<kind>-<random>-<key>`` of
    ``images`` (``{key: image}``), ``--network none``, running ``command`` (default: the image's
    CMD), Asterisk fully booted; ``stopped`` (``{key: image}``) are created, not started. With
    ``label``, every container carries ``org.pbxsec.it=<prefix>``. All are removed at the end,
    whatever happens."""
    require_images(list(images.values()) + list((stopped or {}).values()))
    prefix = "pbxsec-%s-%s" % (kind, uuid.uuid4().hex[:8])
    names = {key: "%s-%s" % (prefix, key) for key in list(images) + list(stopped or {})}
    options = ("--network", "none") + (("--label", "org.pbxsec.it=" + prefix) if label else ())
    created = []
    try:
        for key, image in images.items():
            created.append(names[key])
            docker("run", "-d", *options, "--name", names[key], image, *command)
        for key, image in (stopped or {}).items():
            created.append(names[key])
            docker("create", *options, "--name", names[key], image, *command)
        for key in images:
            wait_booted(names[key])
        yield dict(names)
    finally:
        for name in created:
            docker("rm", "-f", "-v", name, check=False)


def config_tar(name):
    """/etc/asterisk of a container as tar bytes (contents, modes, owners, mtimes)."""
    return docker("exec", name, "tar", "-C", CONFIG_DIR, "-cf", "-", ".").stdout


def tar_files(tar_bytes):
    """{relative path: bytes} of the regular files of a config tar."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                files[os.path.normpath(member.name)] = tar.extractfile(member).read()
    return files


def manifest(tar_bytes):
    """{relative path: (type, mode, uid, gid, mtime, sha256 or link target)} of a config tar."""
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                what = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
            else:
                what = member.linkname
            out[os.path.normpath(member.name)] = (
                member.type.decode(), "%04o" % member.mode, member.uid, member.gid,
                int(member.mtime), what)
    return out


def manifest_diff(before, after):
    """Human-readable differences of two manifests (empty when identical)."""
    lines = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            lines.append("%s: %s -> %s" % (path, before.get(path), after.get(path)))
    return lines


def write_config_file(name, relpath, data):
    """Overwrite one file of /etc/asterisk in place (owner and mode stay)."""
    docker("exec", "-i", name, "sh", "-c", 'cat > "$1"', "sh", CONFIG_DIR + "/" + relpath,
           stdin=data)


def restore_config(name, tar_bytes):
    """Put /etc/asterisk back exactly as in tar_bytes (contents, modes, owners, mtimes)."""
    docker("exec", "-i", name, "sh", "-c",
           'find "$1" -mindepth 1 -delete && tar -C "$1" -xpf -', "sh", CONFIG_DIR,
           stdin=tar_bytes)
    assert manifest(config_tar(name)) == manifest(tar_bytes), "restore of %s failed" % name


# --------------------------------------------------------------------------------------------
# ansible-playbook and the fleet
# --------------------------------------------------------------------------------------------

def write_json(path, data):
    """Write ``data`` as JSON (which is YAML: inventories, extra-vars files); return ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    return path


def write_inventory(path, hosts, group_vars):
    """An inventory of group ``pbx``: ``hosts`` (``{name: host vars}``) with ``group_vars``."""
    return write_json(path, {"all": {"children": {"pbx": {"hosts": hosts, "vars": group_vars}}}})


def ansible_env(workdir, collections=COLLECTIONS, drop=()):
    """The environment without ANSIBLE_* settings (nor the variables in ``drop``): the
    collections of ``collections`` only, colours off, Ansible's local temp in ``workdir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_") and k not in drop}
    env.update({"ANSIBLE_COLLECTIONS_PATH": collections, "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-local")})
    return env


def ansible_playbook(workdir, *args, settings=None):
    """``ansible-playbook <args>`` in ``workdir`` (completed process, output as bytes), with
    pipelining on, no retry files and the ANSIBLE_* ``settings`` given, and no others."""
    env = ansible_env(workdir)
    env.update({"ANSIBLE_PIPELINING": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0"})
    env.update(settings or {})
    return subprocess.run([ANSIBLE_PLAYBOOK] + list(args), env=env, cwd=workdir,
                          capture_output=True, timeout=RUN_TIMEOUT, check=False)


def describe(proc):
    return "rc=%d\n%s\n%s" % (proc.returncode, proc.stdout.decode("utf-8", "replace")[-4000:],
                              proc.stderr.decode("utf-8", "replace")[-3000:])


def read_report(reports, proc):
    """The fleet report (fleet.json) the audit of ``proc`` wrote in ``reports``."""
    path = os.path.join(reports, "fleet.json")
    assert os.path.exists(path), describe(proc)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def statuses(report):
    """{host: {control ID: status}} of the audited hosts."""
    return dict((h["name"], dict((c["id"], c["status"]) for c in h["controls"]))
                for h in report["hosts"] if h["controls"])


class Fleet:
    """Running containers, their inventory (group ``pbx``) in ``workdir``, and each one's
    /etc/asterisk as it was when the fleet was made (``fresh``)."""

    def __init__(self, names, workdir, group_vars, host_vars=None, down=None):
        self.names = names                  # fleet key -> container (= inventory host) name
        self.down = down                    # a stopped container in the inventory, or None
        self.workdir = workdir
        hosts = {name: (host_vars or {}).get(key, {}) for key, name in names.items()}
        if down is not None:
            hosts[down] = {}
        self.inventory = write_inventory(os.path.join(workdir, "inventory.yml"), hosts, group_vars)
        # container name -> tar of the image's /etc/asterisk
        self.fresh = {name: config_tar(name) for name in self.hosts}

    @property
    def hosts(self):
        return list(self.names.values())

    def manifests(self):
        return {name: manifest(config_tar(name)) for name in self.hosts}

    def restore_fresh(self):
        for name in self.hosts:
            restore_config(name, self.fresh[name])

    def stored_secrets(self):
        """{value: "store:key"} of the secrets and PINs the runs generated (every host)."""
        store = os.path.join(self.workdir, ".pbx-secrets")
        found = {}
        for name in sorted(os.listdir(store)) if os.path.isdir(store) else []:
            with open(os.path.join(store, name), encoding="utf-8") as handle:
                for key, value in (yaml.safe_load(handle) or {}).items():
                    found[str(value)] = "%s:%s" % (name, key)
        return found

    def ansible_playbook(self, playbook, *args, settings=None):
        """``ansible-playbook -i <inventory> <playbook> <args>``: the completed process."""
        return ansible_playbook(self.workdir, "-i", self.inventory, playbook, *args,
                                settings=settings)

    def audit(self, label, *args):
        """Run audit.yml with reports in <workdir>/<label>; returns (process, fleet report,
        report directory)."""
        reports = os.path.join(self.workdir, label)
        proc = self.ansible_playbook("pbxsec.hardening.audit", "-e", "pbx_report_dir=" + reports,
                                     *args)
        return proc, read_report(reports, proc), reports


@contextlib.contextmanager
def start_fleet(cls, kind, images, workdir, group_vars, host_vars=None, down=None, **options):
    """A ``cls`` (``Fleet``) of fresh ``containers(kind, images, **options)``; with ``down``
    (``(key, image)``), that container is created, not started, and is the fleet's ``down``."""
    require_collection()
    stopped = dict([down]) if down else None
    with containers(kind, images, stopped=stopped, **options) as names:
        down_name = names.pop(down[0]) if down else None
        yield cls(names, workdir, group_vars, host_vars, down_name)


# --------------------------------------------------------------------------------------------
# No secret in any byte of the output
# --------------------------------------------------------------------------------------------
#
# The secrets are read from the fresh images' /etc/asterisk (active lines only, `;` comments
# stripped): values of secret, password, md5secret, remotesecret, md5_cred and dbpass options,
# the secret of `register =>` lines and the PINs of voicemail mailbox lines
# (`MAILBOX => PIN,...` in voicemail*.conf). The *public text* of the configuration is every
# byte of it with those values cut out: comments, option names, Asterisk's documentation
# samples (`;secret=blah`, `;authpassword=password`), which diffs and -vvv results may show.
# Rule for searching the secrets:
#
# - values shorter than 4 characters (the site's `100`, `101`) are skipped: they are extension
#   and mailbox numbers, section names, counts and line numbers all over any output;
# - a value is *distinctive* when it has a letter and is no token of the public text (`kiwi123`,
#   `thegrouch`, ...). A distinctive value must not occur anywhere in the output, as any
#   substring;
# - every other value (all-digit PINs and secrets such as `4242`, `1234`, `1000`, which also
#   occur as mailbox numbers, pids, timestamps and sizes; ordinary words such as `password`)
#   must not occur in a credential context: as a whole token after a credential-like key
#   (a word containing secret, pass, pin, cred or auth) and `=`, `=>`, `:` or blanks, quoted or
#   not; or as the PIN of a mailbox line (`DIGITS => [-]VALUE`). A context match that is
#   verbatim in the public text (a commented sample such as `;authpassword=password`) is that
#   text, not a leak.

CREDENTIAL_OPTION = re.compile(
    r"^\s*(secret|password|md5secret|remotesecret|md5_cred|dbpass|dbpassword)\s*=>?\s*(.*)$", re.I)
REGISTER_LINE = re.compile(r"^\s*register\s*=>\s*(\S+)", re.I)
MAILBOX_LINE = re.compile(r"^\s*([\w-]+)\s*=>\s*([^,]*)")
TOKEN = re.compile(rb"[A-Za-z0-9]+")


def strip_comment(line):
    return re.split(r"(?<!\\);", line, maxsplit=1)[0]


def credential_values(relpath, text):
    """(line number, value span start, value) of every credential of an active config line."""
    found = []
    voicemail = os.path.basename(relpath).startswith("voicemail")
    section = ""
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = strip_comment(raw).rstrip()
        header = re.match(r"^\s*\[([^\]]*)\]", line)
        if header:
            section = header.group(1).lower()
            continue
        match = CREDENTIAL_OPTION.match(line)
        if match:
            found.append((lineno, match.group(2).strip().strip('"')))
            continue
        match = REGISTER_LINE.match(line)
        if match:
            spec = match.group(1).split("://", 1)[-1].rsplit("@", 1)[0]
            parts = spec.split(":")
            if len(parts) > 1:
                found.append((lineno, parts[1]))
            continue
        if voicemail and section not in ("general", "zonemessages"):
            match = MAILBOX_LINE.match(line)
            if match:
                found.append((lineno, match.group(2).strip().lstrip("-*")))
    return [(lineno, value) for lineno, value in found if value]


def fleet_secrets(fleet):
    """{value: [where]} of the fresh fleet, and its public text (bytes, values cut out)."""
    secrets, public = {}, []
    for host, tar_bytes in fleet.fresh.items():
        for relpath, data in sorted(tar_files(tar_bytes).items()):
            values = credential_values(relpath, data.decode("utf-8", "replace"))
            by_line = {}
            for lineno, value in values:
                secrets.setdefault(value, []).append("%s:%s:%d" % (host, relpath, lineno))
                by_line.setdefault(lineno, []).append(value.encode("utf-8"))
            for lineno, line in enumerate(data.split(b"\n"), 1):
                for value in by_line.get(lineno, ()):
                    line = line.replace(value, b"\0")
                public.append(line)
    return secrets, b"\n".join(public)


def secret_hits(output, value, distinctive, public):
    """Where `value` shows in `output` (bytes), as the rule above says."""
    raw = re.escape(value.encode("utf-8"))
    context = re.compile(
        rb"(?i)(?:[a-z0-9_-]*(?:secret|pass|pin|cred|auth)[a-z0-9_-]*\\?[\"']?"
        rb"(?:[ \t]*(?:=>?|:)[ \t]*|[ \t]+(?:is[ \t]+)?)\\?[\"']?"
        rb"|(?<![A-Za-z0-9])\d+[ \t]*=>[ \t]*-?)" + raw + rb"\Z")
    hits = []
    for match in re.finditer(raw, output):
        start, end = match.span()
        if not distinctive:
            if re.match(rb"[A-Za-z0-9_-]", output[end:end + 1]):
                continue                                # part of a longer token
            found = context.search(output[max(0, start - 80):end])
            if found is None or found.group(0) in public:
                continue
        hits.append(output[max(0, start - 60):end + 20])
    return hits
