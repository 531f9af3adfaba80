"""Unhardened stock Asterisk 16: the same probes must fail here, or they prove nothing."""

import re

from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["control"]


def test_pbx_sip_001_stock_allows_guests(host):
    out = host.check_output('asterisk -rx "sip show settings"')
    assert re.search(r"Allow unknown access:\s+Yes\b", out)


def test_pbx_sip_001_stock_lets_anonymous_invite_into_dialplan(host, anonymous_invite):
    result = anonymous_invite(inventory_name(host))
    assert result["final"] == 404, result
    assert not was_rejected(result)
