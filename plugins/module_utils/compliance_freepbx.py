# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The audit on a FreePBX host: detection, FreePBX's own AMI user, and per control the FreePBX
GUI setting or the custom file that fixes a finding.

FreePBX writes every ``*_additional.conf`` (and its root files, and voicemail.conf) again on each
``fwconsole reload``; a remediation there is lost at the next click in the GUI.  So on a FreePBX
host each remediation names the GUI page that owns the value, or the custom file FreePBX leaves
alone and reads after the generated one (:mod:`freepbx_layout`), never a generated file."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_db import read_ami_user
from ansible_collections.pbxsec.hardening.plugins.module_utils.freepbx_layout import (
    FREEPBX_FILES,
    FREEPBX_GENERATED,
)

_SIP = "Settings > Asterisk SIP Settings"
_TRUNK = "Connectivity > Trunks > (the trunk)"
_EXT = "Applications > Extensions > (the extension)"
_ROUTES = "Connectivity > Inbound Routes and Outbound Routes"
_FIREWALL = ("Connectivity > Firewall (FreePBX Firewall module: provider networks in the Trusted "
             "zone, Responsive Firewall on), or the firewall role where that module is not used")
_VOICEMAIL = "Settings > Voicemail Admin > Settings"

# control ID -> (GUI setting or None, [(custom file, what to write there)]).  Every file named
# here is one FreePBX leaves alone (a unit test checks it against freepbx_layout.LAYOUT).
_SIP_GENERAL = "sip_general_custom.conf"
_MANUAL_ONLY = ()
FIXES = {
    "PBX-SIP-001": (_SIP + " > General SIP Settings > Allow SIP Guests: No (and Allow Anonymous "
                    "Inbound SIP Calls: No)", [(_SIP_GENERAL, "allowguest=no")]),
    "PBX-SIP-002": (None, [(_SIP_GENERAL, "alwaysauthreject=yes")]),
    "PBX-SIP-003": (None, [(_SIP_GENERAL, "autocreatepeer=no")]),
    "PBX-SIP-004": (_SIP + " > Chan SIP Settings > Other SIP Settings: allowoverlap=no; peers: "
                    + _TRUNK + " > sip Settings > PEER Details",
                    [(_SIP_GENERAL, "allowoverlap=no"),
                     ("sip_custom_post.conf", "[peer](+) allowoverlap=no")]),
    "PBX-SIP-005": (_TRUNK + " > sip Settings > PEER Details: allowsubscribe=no",
                    [("sip_custom_post.conf", "[trunk](+) allowsubscribe=no")]),
    "PBX-SIP-006": (_TRUNK + " > sip Settings > PEER Details: deny=0.0.0.0/0.0.0.0 and permit= "
                    "the provider networks",
                    [("sip_custom_post.conf",
                      "[trunk](+) deny=0.0.0.0/0.0.0.0 and permit=<provider network>")]),
    "PBX-PJS-001": (_SIP + " > General SIP Settings > Allow Anonymous Inbound SIP Calls: No "
                    "(FreePBX writes the anonymous endpoint from it)", _MANUAL_ONLY),
    "PBX-PJS-002": (_TRUNK + " > pjsip Settings > Advanced > Match (Permit): the provider "
                    "networks",
                    [("pjsip.identify_custom_post.conf",
                      "[<identify of the trunk>](+) match=<provider network>")]),
    "PBX-PJS-003": (None, [("pjsip.endpoint_custom_post.conf",
                            "[endpoint](+) allow_unauthenticated_options=no")]),
    "PBX-PJS-004": (None, [("pjsip.endpoint_custom_post.conf", "[trunk](+) allow_subscribe=no")]),
    "PBX-IAX-001": (_EXT + " > IAX2 secret, or Connectivity > Trunks > (the trunk) > iax2 "
                    "Settings > USER Details: secret=; remove hand-made users without secret",
                    [("iax_custom_post.conf", "[user](+) secret=<strong secret>")]),
    "PBX-IAX-002": ("Settings > Asterisk IAX Settings > Other IAX Settings: auth=md5",
                    [("iax_general_custom.conf", "auth=md5")]),
    "PBX-DP-001": (_ROUTES + " (inbound routes of trunks and guests end in internal "
                   "destinations, never a dial-out)",
                   [("extensions_custom.conf", "hand-written contexts")]),
    "PBX-DP-002": ("Connectivity > Outbound Routes > (route) > Route Settings: PIN Set "
                   "(Applications > PIN Sets) and the dial patterns",
                   [("extensions_custom.conf", "hand-written contexts")]),
    "PBX-DP-003": ("Applications > DISA > (DISA) > PIN",
                   [("extensions_custom.conf", "hand-written contexts")]),
    "PBX-SEC-001": (_EXT + " > Secret, and " + _TRUNK + " > sip Settings > PEER Details: "
                    "secret", _MANUAL_ONLY),
    "PBX-SEC-002": (_EXT + " > Secret, and " + _TRUNK + " > pjsip Settings > General: Secret",
                    _MANUAL_ONLY),
    "PBX-SEC-003": (_EXT + " > Secret (IAX2 extensions)", _MANUAL_ONLY),
    "PBX-SEC-004": ("Settings > Asterisk Manager Users > (user) > Manager Secret; FreePBX's own "
                    "user: Settings > Advanced Settings > Asterisk Manager Password",
                    _MANUAL_ONLY),
    "PBX-SEC-005": ("Settings > Advanced Settings > Asterisk REST Interface (ARI) password",
                    _MANUAL_ONLY),
    "PBX-VM-001": (_VOICEMAIL + ": no Dialout Context", _MANUAL_ONLY),
    "PBX-VM-002": (_VOICEMAIL + ": no Callback Context", _MANUAL_ONLY),
    "PBX-VM-003": (_VOICEMAIL + ": Operator: No", _MANUAL_ONLY),
    "PBX-VM-004": (_EXT + " > Voicemail > Voicemail Password (or the user at *97)", _MANUAL_ONLY),
    "PBX-VM-005": (_VOICEMAIL + ": Minimum Password Length and Max Login Attempts",
                   _MANUAL_ONLY),
    "PBX-VM-006": (_ROUTES + " (no route from a trunk to a voicemail login)",
                   [("extensions_custom.conf", "hand-written contexts")]),
    "PBX-NET-001": (_FIREWALL, _MANUAL_ONLY),
    "PBX-NET-002": (_FIREWALL, _MANUAL_ONLY),
    "PBX-NET-003": (_FIREWALL, _MANUAL_ONLY),
    "PBX-NET-004": (_FIREWALL, _MANUAL_ONLY),
    "PBX-NET-005": (_SIP + " > SIP Settings [chan_pjsip] > Transports: only the protocols "
                    "endpoints use; Chan SIP Settings > TCP/TLS Enable: No unless a peer uses "
                    "them",
                    [(_SIP_GENERAL, "useragent= and sdpsession= without a version (FreePBX "
                      "appends its version to the Advanced Settings SIP User Agent)"),
                     ("pjsip_custom_post.conf",
                      "user_agent= without a version (FreePBX includes it inside its [global])")]),
    "PBX-AMI-001": ("Settings > Advanced Settings > Asterisk Manager Host: localhost",
                    [("manager_custom.conf", "[general](+) bindaddr=127.0.0.1")]),
    "PBX-AMI-002": ("Settings > Asterisk Manager Users > (user): Deny 0.0.0.0/0.0.0.0, Permit "
                    "127.0.0.1/255.255.255.255, no system/command/originate write. FreePBX's own "
                    "user (AMPMGRUSER, Settings > Advanced Settings > Asterisk Manager User) keeps "
                    "the rights FreePBX needs and must be reachable from loopback only",
                    [("manager_custom.conf",
                      "[user](+) deny=0.0.0.0/0.0.0.0 and permit=127.0.0.1/255.255.255.255")]),
    "PBX-HTTP-001": ("Settings > Advanced Settings > Asterisk Builtin mini-HTTP server: "
                     "HTTP Bind Address 127.0.0.1 (or Enable the mini-HTTP Server: No)",
                     [("http_custom.conf", "[general](+) servername=")]),
    "PBX-LOG-002": ("Admin > System Admin > Intrusion Detection where FreePBX's System Admin "
                    "module runs fail2ban; otherwise the fail2ban role", _MANUAL_ONLY),
    "PBX-LOG-001": ("Settings > Asterisk Logfile Settings > Log Files: a file with Security "
                    "on", [("logger_logfiles_custom.conf", "security.log => security")]),
}


class FreePBX:
    """What the audit knows of the FreePBX installation of a host."""

    def __init__(self, evidence, ami_user, ami_user_source):
        self.evidence = evidence
        self.ami_user = ami_user
        self.ami_user_source = ami_user_source

    def as_dict(self):
        return dict(evidence=self.evidence, ami_user=self.ami_user,
                    ami_user_source=self.ami_user_source)


def detect(config_dir, files=None):
    """A :class:`FreePBX` when FreePBX manages the host (its settings files, or its generated
    files in ``config_dir``), else None."""
    files = FREEPBX_FILES if files is None else files
    evidence = [path for path in files if os.path.exists(path)]
    evidence += [os.path.join(config_dir, name) for name in FREEPBX_GENERATED
                 if os.path.exists(os.path.join(config_dir, name))]
    if not evidence:
        return None
    user, source = read_ami_user(files)
    return FreePBX(evidence, user, source)


def remediation(control_id, default):
    """The remediation of a control on a FreePBX host: the GUI setting and/or the custom file
    that wins; ``default`` (plain Asterisk) when FreePBX does not own what the control needs."""
    if control_id not in FIXES:
        return default
    gui, customs = FIXES[control_id]
    parts = ["FreePBX GUI: %s." % gui] if gui else []
    if customs:
        files = ["%s in %s" % (what, custom) for custom, what in customs]
        parts.append("%s %s (custom files FreePBX includes after its generated ones and never "
                     "rewrites, so the change survives fwconsole reload)." % (
                         "Or" if gui else "Set", "; ".join(files)))
    return " ".join(parts)
