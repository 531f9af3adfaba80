# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the host decides for the areas of ``pbx_harden``, from the facts of ``asterisk_facts``:
the options that follow from what is installed (drivers, modules directory, FreePBX and its AMI
user), the areas that have nothing to read (no extensions.conf, no voicemail.conf), and FreePBX's
voicemail.conf, which is only previewed. The roles used to work these out in Jinja; here they are
worked out once, on the PBX, where the facts are."""

from __future__ import annotations

import os

# The facts read here, and the type each has in asterisk_facts' facts (module_dir may also be
# None): a dict given as facts must hold them all (see facts_problem).
FACT_TYPES = {"config_dir": str, "module_dir": str, "chan_sip": dict, "pjsip": dict,
              "iax2": dict, "freepbx": dict, "files": list}
# Per installed driver, its name in sip_harden's drivers and in dialplan_harden's channels.
DRIVERS = (("chan_sip", "chan_sip", "sip"), ("pjsip", "pjsip", "pjsip"), ("iax2", "iax2", "iax2"))
# The file an area reads; without it in the configuration directory the area has nothing to do.
AREA_FILES = {"dialplan": "extensions.conf", "voicemail": "voicemail.conf"}


def facts_problem(facts):
    """Why ``facts`` are not the facts of asterisk_facts (a missing key, or a value of another
    type), or None."""
    missing = [key for key in FACT_TYPES if key not in facts]
    if missing:
        return "asterisk: not the facts of asterisk_facts (%s missing)" % ", ".join(missing)
    wrong = [key for key, kind in FACT_TYPES.items() if not isinstance(facts[key], kind)
             and not (key == "module_dir" and facts[key] is None)]
    if wrong:
        return "asterisk: not the facts of asterisk_facts (%s of another type)" % ", ".join(wrong)
    return None


def _installed(facts, key):
    return bool(facts[key].get("installed"))


def _freepbx(facts):
    return bool(facts["freepbx"].get("detected"))


def derived_options(area, facts):
    """The options of ``area`` that follow from the host (every area's ``config_dir``); the
    options given to the area win."""
    options = dict(config_dir=facts["config_dir"])
    freepbx = _freepbx(facts)
    if area == "sip":
        options.update(freepbx=freepbx, drivers=[name for key, name, _channel in DRIVERS
                                                 if _installed(facts, key)])
        if facts["module_dir"]:
            options["module_dir"] = facts["module_dir"]
    elif area == "dialplan":
        options.update(freepbx=freepbx, channels=[channel for key, _name, channel in DRIVERS
                                                  if _installed(facts, key)])
    elif area == "manager":
        ami_user = facts["freepbx"].get("ami_user") if freepbx else None
        options.update(freepbx=freepbx, freepbx_ami_user=ami_user or "")
    return options


def host_options(area, facts, given):
    """The options ``area`` runs with on this host: ``given`` over :func:`derived_options`. On
    FreePBX the credential audit leaves the PINs out (``pin_policy``): its voicemail module owns
    voicemail.conf and would write the old PINs back, so the PINs are neither judged nor rotated
    there."""
    options = dict(derived_options(area, facts), **given)
    if area == "secrets" and _freepbx(facts):
        options.pop("pin_policy", None)
    return options


def config_dir_problem(facts, options):
    """Why an area's ``options`` cannot go with ``facts`` (another configuration directory than the
    one the facts describe), or None."""
    if os.path.normpath(options["config_dir"]) != os.path.normpath(facts["config_dir"]):
        return "config_dir %s is not the directory of the host's facts (%s)" % (
            options["config_dir"], facts["config_dir"])
    return None


def skip_reason(area, facts):
    """Why ``area`` has nothing to do on this host (the file it reads is not there), or None."""
    name = AREA_FILES.get(area)
    if name and name not in facts["files"]:
        return "no %s in %s" % (name, facts["config_dir"])
    return None


def rotates(facts):
    """Whether the secrets role rotates credentials on this host: not on FreePBX, whose database
    and generated files hold them (it writes them again; the GUI changes them)."""
    return not _freepbx(facts)


def previewed(area, facts):
    """Whether ``area`` only previews its changes here: voicemail.conf on FreePBX, which its
    voicemail module writes again (the verdict names the changes for the GUI)."""
    return area == "voicemail" and _freepbx(facts)
