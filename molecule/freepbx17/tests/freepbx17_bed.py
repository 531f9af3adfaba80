# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the FreePBX 17 layout adds to freepbx_bed's probes: PJSIP alone, on FreePBX's 5060."""

import re

from pbxsec_testbed import cli

SIP_PORT = 5060
ANONYMOUS_IDENTIFIER = "res_pjsip_endpoint_identifier_anonymous.so"


def anonymous_identifier_running(host):
    """Whether Asterisk runs the module that hands unknown callers to the ``anonymous`` endpoint."""
    out = cli(host, "module show like endpoint_identifier_anonymous")
    return re.search(r"^%s\s.*\bRunning\b" % re.escape(ANONYMOUS_IDENTIFIER), out, re.M) is not None


def pjsip_setting(host, name):
    """A [global] setting as the running res_pjsip shows it (``pjsip show settings``)."""
    match = re.search(r"^\s*%s\s*:\s*(.*?)\s*$" % re.escape(name), cli(host, "pjsip show settings"), re.M)
    return match.group(1) if match else None


def endpoints(host):
    """Names of the PJSIP endpoints the running Asterisk has."""
    return re.findall(r"^\s*Endpoint:\s+([^\s/<]+)", cli(host, "pjsip show endpoints"), re.M)
