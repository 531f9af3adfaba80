# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The control catalogue as the audit reports it: ID, title, severity and remediation, in the
order of ``CONTROLS.md``.  The ID is the unit everywhere (role toggles, tags, waivers, reports)."""

from __future__ import annotations


class Control:
    """One catalogue entry."""

    __slots__ = ("id", "title", "severity", "remediation")

    def __init__(self, control_id, title, severity, remediation):
        self.id = control_id
        self.title = title
        self.severity = severity
        self.remediation = remediation


SEVERITIES = ("critical", "high", "medium", "low", "info")

CATALOGUE = (
    Control("PBX-SIP-001", "chan_sip refuses guest calls (allowguest=no)", "critical",
            "Set allowguest=no in sip.conf [general] (role sip)."),
    Control("PBX-SIP-002", "chan_sip answers unknown users like wrong passwords "
            "(alwaysauthreject=yes)", "high",
            "Set alwaysauthreject=yes in sip.conf [general] (role sip)."),
    Control("PBX-SIP-003", "chan_sip never creates peers for unknown hosts (autocreatepeer=no)",
            "critical", "Set autocreatepeer=no in sip.conf [general] (role sip)."),
    Control("PBX-SIP-004", "chan_sip overlap dialing off (allowoverlap=no)", "medium",
            "Set allowoverlap=no in sip.conf [general] and on peers (role sip)."),
    Control("PBX-SIP-005", "chan_sip trunk peers refuse subscriptions (allowsubscribe=no)",
            "medium", "Set allowsubscribe=no on trunk peers (role sip, pbx_sip_trunks)."),
    Control("PBX-SIP-006", "chan_sip insecure=invite only on peers limited to provider networks",
            "critical", "Give insecure=invite peers deny=0.0.0.0/0.0.0.0 and permit= the provider "
            "networks (role sip)."),
    Control("PBX-PJS-001", "No PJSIP anonymous endpoint", "critical",
            "Remove the anonymous endpoint or noload res_pjsip_endpoint_identifier_anonymous.so "
            "(role sip)."),
    Control("PBX-PJS-002", "PJSIP endpoints without inbound auth are identified by IP from "
            "provider or trusted networks only", "critical",
            "Set identify_by=ip and a type=identify match= within the provider networks, or "
            "give the endpoint an auth= (role sip)."),
    Control("PBX-PJS-003", "PJSIP refuses unauthenticated OPTIONS", "low",
            "Set allow_unauthenticated_options=no on endpoints (role sip)."),
    Control("PBX-PJS-004", "PJSIP trunk endpoints refuse subscriptions", "medium",
            "Set allow_subscribe=no on trunk endpoints (role sip)."),
    Control("PBX-IAX-001", "No IAX2 user without secret or key", "critical",
            "Remove IAX2 users without secret/inkeys, e.g. the sample [guest] (role sip)."),
    Control("PBX-IAX-002", "IAX2 never accepts plaintext authentication", "high",
            "Set auth=md5 (or rsa) in iax.conf (role sip)."),
    Control("PBX-DP-001", "No Dial/DISA/VoiceMailMain/Originate reachable by unauthenticated "
            "callers", "critical",
            "Point guest contexts at a reject-only context (role dialplan)."),
    Control("PBX-DP-002", "International and premium routes only for authenticated internal "
            "endpoints", "critical",
            "Move international/premium patterns out of contexts reachable from trunks and "
            "guests; require a PIN where wanted (role dialplan)."),
    Control("PBX-DP-003", "DISA only with a strong passcode", "critical",
            "Remove DISA(no-password) and give DISA a strong passcode (role dialplan)."),
    Control("PBX-DP-004", "live_dangerously off; Asterisk does not run as root", "high",
            "Set live_dangerously=no and runuser/rungroup=asterisk in asterisk.conf."),
    Control("PBX-SEC-001", "chan_sip secrets meet the policy", "high",
            "Rotate weak chan_sip secrets (role secrets)."),
    Control("PBX-SEC-002", "PJSIP auth passwords meet the policy; phones authenticate", "high",
            "Rotate weak PJSIP passwords, give phone endpoints an auth= (role secrets)."),
    Control("PBX-SEC-003", "IAX2 secrets meet the policy", "high",
            "Rotate weak IAX2 secrets (role secrets)."),
    Control("PBX-SEC-004", "AMI secrets meet the policy (at least 16 characters)", "high",
            "Rotate weak AMI secrets (role secrets)."),
    Control("PBX-SEC-005", "ARI passwords are crypt hashes or meet the policy", "high",
            "Store ARI passwords with password_format=crypt (ari mkpasswd)."),
    Control("PBX-VM-001", "Voicemail dial-out off", "critical",
            "Remove dialout from voicemail.conf [general] and mailboxes (role voicemail)."),
    Control("PBX-VM-002", "Voicemail callback off", "high",
            "Remove callback from voicemail.conf [general] and mailboxes (role voicemail)."),
    Control("PBX-VM-003", "Voicemail operator escape off", "medium",
            "Set operator=no in voicemail.conf (role voicemail)."),
    Control("PBX-VM-004", "Mailbox PINs are strong", "high",
            "Have users change weak PINs; the audit never shows them."),
    Control("PBX-VM-005", "Voicemail minpassword within policy, maxlogins at most 3", "medium",
            "Set minpassword and maxlogins in voicemail.conf [general] (role voicemail)."),
    Control("PBX-VM-006", "VoiceMailMain not reachable from trunk or guest contexts", "high",
            "Keep VoiceMailMain in internal contexts only (role dialplan)."),
    Control("PBX-NET-001", "Firewall: SIP only from provider and trusted networks", "critical",
            "Apply the firewall role (pbx_provider_networks, pbx_trusted_networks)."),
    Control("PBX-NET-002", "Firewall: RTP range only from provider and trusted networks", "high",
            "Apply the firewall role; it reads the RTP range from rtp.conf."),
    Control("PBX-NET-003", "Firewall: IAX2, AMI and HTTP/ARI not reachable from outside",
            "high", "Apply the firewall role (pbx_management_networks)."),
    Control("PBX-NET-004", "Firewall: SIP rate-limited per source", "medium",
            "Apply the firewall role (SIP flood limit)."),
    Control("PBX-NET-005", "SIP listens only where used; user agent strings hide the Asterisk "
            "version", "low",
            "Set useragent/sdpsession in sip.conf and user_agent in the PJSIP global section "
            "(role sip). Turn off chan_sip tcpenable/tlsenable unless a peer's transport= (or "
            "[general] transport) allows tcp/tls; remove PJSIP transports no endpoint or "
            "registration names in transport= (only judged when every one of them names its "
            "transport: one without may use any)."),
    Control("PBX-AMI-001", "AMI disabled or bound to loopback", "critical",
            "Set enabled=no or bindaddr=127.0.0.1 in manager.conf [general] (role manager)."),
    Control("PBX-AMI-002", "AMI users limited to loopback/management networks, no system, "
            "command or originate rights", "high",
            "Give every AMI user deny=0.0.0.0/0.0.0.0 and permits for 127.0.0.1 and the "
            "management networks; drop system/command/originate from write (role manager)."),
    Control("PBX-HTTP-001", "Asterisk HTTP disabled or bound to loopback, servername blank",
            "high", "Set enabled=no or bindaddr=127.0.0.1 and servername= in http.conf "
            "(role manager)."),
    Control("PBX-LOG-001", "Asterisk logs security events to a file", "medium",
            "Add security.log => security to logger.conf [logfiles] (role fail2ban)."),
    Control("PBX-LOG-002", "fail2ban asterisk jail enabled on the right logs", "high",
            "Apply the fail2ban role (asterisk jail on messages and security logs)."),
    Control("PBX-FS-001", "Configuration and keys not readable by others; group asterisk",
            "medium", "Directories 0750, files 0640, keys 0600, group asterisk (role manager)."),
    Control("PBX-DEC-001", "Decommission erases secrets and personal data", "info",
            "Run playbooks/decommission.yml when a PBX is retired."),
    Control("PBX-ACC-001", "Provider account: auto top-up limited", "high",
            "Limit auto top-up with the provider, then attest it (pbx_attest)."),
    Control("PBX-ACC-002", "Provider account: international calling PIN", "high",
            "Enable the provider's international calling PIN, then attest it (pbx_attest)."),
    # Outside-in: judged by pbx_probe from a source address (pbx_probe_host), not on the host.
    Control("PBX-PRB-001", "Probe: SIP OPTIONS get no answer from outside the provider and "
            "trusted networks", "medium",
            "Apply the firewall role (SIP from pbx_provider_networks and pbx_trusted_networks "
            "only), then probe again (pbx_probe: true)."),
    Control("PBX-PRB-002", "Probe: an anonymous INVITE is challenged or refused (401/403/407) "
            "or gets no answer", "critical",
            "Refuse guest calls (role sip: PBX-SIP-001, PBX-PJS-001, PBX-PJS-002), give trunks "
            "deny/permit for the provider networks (PBX-SIP-006) and apply the firewall role."),
    Control("PBX-PRB-003", "Probe: REGISTER gets the same answer for an existing and a "
            "non-existing user (no user enumeration)", "high",
            "Set alwaysauthreject=yes (PBX-SIP-002), give every PJSIP auth the realm of the "
            "global default_realm, and apply the firewall role."),
)

CONTROL_IDS = tuple(control.id for control in CATALOGUE)
BY_ID = {control.id: control for control in CATALOGUE}
# The controls pbx_probe judges; pbx_compliance reports them not_applicable (probe not run).
PROBE_CONTROL_IDS = ("PBX-PRB-001", "PBX-PRB-002", "PBX-PRB-003")
