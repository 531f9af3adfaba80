"""Hardened Asterisk 16 (stock and typical-site images): controls proven on the live PBX."""

import re

from pbxsec_testbed import inventory_name, was_rejected

testinfra_hosts = ["pbx"]


def sip_settings(host):
    return host.check_output('asterisk -rx "sip show settings"')


def test_pbx_sip_001_live_setting_disallows_guests(host):
    assert re.search(r"Allow unknown access:\s+No\b", sip_settings(host))


def test_pbx_sip_002_live_setting_always_rejects(host):
    assert re.search(r"Always auth rejects:\s+Yes\b", sip_settings(host))


def test_pbx_sip_001_anonymous_invite_is_rejected(host, anonymous_invite):
    result = anonymous_invite(inventory_name(host))
    assert was_rejected(result), result


def test_pbx_pjs_001_anonymous_identifier_not_loaded(host):
    out = host.check_output('asterisk -rx "module show like res_pjsip_endpoint_identifier_anonymous"')
    assert "0 modules loaded" in out
