"""Voicemail on Asterisk 22, where app_voicemail is loaded: the live module still loads every
mailbox after hardening, and the unhardened typical-site control fails what hardened hosts pass.
"""

from pbxsec_testbed import voicemail_check

testinfra_hosts = ["pbx"]


def test_pbx_vm_001_live_app_voicemail_still_loads_every_mailbox(host):
    out = host.check_output('asterisk -rx "voicemail show users"')
    assert "Example Mailbox" in out
    site = host.file("/etc/asterisk/voicemail_site.conf")
    if site.exists:
        assert "Reception" in out and "Sales" in out


# The typical-site control has dialout, callback and operator on, no minpassword, weak PINs.
def test_pbx_vm_001_control_is_not_compliant(control):
    result = voicemail_check(control, general={"dialout": None}, mailbox_options_absent=["dialout"])
    assert result["changed"] is True
    assert result["general_before"] == {"dialout": ["from-internal"]}
    assert [c["mailbox"] for c in result["mailbox_changes"]] == ["100"]


def test_pbx_vm_002_control_is_not_compliant(control):
    result = voicemail_check(control, general={"callback": None}, mailbox_options_absent=["callback"])
    assert result["changed"] is True


def test_pbx_vm_003_control_is_not_compliant(control):
    result = voicemail_check(control, general={"operator": "no"})
    assert result["changed"] is True
    assert result["general_before"] == {"operator": ["yes"]}


def test_pbx_vm_005_control_is_not_compliant(control):
    result = voicemail_check(control, general_min={"minpassword": 6})
    assert result["changed"] is True
