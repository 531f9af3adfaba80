"""Voicemail on unhardened Asterisk 16: the control must fail what hardened hosts pass.

Debian's Asterisk 16 test image has no app_voicemail (asterisk-voicemail is not on the mirror),
so voicemail.conf is judged with the collection's module, which reads it as app_voicemail does.
"""

from pbxsec_testbed import voicemail_check


# Stock Asterisk 16 leaves dialout, callback and operator unset (compliant by default), but not
# minpassword (0): the control must fail PBX-VM-005 (its weak PINs: shared/tests/test_secrets.py).
def test_pbx_vm_005_control_is_not_compliant(control):
    result = voicemail_check(control, general_min={"minpassword": 6}, general_max={"maxlogins": 3})
    assert result["changed"] is True
    assert result["general_before"]["minpassword"] == []
