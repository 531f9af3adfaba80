"""Asterisk 16 and 22: PBX-IAX-001/002 on hardened hosts and on the unhardened control.

Where the control is already compliant (IAX2 auth), the test writes the non-compliant setting into
the control container, proves the probe sees it, and restores the file.
"""

import re

from pbxsec_testbed import appended, cli, hardened

testinfra_hosts = ["pbx", "control"]


def iax_users(host):
    return cli(host, "iax2 show users")


def test_pbx_iax_001_guest_user_removed(host):
    out = iax_users(host)
    if hardened(host):
        assert not re.search(r"^guest\s", out, re.M), out
        assert "-no secret-" not in out, out
    else:
        assert re.search(r"^guest\s+-no secret-", out, re.M), out


def _plaintext_users(out):
    """IAX2 users whose Authen bitmask has IAX_AUTH_PLAINTEXT (1)."""
    found = []
    for line in out.splitlines()[1:]:
        match = re.match(r"^(\S+)\s+.*?\s(\d{15})\s", line)
        if match and int(match.group(2)) & 1:
            found.append(match.group(1))
    return found


def test_pbx_iax_002_no_plaintext_auth(host):
    if hardened(host):
        assert _plaintext_users(iax_users(host)) == []
        return
    with appended(host, "/etc/asterisk/iax.conf",
                  "\n[pbxsec-test]\ntype=user\nsecret=Zq8sLm2Qp7x93\nauth=md5,plaintext\n",
                  "iax2 reload"):
        assert "pbxsec-test" in _plaintext_users(iax_users(host))
