"""The audit and asterisk_facts ask the running Asterisk 16 and 22 on its control socket
(plugins/module_utils/asterisk_console.py) instead of starting ``asterisk -rx`` for each
command. On every PBX of the scenario, hardened or not, its answer is what ``asterisk -rx``
prints, less the lines the asterisk binary prints of itself before connecting."""

import base64
import json
import os

import pytest

from pbxsec_testbed import cli

testinfra_hosts = ["pbx", "control"]

CONSOLE = os.path.join(os.environ.get("MOLECULE_PROJECT_DIRECTORY", "."), "plugins",
                       "module_utils", "asterisk_console.py")
# What the audit asks, plus a command whose answer is long (several socket reads).
COMMANDS = ("module show", "manager show settings", "http show status", "core show version",
            "core show help")
# The asterisk binary's own warning in a container without a network interface.
CLIENT_ONLY = "No ethernet interface found for seeding global EID"


def console(host, command, socket_path="/var/run/asterisk/asterisk.ctl"):
    with open(CONSOLE, "rb") as handle:
        code = base64.b64encode(handle.read()).decode()
    host.check_output("printf '%%s' %s | base64 -d > /tmp/pbxsec_console.py" % code)
    return host.check_output(
        "cd /tmp && python3 -c 'import json, sys, pbxsec_console; "
        "print(json.dumps(pbxsec_console.ask(sys.argv[1], sys.argv[2])))' %s %s",
        socket_path, command)


@pytest.mark.parametrize("command", COMMANDS)
def test_console_answers_what_asterisk_rx_prints(host, command):
    printed = "\n".join(line for line in cli(host, command).splitlines()
                        if not line.startswith(CLIENT_ONLY))
    answer = json.loads(console(host, command))
    assert answer is not None, "no answer on the control socket"
    # check_output strips the end of what asterisk -rx printed: compare without it.
    assert answer.strip() == printed.strip()


def test_console_no_asterisk_on_that_socket_is_none(host):
    assert json.loads(console(host, "module show", "/var/run/asterisk/nobody.ctl")) is None
