"""asterisk_facts on Debian's Asterisk 22 (hardened and control): what only this version
reports. The live answer and the prediction from the files, alike on every version, are
checked in molecule/shared/tests/test_facts_live.py."""

from pbxsec_testbed import asterisk_facts

testinfra_hosts = ["pbx", "control"]


def multiarch_module_dir(host):
    triplet = host.check_output(
        "python3 -c 'import sysconfig; print(sysconfig.get_config_var(\"MULTIARCH\"))'")
    assert triplet and triplet != "None"
    return "/usr/lib/%s/asterisk/modules" % triplet


def test_asterisk_facts_22_version_and_live_source(host):
    facts = asterisk_facts(host)
    assert facts["installed"] is True and facts["binary"] == "/usr/sbin/asterisk"
    assert facts["version_major"] == 22
    assert facts["version"].startswith("22.") and facts["version_full"].startswith(facts["version"])
    assert facts["running"] is True and facts["source"] == "live"
    assert facts["config_dir"] == "/etc/asterisk"
    assert facts["freepbx"] == {"detected": False, "evidence": [], "ami_user": None,
                                "ami_user_source": None, "layout": {}}
    assert facts["config_errors"] == []


def test_asterisk_facts_22_module_dir_is_multiarch(host):
    facts = asterisk_facts(host)
    assert facts["module_dir"] == multiarch_module_dir(host)
    assert host.file(facts["module_dir"] + "/res_pjsip.so").is_file
    assert not host.file("/usr/lib/asterisk/modules/res_pjsip.so").exists


def test_asterisk_facts_22_no_chan_sip_pjsip_installed_and_loaded(host):
    facts = asterisk_facts(host)
    assert facts["chan_sip"] == {"installed": False, "loaded": False}
    assert facts["modules"]["chan_sip"] == {"installed": False, "loaded": False}
    assert facts["pjsip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["res_pjsip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["chan_pjsip"] == {"installed": True, "loaded": True}
