# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""run_host: what the host's facts (asterisk_facts') decide for the areas of module pbx_harden,
which the roles used to work out in Jinja: the drivers and channels installed, FreePBX and its
AMI user, the configuration directory, the areas with nothing to read, FreePBX's previewed
voicemail.conf and its PINs left out of the credential audit."""

from __future__ import annotations

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils import run_host


def facts(chan_sip=True, pjsip=True, iax2=True, freepbx=False, ami_user=None,
          files=("extensions.conf", "voicemail.conf")):
    return dict(config_dir="/etc/asterisk", module_dir="/usr/lib/asterisk/modules",
                chan_sip={"installed": chan_sip, "loaded": chan_sip},
                pjsip={"installed": pjsip, "loaded": pjsip},
                iax2={"installed": iax2, "loaded": False},
                freepbx={"detected": freepbx, "ami_user": ami_user}, files=list(files))


@pytest.mark.parametrize("installed, drivers, channels", [
    (dict(), ["chan_sip", "pjsip", "iax2"], ["sip", "pjsip", "iax2"]),
    (dict(chan_sip=False), ["pjsip", "iax2"], ["pjsip", "iax2"]),      # Asterisk 21 and later
    (dict(pjsip=False, iax2=False), ["chan_sip"], ["sip"]),
    (dict(chan_sip=False, pjsip=False, iax2=False), [], []),
])
def test_the_drivers_and_channels_are_those_installed(installed, drivers, channels):
    host = facts(**installed)
    assert run_host.derived_options("sip", host) == dict(
        config_dir="/etc/asterisk", module_dir="/usr/lib/asterisk/modules", drivers=drivers,
        freepbx=False)
    assert run_host.derived_options("dialplan", host) == dict(
        config_dir="/etc/asterisk", channels=channels, freepbx=False)


def test_freepbx_and_its_ami_user_reach_the_manager_area_only_on_freepbx():
    assert run_host.derived_options("manager", facts(freepbx=True, ami_user="admin")) == dict(
        config_dir="/etc/asterisk", freepbx=True, freepbx_ami_user="admin")
    assert run_host.derived_options("manager", facts(ami_user="admin")) == dict(
        config_dir="/etc/asterisk", freepbx=False, freepbx_ami_user="")
    assert run_host.derived_options("manager", facts(freepbx=True)) == dict(
        config_dir="/etc/asterisk", freepbx=True, freepbx_ami_user="")


def test_the_options_given_win_over_those_of_the_host():
    options = run_host.host_options("sip", facts(), dict(drivers=["pjsip"], controls=[]))
    assert options["drivers"] == ["pjsip"] and options["controls"] == []
    assert options["freepbx"] is False


def test_the_credential_audit_leaves_the_pins_out_on_freepbx_only():
    given = dict(controls=["PBX-SEC-001"], pin_policy={"min_length": 6})
    assert "pin_policy" not in run_host.host_options("secrets", facts(freepbx=True), given)
    assert run_host.host_options("secrets", facts(), given)["pin_policy"] == {"min_length": 6}
    assert given == dict(controls=["PBX-SEC-001"], pin_policy={"min_length": 6})


def test_an_area_without_its_file_has_nothing_to_do():
    bare = facts(files=["sip.conf"])
    assert run_host.skip_reason("dialplan", bare) == "no extensions.conf in /etc/asterisk"
    assert run_host.skip_reason("voicemail", bare) == "no voicemail.conf in /etc/asterisk"
    assert run_host.skip_reason("sip", bare) is None
    assert run_host.skip_reason("dialplan", facts()) is None
    assert run_host.skip_reason("voicemail", facts()) is None


def test_voicemail_is_only_previewed_on_freepbx():
    assert run_host.previewed("voicemail", facts(freepbx=True))
    assert not run_host.previewed("voicemail", facts())
    assert not run_host.previewed("sip", facts(freepbx=True))


def test_an_area_of_another_directory_is_refused():
    assert run_host.config_dir_problem(facts(), dict(config_dir="/etc/asterisk/")) is None
    assert run_host.config_dir_problem(facts(), dict(config_dir="/srv/pbx")) == (
        "config_dir /srv/pbx is not the directory of the host's facts (/etc/asterisk)")


def test_facts_that_are_not_asterisk_facts_own_are_named():
    assert run_host.facts_problem(facts()) is None
    assert run_host.facts_problem(dict(facts(), module_dir=None)) is None
    assert run_host.facts_problem({"config_dir": "/etc/asterisk", "files": []}) == (
        "asterisk: not the facts of asterisk_facts "
        "(module_dir, chan_sip, pjsip, iax2, freepbx missing)")
    assert run_host.facts_problem(dict(facts(), files=None, freepbx="yes", config_dir=None)) == (
        "asterisk: not the facts of asterisk_facts (config_dir, freepbx, files of another type)")


def test_nothing_is_rotated_on_freepbx():
    assert run_host.rotates(facts())
    assert not run_host.rotates(facts(freepbx=True))
