"""asterisk_facts on Debian's Asterisk 16 (hardened and control): what it reports live, and
that its prediction from the files agrees with the running Asterisk."""

testinfra_hosts = ["pbx", "control"]

MODULE = "pbxsec.hardening.asterisk_facts"
PREDICTED = ("chan_sip", "res_pjsip", "chan_pjsip", "res_pjsip_endpoint_identifier_anonymous",
             "chan_iax2")


def asterisk_facts(host, args=""):
    return host.ansible(MODULE, args, check=True)["ansible_facts"]["asterisk"]


def hardened(host):
    return "pbx" in host.ansible.get_variables()["group_names"]


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
                                "ami_user_source": None}
    assert facts["config_errors"] == []


def test_asterisk_facts_16_chan_sip_and_pjsip_installed_and_loaded(host):
    facts = asterisk_facts(host)
    assert facts["chan_sip"] == {"installed": True, "loaded": True}
    assert facts["pjsip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["chan_sip"] == {"installed": True, "loaded": True}
    assert facts["modules"]["res_pjsip"] == {"installed": True, "loaded": True}


def test_asterisk_facts_16_live_answer_is_the_cli_answer(host):
    facts = asterisk_facts(host)
    for name in PREDICTED:
        out = host.check_output('asterisk -rx "module show like %s.so"', name)
        running = any(line.split()[0] == name + ".so" and "Not Running" not in line
                      and "Running" in line for line in out.splitlines() if line.strip())
        assert facts["modules"][name]["loaded"] is running, (name, out)
    # The role noloads and unloads the anonymous identifier (PBX-PJS-001) on hardened hosts only.
    assert facts["modules"]["res_pjsip_endpoint_identifier_anonymous"] == {
        "installed": True, "loaded": not hardened(host)}


def test_asterisk_facts_16_config_prediction_agrees_with_live(host):
    live = asterisk_facts(host)
    judged = asterisk_facts(host, "live=false")
    assert judged["running"] is False and judged["source"] == "config"
    assert judged["version_major"] == 16
    assert judged["config_errors"] == []
    assert judged["module_dir"] == live["module_dir"]
    for name in PREDICTED:
        assert judged["modules"][name] == live["modules"][name], name
    assert judged["chan_sip"] == live["chan_sip"] == {"installed": True, "loaded": True}
    assert judged["pjsip"] == live["pjsip"] == {"installed": True, "loaded": True}
