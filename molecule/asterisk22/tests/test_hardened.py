"""Hardened Asterisk 22 (stock and typical-site images): controls proven on the live PBX."""

from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["pbx"]


def test_pbx_pjs_001_anonymous_endpoint_is_gone(host):
    out = host.check_output('asterisk -rx "pjsip show endpoint anonymous"')
    assert "Unable to find object anonymous" in out


def test_pbx_pjs_001_anonymous_identifier_not_loaded(host):
    out = host.check_output('asterisk -rx "module show like res_pjsip_endpoint_identifier_anonymous"')
    assert "0 modules loaded" in out


def test_pbx_pjs_001_anonymous_invite_is_rejected_where_sip_listens(host, anonymous_invite):
    if host.check_output('asterisk -rx "pjsip show transports"').find("transport-udp") < 0:
        # Stock Asterisk 22 configures no transport: nothing listens, nothing to attack.
        result = anonymous_invite(inventory_name(host))
        assert result["responses"] == [], result
        return
    result = anonymous_invite(inventory_name(host))
    assert was_rejected(result), result


def test_chan_sip_does_not_exist_on_22(host):
    out = host.check_output('asterisk -rx "module show like chan_sip"')
    assert "0 modules loaded" in out
