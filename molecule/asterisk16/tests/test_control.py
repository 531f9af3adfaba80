"""Unhardened Asterisk 16 (stock and typical site): the same probes must fail here, or they
prove nothing."""

import re

from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["control"]


def test_pbx_sip_001_unhardened_allows_guests(host):
    out = host.check_output('asterisk -rx "sip show settings"')
    assert re.search(r"Allow unknown access:\s+Yes\b", out)


def test_pbx_sip_001_unhardened_lets_anonymous_invite_into_dialplan(host, anonymous_invite):
    result = anonymous_invite(inventory_name(host))
    assert not was_rejected(result), result
    if inventory_name(host).endswith("-site"):
        # The site's guest context reaches the international route: the call goes on to the trunk.
        assert 100 in result["responses"], result
    else:
        # Stock [public] has no route for the number: 404 from the dialplan.
        assert result["final"] == 404, result
