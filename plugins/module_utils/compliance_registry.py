# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The control catalogue: the one place that says, for every control, what it is (ID, title,
severity, area), who enforces it (a role, or none: audit or procedure only), what it applies to,
the setting it enforces (option controls), how the audit judges it, and how to fix it by hand on
plain Asterisk and on FreePBX.  The ID is the unit everywhere (role toggles, tags, waivers,
reports); IDs keep their place in :data:`CATALOGUE`, which is the order of every report.

Everything else reads it here: the audit (titles, severities, remediations, the probe's
controls), the FreePBX remediations (:data:`compliance_freepbx.FIXES`), the ``freepbx_layout``
module's ``gui_fixes``, and the project's catalogue page ``docs/controls.md`` and the README's
control table, both written by ``make docs`` (``tests/docs/control_docs.py``).
``tests/unit/test_catalogue.py`` proves that the audit's areas, the roles' tags and those pages
agree with it.  This file imports nothing, so that modules on the PBX and the documentation
generator can both load it."""

from __future__ import annotations

SEVERITIES = ("critical", "high", "medium", "low", "info")

# Area -> heading of its table in docs/controls.md, in the order of the page.
CATALOGUE_AREAS = (
    ("sip", "chan_sip"),
    ("pjsip", "PJSIP"),
    ("iax", "IAX2"),
    ("dialplan", "Dialplan"),
    ("secrets", "Secrets"),
    ("voicemail", "Voicemail"),
    ("network", "Network exposure"),
    ("manager", "AMI and HTTP"),
    ("logging", "Logging and fail2ban"),
    ("files", "Files"),
    ("decommission", "Decommission"),
    ("account", "Provider account"),
    ("probe", "Outside-in probe"),
)

# How the audit judges a control.
JUDGED = {
    "check": "pbx_compliance judges it on the host",
    "attestation": "manual until the operator attests it (pbx_attest)",
    "procedure": "not a property of a running PBX: not_applicable in the audit",
    "probe": "pbx_probe judges it from a source address outside the PBX",
}

# How Asterisk reads a setting's value.
READS = {
    "bool": "boolean: ast_true() (yes, true, y, t, 1, on are true; anything else is false)",
    "number": "number",
    "word": "word, compared without regard to case",
    "words": "comma-separated words",
    "acl": "permit/deny rules, applied in order: the last rule that matches wins",
}

# How the wanted value relates to the option.
RELATIONS = ("=", "!=", ">=", "<=", "absent", "excludes", "includes")

# Asterisk majors the collection supports; AppliesTo.versions narrows it.
SUPPORTED_VERSIONS = (16, 22)


class Setting:
    """One option a control enforces: ``option`` in the ``selector`` objects of ``file`` relates
    to ``value`` as ``relation`` says, the value read as ``reads`` says; ``default`` is
    Asterisk's value when the option is absent (None: not relevant)."""

    __slots__ = ("file", "selector", "option", "value", "reads", "relation", "default")

    def __init__(self, file, selector, option, value, reads, relation="=", default=None):
        self.file = file
        self.selector = selector
        self.option = option
        self.value = value
        self.reads = reads
        self.relation = relation
        self.default = default


class AppliesTo:
    """What a control applies to: the channel ``driver`` it judges (None: any or none), other
    ``modules`` it needs loaded, the Asterisk majors ``versions`` ``(first, last)`` when narrower
    than :data:`SUPPORTED_VERSIONS` (None at either end: no limit), whether it holds on FreePBX
    hosts too, and its ``subject`` (the PBX, or something else)."""

    __slots__ = ("driver", "modules", "versions", "freepbx", "subject")

    def __init__(self, driver=None, modules=(), versions=None, freepbx=True, subject="PBX"):
        self.driver = driver
        self.modules = tuple(modules)
        self.versions = versions
        self.freepbx = freepbx
        self.subject = subject


class FreePBXFix:
    """The fix on a FreePBX host: the GUI setting that owns the value (None: none does), and
    ``customs``, ``(custom file, what to write there)`` pairs in the files FreePBX includes after
    its generated ones and never rewrites."""

    __slots__ = ("gui", "customs")

    def __init__(self, gui, customs=()):
        self.gui = gui
        self.customs = tuple(customs)


class Control:
    """One catalogue entry."""

    __slots__ = ("id", "title", "severity", "remediation", "area", "role", "also_in", "judged",
                 "applies", "settings", "freepbx")

    def __init__(self, control_id, title, severity, remediation, area, role=None, also_in=(),
                 judged="check", applies=None, settings=(), freepbx=None):
        self.id = control_id
        self.title = title
        self.severity = severity
        # The fix on plain Asterisk; on FreePBX the audit names the FreePBX fix instead.
        self.remediation = remediation
        self.area = area
        # The role that enforces it (its tasks carry the ID as tag and name prefix), or None.
        self.role = role
        # Other roles whose tasks carry its tag (e.g. the secrets role rotates weak PINs).
        self.also_in = tuple(also_in)
        self.judged = judged
        self.applies = applies if applies is not None else AppliesTo()
        self.settings = tuple(settings)
        self.freepbx = freepbx

    @property
    def roles(self):
        """Every role whose tasks carry this control's tag."""
        return ((self.role,) if self.role else ()) + self.also_in


# --- applicability ------------------------------------------------------------------------------

_CHAN_SIP = AppliesTo(driver="chan_sip", versions=(None, 20))     # removed in Asterisk 21
_PJSIP = AppliesTo(driver="chan_pjsip")
_IAX2 = AppliesTo(driver="chan_iax2")
_VOICEMAIL = AppliesTo(modules=("app_voicemail",))

# --- FreePBX's GUI pages ------------------------------------------------------------------------
# Every custom file named below is one FreePBX leaves alone (a unit test checks it against
# freepbx_layout.LAYOUT).

_SIP = "Settings > Asterisk SIP Settings"
_TRUNK = "Connectivity > Trunks > (the trunk)"
_EXT = "Applications > Extensions > (the extension)"
_ROUTES = "Connectivity > Inbound Routes and Outbound Routes"
_FIREWALL = ("Connectivity > Firewall (FreePBX Firewall module: provider networks in the Trusted "
             "zone, Responsive Firewall on), or the firewall role where that module is not used")
_VOICEMAIL_ADMIN = "Settings > Voicemail Admin > Settings"
_SIP_GENERAL = "sip_general_custom.conf"
_DIALPLAN_CUSTOM = (("extensions_custom.conf", "hand-written contexts"),)


CATALOGUE = (
    Control(
        "PBX-SIP-001", "chan_sip refuses guest calls (allowguest=no)", "critical",
        "Set allowguest=no in sip.conf [general] (role sip).",
        area="sip", role="sip", applies=_CHAN_SIP,
        settings=(Setting("sip.conf", "[general]", "allowguest", "no", "bool", default="yes"),),
        freepbx=FreePBXFix(_SIP + " > General SIP Settings > Allow SIP Guests: No (and Allow "
                           "Anonymous Inbound SIP Calls: No)",
                           ((_SIP_GENERAL, "allowguest=no"),))),
    Control(
        "PBX-SIP-002", "chan_sip answers unknown users like wrong passwords "
        "(alwaysauthreject=yes)", "high",
        "Set alwaysauthreject=yes in sip.conf [general] (role sip).",
        area="sip", role="sip", applies=_CHAN_SIP,
        settings=(Setting("sip.conf", "[general]", "alwaysauthreject", "yes", "bool",
                          default="yes"),),
        freepbx=FreePBXFix(None, ((_SIP_GENERAL, "alwaysauthreject=yes"),))),
    Control(
        "PBX-SIP-003", "chan_sip never creates peers for unknown hosts (autocreatepeer=no)",
        "critical", "Set autocreatepeer=no in sip.conf [general] (role sip).",
        area="sip", role="sip", applies=_CHAN_SIP,
        # ast_true() values and "persist" create peers.
        settings=(Setting("sip.conf", "[general]", "autocreatepeer", "no", "word",
                          default="no"),),
        freepbx=FreePBXFix(None, ((_SIP_GENERAL, "autocreatepeer=no"),))),
    Control(
        "PBX-SIP-004", "chan_sip overlap dialing off (allowoverlap=no)", "medium",
        "Set allowoverlap=no in sip.conf [general] and on peers (role sip).",
        area="sip", role="sip", applies=_CHAN_SIP,
        # ast_true() values and "dtmf" collect digits.
        settings=(Setting("sip.conf", "[general] and peers", "allowoverlap", "no", "word",
                          default="yes"),),
        freepbx=FreePBXFix(_SIP + " > Chan SIP Settings > Other SIP Settings: allowoverlap=no; "
                           "peers: " + _TRUNK + " > sip Settings > PEER Details",
                           ((_SIP_GENERAL, "allowoverlap=no"),
                            ("sip_custom_post.conf", "[peer](+) allowoverlap=no")))),
    Control(
        "PBX-SIP-005", "chan_sip trunk peers refuse subscriptions (allowsubscribe=no)",
        "medium", "Set allowsubscribe=no on trunk peers (role sip, pbx_sip_trunks).",
        area="sip", role="sip", applies=_CHAN_SIP,
        settings=(Setting("sip.conf", "trunk peers (insecure= set, or in pbx_sip_trunks)",
                          "allowsubscribe", "no", "bool", default="[general] allowsubscribe, yes"),),
        freepbx=FreePBXFix(_TRUNK + " > sip Settings > PEER Details: allowsubscribe=no",
                           (("sip_custom_post.conf", "[trunk](+) allowsubscribe=no"),))),
    Control(
        "PBX-SIP-006", "chan_sip insecure=invite only on peers limited to provider networks",
        "critical", "Give insecure=invite peers deny=0.0.0.0/0.0.0.0 and permit= the provider "
        "networks (role sip).",
        area="sip", role="sip", applies=_CHAN_SIP,
        settings=(Setting("sip.conf", "peers with insecure=invite", "deny, permit",
                          "deny=0.0.0.0/0.0.0.0, then permit= each provider network", "acl"),),
        freepbx=FreePBXFix(_TRUNK + " > sip Settings > PEER Details: deny=0.0.0.0/0.0.0.0 and "
                           "permit= the provider networks",
                           (("sip_custom_post.conf",
                             "[trunk](+) deny=0.0.0.0/0.0.0.0 and permit=<provider network>"),))),
    Control(
        "PBX-PJS-001", "No PJSIP anonymous endpoint", "critical",
        "Remove the anonymous endpoint or noload res_pjsip_endpoint_identifier_anonymous.so "
        "(role sip).",
        area="pjsip", role="sip", applies=_PJSIP,
        settings=(Setting("modules.conf", "[modules]", "noload",
                          "res_pjsip_endpoint_identifier_anonymous.so", "word"),),
        freepbx=FreePBXFix(_SIP + " > General SIP Settings > Allow Anonymous Inbound SIP Calls: "
                           "No (FreePBX writes the anonymous endpoint from it)")),
    Control(
        "PBX-PJS-002", "PJSIP endpoints without inbound auth are identified by IP from "
        "provider or trusted networks only", "critical",
        "Set identify_by=ip and a type=identify match= within the provider networks, or "
        "give the endpoint an auth= (role sip).",
        area="pjsip", role="sip", applies=_PJSIP,
        settings=(Setting("pjsip.conf", "endpoints without auth=", "identify_by", "ip", "words",
                          default="username,ip"),),
        freepbx=FreePBXFix(_TRUNK + " > pjsip Settings > Advanced > Match (Permit): the "
                           "provider networks",
                           (("pjsip.identify_custom_post.conf",
                             "[<identify of the trunk>](+) match=<provider network>"),))),
    Control(
        "PBX-PJS-003", "PJSIP refuses unauthenticated OPTIONS", "low",
        "Set allow_unauthenticated_options=no on endpoints (role sip).",
        area="pjsip", role="sip", applies=_PJSIP,
        settings=(Setting("pjsip.conf", "endpoints", "allow_unauthenticated_options", "no",
                          "bool", default="no"),),
        freepbx=FreePBXFix(None, (("pjsip.endpoint_custom_post.conf",
                                   "[endpoint](+) allow_unauthenticated_options=no"),))),
    Control(
        "PBX-PJS-004", "PJSIP trunk endpoints refuse subscriptions", "medium",
        "Set allow_subscribe=no on trunk endpoints (role sip).",
        area="pjsip", role="sip", applies=_PJSIP,
        settings=(Setting("pjsip.conf", "trunk endpoints (matched by a type=identify, or "
                          "in pbx_sip_trunks)", "allow_subscribe", "no", "bool", default="yes"),),
        freepbx=FreePBXFix(None, (("pjsip.endpoint_custom_post.conf",
                                   "[trunk](+) allow_subscribe=no"),))),
    Control(
        "PBX-IAX-001", "No IAX2 user without secret or key", "critical",
        "Remove IAX2 users without secret/inkeys, e.g. the sample [guest] (role sip).",
        area="iax", role="sip", applies=_IAX2,
        freepbx=FreePBXFix(_EXT + " > IAX2 secret, or Connectivity > Trunks > (the trunk) > iax2 "
                           "Settings > USER Details: secret=; remove hand-made users without "
                           "secret",
                           (("iax_custom_post.conf", "[user](+) secret=<strong secret>"),))),
    Control(
        "PBX-IAX-002", "IAX2 never accepts plaintext authentication", "high",
        "Set auth=md5 (or rsa) in iax.conf (role sip).",
        area="iax", role="sip", applies=_IAX2,
        settings=(Setting("iax.conf", "[general], users and peers", "auth", "plaintext", "words",
                          relation="excludes"),),
        freepbx=FreePBXFix("Settings > Asterisk IAX Settings > Other IAX Settings: auth=md5",
                           (("iax_general_custom.conf", "auth=md5"),))),
    Control(
        "PBX-DP-001", "No Dial/DISA/VoiceMailMain/Originate reachable by unauthenticated "
        "callers", "critical",
        "Point guest contexts at a reject-only context (role dialplan).",
        area="dialplan", role="dialplan",
        freepbx=FreePBXFix(_ROUTES + " (inbound routes of trunks and guests end in internal "
                           "destinations, never a dial-out)", _DIALPLAN_CUSTOM)),
    Control(
        "PBX-DP-002", "International and premium routes only for authenticated internal "
        "endpoints", "critical",
        "Move international/premium patterns out of contexts reachable from trunks and "
        "guests; require a PIN where wanted (role dialplan).",
        area="dialplan", role="dialplan",
        freepbx=FreePBXFix("Connectivity > Outbound Routes > (route) > Route Settings: PIN Set "
                           "(Applications > PIN Sets) and the dial patterns", _DIALPLAN_CUSTOM)),
    Control(
        "PBX-DP-003", "DISA only with a strong passcode", "critical",
        "Remove DISA(no-password) and give DISA a strong passcode (role dialplan).",
        area="dialplan", role="dialplan",
        freepbx=FreePBXFix("Applications > DISA > (DISA) > PIN", _DIALPLAN_CUSTOM)),
    Control(
        "PBX-DP-004", "live_dangerously off; Asterisk does not run as root", "high",
        "Set live_dangerously=no and runuser/rungroup=asterisk in asterisk.conf.",
        area="dialplan", role="dialplan",
        settings=(Setting("asterisk.conf", "[options]", "live_dangerously", "no", "bool",
                          default="no"),
                  Setting("asterisk.conf", "[options]", "runuser", "root", "word",
                          relation="!="))),
    Control(
        "PBX-SEC-001", "chan_sip secrets meet the policy", "high",
        "Rotate weak chan_sip secrets (role secrets).",
        area="secrets", role="secrets", applies=_CHAN_SIP,
        freepbx=FreePBXFix(_EXT + " > Secret, and " + _TRUNK + " > sip Settings > PEER Details: "
                           "secret")),
    Control(
        "PBX-SEC-002", "PJSIP auth passwords meet the policy; phones authenticate", "high",
        "Rotate weak PJSIP passwords, give phone endpoints an auth= (role secrets).",
        area="secrets", role="secrets", applies=_PJSIP,
        freepbx=FreePBXFix(_EXT + " > Secret, and " + _TRUNK + " > pjsip Settings > General: "
                           "Secret")),
    Control(
        "PBX-SEC-003", "IAX2 secrets meet the policy", "high",
        "Rotate weak IAX2 secrets (role secrets).",
        area="secrets", role="secrets", applies=_IAX2,
        freepbx=FreePBXFix(_EXT + " > Secret (IAX2 extensions)")),
    Control(
        "PBX-SEC-004", "AMI secrets meet the policy (at least 16 characters)", "high",
        "Rotate weak AMI secrets (role secrets).",
        area="secrets", role="secrets",
        freepbx=FreePBXFix("Settings > Asterisk Manager Users > (user) > Manager Secret; "
                           "FreePBX's own user: Settings > Advanced Settings > Asterisk Manager "
                           "Password")),
    Control(
        "PBX-SEC-005", "ARI passwords are crypt hashes or meet the policy", "high",
        "Store ARI passwords with password_format=crypt (ari mkpasswd).",
        area="secrets", role="secrets",
        freepbx=FreePBXFix("Settings > Advanced Settings > Asterisk REST Interface (ARI) "
                           "password")),
    Control(
        "PBX-VM-001", "Voicemail dial-out off", "critical",
        "Remove dialout from voicemail.conf [general] and mailboxes (role voicemail).",
        area="voicemail", role="voicemail", applies=_VOICEMAIL,
        settings=(Setting("voicemail.conf", "[general] and mailboxes", "dialout", None, "word",
                          relation="absent"),),
        freepbx=FreePBXFix(_VOICEMAIL_ADMIN + ": no Dialout Context")),
    Control(
        "PBX-VM-002", "Voicemail callback off", "high",
        "Remove callback from voicemail.conf [general] and mailboxes (role voicemail).",
        area="voicemail", role="voicemail", applies=_VOICEMAIL,
        settings=(Setting("voicemail.conf", "[general] and mailboxes", "callback", None, "word",
                          relation="absent"),),
        freepbx=FreePBXFix(_VOICEMAIL_ADMIN + ": no Callback Context")),
    Control(
        "PBX-VM-003", "Voicemail operator escape off", "medium",
        "Set operator=no in voicemail.conf (role voicemail).",
        area="voicemail", role="voicemail", applies=_VOICEMAIL,
        settings=(Setting("voicemail.conf", "[general] and mailboxes", "operator", "no", "bool",
                          default="no"),),
        freepbx=FreePBXFix(_VOICEMAIL_ADMIN + ": Operator: No")),
    Control(
        "PBX-VM-004", "Mailbox PINs are strong", "high",
        "Have users change weak PINs; the audit never shows them.",
        area="voicemail", role="voicemail", also_in=("secrets",), applies=_VOICEMAIL,
        freepbx=FreePBXFix(_EXT + " > Voicemail > Voicemail Password (or the user at *97)")),
    Control(
        "PBX-VM-005", "Voicemail minpassword within policy, maxlogins at most 3", "medium",
        "Set minpassword and maxlogins in voicemail.conf [general] (role voicemail).",
        area="voicemail", role="voicemail", applies=_VOICEMAIL,
        settings=(Setting("voicemail.conf", "[general]", "minpassword", "6", "number",
                          relation=">=", default="0"),
                  Setting("voicemail.conf", "[general]", "maxlogins", "3", "number",
                          relation="<=", default="3")),
        freepbx=FreePBXFix(_VOICEMAIL_ADMIN + ": Minimum Password Length and Max Login "
                           "Attempts")),
    Control(
        "PBX-VM-006", "VoiceMailMain not reachable from trunk or guest contexts", "high",
        "Keep VoiceMailMain in internal contexts only (role dialplan).",
        area="voicemail", role="dialplan",
        freepbx=FreePBXFix(_ROUTES + " (no route from a trunk to a voicemail login)",
                           _DIALPLAN_CUSTOM)),
    Control(
        "PBX-NET-001", "Firewall: SIP only from provider and trusted networks", "critical",
        "Apply the firewall role (pbx_provider_networks, pbx_trusted_networks).",
        area="network", role="firewall", freepbx=FreePBXFix(_FIREWALL)),
    Control(
        "PBX-NET-002", "Firewall: RTP range only from provider and trusted networks", "high",
        "Apply the firewall role; it reads the RTP range from rtp.conf.",
        area="network", role="firewall", freepbx=FreePBXFix(_FIREWALL)),
    Control(
        "PBX-NET-003", "Firewall: IAX2, AMI and HTTP/ARI not reachable from outside",
        "high", "Apply the firewall role (pbx_management_networks).",
        area="network", role="firewall", freepbx=FreePBXFix(_FIREWALL)),
    Control(
        "PBX-NET-004", "Firewall: SIP rate-limited per source", "medium",
        "Apply the firewall role (SIP flood limit).",
        area="network", role="firewall", freepbx=FreePBXFix(_FIREWALL)),
    Control(
        "PBX-NET-005", "SIP listens only where used; user agent strings hide the Asterisk "
        "version", "low",
        "Set useragent/sdpsession in sip.conf and user_agent in the PJSIP global section "
        "(role sip). Turn off chan_sip tcpenable/tlsenable unless a peer's transport= (or "
        "[general] transport) allows tcp/tls; remove PJSIP transports no endpoint or "
        "registration names in transport= (only judged when every one of them names its "
        "transport: one without may use any).",
        area="network", role="sip",
        settings=(Setting("sip.conf", "[general]", "useragent, sdpsession", "a version number",
                          "word", relation="excludes", default="Asterisk PBX <version>"),
                  Setting("pjsip.conf", "the global section", "user_agent", "a version number",
                          "word", relation="excludes", default="Asterisk PBX <version>")),
        freepbx=FreePBXFix(_SIP + " > SIP Settings [chan_pjsip] > Transports: only the protocols "
                           "endpoints use; Chan SIP Settings > TCP/TLS Enable: No unless a peer "
                           "uses them",
                           ((_SIP_GENERAL, "useragent= and sdpsession= without a version "
                             "(FreePBX appends its version to the Advanced Settings SIP User "
                             "Agent)"),
                            ("pjsip_custom_post.conf", "user_agent= without a version (FreePBX "
                             "includes it inside its [global])")))),
    Control(
        "PBX-AMI-001", "AMI disabled or bound to loopback", "critical",
        "Set enabled=no or bindaddr=127.0.0.1 in manager.conf [general] (role manager).",
        area="manager", role="manager",
        settings=(Setting("manager.conf", "[general]", "bindaddr", "127.0.0.1", "word",
                          default="0.0.0.0"),
                  Setting("manager.conf", "[general] with tlsenable=yes", "tlsbindaddr",
                          "127.0.0.1", "word")),
        freepbx=FreePBXFix("Settings > Advanced Settings > Asterisk Manager Host: localhost",
                           (("manager_custom.conf", "[general](+) bindaddr=127.0.0.1"),))),
    Control(
        "PBX-AMI-002", "AMI users limited to loopback/management networks, no system, "
        "command or originate rights", "high",
        "Give every AMI user deny=0.0.0.0/0.0.0.0 and permits for 127.0.0.1 and the "
        "management networks; drop system/command/originate from write (role manager).",
        area="manager", role="manager",
        settings=(Setting("manager.conf", "every user", "deny, permit",
                          "deny=0.0.0.0/0.0.0.0, then permit= loopback and each management "
                          "network",
                          "acl"),
                  Setting("manager.conf", "every user", "write",
                          "system, command, originate, all", "words", relation="excludes")),
        freepbx=FreePBXFix("Settings > Asterisk Manager Users > (user): Deny 0.0.0.0/0.0.0.0, "
                           "Permit 127.0.0.1/255.255.255.255, no system/command/originate write. "
                           "FreePBX's own user (AMPMGRUSER, Settings > Advanced Settings > "
                           "Asterisk Manager User) keeps the rights FreePBX needs and must be "
                           "reachable from loopback only",
                           (("manager_custom.conf", "[user](+) deny=0.0.0.0/0.0.0.0 and "
                             "permit=127.0.0.1/255.255.255.255"),))),
    Control(
        "PBX-HTTP-001", "Asterisk HTTP disabled or bound to loopback, servername blank",
        "high", "Set enabled=no or bindaddr=127.0.0.1 and servername= in http.conf "
        "(role manager).",
        area="manager", role="manager",
        settings=(Setting("http.conf", "[general]", "bindaddr", "127.0.0.1", "word"),
                  Setting("http.conf", "[general]", "servername", "", "word",
                          default="Asterisk/<version>")),
        freepbx=FreePBXFix("Settings > Advanced Settings > Asterisk Builtin mini-HTTP server: "
                           "HTTP Bind Address 127.0.0.1 (or Enable the mini-HTTP Server: No)",
                           (("http_custom.conf", "[general](+) servername="),))),
    Control(
        "PBX-LOG-001", "Asterisk logs security events to a file", "medium",
        "Add security.log => security to logger.conf [logfiles] (role fail2ban).",
        area="logging", role="fail2ban",
        settings=(Setting("logger.conf", "[logfiles]", "security.log", "security", "words",
                          relation="includes"),),
        freepbx=FreePBXFix("Settings > Asterisk Logfile Settings > Log Files: a file with "
                           "Security on",
                           (("logger_logfiles_custom.conf", "security.log => security"),))),
    Control(
        "PBX-LOG-002", "fail2ban asterisk jail enabled on the right logs", "high",
        "Apply the fail2ban role (asterisk jail on messages and security logs).",
        area="logging", role="fail2ban",
        freepbx=FreePBXFix("Admin > System Admin > Intrusion Detection where FreePBX's System "
                           "Admin module runs fail2ban; otherwise the fail2ban role")),
    Control(
        "PBX-FS-001", "Configuration and keys not readable by others; group asterisk",
        "medium", "Directories 0750, files 0640, keys 0600, group asterisk (role manager).",
        area="files", role="manager"),
    Control(
        "PBX-DEC-001", "Decommission erases secrets and personal data", "info",
        "Run playbooks/decommission.yml when a PBX is retired.",
        area="decommission", judged="procedure", applies=AppliesTo(subject="retired PBX")),
    Control(
        "PBX-ACC-001", "Provider account: auto top-up limited", "high",
        "Limit auto top-up with the provider, then attest it (pbx_attest).",
        area="account", judged="attestation",
        applies=AppliesTo(subject="provider account")),
    Control(
        "PBX-ACC-002", "Provider account: international calling PIN", "high",
        "Enable the provider's international calling PIN, then attest it (pbx_attest).",
        area="account", judged="attestation",
        applies=AppliesTo(subject="provider account")),
    # Outside-in: judged by pbx_probe from a source address (pbx_probe_host), not on the host.
    Control(
        "PBX-PRB-001", "Probe: SIP OPTIONS get no answer from outside the provider and "
        "trusted networks", "medium",
        "Apply the firewall role (SIP from pbx_provider_networks and pbx_trusted_networks "
        "only), then probe again (pbx_probe: true).",
        area="probe", judged="probe", applies=AppliesTo(subject="PBX seen from outside")),
    Control(
        "PBX-PRB-002", "Probe: an anonymous INVITE is challenged or refused (401/403/407) "
        "or gets no answer", "critical",
        "Refuse guest calls (role sip: PBX-SIP-001, PBX-PJS-001, PBX-PJS-002), give trunks "
        "deny/permit for the provider networks (PBX-SIP-006) and apply the firewall role.",
        area="probe", judged="probe", applies=AppliesTo(subject="PBX seen from outside")),
    Control(
        "PBX-PRB-003", "Probe: REGISTER gets the same answer for an existing and a "
        "non-existing user (no user enumeration)", "high",
        "Set alwaysauthreject=yes (PBX-SIP-002), give every PJSIP auth the realm of the "
        "global default_realm, and apply the firewall role.",
        area="probe", judged="probe", applies=AppliesTo(subject="PBX seen from outside")),
)

CONTROL_IDS = tuple(control.id for control in CATALOGUE)
BY_ID = {control.id: control for control in CATALOGUE}
# The controls pbx_probe judges; pbx_compliance reports them not_applicable (probe not run).
PROBE_CONTROL_IDS = tuple(control.id for control in CATALOGUE if control.judged == "probe")
# The controls a check of pbx_compliance judges on the host (compliance_audit.AREAS).
HOST_CONTROL_IDS = tuple(control.id for control in CATALOGUE if control.judged == "check")


def wanted_value(control_id, option, file_name=None):
    """The value the Setting rows of ``control_id`` want for ``option`` (of ``file_name`` when
    the control has settings in several files): what a role's module writes."""
    for setting in BY_ID[control_id].settings:
        if setting.option == option and file_name in (None, setting.file):
            return setting.value
    raise KeyError("%s has no catalogue setting %s%s"
                   % (control_id, option, " in %s" % file_name if file_name else ""))


def by_area():
    """``[(area, heading, [Control])]`` in the order of :data:`CATALOGUE_AREAS`, controls in catalogue
    order; areas without a control are left out."""
    return [(area, heading, [c for c in CATALOGUE if c.area == area])
            for area, heading in CATALOGUE_AREAS if any(c.area == area for c in CATALOGUE)]
