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
author:
  - pbxsec.hardening developers (@pbxsec)
options:
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
  voicemail_pins:
    description:
      - The new PINs the voicemail area writes (C(pins) of
        M(pbxsec.hardening.asterisk_voicemail)), hidden from every output and log.
    type: dict
    default: {}
  preview:
    description:
      - Areas that run in check mode whatever the task's mode, with C(changed=false) in their
        result and what they would change in C(previewed) (FreePBX's voicemail.conf, which its
        voicemail module writes again).
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
- name: Harden SIP, AMI and voicemail and audit the dialplan and the credentials, in one call
  pbxsec.hardening.pbx_harden:
    sip:
      config_dir: /etc/asterisk
      drivers: [chan_sip, pjsip]
      controls: [PBX-SIP-001, PBX-PJS-001]
      sip_conf_controls: [PBX-SIP-001]
      pjsip_conf_controls: []
      provider_networks: [27.111.14.0/24]
      useragent: PBX
    dialplan:
      config_dir: /etc/asterisk
      channels: [sip, pjsip]
    manager:
      config_dir: /etc/asterisk
      controls: [PBX-AMI-001, PBX-AMI-002]
    secrets:
      config_dir: /etc/asterisk
    voicemail:
      path: /etc/asterisk/voicemail.conf
      general: {dialout: null}
  register: pbx_hardened

- name: Fail on the dialplan's findings
  ansible.builtin.assert:
    that: pbx_hardened.dialplan.findings | length == 0
"""

RETURN = r"""
changed:
  description: Whether an area changed (or, in check mode, would change) a file.
  returned: always
  type: bool
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
  description: The result of M(pbxsec.hardening.dialplan_harden), without its C(diff).
  returned: when O(dialplan) is given and the area ran
  type: dict
manager:
  description: The result of M(pbxsec.hardening.manager_harden), without its C(diff).
  returned: when O(manager) is given and the area ran
  type: dict
secrets:
  description: The result of M(pbxsec.hardening.asterisk_secrets).
  returned: when O(secrets) is given and the area ran
  type: dict
voicemail:
  description:
    - The result of M(pbxsec.hardening.asterisk_voicemail), without its C(diff); in O(preview),
      C(changed=false) and C(previewed), what its C(changed) would have been.
  returned: when O(voicemail) is given and the area ran
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


def main():
    # The credential audit's options (secrets) hold no secret: its policy only.
    spec = dict((area, dict(type="dict", no_log=False)) for area, _runner in AREAS)
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
