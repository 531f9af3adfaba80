# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest plugin shared by the Molecule scenarios: the attacker container and its probes.

Every probe runs inside the scenario's attacker container and targets a PBX container of the
same scenario by its name on the scenario's own Docker network: test traffic never leaves the
test bed.
"""

import base64
import contextlib
import json
import os
import subprocess
import sys

import pytest
import testinfra
from testinfra.utils.ansible_runner import AnsibleRunner

PROBE = "/opt/pbxsec-tools/sip_probe.py"
REJECTED = {401, 403}


def _inventory():
    return os.environ["MOLECULE_INVENTORY_FILE"]


def _run(command, **env):
    """``(return code, output)`` of ``command``, stderr merged, colours off, ``env`` added."""
    proc = subprocess.run(command, env=dict(os.environ, ANSIBLE_NOCOLOR="1", **env), check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def playbook(name, *args):
    """Run playbook ``name`` (a file, or a collection playbook such as pbxsec.hardening.harden)
    on the scenario's inventory: ``(return code, output)``."""
    return _run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                 "-i", _inventory(), name] + list(args))


def run_json(command):
    """Run an ``ansible``/``ansible-playbook`` ``command`` with the JSON callback:
    ``(return code, parsed output or {}, output text)``."""
    rc, out = _run(command, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    try:
        parsed = json.loads(out[out.index("{"):])
    except ValueError:
        parsed = {}
    return rc, parsed, out


def first_host(group):
    """The testinfra host of the first container of an inventory group."""
    names = AnsibleRunner(_inventory()).get_hosts(group)
    assert names, "the scenario has no host in group %r" % group
    return testinfra.get_host("ansible://" + names[0], ansible_inventory=_inventory())


@pytest.fixture(scope="session")
def attacker():
    """The scenario's attacker container."""
    return first_host("attacker")


@pytest.fixture(scope="session")
def control():
    """The scenario's first unhardened control container."""
    return first_host("control")


def voicemail_check(host, **args):
    """asterisk_voicemail in check mode on the host's voicemail.conf: its result, nothing written.

    The module reads the tree as app_voicemail does, so a check run that would change nothing
    means the control holds.
    """
    args["path"] = "/etc/asterisk/voicemail.conf"
    return host.ansible("pbxsec.hardening.asterisk_voicemail", json.dumps(args), check=True,
                        become=False)


@pytest.fixture(scope="session")
def anonymous_invite(attacker):
    """Send an anonymous INVITE from the attacker to a PBX container; return the responses."""

    def probe(target, number="0044201234567"):
        out = attacker.check_output("python3 %s %s --to %s --timeout 6", PROBE, target, number)
        return json.loads(out)

    return probe


def was_rejected(result):
    """A hardened PBX answers an anonymous INVITE with 401/403 and nothing else."""
    return bool(result["responses"]) and set(result["responses"]) <= REJECTED


def inventory_name(host):
    return host.backend.host


def hardened(host):
    """Whether the host is one the playbook hardened (group pbx), not an unhardened control."""
    return "pbx" in host.ansible.get_variables().get("group_names", [])


def _in_group(host, group, why):
    if group not in host.ansible.get_variables().get("group_names", []):
        pytest.skip(why)
    return host


@pytest.fixture
def hardened_host(host):
    """The host under test when the playbook hardened it (group pbx); skip the others."""
    return _in_group(host, "pbx", "hardened PBXs only")


@pytest.fixture
def control_host(host):
    """The host under test when it is an unhardened control (group control); skip the others."""
    return _in_group(host, "control", "unhardened control host only")


def cli(host, command):
    """Output of an Asterisk CLI command on the host."""
    return host.check_output('asterisk -rx "%s"' % command)


def asterisk_facts(host, args=""):
    """The ``asterisk`` facts ``pbxsec.hardening.asterisk_facts`` gathers on the host (check
    mode); ``args`` such as ``live=false``."""
    return host.ansible("pbxsec.hardening.asterisk_facts", args, check=True)["ansible_facts"][
        "asterisk"]


@contextlib.contextmanager
def appended(host, path, text, reload):
    """Append ``text`` to ``path`` in the container and reload; restore both afterwards."""
    host.check_output("cp -p %s %s.pbxsec-test" % (path, path))
    try:
        host.check_output("printf '%%s' %s | base64 -d >> %s"
                          % (base64.b64encode(text.encode()).decode(), path))
        cli(host, reload)
        yield
    finally:
        host.check_output("mv -f %s.pbxsec-test %s" % (path, path))
        cli(host, reload)
