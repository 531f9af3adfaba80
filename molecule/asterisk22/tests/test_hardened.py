"""Hardened Asterisk 22 (stock and typical-site images): controls proven on the live PBX."""

import pytest
from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["pbx"]


@pytest.fixture
def files_host(host):
    """The host under test when its PJSIP endpoints are in its files; the realtime site keeps
    its anonymous endpoint in a database, which harden reports and leaves (test_realtime.py)."""
    if host.ansible.get_variables().get("pbxsec_test_pjsip_in_database"):
        pytest.skip("PJSIP endpoints in a database: see test_realtime.py")
    return host


def test_pbx_pjs_001_anonymous_endpoint_is_gone(files_host):
    out = files_host.check_output('asterisk -rx "pjsip show endpoint anonymous"')
    assert "Unable to find object anonymous" in out


def test_pbx_pjs_001_anonymous_identifier_not_loaded(host):
    out = host.check_output('asterisk -rx "module show like res_pjsip_endpoint_identifier_anonymous"')
    assert "0 modules loaded" in out


def test_pbx_pjs_001_anonymous_invite_is_rejected_where_sip_listens(files_host, anonymous_invite):
    if files_host.check_output('asterisk -rx "pjsip show transports"').find("transport-udp") < 0:
        # Stock Asterisk 22 configures no transport: nothing listens, nothing to attack.
        result = anonymous_invite(inventory_name(files_host))
        assert result["responses"] == [], result
        return
    result = anonymous_invite(inventory_name(files_host))
    assert was_rejected(result), result


def test_chan_sip_does_not_exist_on_22(host):
    out = host.check_output('asterisk -rx "module show like chan_sip"')
    assert "0 modules loaded" in out
