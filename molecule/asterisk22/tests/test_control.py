"""Unhardened typical-site Asterisk 22: the same probes must fail here, or they prove nothing."""

from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["control"]


def test_pbx_pjs_001_site_has_anonymous_endpoint(host):
    out = host.check_output('asterisk -rx "pjsip show endpoint anonymous"')
    assert "Unable to find object" not in out
    assert "anonymous" in out


def test_pbx_pjs_001_site_lets_anonymous_invite_into_dialplan(host, anonymous_invite):
    result = anonymous_invite(inventory_name(host))
    assert 100 in result["responses"], result
    assert not was_rejected(result)
