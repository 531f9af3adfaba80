#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_compliance
short_description: Audit an Asterisk PBX against the pbxsec.hardening control catalogue
version_added: 0.1.0
description:
  - Judges every control of the catalogue (C(PBX-SIP-001) ... C(PBX-ACC-002)) on one host in one
    call and returns one entry per control with its status, findings and remediation.
  - Effective values are judged by Asterisk's rules through the collection's config engine
    (templates, C((+)), C(#include)/C(#tryinclude), C(ast_true()) booleans, defaults when an
    option is absent). Controls of a channel driver are C(not_applicable) where it is not loaded
    (asked of the running Asterisk, or predicted from C(modules.conf) and the module directory).
  - Where there is no module directory to look at (a configuration backup on a machine without
    Asterisk), or O(asterisk_version) is given, the prediction takes the modules that Asterisk
    version installs (chan_sip up to 20, removed in 21; PJSIP, IAX2, app_voicemail and ARI in
    every version); with no version, every such module, and chan_sip where C(sip.conf) exists.
    Each control judged that way carries a finding saying the module set was assumed, and from
    what.
  - A tree Asterisk cannot start with (C(modules.conf) missing or refused, a C(require)d module
    that cannot load) makes the controls that depend on loaded modules C(error), naming the file.
  - PBX-NET-001..004 are judged on the live nftables ruleset by sending probe packets through it
    (C(nft -j list ruleset)); without it they are C(manual). PBX-LOG-002 reads fail2ban's jail
    files in fail2ban's order, checks that the jail's ban action acts on the firewall in use and
    asks C(fail2ban-client) when live.
  - Named ACLs (C(acl=), defined in C(acl.conf)) are evaluated as Asterisk does; every ACL of an
    object must admit an address, and an undefined name rejects every address.
  - A configuration tree Asterisk would refuse makes the controls that need it C(error), naming
    file and line; the other controls are still judged.
  - Reads only, never reports changed, and never fails for non-compliance (the result says
    whether the host is compliant; the play decides). Same result in check mode.
  - Findings name files, lines and objects, never a secret or a PIN.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Directory Asterisk reads its configuration from.
    type: path
    default: /etc/asterisk
  live:
    description:
      - Also ask the running Asterisk (CLI commands on its control socket, as C(asterisk -rx) sends
        them), nftables (C(nft -j list ruleset)),
        fail2ban (C(fail2ban-client)) and the process table.
      - With V(false) the files alone are judged (for example a configuration backup); the
        firewall controls are then C(manual).
    type: bool
    default: true
  asterisk_version:
    description:
      - Major version of the Asterisk the files are for (for example V(16), V(20), V(22)), when
        auditing a configuration backup. The modules that version installs are then assumed
        instead of reading a module directory, and the checks go by that version (for example the
        name of the log file fail2ban must watch).
      - Unset, the installed Asterisk's version and module directory are used; where there is no
        module directory, the module set of an unknown version is assumed (see the description).
    type: int
  provider_networks:
    description: Networks of the SIP provider (CIDR). Only they (and O(trusted_networks)) may reach SIP and RTP.
    type: list
    elements: str
    default: ["27.111.14.0/24"]
  trusted_networks:
    description: Operator LANs allowed to reach SIP and RTP (phones).
    type: list
    elements: str
    default: []
  management_networks:
    description: Networks allowed to reach AMI and HTTP/ARI besides loopback; the fail2ban jail must ignore them.
    type: list
    elements: str
    default: []
  sip_trunks:
    description: chan_sip peers and PJSIP endpoints that are trunks although nothing in their configuration says so.
    type: list
    elements: str
    default: []
  policy:
    description:
      - Thresholds. Secret policy keys as the secrets role takes them (C(min_length) 12,
        C(ami_min_length) 16, C(require_letters), C(require_digits), C(check_names),
        C(weak_words), C(keyboard_walk_length) 4), and C(pin_min_length) (6), C(max_logins) (3),
        C(disa_min_length) (8), C(international_patterns), C(premium_patterns), C(require_pin)
        (false).
      - Unknown keys fail the task.
    type: dict
    default: {}
  objects:
    description:
      - V(all) judges every object Asterisk runs.
      - V(backends) judges only the objects Asterisk takes from databases and other backends that
        no configuration file shows (sorcery.conf and extconfig.conf mappings). A control fails
        for a failing one, is C(manual) for one this audit cannot see, and passes otherwise. The
        roles use it after their file changes, to fail on what only the backend's owner can
        change.
    type: str
    choices: [all, backends]
    default: all
  controls:
    description: Judge only these controls; the others are reported C(not_applicable).
    type: list
    elements: str
    default: []
  skip:
    description: Controls not to judge (reported C(not_applicable), skipped by the operator).
    type: list
    elements: str
    default: []
  waivers:
    description:
      - Control ID to the reason it is accepted. A C(fail), C(manual) or C(error) control becomes
        C(waived), keeping its findings; a passing control stays C(pass).
    type: dict
    default: {}
  object_waivers:
    description:
      - Control ID to a dict of object name to reason, for single objects (AMI users, peers,
        endpoints, mailboxes; the C(object) of a finding) accepted as they are, for example
        FreePBX's own AMI user under C(PBX-AMI-002). Their findings are kept and marked waived; a C(fail), C(manual)
        or C(error) control all of whose findings are waived becomes C(waived).
      - An object waiver covers every finding of that object under that control.
    type: dict
    default: {}
  attest:
    description:
      - Control ID to who attested it and when, for the controls no host can show
        (C(PBX-ACC-001), C(PBX-ACC-002)). An attested C(manual) control becomes C(pass).
    type: dict
    default: {}
  keys_dir:
    description: Asterisk's key directory (PBX-FS-001).
    type: path
    default: /var/lib/asterisk/keys
  asterisk_group:
    description: Group that must own the configuration and keys (PBX-FS-001).
    type: str
    default: asterisk
  fail2ban_dir:
    description: fail2ban's configuration directory (PBX-LOG-002, and where RV(pressure) finds fail2ban's log).
    type: path
    default: /etc/fail2ban
  pressure:
    description:
      - Also count the attack pressure of the last O(pressure_hours) (RV(pressure)), by the
        host's clock. Only with O(live=true); V(false) leaves RV(pressure) null.
    type: bool
    default: true
  pressure_hours:
    description: Hours back from now that RV(pressure) counts.
    type: int
    default: 24
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
notes:
  - IPv4 only for the firewall and ACL checks; an IPv6 exposure is not judged.
  - PBX-DEC-001 is a procedure (V(playbooks/decommission.yml)), not a property of a running host; it is always C(not_applicable).
seealso:
  - module: pbxsec.hardening.asterisk_facts
  - module: pbxsec.hardening.asterisk_secrets
  - module: pbxsec.hardening.asterisk_dialplan_info
"""

EXAMPLES = r"""
- name: Audit the PBX
  pbxsec.hardening.pbx_compliance:
    provider_networks: [27.111.14.0/24]
    trusted_networks: [192.168.10.0/24]
    management_networks: [10.20.0.0/24]
    waivers:
      PBX-VM-004: "PINs are changed by the users, ticket 4711"
    object_waivers:
      PBX-AMI-002:
        admin: "FreePBX's own AMI user, loopback only"
    attest:
      PBX-ACC-001: "top-up limit 50 NZD, checked by ops@example.net 2026-11-20"
  register: pbx_audit

- name: Fail when the host is not compliant
  ansible.builtin.assert:
    that: pbx_audit.compliant
    fail_msg: "{{ pbx_audit.controls | selectattr('status', 'in', ['fail', 'error']) | map(attribute='id') | list }}"

- name: Judge only the PJSIP objects and auths the running Asterisk takes from a database
  pbxsec.hardening.pbx_compliance:
    objects: backends
    controls: [PBX-PJS-001, PBX-PJS-002, PBX-SEC-002]
    provider_networks: [27.111.14.0/24]
    pressure: false

- name: Judge a configuration backup of an Asterisk 22 (no running Asterisk, no firewall)
  pbxsec.hardening.pbx_compliance:
    config_dir: /srv/backup/pbx1/etc/asterisk
    live: false
    asterisk_version: 22
    fail2ban_dir: /srv/backup/pbx1/etc/fail2ban
    keys_dir: /srv/backup/pbx1/var/lib/asterisk/keys
"""

RETURN = r"""
sip_surface:
  description:
    - What the outside-in probe (M(pbxsec.hardening.pbx_probe)) needs of the host, read from the
      configuration.
    - PBX-PRB-001..003 themselves are C(not_applicable) here (probe not run); the probe judges
      them from outside and the report merges its result.
  returned: always
  type: dict
  contains:
    ports:
      description: SIP ports it listens on (at most 8; 5060 when none is known).
      type: list
      elements: int
      sample: [5060]
    user:
      description: The first phone (a chan_sip peer that is no trunk, or a PJSIP endpoint with
        C(auth=)), for the REGISTER enumeration probe; null when there is none.
      type: str
      sample: "100"
controls:
  description: One entry per control of the catalogue, in catalogue order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Control ID.
      type: str
      sample: PBX-SIP-001
    title:
      description: What the control asks.
      type: str
    severity:
      description: C(critical), C(high), C(medium), C(low) or C(info).
      type: str
    status:
      description: C(pass), C(fail), C(not_applicable), C(waived), C(manual) or C(error).
      type: str
      sample: fail
    findings:
      description: Why (file, line, object, message); never a secret or PIN. May be empty.
      type: list
      elements: dict
      sample:
        - file: /etc/asterisk/sip.conf
          line: null
          object: general
          message: "absent (chan_sip default yes): unauthenticated callers reach the [general] context"
    remediation:
      description: How to fix it (usually the role that does).
      type: str
summary:
  description: Number of controls per status.
  returned: always
  type: dict
  sample: {"pass": 20, "fail": 9, "not_applicable": 8, "waived": 1, "manual": 3, "error": 0}
compliant:
  description: True when no control has status C(fail) or C(error).
  returned: always
  type: bool
module_source:
  description:
    - Where the loaded modules came from, C(live) (asked of the running Asterisk), C(modules.conf)
      (predicted with the module directory) or C(assumed) (predicted with the modules the Asterisk
      version installs, see RV(module_assumption)); null when no check needed them.
  returned: always
  type: str
module_assumption:
  description: With RV(module_source=assumed), which module set was assumed and from what; else null.
  returned: always
  type: str
  sample: the modules Asterisk 22 installs (from asterisk_version 22)
live:
  description: Whether live sources were asked.
  returned: always
  type: bool
freepbx:
  description:
    - Null unless FreePBX manages the host (its C(/etc/freepbx.conf) or C(/etc/amportal.conf) when
      live, or its generated files in O(config_dir)). Then every remediation names the FreePBX
      GUI setting or the custom file that wins, never a generated C(*_additional.conf).
  returned: always
  type: dict
  contains:
    evidence:
      description: The files that show FreePBX.
      type: list
      elements: str
    ami_user:
      description: FreePBX's own AMI user (C(AMPMGRUSER), default C(admin)).
      type: str
    ami_user_source:
      description: The file that names it, or null for FreePBX's default.
      type: str
  sample: {"evidence": ["/etc/freepbx.conf"], "ami_user": "admin", "ami_user_source": "/etc/amportal.conf"}
pressure:
  description:
    - Attack pressure of the last O(pressure_hours); null unless O(pressure) and O(live).
    - Asterisk's security log is counted when C(logger.conf) writes one (C(InvalidPassword),
      C(ChallengeResponseFailed), C(FailedACL) are failed authentications, C(InvalidAccountID)
      unknown users), else the log that gets notices (chan_sip's C(Registration from ... failed
      for ... - Wrong password) or C(No matching peer found), res_pjsip's C(Failed to
      authenticate) or C(No matching endpoint found)). Bans are the C(Ban) lines of the
      C(asterisk) and C(recidive) jails in fail2ban's log (its C(logtarget)).
    - Only the last 8 MiB of each log are read. Counts and IP addresses only, never a log line.
  returned: always
  type: dict
  contains:
    status:
      description: C(counted), or C(unknown) when Asterisk's log cannot be counted (RV(pressure.reason) says why).
      type: str
    reason:
      description: Why the pressure is unknown, else null.
      type: str
    hours:
      description: The window, in hours.
      type: int
    since:
      description: Start of the window, host local time (ISO 8601).
      type: str
    log:
      description: The Asterisk log counted.
      type: str
    failed_auth:
      description: Failed authentications (wrong password, failed challenge, denied by an ACL); null when unknown.
      type: int
    unknown_user:
      description:
        - Requests for a user that does not exist; null when unknown. chan_sip with
          C(alwaysauthreject=yes) (its default) logs these as wrong passwords.
      type: int
    bans:
      description: Bans of the C(asterisk) and C(recidive) jails in the window; null when fail2ban's log cannot be read.
      type: int
    banned_now:
      description: Addresses those jails ban now (C(fail2ban-client status)); null when no jail answers.
      type: int
    top_sources:
      description:
        - The 5 addresses with the most attempts, as C({address, attempts}). A line that names
          its source more than once counts for no address.
      type: list
      elements: dict
    notes:
      description: What limits the counts (a log read only in part, no fail2ban log).
      type: list
      elements: str
  sample: {"status": "counted", "reason": null, "hours": 24, "since": "2026-12-03T08:04:16",
           "log": "/var/log/asterisk/security", "failed_auth": 9, "unknown_user": 2, "bans": 1,
           "banned_now": 1, "top_sources": [{"address": "198.18.21.10", "attempts": 10}],
           "notes": []}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_audit import (
    Options,
    audit,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_host import Host
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_pressure import gather
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    CONTROL_IDS,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            config_dir=dict(type="path", default="/etc/asterisk"),
            live=dict(type="bool", default=True),
            asterisk_version=dict(type="int"),
            provider_networks=dict(type="list", elements="str", default=["27.111.14.0/24"]),
            trusted_networks=dict(type="list", elements="str", default=[]),
            management_networks=dict(type="list", elements="str", default=[]),
            sip_trunks=dict(type="list", elements="str", default=[]),
            policy=dict(type="dict", default={}),
            objects=dict(type="str", choices=["all", "backends"], default="all"),
            controls=dict(type="list", elements="str", default=[]),
            skip=dict(type="list", elements="str", default=[]),
            waivers=dict(type="dict", default={}),
            object_waivers=dict(type="dict", default={}),
            attest=dict(type="dict", default={}),
            keys_dir=dict(type="path", default="/var/lib/asterisk/keys"),
            asterisk_group=dict(type="str", default="asterisk"),
            fail2ban_dir=dict(type="path", default="/etc/fail2ban"),
            pressure=dict(type="bool", default=True),
            pressure_hours=dict(type="int", default=24),
        ),
        supports_check_mode=True,
    )
    params = module.params
    named = list(params["controls"]) + list(params["skip"]) + list(params["waivers"]) + \
        list(params["attest"])
    named += list(params["object_waivers"])
    unknown = sorted(set(named) - set(CONTROL_IDS))
    if unknown:
        module.fail_json(msg="unknown control IDs: %s" % ", ".join(unknown))
    bad = sorted(control for control, objects in params["object_waivers"].items()
                 if not isinstance(objects, dict))
    if bad:
        module.fail_json(msg="object_waivers: %s must map object names to reasons"
                         % ", ".join(bad))
    try:
        options = Options(params)
    except ValueError as exc:
        module.fail_json(msg="invalid option: %s" % exc)
    if params["asterisk_version"] is not None and params["asterisk_version"] < 1:
        module.fail_json(msg="asterisk_version must be a major version such as 16 or 22, not %d"
                         % params["asterisk_version"])
    if params["pressure_hours"] < 1:
        module.fail_json(msg="pressure_hours must be 1 or more, not %d" % params["pressure_hours"])
    host = Host(module, params["config_dir"], params["live"], params["asterisk_version"])
    result = audit(host, options, params["controls"], params["skip"], params["waivers"],
                   params["attest"], params["object_waivers"])
    pressure = params["pressure"] and params["live"]
    result["pressure"] = gather(host, params["fail2ban_dir"], params["pressure_hours"]) \
        if pressure else None
    module.exit_json(changed=False, **printable(result))


if __name__ == "__main__":
    main()
