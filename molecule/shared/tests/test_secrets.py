"""Role secrets on Asterisk 16 and 22: weak credentials found, rotated ones refused live.

Hardened hosts (group pbx) run the role with pbx_secrets_rotate: true and the store
${MOLECULE_EPHEMERAL_DIRECTORY}/secrets/<host>.yml (molecule.yml). The attacker registers with
the rotated-away site secret (must fail) and with the new one from the store (must work, or the
first proves nothing); it enumerates extensions with sipvicious' svwar (must find none). Weak
voicemail PINs, Debian's stock 1234 => 4242 among them, get new ones from the store. The
unhardened control hosts must show the weak site secrets found and the extensions enumerable.
Secrets go to the register tool on standard input and are never printed by these tests.
"""

import json
import os

import pytest
import yaml

from pbxsec_testbed import inventory_name, voicemail_check

testinfra_hosts = ["pbx", "control"]

REGISTER = "/opt/pbxsec-tools/sip_register.py"
# The weak secrets of the "typical site" images (tests/images/*-site), per object.
SITE_SECRETS = {"100": "100", "101": "1234", "102": "password"}
# The weak PINs of Debian's stock voicemail.conf and of the site overlay, per mailbox.
WEAK_PINS = {"1234@default": "4242", "1234@other": "5678", "100@default": "1000",
             "101@default": "101"}


def _store(host):
    path = os.path.join(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", ""), "secrets",
                        "%s.yml" % inventory_name(host))
    if not os.path.exists(path):
        return path, {}
    with open(path, encoding="utf-8") as handle:
        return path, yaml.safe_load(handle) or {}


def _register(attacker, target, user, secret):
    out = attacker.check_output("printf '%%s\\n' %s | python3 %s %s %s --timeout 6 || true",
                                secret, REGISTER, target, user)
    return json.loads(out.strip().splitlines()[-1])["final"]


def _audit(host):
    return host.ansible("pbxsec.hardening.asterisk_secrets", "config_dir=/etc/asterisk",
                        check=True, become=False)


def _enumerated(attacker, target):
    """Extensions 100-110 that sipvicious' svwar tells apart from unknown ones."""
    out = attacker.check_output("svwar -e100-110 -m REGISTER %s 2>&1 || true", target)
    return sorted(line.split("|")[1].strip() for line in out.splitlines()
                  if line.startswith("| 1"))


def _mailbox_pins(host, box):
    """The PIN fields of the lines of mailbox ``box`` (any context) in the host's voicemail
    files. Never printed: the tests compare them into booleans first."""
    out = host.check_output("grep -h '^%s *=>' /etc/asterisk/voicemail*.conf || true", box)
    return sorted(line.split("=>", 1)[1].split(",")[0].strip() for line in out.splitlines())


# --- hardened -------------------------------------------------------------------------------

def test_pbx_sec_001_002_store_is_private(hardened_host):
    path, secrets = _store(hardened_host)
    if not secrets:
        pytest.skip("nothing was rotated on this host (stock image)")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_pbx_sec_001_002_rotated_away_secret_is_refused_and_new_one_works(hardened_host, attacker):
    _path, secrets = _store(hardened_host)
    rotated = [key for key in secrets if key.split("/")[1] in SITE_SECRETS]
    if not rotated:
        pytest.skip("no site phone secret rotated on this host")
    target = inventory_name(hardened_host)
    for key in rotated:
        user = key.split("/")[1]
        assert _register(attacker, target, user, SITE_SECRETS[user]) != 200, key
        assert _register(attacker, target, user, secrets[key]) == 200, key


def test_pbx_sec_no_weak_credential_left_but_waived_objects(hardened_host):
    waived = set(hardened_host.ansible.get_variables().get("pbx_secrets_object_waivers", {}))
    left = [f["object"] for f in _audit(hardened_host)["findings"] if f["object"] not in waived]
    assert left == []


def test_pbx_sec_002_svwar_enumerates_no_extension(hardened_host, attacker):
    assert _enumerated(attacker, inventory_name(hardened_host)) == []


def test_pbx_vm_004_weak_pins_were_rotated_into_the_store(hardened_host):
    _path, secrets = _store(hardened_host)
    rotated = {key.split("/")[1]: pin for key, pin in secrets.items()
               if key.startswith("PBX-VM-004/")}
    assert "1234@default" in rotated and "1234@other" in rotated     # Debian's stock mailboxes
    for box in set(mailbox.split("@")[0] for mailbox in rotated):
        in_files = _mailbox_pins(hardened_host, box)
        in_store = sorted(pin for mailbox, pin in rotated.items() if mailbox.startswith(box + "@"))
        same = in_files == in_store
        weak_left = any(pin in in_files for mailbox, pin in WEAK_PINS.items()
                        if mailbox.startswith(box + "@"))
        assert same and not weak_left, box


# --- unhardened control ---------------------------------------------------------------------

def test_pbx_sec_control_weak_site_secrets_are_found_and_never_shown(control_host):
    result = _audit(control_host)
    text = json.dumps(result)
    for secret in ("1234", "password", "kiwi123"):
        assert secret not in text.replace('"option": "password"', "")
    site = control_host.file("/etc/asterisk/sip_site.conf").exists or \
        control_host.file("/etc/asterisk/pjsip_site.conf").exists
    if not site:
        pytest.skip("stock control image: no site secrets")
    objects = {f["object"] for f in result["findings"]}
    assert {"100", "101"} <= objects


def test_pbx_vm_004_control_stock_pins_reported_without_the_pins(control_host):
    result = voicemail_check(control_host, pin_policy={"min_length": 6})
    expected = {"1234@default", "1234@other"}
    if control_host.file("/etc/asterisk/voicemail_site.conf").exists:
        expected |= {"100@default", "101@default"}
    assert expected <= {w["object"] for w in result["weak_pins"]}
    text = json.dumps(result)
    for pin in set(WEAK_PINS.values()) - {mailbox.split("@")[0] for mailbox in WEAK_PINS}:
        assert '"%s"' % pin not in text and " %s," % pin not in text


def test_pbx_sec_002_control_svwar_enumerates_the_site_phones(control_host, attacker):
    if not control_host.file("/etc/asterisk/sip_site.conf").exists:
        pytest.skip("only the chan_sip site sets alwaysauthreject=no")
    assert _enumerated(attacker, inventory_name(control_host)) == ["100", "101", "102"]
