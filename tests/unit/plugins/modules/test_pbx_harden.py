# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module pbx_harden, run for real by ansible-playbook on temporary configurations: one call
does what the five area modules do one after the other (the same files, byte for byte, and the
same results), check mode writes nothing and predicts the real run, a second run changes
nothing, bad options of any area run nothing, and an area that fails stops the areas after it
while the result still says what the areas before it changed."""

from __future__ import annotations

import pytest
from asterisk_host import bare_controller

SIP = ("[general]\nallowguest=yes\ncontext=public\n"
       "[phone1]\ntype=friend\nhost=dynamic\nsecret=Never-Shown-Secret-1\ncontext=from-internal\n")
PJSIP = ("[transport-udp]\ntype=transport\nprotocol=udp\nbind=0.0.0.0\n"
         "[anonymous]\ntype=endpoint\ncontext=public\n")
IAX = "[general]\nbindport=4569\n[guest]\ntype=user\ncontext=public\n"
EXTENSIONS = ("[public]\ninclude => demo\n[demo]\nexten => 8500,1,VoiceMailMain()\n"
              "[from-internal]\nexten => _00.,1,Dial(SIP/trunk/${EXTEN})\n")
MANAGER = ("[general]\nenabled = yes\nport = 5038\nbindaddr = 0.0.0.0\n"
           "[admin]\nsecret = Admin-Secret-Never-Shown-1\nread = all\nwrite = all\n")
HTTP = "[general]\nenabled=yes\nbindaddr=0.0.0.0\n"
VOICEMAIL = ("[general]\nformat=wav\ndialout=fromvm\ncallback=fromvm\noperator=yes\n"
             "[default]\n1234 => 4242,Example Mailbox,,,attach=no\n")
FILES = {"sip.conf": SIP, "pjsip.conf": PJSIP, "iax.conf": IAX, "extensions.conf": EXTENSIONS,
         "manager.conf": MANAGER, "http.conf": HTTP, "voicemail.conf": VOICEMAIL,
         "asterisk.conf": "[options]\nrunuser = asterisk\n"}
SECRET_CONTROLS = ["PBX-SEC-001", "PBX-SEC-003", "PBX-SEC-004"]


def _tree(base, name):
    config_dir = base / name
    config_dir.mkdir()
    for file_name, text in FILES.items():
        (config_dir / file_name).write_text(text)
    return config_dir


def _files(config_dir):
    return dict((path.name, path.read_bytes()) for path in sorted(config_dir.iterdir())
                if path.is_file())


def _areas(config_dir):
    """The options of each area module for ``config_dir``, as the roles give them."""
    config_dir = str(config_dir)
    return {
        "sip": dict(config_dir=config_dir, drivers=["chan_sip", "pjsip", "iax2"],
                    controls=["PBX-SIP-001", "PBX-SIP-002", "PBX-PJS-001", "PBX-IAX-001"],
                    sip_conf_controls=["PBX-SIP-001", "PBX-SIP-002"], pjsip_conf_controls=[],
                    provider_networks=["192.0.2.0/24"], useragent="PBX",
                    noload_anonymous_identifier=False),
        "dialplan": dict(config_dir=config_dir, channels=["sip", "pjsip", "iax2"],
                         controls=["PBX-DP-001", "PBX-DP-002"]),
        "manager": dict(config_dir=config_dir, controls=["PBX-AMI-001", "PBX-AMI-002",
                                                         "PBX-HTTP-001"]),
        "secrets": dict(config_dir=config_dir, controls=SECRET_CONTROLS),
        "voicemail": dict(path=config_dir + "/voicemail.conf", config_dir=config_dir,
                          general={"dialout": None, "callback": None},
                          mailbox_options_absent=["dialout", "callback"]),
    }


MODULES = {"sip": "sip_harden", "dialplan": "dialplan_harden", "manager": "manager_harden",
           "secrets": "asterisk_secrets", "voicemail": "asterisk_voicemail"}


def _without(result, *keys):
    return dict((key, value) for key, value in result.items()
                if key not in keys + ("invocation", "_ansible_no_log", "diff", "action"))


def _paths(value, old, new):
    """``value`` with every text's ``old`` directory named ``new`` (to compare two trees)."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return dict((key, _paths(item, old, new)) for key, item in value.items())
    if isinstance(value, list):
        return [_paths(item, old, new) for item in value]
    return value


def _facts(config_dir, freepbx=False):
    """Facts of a host whose configuration is ``config_dir`` (every driver installed, FreePBX or
    not), as asterisk_facts gives them, for a run that discovers nothing."""
    installed = {"installed": True, "loaded": True}
    return dict(config_dir=str(config_dir), module_dir=None, chan_sip=installed, pjsip=installed,
                iax2=installed, freepbx={"detected": freepbx, "ami_user": None},
                files=sorted(path.name for path in config_dir.iterdir()))


@pytest.fixture
def batch(tmp_path, run_play):
    """``batch(tree, check=False, **options)``: one pbx_harden task on ``tree`` (with the facts of
    :func:`_facts` unless ``asterisk`` says otherwise; None: discover); its result."""

    def run(tree, check=False, **options):
        args = _areas(tree)
        args["asterisk"] = _facts(tree)
        args.update(options)
        args = dict((key, value) for key, value in args.items() if value is not None)
        return run_play([{"name": "All areas", "pbxsec.hardening.pbx_harden": args}],
                        check=check, diff=True)[0][1]

    return run


def test_one_call_does_what_the_area_modules_do(tmp_path, run_play, batch):
    one_by_one, together = _tree(tmp_path, "one_by_one"), _tree(tmp_path, "together")
    tasks = []
    for area, options in _areas(one_by_one).items():
        if area == "dialplan":
            options = dict(options, closed_entry_points="{{ sip.closed_entry_points }}")
        tasks.append({"name": area, "pbxsec.hardening.%s" % MODULES[area]: options,
                      "register": area})
    separate = dict(run_play(tasks, diff=True))
    closed = separate["sip"]["closed_entry_points"]
    assert closed, "the fixture must make the sip area close an entry point"
    result = batch(together)
    assert not result.get("failed"), result["msg"]
    assert _files(together) == _files(one_by_one)
    assert _files(together) != dict((name, text.encode()) for name, text in FILES.items())
    for area in MODULES:
        assert _paths(_without(result[area]), str(together), str(one_by_one)) == \
            _without(separate[area]), area
    assert result["changed"] is True
    assert [entry["after_header"] for entry in result["diff"]] == \
        [_paths(entry["after_header"], str(one_by_one), str(together))
         for area in MODULES for entry in separate[area].get("diff", [])]
    assert "Never-Shown" not in repr(result)


def test_check_mode_predicts_the_real_run_and_the_second_run_changes_nothing(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    before = _files(config_dir)
    predicted = batch(config_dir, check=True)
    assert _files(config_dir) == before
    real = batch(config_dir)
    assert predicted["changed"] is real["changed"] is True
    for area in MODULES:
        assert predicted[area]["changed"] == real[area]["changed"], area
    assert [entry["after"] for entry in predicted["diff"]] == \
        [entry["after"] for entry in real["diff"]]
    second = batch(config_dir)
    assert second["changed"] is False
    assert not any(second[area]["changed"] for area in MODULES)
    assert second["diff"] == []


def test_bad_options_of_any_area_run_nothing(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    before = _files(config_dir)
    result = batch(config_dir, manager=dict(_areas(config_dir)["manager"], disable_ami="maybe"),
                   dialplan=dict(_areas(config_dir)["dialplan"], channels=["skinny"]))
    assert result["failed"] and result["area_failed"] == "dialplan"
    assert result["msg"].startswith("nothing was run: dialplan: ")
    assert "manager: " in result["msg"] and "disable_ami" in result["msg"]
    assert _files(config_dir) == before
    assert "sip" not in result


def test_pins_given_with_the_voicemail_options_never_leave_the_controller(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    before = _files(config_dir)
    result = batch(config_dir, voicemail=dict(_areas(config_dir)["voicemail"],
                                              pins={"1234@default": "Rotated-PIN-999"}))
    assert result["failed"]
    assert result["msg"] == ("nothing was sent to the host: voicemail.pins (give it as "
                             "voicemail_pins)")
    assert "Rotated-PIN-999" not in repr(result)
    assert _files(config_dir) == before


def test_a_failed_area_stops_the_areas_after_it_and_reports_the_changes_before_it(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    (config_dir / "manager.conf").write_text(MANAGER + "#include missing-ami-users.conf\n")
    before = _files(config_dir)
    result = batch(config_dir)
    assert result["failed"] and result["area_failed"] == "manager"
    assert "missing-ami-users.conf" in result["msg"]
    assert result["changed"] is True and result["sip"]["changed"] is True
    assert "dialplan" in result and "secrets" not in result and "voicemail" not in result
    after = _files(config_dir)
    assert after["sip.conf"] != before["sip.conf"]
    assert after["manager.conf"] == before["manager.conf"]
    assert after["voicemail.conf"] == before["voicemail.conf"]


def test_the_dialplan_leaves_out_what_the_sip_area_closes(tmp_path, batch):
    def dialplan(config_dir):
        return dict(_areas(config_dir)["dialplan"], channels=["pjsip", "iax2"])

    alone_dir, with_sip_dir = _tree(tmp_path, "alone"), _tree(tmp_path, "with_sip")
    alone = batch(alone_dir, check=True, sip=None, dialplan=dialplan(alone_dir))
    with_sip = batch(with_sip_dir, check=True, dialplan=dialplan(with_sip_dir))
    assert with_sip["sip"]["closed_entry_points"] == ["iax2_guests", "pjsip_anonymous"]
    assert [finding["control"] for finding in alone["dialplan"]["findings"]] == ["PBX-DP-001"]
    assert with_sip["dialplan"]["findings"] == []
    assert [finding["control"] for finding in with_sip["dialplan"]["latent_findings"]] == \
        ["PBX-DP-001"]


def test_a_previewed_area_writes_nothing_and_says_what_it_would_change(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    result = batch(config_dir, preview=["voicemail"])
    assert result["voicemail"]["changed"] is False and result["voicemail"]["previewed"] is True
    assert (config_dir / "voicemail.conf").read_text() == VOICEMAIL
    assert result["sip"]["changed"] is True


def test_the_new_pins_are_written_and_never_shown(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    result = batch(config_dir, voicemail_pins={"1234@default": "97531864"},
                   secrets=dict(_areas(config_dir)["secrets"], pin_policy={"min_length": 6}))
    assert not result.get("failed"), result["msg"]
    assert "1234 => 97531864," in (config_dir / "voicemail.conf").read_text()
    assert "97531864" not in repr(result) and "4242" not in repr(result)
    assert [pin["object"] for pin in result["secrets"]["weak_pins"]] == ["1234@default"]
    assert result["voicemail"]["weak_pins"] == []


# --- the host: discovered in the same run, or given ------------------------------------------

def _host(tmp_path, *installed):
    """A configuration whose asterisk.conf puts the modules directory beside it, with
    ``installed`` (empty ``.so`` files) in it; returns the configuration directory."""
    config_dir = _tree(tmp_path, "etc")
    modules = tmp_path / "modules"
    modules.mkdir()
    for name in installed:
        (modules / (name + ".so")).write_bytes(b"")
    (config_dir / "asterisk.conf").write_text("[directories]\nastmoddir => %s\nastrundir => %s\n"
                                              % (modules, tmp_path / "run"))
    return config_dir


@bare_controller
def test_the_host_is_discovered_in_the_same_run_and_decides_the_drivers(tmp_path, batch, run_play):
    config_dir = _host(tmp_path, "chan_sip")
    areas = _areas(config_dir)
    for area in areas.values():
        area.pop("config_dir", None)
    del areas["sip"]["drivers"], areas["dialplan"]["channels"]
    before = _files(config_dir)
    result = batch(config_dir, asterisk=None, config_dir=str(config_dir), **areas)
    assert not result.get("failed"), result["msg"]
    discovered = run_play([{"name": "Facts", "pbxsec.hardening.asterisk_facts": {
        "config_dir": str(config_dir)}}])[0][1]["ansible_facts"]["asterisk"]
    assert result["ansible_facts"]["asterisk"] == discovered
    assert discovered["chan_sip"]["installed"] and not discovered["pjsip"]["installed"]
    # Only chan_sip is installed: sip.conf is hardened, pjsip.conf and iax.conf are left alone.
    after = _files(config_dir)
    assert after["sip.conf"] != before["sip.conf"]
    assert after["pjsip.conf"] == before["pjsip.conf"] and after["iax.conf"] == before["iax.conf"]
    assert result["sip"]["reload"] == ["chan_sip"]
    assert result["dialplan"]["changed"] is False and "findings" in result["dialplan"]


def test_given_facts_discover_nothing(tmp_path, batch):
    result = batch(_tree(tmp_path, "asterisk"), check=True)
    assert "ansible_facts" not in result


def test_an_area_without_its_file_does_not_run(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    (config_dir / "extensions.conf").unlink()
    (config_dir / "voicemail.conf").unlink()
    result = batch(config_dir)
    assert not result.get("failed"), result["msg"]
    assert result["dialplan"] == dict(changed=False, skipped=True,
                                      msg="no extensions.conf in %s" % config_dir)
    assert result["voicemail"] == dict(changed=False, skipped=True,
                                       msg="no voicemail.conf in %s" % config_dir)
    assert result["sip"]["changed"] is True


def test_on_freepbx_voicemail_is_previewed_and_its_pins_are_not_audited(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    result = batch(config_dir, asterisk=_facts(config_dir, freepbx=True), sip=None,
                   dialplan=None, manager=None,
                   secrets=dict(_areas(config_dir)["secrets"], pin_policy={"min_length": 6}))
    assert not result.get("failed"), result["msg"]
    assert result["voicemail"]["changed"] is False and result["voicemail"]["previewed"] is True
    assert (config_dir / "voicemail.conf").read_text() == VOICEMAIL
    assert result["secrets"]["weak_pins"] == []
    plain_dir = _tree(tmp_path, "plain")
    plain = batch(plain_dir, check=True, sip=None, dialplan=None, manager=None,
                  secrets=dict(_areas(plain_dir)["secrets"], pin_policy={"min_length": 6}))
    assert [pin["object"] for pin in plain["secrets"]["weak_pins"]] == ["1234@default"]


def test_an_area_of_another_directory_runs_nothing(tmp_path, batch):
    config_dir, other = _tree(tmp_path, "asterisk"), _tree(tmp_path, "other")
    before = _files(config_dir)
    result = batch(config_dir, asterisk=_facts(other))
    assert result["failed"] and result["msg"].startswith("nothing was run: sip: config_dir ")
    assert _files(config_dir) == before


def test_facts_that_are_not_asterisk_facts_run_nothing(tmp_path, batch):
    config_dir = _tree(tmp_path, "asterisk")
    before = _files(config_dir)
    result = batch(config_dir, asterisk={"config_dir": str(config_dir)})
    assert result["failed"] and "not the facts of asterisk_facts" in result["msg"]
    assert _files(config_dir) == before


# --- the rotation's write, predicted in check mode --------------------------------------------

WEAK_SIP = SIP.replace("secret=Never-Shown-Secret-1", "secret=abc123")


def _weak_tree(tmp_path, name):
    config_dir = _tree(tmp_path, name)
    (config_dir / "sip.conf").write_text(WEAK_SIP)
    return config_dir


def _audit(config_dir):
    """The credential audit of the chan_sip secrets and the PINs."""
    return dict(_areas(config_dir)["secrets"], controls=["PBX-SEC-001"],
                pin_policy={"min_length": 6})


def test_check_mode_predicts_the_rotations_write_as_secrets_rotate_gives_it(
        tmp_path, batch, run_play):
    config_dir = _weak_tree(tmp_path, "asterisk")
    before = _files(config_dir)
    result = batch(config_dir, check=True, sip=None, dialplan=None, manager=None, voicemail=None,
                   secrets=_audit(config_dir), rotation_preview={})
    preview = result["secrets"]["rotation_preview"]
    assert preview["config_dir"] == str(config_dir)
    assert preview["credentials"] == [{"config": str(config_dir / "sip.conf"),
                                       "section": "phone1", "section_type": None,
                                       "option": "secret"}]
    assert preview["pins"] == ["1234@default"]
    rotate = {"config_dir": str(config_dir), "pin_policy": {"min_length": 6},
              "credentials": [dict(preview["credentials"][0], value="Xq7Lm2Rt9Vw4Kp8Zs3Nb")],
              "pins": {"1234@default": "73916058"}}
    checked = run_play([{"name": "Rotate", "pbxsec.hardening.secrets_rotate": rotate}],
                       check=True, diff=True)[0][1]
    assert preview["result"]["changed"] is checked["changed"] is True
    for key in ("files", "reload", "msg", "backup_files", "diff"):
        assert preview["result"][key] == checked[key], key
    assert _files(config_dir) == before
    for value in ("abc123", "4242", "Xq7Lm2Rt9Vw4Kp8Zs3Nb", "73916058"):
        assert value not in repr(result) and value not in repr(checked)


def test_the_prediction_leaves_out_what_the_rotation_leaves(tmp_path, batch):
    config_dir = _weak_tree(tmp_path, "asterisk")

    def preview(**rotation):
        result = batch(config_dir, check=True, sip=None, dialplan=None, manager=None,
                       voicemail=None, secrets=_audit(config_dir), rotation_preview=rotation)
        return result["secrets"].get("rotation_preview")

    assert preview(pins=False)["pins"] == []
    assert preview(object_waivers=["phone1"])["credentials"] == []
    assert preview(objects=["1234@default"])["credentials"] == []
    assert preview(objects=["phone1"])["pins"] == []
    assert preview(object_waivers=["phone1"], pins=False) is None


def test_freepbx_gets_no_prediction(tmp_path, batch):
    config_dir = _weak_tree(tmp_path, "asterisk")
    result = batch(config_dir, check=True, asterisk=_facts(config_dir, freepbx=True), sip=None,
                   dialplan=None, manager=None, voicemail=None, secrets=_audit(config_dir),
                   rotation_preview={})
    assert [finding["object"] for finding in result["secrets"]["findings"]] == ["phone1"]
    assert "rotation_preview" not in result["secrets"]


def test_a_real_run_predicts_no_rotation(tmp_path, batch):
    config_dir = _weak_tree(tmp_path, "asterisk")
    result = batch(config_dir, sip=None, dialplan=None, manager=None, voicemail=None,
                   secrets=_audit(config_dir), rotation_preview={})
    assert "rotation_preview" not in result["secrets"]
    assert (config_dir / "sip.conf").read_text() == WEAK_SIP
