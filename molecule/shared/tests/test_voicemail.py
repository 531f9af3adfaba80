"""Voicemail controls on hardened Asterisk 16 and 22 (stock and typical-site images).

voicemail.conf is judged with the collection's own module in check mode (see
pbxsec_testbed.voicemail_check): a check run that would change nothing means the control holds.
Each scenario's test_voicemail_control.py shows the unhardened control container failing.
"""

from pbxsec_testbed import voicemail_check

testinfra_hosts = ["pbx"]


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


def test_pbx_vm_004_no_weak_pin_left(host):
    # The secrets role rotated the weak PINs, Debian's stock 1234 => 4242 among them
    # (test_secrets.py checks them against the store; the control hosts keep theirs).
    result = voicemail_check(host)
    assert result["weak_pins"] == []
    assert result["mailboxes"] >= 2
