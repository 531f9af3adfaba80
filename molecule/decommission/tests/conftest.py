# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decommission scenario's hosts, its fixture secrets, and the grep that looks for them.

Each image has an erased host (group pbx) and a spared one (group spared). The same grep runs on
both: it must find nothing on the first and every secret on the second.
"""

import json
import os
import subprocess
import sys

import pytest
import testinfra
from testinfra.utils.ansible_runner import AnsibleRunner

# The images' secrets and personal data (tests/images/*, molecule/decommission/prepare.yml).
# The site phones' weak secrets are ordinary words, so their config lines are looked for.
SECRETS = {
    "site": ["kiwi123", "secret=100", "secret=1234", "secret=password", "100 => 1000",
             "pbxsec-caller-marker"],
    "freepbx": ["pbxsec-fixture-db", "pbxsecFixtureAmi2026", "Qm7vLx2pTn9wRc4k",
                "Tr4nkFixtureOnly2026", "Hx4pRt8vWq2mZk6n", "pbxsec-caller-marker"],
}
ERASED_PATHS = ["/etc/asterisk", "/var/lib/asterisk", "/var/spool/asterisk", "/var/log/asterisk",
                "/etc/freepbx.conf", "/etc/amportal.conf", "/etc/odbc.ini"]
FREEPBX_DATABASES = {"asterisk", "asteriskcdrdb"}
INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
EPHEMERAL = os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]
RECORD_DIR = os.path.join(os.path.dirname(INVENTORY), ".pbx-decommission")


def name_in(group, image):
    """The one host that is in both inventory groups, e.g. ``pbx`` and ``site``."""
    runner = AnsibleRunner(INVENTORY)
    names = sorted(set(runner.get_hosts(group)) & set(runner.get_hosts(image)))
    assert len(names) == 1, "expected one host in %s and %s, got %r" % (group, image, names)
    return names[0]


def host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY)


def secrets_found(target, secrets):
    """{secret: [files holding it]} over the whole file system but /proc, /sys and /dev."""
    out = target.run("cd / && grep -rlsF -D skip" + " -e %s" * len(secrets)
                     + " -- $(ls -A / | grep -vxE 'proc|sys|dev') | sort -u", *secrets)
    found = {}
    for path in out.stdout.splitlines():
        for secret in secrets:
            if target.run("grep -qsF -e %s -- %s", secret, "/" + path).rc == 0:
                found.setdefault(secret, []).append("/" + path)
    return found


def databases(target):
    return set(target.check_output("mysql --batch --skip-column-names -e 'SHOW DATABASES'")
               .split())


def asterisk_pid(target):
    return target.run("pgrep -x asterisk").stdout.strip()


@pytest.fixture(scope="session")
def check_run():
    """The playbook in check mode on the spared FreePBX host, confirmed (it lists, touches
    nothing): each task's result by task name."""
    name = name_in("spared", "freepbx")
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
    run = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "--inventory", os.path.dirname(INVENTORY), "--check",
         "--extra-vars", "pbx_hosts=%s pbx_decommission_confirm=%s" % (name, name),
         "pbxsec.hardening.decommission"],
        env=env, capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    tasks = json.loads(run.stdout)["plays"][0]["tasks"]
    return {task["task"]["name"]: task["hosts"][name] for task in tasks}
