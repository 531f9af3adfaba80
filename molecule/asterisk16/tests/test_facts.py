"""asterisk_facts on Debian's Asterisk 16 (hardened and control): what only this version
reports. The live answer and the prediction from the files, alike on every version, are
checked in molecule/shared/tests/test_facts_live.py."""

from pbxsec_testbed import asterisk_facts

testinfra_hosts = ["pbx", "control"]


def test_asterisk_facts_16_version_and_live_source(host):
    facts = asterisk_facts(host)
    assert facts["installed"] is True and facts["binary"] == "/usr/sbin/asterisk"
    assert facts["version_major"] == 16
    assert facts["version"].startswith("16.") and facts["version_full"].startswith(facts["version"])
    assert facts["running"] is True and facts["source"] == "live"
    assert facts["config_dir"] == "/etc/asterisk"
    # Stock asterisk.conf has [directories](!), a template: the compiled-in directory applies.
    assert facts["module_dir"] == "/usr/lib/asterisk/modules"
    assert facts["freepbx"] == {"detected": False, "evidence": [], "ami_user": None,
                                "ami_user_source": None, "layout": {}}
    assert facts["config_errors"] == []


def test_asterisk_facts_16_chan_sip_and_pjsip_installed_and_loaded(host):
    facts = asterisk_facts(host)
    assert facts["chan_sip"] == {"installed": True, "loaded": True}
    assert facts["pjsip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["chan_sip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["res_pjsip"] == {"installed": True, "loaded": True}
