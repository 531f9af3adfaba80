# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controls of the compliance audit judged on crafted trees with ``live=false``: each test
writes a small /etc/asterisk (plus a module directory holding the modules that are
"installed"), runs the real audit through a real AnsibleModule and checks one control's status.
Trees use the syntax Asterisk accepts and a naive reader gets wrong: templates, ``(+)``,
``#include``/``#tryinclude``, repeated keys, ``ast_true`` spellings, defaults when absent."""

from __future__ import annotations

import fnmatch
import grp
import json
import os

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from ansible_collections.pbxsec.hardening.plugins.module_utils import compliance_freepbx
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_audit import (
    Options,
    audit,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import LAYOUT
from ansible_collections.pbxsec.hardening.plugins.modules import pbx_compliance
from audit_result import by_id

ALL_MODULES = ("chan_sip", "res_pjsip", "chan_pjsip", "chan_iax2", "app_voicemail",
               "res_pjsip_endpoint_identifier_anonymous", "res_sorcery_config",
               "res_sorcery_memory", "res_sorcery_astdb", "res_pjproject", "res_pjsip_session",
               "res_pjsip_pubsub")
MINIMAL = {"manager.conf": "[general]\nenabled=no\n", "logger.conf": "[logfiles]\n"}


def _spec():
    """pbx_compliance's own argument spec (read from the module, not repeated here)."""
    captured = {}

    class Stop(Exception):
        pass

    def capture(**kwargs):
        captured.update(kwargs)
        raise Stop()

    original = pbx_compliance.AnsibleModule
    pbx_compliance.AnsibleModule = capture
    try:
        pbx_compliance.main()
    except Stop:
        pass
    finally:
        pbx_compliance.AnsibleModule = original
    return captured["argument_spec"]


SPEC = _spec()


@pytest.fixture
def judge(astconf_tree, tmp_path):
    """``judge(files, modules=ALL_MODULES, **options)`` -> ``{control ID: entry}``; with
    ``whole=True`` the whole audit result."""

    def run(files, modules=ALL_MODULES, whole=False, **options):
        etc = tmp_path / "etc"
        moddir = tmp_path / "modules"
        moddir.mkdir(exist_ok=True)
        for name in modules:
            (moddir / (name + ".so")).write_bytes(b"")
        tree = dict(MINIMAL)
        tree["modules.conf"] = "[modules]\nautoload=yes\n"
        tree["asterisk.conf"] = "[directories]\nastmoddir => %s\n[options]\nrunuser=asterisk\n" \
            % moddir
        tree.update(files)
        astconf_tree({os.path.join("etc", name): text for name, text in tree.items()})
        args = dict(config_dir=str(etc), live=False, keys_dir=str(tmp_path / "keys"),
                    fail2ban_dir=str(tmp_path / "fail2ban"))
        args.update(options)
        with patch_module_args(args):
            module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
        params = module.params
        result = audit(Host(module, params["config_dir"], False), Options(params),
                       params["controls"], params["skip"], params["waivers"], params["attest"],
                       params["object_waivers"])
        json.dumps(result)          # the result must be serialisable as the module returns it
        return result if whole else by_id(result)

    return run


def status(entries, control):
    return entries[control]["status"]


# --- chan_sip -----------------------------------------------------------------------------------

def test_pbx_sip_001_absent_allowguest_defaults_to_yes(judge):
    assert status(judge({"sip.conf": "[general]\ncontext=public\n"}), "PBX-SIP-001") == "fail"


@pytest.mark.parametrize("value", ["no", "No", "0", "off", "n", "maybe"])
def test_pbx_sip_001_not_ast_true_is_off(judge, value):
    assert status(judge({"sip.conf": "[general]\nallowguest=%s\n" % value}), "PBX-SIP-001") == "pass"


@pytest.mark.parametrize("value", ["yes", "On", "1", "y", "TRUE", "t"])
def test_pbx_sip_001_ast_true_spellings_fail(judge, value):
    assert status(judge({"sip.conf": "[general]\nallowguest=%s\n" % value}), "PBX-SIP-001") == "fail"


def test_pbx_sip_001_last_assignment_wins(judge):
    tree = {"sip.conf": "[general]\nallowguest=no\nallowguest=yes\n"}
    assert status(judge(tree), "PBX-SIP-001") == "fail"


def test_pbx_sip_001_general_appended_by_plus_in_included_file(judge):
    tree = {"sip.conf": "[general]\nallowguest=yes\n#include sip_custom.conf\n",
            "sip_custom.conf": "[general](+)\nallowguest=no\n"}
    assert status(judge(tree), "PBX-SIP-001") == "pass"


def test_pbx_sip_001_template_general_is_not_read(judge):
    tree = {"sip.conf": "[general](!)\nallowguest=no\n"}
    assert status(judge(tree), "PBX-SIP-001") == "fail"


def test_pbx_sip_001_tryinclude_of_missing_file_is_fine(judge):
    tree = {"sip.conf": "[general]\nallowguest=no\n#tryinclude sip_missing.conf\n"}
    assert status(judge(tree), "PBX-SIP-001") == "pass"


def test_pbx_sip_controls_not_applicable_when_chan_sip_noloaded(judge):
    tree = {"sip.conf": "[general]\n", "modules.conf": "[modules]\nautoload=yes\nnoload => chan_sip.so\n"}
    entries = judge(tree)
    assert [status(entries, "PBX-SIP-%03d" % n) for n in range(1, 7)] == ["not_applicable"] * 6
    assert "not loaded" in entries["PBX-SIP-001"]["findings"][0]["message"]


def test_error_says_why_asterisk_does_not_start(judge):
    # A header without its ']' makes modules.conf invalid: Asterisk does not start.
    entries = judge({"sip.conf": "[general]\n", "modules.conf": "; modules\n\n[modules\nautoload=yes\n"})
    found = entries["PBX-SIP-001"]["findings"][0]
    assert status(entries, "PBX-SIP-001") == "error"
    assert found["file"].endswith("modules.conf") and found["line"] == 3
    assert "Asterisk does not start with an invalid modules.conf" in found["message"]


def test_not_applicable_does_not_blame_problems_asterisk_starts_with(judge):
    # The broken included file drops only its own lines; chan_sip is out because of noload.
    entries = judge({"sip.conf": "[general]\n", "pjsip.conf": "[global]\n",
                     "modules_extra.conf": "[x\n",
                     "modules.conf": "[modules]\nautoload=yes\nnoload => chan_sip.so\n"
                                     "#include modules_extra.conf\n"})
    assert status(entries, "PBX-SIP-001") == "not_applicable"
    assert status(entries, "PBX-PJS-001") == "pass"     # Asterisk starts: chan_pjsip loads
    message = entries["PBX-SIP-001"]["findings"][0]["message"]
    assert message == "chan_sip is not loaded (predicted from modules.conf)"


def test_pbx_sip_controls_not_applicable_when_chan_sip_not_installed(judge):
    modules = [m for m in ALL_MODULES if m != "chan_sip"]
    assert status(judge({"sip.conf": "[general]\n"}, modules=modules), "PBX-SIP-001") == "not_applicable"


def test_pbx_sip_002_explicit_no_fails_default_passes(judge):
    assert status(judge({"sip.conf": "[general]\nalwaysauthreject=no\n"}), "PBX-SIP-002") == "fail"
    assert status(judge({"sip.conf": "[general]\n"}), "PBX-SIP-002") == "pass"


@pytest.mark.parametrize("value,expected", [("yes", "fail"), ("persist", "fail"), ("no", "pass")])
def test_pbx_sip_003_autocreatepeer(judge, value, expected):
    tree = {"sip.conf": "[general]\nautocreatepeer=%s\n" % value}
    assert status(judge(tree), "PBX-SIP-003") == expected


def test_pbx_sip_004_absent_means_yes_and_peer_override_counts(judge):
    assert status(judge({"sip.conf": "[general]\n"}), "PBX-SIP-004") == "fail"
    tree = {"sip.conf": "[general]\nallowoverlap=no\n[p](!)\nallowoverlap=dtmf\n"
                        "[100](p)\ntype=friend\n"}
    entries = judge(tree)
    assert status(entries, "PBX-SIP-004") == "fail"
    assert entries["PBX-SIP-004"]["findings"][0]["object"] == "100"
    assert status(judge({"sip.conf": "[general]\nallowoverlap=no\n"}), "PBX-SIP-004") == "pass"


def test_pbx_sip_005_trunk_takes_general_default(judge):
    tree = {"sip.conf": "[general]\n[trunk]\ntype=peer\ninsecure=port,invite\n"
                        "deny=0.0.0.0/0.0.0.0\npermit=198.51.100.0/255.255.255.0\n"}
    assert status(judge(tree, provider_networks=["198.51.100.0/24"]), "PBX-SIP-005") == "fail"
    tree["sip.conf"] += "allowsubscribe=no\n"
    assert status(judge(tree, provider_networks=["198.51.100.0/24"]), "PBX-SIP-005") == "pass"


def test_pbx_sip_005_named_trunk_without_insecure(judge):
    tree = {"sip.conf": "[general]\nallowsubscribe=yes\n[itsp]\ntype=peer\nhost=itsp.example\n"}
    assert status(judge(tree), "PBX-SIP-005") == "pass"
    assert status(judge(tree, sip_trunks=["itsp"]), "PBX-SIP-005") == "fail"


def test_pbx_sip_006_insecure_invite_without_acl_fails(judge):
    tree = {"sip.conf": "[general]\n[tpl](!)\ninsecure=invite\n[trunk](tpl)\ntype=peer\n"}
    entries = judge(tree, provider_networks=["198.51.100.0/24"])
    assert status(entries, "PBX-SIP-006") == "fail"
    assert entries["PBX-SIP-006"]["findings"][0]["object"] == "trunk"


def test_pbx_sip_006_acl_limited_to_provider_passes_and_wider_permit_fails(judge):
    good = ("[general]\n[trunk]\ntype=peer\ninsecure=port,invite\ndeny=0.0.0.0/0.0.0.0\n"
            "permit=198.51.100.0/255.255.255.0\n")
    assert status(judge({"sip.conf": good}, provider_networks=["198.51.100.0/24"]),
                  "PBX-SIP-006") == "pass"
    wide = good + "permit=198.51.0.0/16\n"
    assert status(judge({"sip.conf": wide}, provider_networks=["198.51.100.0/24"]),
                  "PBX-SIP-006") == "fail"
    # deny after permit wins (the last matching rule decides)
    order = ("[general]\n[trunk]\ntype=peer\ninsecure=invite\npermit=198.51.100.0/24\n"
             "deny=0.0.0.0/0\n")
    assert status(judge({"sip.conf": order}, provider_networks=["198.51.100.0/24"]),
                  "PBX-SIP-006") == "pass"


# --- PJSIP --------------------------------------------------------------------------------------

ANON = "[anonymous]\ntype=endpoint\ncontext=public\n"


def test_pbx_pjs_001_anonymous_endpoint(judge):
    assert status(judge({"pjsip.conf": ANON}), "PBX-PJS-001") == "fail"
    noload = "[modules]\nautoload=yes\nnoload => res_pjsip_endpoint_identifier_anonymous.so\n"
    assert status(judge({"pjsip.conf": ANON, "modules.conf": noload}), "PBX-PJS-001") == "pass"
    assert status(judge({"pjsip.conf": "[anonymous](!)\ntype=endpoint\n"}), "PBX-PJS-001") == "pass"


def test_pbx_pjs_001_type_from_template(judge):
    tree = {"pjsip.conf": "[ep](!)\ntype=endpoint\n[anonymous@example](ep)\ncontext=x\n"}
    assert status(judge(tree), "PBX-PJS-001") == "fail"


def test_pbx_pjs_002_no_auth_default_identify_by_fails(judge):
    tree = {"pjsip.conf": "[trunk]\ntype=endpoint\ncontext=from-trunk\n"
                          "[trunk-id]\ntype=identify\nendpoint=trunk\nmatch=198.51.100.10\n"}
    assert status(judge(tree, provider_networks=["198.51.100.0/24"]), "PBX-PJS-002") == "fail"
    tree["pjsip.conf"] = tree["pjsip.conf"].replace("context=from-trunk\n",
                                                    "context=from-trunk\nidentify_by=ip\n")
    assert status(judge(tree, provider_networks=["198.51.100.0/24"]), "PBX-PJS-002") == "pass"


def test_pbx_pjs_002_match_outside_provider_fails(judge):
    tree = {"pjsip.conf": "[trunk]\ntype=endpoint\nidentify_by=ip\n"
                          "[trunk-id]\ntype=identify\nendpoint=trunk\nmatch=198.51.100.10,203.0.113.0/24\n"}
    entries = judge(tree, provider_networks=["198.51.100.0/24"])
    assert status(entries, "PBX-PJS-002") == "fail"
    assert "203.0.113.0/24" in entries["PBX-PJS-002"]["findings"][0]["message"]


def test_pbx_pjs_002_endpoint_with_auth_passes(judge):
    tree = {"pjsip.conf": "[100]\ntype=endpoint\nauth=100-auth\n"
                          "[100-auth]\ntype=auth\nusername=100\npassword=Xy7Kq2Lm9Pw4\n"}
    assert status(judge(tree), "PBX-PJS-002") == "pass"


def test_pbx_pjs_003_allow_unauthenticated_options(judge):
    tree = {"pjsip.conf": "[e](!)\ntype=endpoint\nallow_unauthenticated_options=On\n[100](e)\nauth=a\n"}
    assert status(judge(tree), "PBX-PJS-003") == "fail"
    assert status(judge({"pjsip.conf": "[100]\ntype=endpoint\nauth=a\n"}), "PBX-PJS-003") == "pass"


def test_pbx_pjs_004_trunk_subscribe_default_yes(judge):
    base = ("[trunk]\ntype=endpoint\nidentify_by=ip\n%s"
            "[trunk-id]\ntype=identify\nendpoint=trunk\nmatch=198.51.100.10\n")
    assert status(judge({"pjsip.conf": base % ""}), "PBX-PJS-004") == "fail"
    assert status(judge({"pjsip.conf": base % "allow_subscribe=no\n"}), "PBX-PJS-004") == "pass"


# --- IAX2 ---------------------------------------------------------------------------------------

def test_pbx_iax_001_guest_without_secret(judge):
    tree = {"iax.conf": "[general]\n[guest]\ntype=user\ncontext=public\n"}
    assert status(judge(tree), "PBX-IAX-001") == "fail"
    tree = {"iax.conf": "[general]\n[u]\ntype=user\nsecret=Xy7Kq2Lm9Pw4\ncontext=internal\n"}
    assert status(judge(tree), "PBX-IAX-001") == "pass"


def test_pbx_iax_002_plaintext(judge):
    assert status(judge({"iax.conf": "[general]\nauth=md5,plaintext\n"}), "PBX-IAX-002") == "fail"
    assert status(judge({"iax.conf": "[general]\nauth=md5\n"}), "PBX-IAX-002") == "pass"


def test_pbx_iax_not_applicable_without_chan_iax2(judge):
    modules = [m for m in ALL_MODULES if m != "chan_iax2"]
    entries = judge({"iax.conf": "[guest]\ntype=user\n"}, modules=modules)
    assert status(entries, "PBX-IAX-001") == "not_applicable"


# --- dialplan -----------------------------------------------------------------------------------

def test_pbx_dp_001_guest_context_reaches_dial_through_include(judge):
    tree = {"sip.conf": "[general]\ncontext=public\nallowguest=yes\n",
            "extensions.conf": "[public]\ninclude => outbound\n"
                               "[outbound]\nexten => _X.,1,Dial(SIP/${EXTEN}@trunk)\n"}
    entries = judge(tree)
    assert status(entries, "PBX-DP-001") == "fail"
    assert entries["PBX-DP-001"]["findings"][0]["line"] == 4


def test_pbx_dp_001_guest_context_without_dial_passes(judge):
    tree = {"sip.conf": "[general]\ncontext=public\n",
            "extensions.conf": "[public]\nexten => _X.,1,Hangup()\n"}
    assert status(judge(tree), "PBX-DP-001") == "pass"


def test_pbx_dp_003_disa_no_password(judge):
    tree = {"extensions.conf": "[internal]\nexten => 999,1,DISA(no-password,internal)\n"}
    assert status(judge(tree), "PBX-DP-003") == "fail"


def test_pbx_dp_004_runuser_root_and_unset(judge):
    entries = judge({"asterisk.conf": "[options]\nrunuser=root\n"})
    assert status(entries, "PBX-DP-004") == "fail"
    entries = judge({"asterisk.conf": "[options]\nlive_dangerously=yes\nrunuser=asterisk\n"})
    assert status(entries, "PBX-DP-004") == "fail"
    # live=false: no process is looked at, so an unset runuser can be shown neither safe nor
    # unsafe (a backup): manual, unless something else already fails the control
    entries = judge({"asterisk.conf": "[options]\n"})
    assert status(entries, "PBX-DP-004") == "manual"
    assert "runuser unset" in entries["PBX-DP-004"]["findings"][0]["message"]
    assert status(judge({"asterisk.conf": "[options]\nlive_dangerously=yes\n"}), "PBX-DP-004") == "fail"


# --- secrets ------------------------------------------------------------------------------------

SECRETS = ("hunter2", "4242", "amp111", "Xy7Kq2Lm9Pw4Zz8Rt")


def test_pbx_sec_001_weak_secret_named_never_shown(judge):
    tree = {"sip.conf": "[general]\nallowguest=no\n[phone](!)\ntype=friend\nsecret=hunter2\n"
                        "[100](phone)\nhost=dynamic\n"}
    entries = judge(tree)
    assert status(entries, "PBX-SEC-001") == "fail"
    assert entries["PBX-SEC-001"]["findings"][0]["object"] == "100"
    assert "hunter2" not in json.dumps(entries)


def test_pbx_sec_001_policy_length_is_tunable(judge):
    tree = {"sip.conf": "[general]\n[100]\ntype=friend\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\n"}
    assert status(judge(tree), "PBX-SEC-001") == "pass"
    assert status(judge(tree, policy={"min_length": 20}), "PBX-SEC-001") == "fail"


def test_pbx_sec_004_ami_secret_needs_16(judge):
    tree = {"manager.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\n"
                            "[admin]\nsecret=amp111\ndeny=0.0.0.0/0\npermit=127.0.0.1/32\n"}
    entries = judge(tree)
    assert status(entries, "PBX-SEC-004") == "fail"
    assert "amp111" not in json.dumps(entries)


def test_pbx_sec_005_ari_crypt_passes(judge):
    tree = {"ari.conf": "[general]\n[u]\ntype=user\npassword_format=crypt\npassword=$6$x$y\n"}
    assert status(judge(tree), "PBX-SEC-005") == "pass"
    tree = {"ari.conf": "[general]\n[u]\ntype=user\npassword=hunter2\n"}
    assert status(judge(tree), "PBX-SEC-005") == "fail"


# --- voicemail ----------------------------------------------------------------------------------

def test_pbx_vm_001_dialout_general_and_mailbox(judge):
    tree = {"voicemail.conf": "[general]\n[default]\n100 => 918273,Bob,,,dialout=out|tz=nz\n"}
    entries = judge(tree)
    assert status(entries, "PBX-VM-001") == "fail"
    assert entries["PBX-VM-001"]["findings"][0]["object"] == "100@default"
    tree = {"voicemail.conf": "[general]\ndialout=fromvm\n[default]\n"}
    assert status(judge(tree), "PBX-VM-001") == "fail"


def test_pbx_vm_001_general_first_assignment_wins(judge):
    tree = {"voicemail.conf": "[general]\ndialout=\n[general](+)\ndialout=fromvm\n"}
    assert status(judge(tree), "PBX-VM-001") == "pass"


def test_pbx_vm_003_operator(judge):
    assert status(judge({"voicemail.conf": "[general]\noperator=yes\n"}), "PBX-VM-003") == "fail"
    assert status(judge({"voicemail.conf": "[general]\n"}), "PBX-VM-003") == "pass"


def test_pbx_vm_004_weak_pin_hidden(judge):
    tree = {"voicemail.conf": "[general]\n[default]\n1234 => 4242,Example Mailbox\n"}
    entries = judge(tree)
    assert status(entries, "PBX-VM-004") == "fail"
    assert "4242" not in json.dumps(entries)


def test_pbx_vm_005_minpassword_absent_and_maxlogins(judge):
    assert status(judge({"voicemail.conf": "[general]\n"}), "PBX-VM-005") == "fail"
    good = {"voicemail.conf": "[general]\nminpassword=6\nmaxlogins=3\n"}
    assert status(judge(good), "PBX-VM-005") == "pass"
    bad = {"voicemail.conf": "[general]\nminpassword=6\nmaxlogins=5\n"}
    assert status(judge(bad), "PBX-VM-005") == "fail"


def test_pbx_vm_not_applicable_without_app_voicemail(judge):
    modules = [m for m in ALL_MODULES if m != "app_voicemail"]
    entries = judge({"voicemail.conf": "[general]\ndialout=x\n"}, modules=modules)
    assert status(entries, "PBX-VM-001") == "not_applicable"


# --- AMI, HTTP, NET-005, LOG-001 ----------------------------------------------------------------

def test_pbx_ami_001_enabled_default_bind_fails(judge):
    assert status(judge({"manager.conf": "[general]\nenabled=yes\n"}), "PBX-AMI-001") == "fail"
    assert status(judge({"manager.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\n"}),
                  "PBX-AMI-001") == "pass"
    assert status(judge({"manager.conf": "[general]\nbindaddr=0.0.0.0\n"}), "PBX-AMI-001") == "pass"


def test_pbx_ami_002_user_acl_and_write_rights(judge):
    base = "[general]\nenabled=yes\nbindaddr=127.0.0.1\n[mon]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\n"
    assert status(judge({"manager.conf": base}), "PBX-AMI-002") == "fail"
    limited = base + "deny=0.0.0.0/0.0.0.0\npermit=127.0.0.1/255.255.255.255\nwrite=call\n"
    assert status(judge({"manager.conf": limited}), "PBX-AMI-002") == "pass"
    assert status(judge({"manager.conf": limited + "write=system\n"}), "PBX-AMI-002") == "fail"
    # manager.c grants a right to any word but the last that is a prefix of its name
    assert status(judge({"manager.conf": limited + "write=sys,call\n"}), "PBX-AMI-002") == "fail"
    assert status(judge({"manager.conf": limited + "write=call,,reporting\n"}),
                  "PBX-AMI-002") == "fail"
    assert status(judge({"manager.conf": limited + "write=call,systemx\n"}), "PBX-AMI-002") == "pass"
    managed = base + "deny=0.0.0.0/0\npermit=10.20.0.0/24\n"
    assert status(judge({"manager.conf": managed}, management_networks=["10.20.0.0/24"]),
                  "PBX-AMI-002") == "pass"


def test_pbx_ami_002_users_in_included_directory(judge):
    tree = {"manager.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\n#include \"manager.d/*.conf\"\n",
            "manager.d/a.conf": "[a]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\n"}
    assert status(judge(tree), "PBX-AMI-002") == "fail"


def test_pbx_http_001(judge):
    assert status(judge({"http.conf": "[general]\nenabled=yes\n"}), "PBX-HTTP-001") == "fail"
    assert status(judge({"http.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\nservername=\n"}),
                  "PBX-HTTP-001") == "pass"
    assert status(judge({"http.conf": "[general]\nenabled=no\nbindaddr=0.0.0.0\n"}),
                  "PBX-HTTP-001") == "pass"


def test_pbx_net_005_user_agents(judge):
    tree = {"sip.conf": "[general]\nuseragent=PBX\nsdpsession=PBX\n",
            "pjsip.conf": "[global]\ntype=global\nuser_agent=PBX\n"}
    assert status(judge(tree), "PBX-NET-005") == "pass"
    tree["pjsip.conf"] = "[global]\ntype=global\nuser_agent=Asterisk PBX 22.1.0\n"
    assert status(judge(tree), "PBX-NET-005") == "fail"


def test_pbx_log_001_security_channel(judge):
    assert status(judge({"logger.conf": "[logfiles]\nmessages => notice,warning\n"}),
                  "PBX-LOG-001") == "fail"
    assert status(judge({"logger.conf": "[logfiles]\nsecurity.log => [plain]security\n"}),
                  "PBX-LOG-001") == "pass"
    assert status(judge({"logger.conf": "[logfiles]\nconsole => security\n"}),
                  "PBX-LOG-001") == "fail"


def test_pbx_net_controls_manual_when_not_live(judge):
    entries = judge({})
    for control in ("PBX-NET-001", "PBX-NET-002", "PBX-NET-003", "PBX-NET-004"):
        assert status(entries, control) == "manual"
        assert "live=false" in entries[control]["findings"][0]["message"]


# --- errors, choices ----------------------------------------------------------------------------

def test_rejected_tree_is_error_naming_file_and_line(judge):
    entries = judge({"sip.conf": "[general]\nallowguest=no\n[broken\n"})
    assert status(entries, "PBX-SIP-001") == "error"
    finding = entries["PBX-SIP-001"]["findings"][0]
    assert finding["file"].endswith("sip.conf") and finding["line"] == 3
    assert status(entries, "PBX-AMI-001") != "error"       # other files are still judged


def test_waiver_skip_attest_and_selection(judge):
    entries = judge({"sip.conf": "[general]\n"}, waivers={"PBX-SIP-001": "ticket 1"},
                    skip=["PBX-SIP-004"], attest={"PBX-ACC-001": "ops 2026-11-20"})
    assert status(entries, "PBX-SIP-001") == "waived"
    assert "ticket 1" in entries["PBX-SIP-001"]["findings"][-1]["message"]
    assert status(entries, "PBX-SIP-004") == "not_applicable"
    assert status(entries, "PBX-ACC-001") == "pass"
    assert status(entries, "PBX-ACC-002") == "manual"
    assert status(entries, "PBX-DEC-001") == "not_applicable"
    selected = judge({"sip.conf": "[general]\n"}, controls=["PBX-SIP-002"])
    assert status(selected, "PBX-SIP-002") == "pass"
    assert status(selected, "PBX-SIP-001") == "not_applicable"


def test_waiver_of_a_passing_control_keeps_pass(judge):
    entries = judge({"sip.conf": "[general]\nallowguest=no\n"}, waivers={"PBX-SIP-001": "x"})
    assert status(entries, "PBX-SIP-001") == "pass"


def test_fs_001_open_configuration_directory(judge, tmp_path):
    judge({"sip.conf": "[general]\n"})
    os.chmod(str(tmp_path / "etc"), 0o755)
    entries = judge({"sip.conf": "[general]\n"}, asterisk_group="root")
    assert status(entries, "PBX-FS-001") == "fail"
    for base, dirs, names in os.walk(str(tmp_path / "etc")):
        os.chmod(base, 0o750)
        for name in names:
            os.chmod(os.path.join(base, name), 0o640)
    entries = judge({}, asterisk_group=grp.getgrgid(os.getgid()).gr_name)
    assert status(entries, "PBX-FS-001") == "pass", entries["PBX-FS-001"]["findings"]


def test_pbx_pjs_002_ip_only_endpoint_without_identify_is_never_matched(judge):
    tree = {"pjsip.conf": "[out]\ntype=endpoint\nidentify_by=ip\noutbound_auth=o\n"}
    assert status(judge(tree), "PBX-PJS-002") == "pass"
    tree = {"pjsip.conf": "[out]\ntype=endpoint\nidentify_by=ip,username\n"}
    assert status(judge(tree), "PBX-PJS-002") == "fail"


# --- FreePBX ------------------------------------------------------------------------------------

# A FreePBX layout as the generated files make it (FreePBX 16: sip.conf includes its generated
# general file, then the custom one; manager.conf holds FreePBX's own AMI user).
FREEPBX = {
    "sip.conf": "[general]\n#include sip_general_additional.conf\n#include sip_general_custom.conf\n",
    "sip_general_additional.conf": "allowguest=yes\nalwaysauthreject=yes\n",
    "sip_general_custom.conf": "",
    "manager.conf": "[general]\nenabled=yes\nbindaddr=127.0.0.1\n"
                    "[admin]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\ndeny=0.0.0.0/0.0.0.0\n"
                    "permit=127.0.0.1/255.255.255.0\nwrite=system,call,command,originate\n"
                    "#include manager_additional.conf\n#include manager_custom.conf\n",
    "manager_additional.conf": "",
    "manager_custom.conf": "",
}


def test_freepbx_remediation_names_gui_setting_and_custom_file(judge):
    result = judge(FREEPBX, whole=True)
    entries = by_id(result)
    assert result["freepbx"]["evidence"][-1].endswith("sip_general_additional.conf")
    sip = entries["PBX-SIP-001"]
    assert sip["status"] == "fail"
    assert sip["findings"][0]["file"].endswith("sip_general_additional.conf")
    assert "Settings > Asterisk SIP Settings > General SIP Settings > Allow SIP Guests: No" \
        in sip["remediation"]
    assert "allowguest=no in sip_general_custom.conf" in sip["remediation"]
    for entry in result["controls"]:       # never a generated file as the place of a fix
        assert "_additional.conf" not in entry["remediation"], entry


def test_freepbx_fixed_in_the_custom_file_passes(judge):
    tree = dict(FREEPBX, **{"sip_general_custom.conf": "allowguest=no\n"})
    assert status(judge(tree), "PBX-SIP-001") == "pass"


def test_plain_asterisk_keeps_the_plain_remediation(judge):
    result = judge({"sip.conf": "[general]\nallowguest=yes\n"}, whole=True)
    assert result["freepbx"] is None
    entry = [e for e in result["controls"] if e["id"] == "PBX-SIP-001"][0]
    assert entry["remediation"].startswith("Set allowguest=no in sip.conf [general]")


def test_freepbx_fixes_name_only_files_freepbx_leaves_alone():
    writable = [pattern for entry in LAYOUT.values() for pattern in entry["writable"]]
    for control, (gui, customs) in compliance_freepbx.FIXES.items():
        assert gui or customs, control
        for custom, dummy in customs:
            assert any(fnmatch.fnmatch(custom, pattern) for pattern in writable), (control, custom)


def test_object_waiver_leaves_other_objects_failing(judge):
    tree = dict(FREEPBX, **{"manager_custom.conf": "[crm]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\n"})
    entries = judge(tree, object_waivers={"PBX-AMI-002": {"admin": "FreePBX needs it"}})
    assert entries["PBX-AMI-002"]["status"] == "fail"
    assert "AMPMGRUSER" not in entries["PBX-AMI-002"]["findings"][-1]["message"]


def test_object_waiver_does_not_turn_a_pass_into_waived(judge):
    entries = judge(FREEPBX, object_waivers={"PBX-SIP-002": {"general": "no reason"}})
    assert status(entries, "PBX-SIP-002") == "pass"


def test_no_freepbx_evidence_no_freepbx(tmp_path):
    assert compliance_freepbx.detect(str(tmp_path), [str(tmp_path / "freepbx.conf")]) is None


# --- named ACLs (acl.conf) ----------------------------------------------------------------------

AMI_USER = "[general]\nenabled=yes\nbindaddr=127.0.0.1\n[mon]\nsecret=Xy7Kq2Lm9Pw4Zz8Rt\nwrite=call\n"
ACL_CONF = ("[local](!)\ndeny=0.0.0.0/0.0.0.0\n"
            "[loopback](local)\npermit=127.0.0.1/32\n"
            "[office]\ndeny=0.0.0.0/0\npermit=192.168.10.0/24\n"
            "[open]\npermit=0.0.0.0/0\n")


@pytest.mark.parametrize("lines, expected", [
    ("acl=loopback\n", "pass"),              # deny all, permit loopback (through a template)
    ("acl=office\n", "fail"),                # a LAN outside loopback and management networks
    ("acl=open\n", "fail"),
    ("acl=open\ndeny=0.0.0.0/0\npermit=127.0.0.1\n", "pass"),   # every ACL must admit
    ("acl=open, loopback\n", "pass"),        # comma-separated names, each one an ACL
    ("acl=open\nacl=loopback\n", "pass"),
    ("acl=Loopback\n", "pass"),              # names are case sensitive: undefined rejects all
    ("acl=nowhere\n", "pass"),               # undefined named ACL: Asterisk rejects every address
])
def test_pbx_ami_002_named_acls_are_judged_through_acl_conf(judge, lines, expected):
    tree = {"manager.conf": AMI_USER + lines, "acl.conf": ACL_CONF}
    entries = judge(tree)
    assert status(entries, "PBX-AMI-002") == expected, entries["PBX-AMI-002"]


def test_pbx_ami_002_named_acl_with_management_network(judge):
    tree = {"manager.conf": AMI_USER + "acl=office\n", "acl.conf": ACL_CONF}
    assert status(judge(tree, management_networks=["192.168.10.0/24"]), "PBX-AMI-002") == "pass"


def test_pbx_sip_006_named_acl_limits_insecure_invite_peer(judge):
    peer = ("[general]\nallowguest=no\n[prov]\ntype=peer\nhost=198.51.100.7\ninsecure=invite\n"
            "context=from-provider\n")
    acls = "[provider]\ndeny=0.0.0.0/0.0.0.0\npermit=198.51.100.0/24\n[wide]\npermit=0.0.0.0/0\n"
    limited = judge({"sip.conf": peer + "acl=provider\n", "acl.conf": acls},
                    provider_networks=["198.51.100.0/24"])
    assert status(limited, "PBX-SIP-006") == "pass"
    wide = judge({"sip.conf": peer + "acl=wide\n", "acl.conf": acls},
                 provider_networks=["198.51.100.0/24"])
    assert status(wide, "PBX-SIP-006") == "fail"


# --- PBX-NET-005: listeners only where used -----------------------------------------------------

HIDDEN_SIP = "[general]\nuseragent=PBX\nsdpsession=PBX\n"
HIDDEN_PJSIP = "[global]\ntype=global\nuser_agent=PBX\n"


@pytest.mark.parametrize("sip, expected", [
    ("tcpenable=yes\n[100]\ntype=friend\nhost=dynamic\n", "fail"),          # nobody allows tcp
    ("tcpenable=yes\n[100]\ntype=friend\nhost=dynamic\ntransport=udp,tcp\n", "pass"),
    ("tcpenable=yes\ntransport=tcp,udp\n[100]\ntype=friend\nhost=dynamic\n", "pass"),
    ("tcpenable=no\ntlsenable=off\n[100]\ntype=friend\n", "pass"),
    ("tlsenable=1\n[t](!)\ntransport=tls\n[100](t)\ntype=peer\n", "pass"),  # through a template
    ("tlsenable=1\n[t](!)\ntransport=tls\n[100]\ntype=peer\n", "fail"),
])
def test_pbx_net_005_chan_sip_tcp_tls_listeners(judge, sip, expected):
    entries = judge({"sip.conf": HIDDEN_SIP + sip})
    assert status(entries, "PBX-NET-005") == expected, entries["PBX-NET-005"]


PJSIP_TRANSPORTS = ("[udp]\ntype=transport\nprotocol=udp\nbind=0.0.0.0:5060\n"
                    "[tcp]\ntype=transport\nprotocol=tcp\nbind=0.0.0.0:5060\n"
                    "[ws]\ntype=transport\nprotocol=ws\nbind=0.0.0.0\n")


@pytest.mark.parametrize("objects, expected, unused", [
    ("[100]\ntype=endpoint\ntransport=udp\n", "fail", ["tcp"]),
    ("[100]\ntype=endpoint\ntransport=udp\n[101]\ntype=endpoint\ntransport=tcp\n", "pass", []),
    ("[100]\ntype=endpoint\ntransport=udp\n[101]\ntype=endpoint\n", "pass", []),   # any transport
    ("[100]\ntype=endpoint\ntransport=udp\n[reg]\ntype=registration\ntransport=tcp\n", "pass", []),
    ("", "fail", ["udp", "tcp"]),            # nothing can use a transport
])
def test_pbx_net_005_pjsip_transports_nobody_uses(judge, objects, expected, unused):
    entries = judge({"pjsip.conf": HIDDEN_PJSIP + PJSIP_TRANSPORTS + objects})
    assert status(entries, "PBX-NET-005") == expected, entries["PBX-NET-005"]
    assert [f["object"] for f in entries["PBX-NET-005"]["findings"]] == unused
