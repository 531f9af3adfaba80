"""Voicemail controls on hardened Asterisk 22 (stock and typical-site images).

The hardened voicemail.conf is judged with the collection's own module in check mode, which reads
the tree the way app_voicemail does (first [general] assignment, every mailbox's options): a
check-mode run that would change nothing means the control holds. app_voicemail is loaded on
Asterisk 22, so the live module must also still load every mailbox after the edits. The
unhardened typical-site control container must fail the same checks, or they prove nothing.
"""

import json
import os

import pytest
import testinfra
from testinfra.utils.ansible_runner import AnsibleRunner

testinfra_hosts = ["pbx"]

MODULE = "pbxsec.hardening.asterisk_voicemail"
CONF = "/etc/asterisk/voicemail.conf"
STOCK_PINS = ["4242", "5678"]   # Debian's stock mailboxes 1234@default and 1234@other


def audit(host, **args):
    """The module in check mode: its result (nothing is written)."""
    args["path"] = CONF
    return host.ansible(MODULE, json.dumps(args), check=True, become=False)


@pytest.fixture(scope="module")
def control():
    inventory = os.environ["MOLECULE_INVENTORY_FILE"]
    names = AnsibleRunner(inventory).get_hosts("control")
    assert names, "the scenario has no host in group 'control'"
    return testinfra.get_host("ansible://" + names[0], ansible_inventory=inventory)


def test_pbx_vm_001_dialout_unset_in_general_and_every_mailbox(host):
    result = audit(host, general={"dialout": None}, mailbox_options_absent=["dialout"])
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"dialout": []}


def test_pbx_vm_002_callback_unset_in_general_and_every_mailbox(host):
    result = audit(host, general={"callback": None}, mailbox_options_absent=["callback"])
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"callback": []}


def test_pbx_vm_003_operator_no(host):
    result = audit(host, general={"operator": "no"}, mailbox_options={"operator": "no"})
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"operator": ["no"]}


def test_pbx_vm_005_minpassword_and_maxlogins(host):
    result = audit(host, general_min={"minpassword": 6}, general_max={"maxlogins": 3})
    assert result["changed"] is False, result["msg"]
    assert result["general_before"] == {"minpassword": ["6"], "maxlogins": ["3"]}


def test_pbx_vm_001_live_app_voicemail_still_loads_every_mailbox(host):
    out = host.check_output('asterisk -rx "voicemail show users"')
    assert "Example Mailbox" in out
    site = host.file("/etc/asterisk/voicemail_site.conf")
    if site.exists:
        assert "Reception" in out and "Sales" in out


def test_pbx_vm_004_weak_stock_pins_reported_without_the_pins(host):
    # The scenario waives PBX-VM-004 (the stock 1234 => 4242 is weak): the finding stays visible.
    result = audit(host)
    found = ["%s@%s" % (w["mailbox"], w["context"]) for w in result["weak_pins"]]
    assert "1234@default" in found
    text = json.dumps(result)
    for pin in STOCK_PINS:
        assert '"%s"' % pin not in text and " %s," % pin not in text


# The typical-site control has dialout, callback and operator on, no minpassword, weak PINs.
def test_pbx_vm_001_control_is_not_compliant(control):
    result = audit(control, general={"dialout": None}, mailbox_options_absent=["dialout"])
    assert result["changed"] is True
    assert result["general_before"] == {"dialout": ["from-internal"]}
    assert [c["mailbox"] for c in result["mailbox_changes"]] == ["100"]


def test_pbx_vm_002_control_is_not_compliant(control):
    result = audit(control, general={"callback": None}, mailbox_options_absent=["callback"])
    assert result["changed"] is True


def test_pbx_vm_003_control_is_not_compliant(control):
    result = audit(control, general={"operator": "no"})
    assert result["changed"] is True
    assert result["general_before"] == {"operator": ["yes"]}


def test_pbx_vm_005_control_is_not_compliant(control):
    result = audit(control, general_min={"minpassword": 6})
    assert result["changed"] is True


def test_pbx_vm_004_control_has_weak_pins(control):
    found = ["%s@%s" % (w["mailbox"], w["context"]) for w in audit(control)["weak_pins"]]
    assert {"1234@default", "100@default", "101@default"} <= set(found)
