"""Voicemail controls on hardened Asterisk 16 and 22 (stock and typical-site images).

voicemail.conf is judged with the collection's own module in check mode (see
pbxsec_testbed.voicemail_check): a check run that would change nothing means the control holds.
Each scenario's test_voicemail_control.py shows the unhardened control container failing.
"""

import json

from pbxsec_testbed import voicemail_check

testinfra_hosts = ["pbx"]

STOCK_PINS = ["4242", "5678"]   # Debian's stock mailboxes 1234@default and 1234@other


def test_pbx_vm_001_dialout_unset_in_general_and_every_mailbox(host):
    result = voicemail_check(host, general={"dialout": None}, mailbox_options_absent=["dialout"])
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"dialout": []}


def test_pbx_vm_002_callback_unset_in_general_and_every_mailbox(host):
    result = voicemail_check(host, general={"callback": None}, mailbox_options_absent=["callback"])
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"callback": []}


def test_pbx_vm_003_operator_no(host):
    result = voicemail_check(host, general={"operator": "no"}, mailbox_options={"operator": "no"})
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"operator": ["no"]}


def test_pbx_vm_005_minpassword_and_maxlogins(host):
    result = voicemail_check(host, general_min={"minpassword": 6}, general_max={"maxlogins": 3})
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"minpassword": ["6"], "maxlogins": ["3"]}


def test_pbx_vm_004_weak_stock_pins_reported_without_the_pins(host):
    # The scenario waives PBX-VM-004 (the stock 1234 => 4242 is weak): the finding stays visible.
    result = voicemail_check(host)
    found = ["%s@%s" % (w["mailbox"], w["context"]) for w in result["weak_pins"]]
    assert "1234@default" in found
    text = json.dumps(result)
    for pin in STOCK_PINS:
        assert '"%s"' % pin not in text and " %s," % pin not in text
