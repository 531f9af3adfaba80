"""asterisk_facts on every Asterisk of the scenario, hardened and control: the modules it reports
loaded are the ones ``asterisk -rx`` shows running, and its prediction from the files alone
(``live=false``) agrees with the running Asterisk."""

from pbxsec_testbed import asterisk_facts, cli, hardened

testinfra_hosts = ["pbx", "control"]

PREDICTED = ("chan_sip", "res_pjsip", "chan_pjsip", "res_pjsip_endpoint_identifier_anonymous",
             "chan_iax2")


def test_asterisk_facts_live_answer_is_the_cli_answer(host):
    facts = asterisk_facts(host)
    for name in PREDICTED:
        out = cli(host, "module show like %s.so" % name)
        running = any(line.split()[0] == name + ".so" and "Not Running" not in line
                      and "Running" in line for line in out.splitlines() if line.strip())
        assert facts["modules"][name]["loaded"] is running, (name, out)
    # The role noloads and unloads the anonymous identifier (PBX-PJS-001) on hardened hosts only.
    assert facts["modules"]["res_pjsip_endpoint_identifier_anonymous"] == {
        "installed": True, "loaded": not hardened(host)}


def test_asterisk_facts_config_prediction_agrees_with_live(host):
    live = asterisk_facts(host)
    judged = asterisk_facts(host, "live=false")
    assert judged["running"] is False and judged["source"] == "config"
    assert judged["version_major"] == live["version_major"]
    assert judged["config_errors"] == []
    assert judged["module_dir"] == live["module_dir"]
    for name in PREDICTED:
        assert judged["modules"][name] == live["modules"][name], name
    assert judged["chan_sip"] == live["chan_sip"]
    assert judged["pjsip"] == live["pjsip"]
