# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both FreePBX scenarios (16 and 17): the hardened host is detected as FreePBX, and the roles
changed FreePBX's own SIP settings in its database, where FreePBX reads them when it writes its
files again."""

from freepbx_bed import setting

testinfra_hosts = ["pbx"]


def test_freepbx_detected(host):
    facts = host.ansible("pbxsec.hardening.asterisk_facts", check=True, become=False)
    assert facts["ansible_facts"]["asterisk"]["freepbx"]["detected"]


def test_pbx_pjs_001_freepbx_allow_anonymous_off(host):
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowanon").strip() == "No"


def test_pbx_pjs_001_freepbx_allow_sip_guests_off(host):
    """What makes FreePBX stop writing [anonymous] into pjsip.endpoint.conf on its next reload:
    core's PJSIP driver writes it while the SIP Settings store says allowguest=yes."""
    assert setting(host, "kvstore_Sipsettings", "`key`", "val", "allowguest").strip() == "no"
