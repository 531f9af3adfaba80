#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_harden
short_description: Harden SIP, the dialplan, AMI, credentials and voicemail of one Asterisk in one call
version_added: 0.5.0
description:
  - Runs, in one module run on the PBX, what M(pbxsec.hardening.sip_harden),
    M(pbxsec.hardening.dialplan_harden), M(pbxsec.hardening.manager_harden),
    M(pbxsec.hardening.asterisk_secrets) and M(pbxsec.hardening.asterisk_voicemail) do, each with
    the options of its own module, in that order. Harden thus costs one round trip per host for
    all five areas instead of five; C(playbooks/harden.yml) calls it with the options the sip,
    dialplan, manager, secrets and voicemail roles give their own modules.
  - Every area given is checked against its module's options before any area runs; a bad
    option of any area changes nothing.
  - Each area then plans and writes its files as its module would (each changed file once,
    atomically). When an area fails (a tree Asterisk would refuse, FreePBX custom files that
    would not win, a fix refused), the areas after it do not run, the module fails naming the
    area in RV(area_failed), and the results of the areas before it are returned with C(changed),
    so that the caller can still reload what they changed.
  - The dialplan area leaves out the entry points that the sip area closes
    (C(closed_entry_points) of the sip area's result) as well as those its own options name.
  - The host decides the options of an area that follow from what is installed, unless the
    area's options give them; see O(asterisk). It discovers them first, in the same run, unless
    O(asterisk) gives them.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  asterisk:
    description:
      - The facts of M(pbxsec.hardening.asterisk_facts) for this host (C(ansible_facts.asterisk)).
      - Without it the module discovers them first, as M(pbxsec.hardening.asterisk_facts) does for
        O(config_dir) (reading only, also in check mode), and returns them in
        RV(ansible_facts.asterisk); a play needs no discovery task before this one.
      - From them come every area's C(config_dir), the sip area's C(drivers), C(module_dir) and
        C(freepbx), the dialplan area's C(channels) and C(freepbx), and the manager area's
        C(freepbx) and C(freepbx_ami_user), where the area's options do not give them. An area
        whose C(config_dir) is another directory than the facts' runs nothing (the module fails
        before any area runs).
      - The dialplan area does not run without C(extensions.conf), nor the voicemail area without
        C(voicemail.conf), in the facts' C(files); their result then says C(skipped) and why.
      - On FreePBX the voicemail area only previews (see O(preview)), and the secrets area leaves
        the PINs out (its C(pin_policy)), since FreePBX's voicemail module writes voicemail.conf
        again.
    type: dict
  config_dir:
    description:
      - The Asterisk configuration directory discovered when O(asterisk) is not given, and the
        C(config_dir) of every area that does not give one.
    type: path
    default: /etc/asterisk
  sip:
    description:
      - The options of M(pbxsec.hardening.sip_harden). Without it the sip area does not run.
    type: dict
  dialplan:
    description:
      - The options of M(pbxsec.hardening.dialplan_harden). Without it the dialplan area does not
        run.
    type: dict
  manager:
    description:
      - The options of M(pbxsec.hardening.manager_harden). Without it the manager area does not
        run.
    type: dict
  secrets:
    description:
      - The options of M(pbxsec.hardening.asterisk_secrets) (reads only). Without it the
        credentials are not audited.
    type: dict
  voicemail:
    description:
      - The options of M(pbxsec.hardening.asterisk_voicemail) but C(pins), which go in
        O(voicemail_pins). The module logs these options on the PBX unmasked, so the task fails
        on the controller, sending nothing, when C(pins) is given here. Without it the voicemail
        area does not run.
    type: dict
  rotation_preview:
    description:
      - In check mode, after the secrets area, predict what M(pbxsec.hardening.secrets_rotate)
        would write to rotate the weak credentials and PINs that area found, and return it in the
        secrets area's result as C(rotation_preview). M(pbxsec.hardening.secrets_rotate) returns
        that prediction in check mode instead of running on the host, when it is given it (its
        O(pbxsec.hardening.secrets_rotate#module:preview)) and it covers the same credentials.
      - Ignored outside check mode, without O(secrets), and on FreePBX (where the secrets role
        rotates nothing).
    type: dict
    suboptions:
      objects:
        description: Rotate only these objects (as the findings name them); all when empty.
        type: list
        elements: str
        default: []
      object_waivers:
        description: Objects never rotated.
        type: list
        elements: str
        default: []
      pins:
        description: Whether the rotation writes the weak PINs too.
        type: bool
        default: true
  voicemail_pins:
    description:
      - The new PINs the voicemail area writes (C(pins) of
        M(pbxsec.hardening.asterisk_voicemail)), hidden from every output and log.
    type: dict
    default: {}
  preview:
    description:
      - Areas that run in check mode whatever the task's mode, with C(changed=false) in their
        result and what they would change in C(previewed). The voicemail area always previews on
        FreePBX, whose voicemail module writes voicemail.conf again.
    type: list
    elements: str
    choices: [sip, dialplan, manager, secrets, voicemail]
    default: []
extends_documentation_fragment:
  - pbxsec.hardening.attributes
notes:
  - An action plugin on the controller refuses the options that must not reach the PBX, then runs
    the module.
  - Each area's own module documents what it changes, refuses and returns.
seealso:
  - module: pbxsec.hardening.sip_harden
  - module: pbxsec.hardening.dialplan_harden
  - module: pbxsec.hardening.manager_harden
  - module: pbxsec.hardening.asterisk_secrets
  - module: pbxsec.hardening.asterisk_voicemail
"""

EXAMPLES = r"""
# Discovers Asterisk in /etc/asterisk first (returned as ansible_facts.asterisk); the drivers,
# FreePBX and each area's config_dir come from there.
- name: Harden SIP, AMI and voicemail and audit the dialplan and the credentials, in one call
  pbxsec.hardening.pbx_harden:
    config_dir: /etc/asterisk
    sip:
      controls: [PBX-SIP-001, PBX-PJS-001]
      sip_conf_controls: [PBX-SIP-001]
      pjsip_conf_controls: []
      provider_networks: [27.111.14.0/24]
      useragent: PBX
    dialplan:
      controls: [PBX-DP-001, PBX-DP-002]
    manager:
      controls: [PBX-AMI-001, PBX-AMI-002]
    secrets:
      controls: [PBX-SEC-001, PBX-SEC-004]
    voicemail:
      path: /etc/asterisk/voicemail.conf
      general: {dialout: null}
  register: pbx_hardened

- name: Fail on the dialplan's findings
  ansible.builtin.assert:
    that: pbx_hardened.dialplan is skipped or pbx_hardened.dialplan.findings | length == 0

- name: Audit the credentials with the facts an earlier task discovered (no discovery here)
  pbxsec.hardening.pbx_harden:
    asterisk: "{{ ansible_facts.asterisk }}"
    secrets:
      controls: [PBX-SEC-001]
"""

RETURN = r"""
changed:
  description: Whether an area changed (or, in check mode, would change) a file.
  returned: always
  type: bool
ansible_facts:
  description: The facts the module discovered, when O(asterisk) was not given.
  returned: when O(asterisk) is not given and the options of the areas were taken
  type: dict
  contains:
    asterisk:
      description: What M(pbxsec.hardening.asterisk_facts) returns in C(ansible_facts.asterisk).
      type: dict
diff:
  description: The diff entries of every area, in run order (each area's module masks its credentials).
  returned: always
  type: list
  elements: dict
sip:
  description: The result of M(pbxsec.hardening.sip_harden), without its C(diff).
  returned: when O(sip) is given and the area ran
  type: dict
dialplan:
  description:
    - The result of M(pbxsec.hardening.dialplan_harden), without its C(diff); without
      C(extensions.conf), C(skipped=true) and C(msg) saying so.
  returned: when O(dialplan) is given and no area before it failed
  type: dict
manager:
  description: The result of M(pbxsec.hardening.manager_harden), without its C(diff).
  returned: when O(manager) is given and the area ran
  type: dict
secrets:
  description:
    - The result of M(pbxsec.hardening.asterisk_secrets); with O(rotation_preview) in check mode
      and something to rotate, C(rotation_preview) too - C(credentials) (C(config), C(section),
      C(section_type), C(option) of each), C(pins) (mailboxes) and C(result), the check-mode result
      of M(pbxsec.hardening.secrets_rotate) for them (no value in it).
  returned: when O(secrets) is given and the area ran
  type: dict
voicemail:
  description:
    - The result of M(pbxsec.hardening.asterisk_voicemail), without its C(diff); in O(preview),
      C(changed=false) and C(previewed), what its C(changed) would have been; without
      C(voicemail.conf), C(skipped=true) and C(msg) saying so.
  returned: when O(voicemail) is given and no area before it failed
  type: dict
area_failed:
  description:
    - The area that failed (the first with bad options, when none ran); the areas after it did
      not run.
  returned: failure
  type: str
  sample: manager
msg:
  description: The areas that changed something, or the failure (as the area's module words it).
  returned: always
  type: str
  sample: "changed: sip, manager"
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_areas import AREAS, run
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_secrets_preview import (
    ARGUMENT_SPEC as PREVIEW_SPEC,
)


def main():
    # The credential audit's options (secrets) hold no secret: its policy only.
    spec = dict((area, dict(type="dict", no_log=False)) for area, _runner in AREAS)
    spec["asterisk"] = dict(type="dict", no_log=False)
    spec["rotation_preview"] = dict(type="dict", no_log=False, options=PREVIEW_SPEC)
    spec["config_dir"] = dict(type="path", default="/etc/asterisk")
    spec["voicemail_pins"] = dict(type="dict", default={}, no_log=True)
    spec["preview"] = dict(type="list", elements="str", default=[],
                           choices=[area for area, _runner in AREAS])
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    result, failed = run(module)
    if failed:
        module.fail_json(**printable(result))
    module.exit_json(**printable(result))


if __name__ == "__main__":
    main()
