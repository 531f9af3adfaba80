#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_report
short_description: Write the fleet compliance report (JSON, JUnit XML, HTML)
version_added: 0.1.0
description:
  - Turns the results of M(pbxsec.hardening.pbx_compliance) for a fleet into report files in
    O(dest) - C(hosts/<host>.json) for each host, C(fleet.json), C(junit.xml) (one test case per
    host and control) and C(report.html) (one self-contained page with a summary, a hosts x
    controls grid coloured by status, and the findings on click).
  - Unreachable hosts and hosts whose audit failed appear as such in every format.
  - Each host's result is untrusted input and is checked before it is drawn from - one entry
    per catalogue control, known keys, known statuses, the types
    M(pbxsec.hardening.pbx_compliance) returns. A host whose result fails the check is reported
    as failed, with a reason that says where the result is wrong (never what it holds). The
    host's verdict and counts are computed from its controls; titles and severities come from
    the catalogue of the controller. Texts are cut at a bounded length, at most 200 findings
    per control are kept (a last finding counts the others), and characters XML 1.0 does not
    allow or that steer a terminal are replaced with U+FFFD; every format escapes the rest.
  - Every host gets its own file under C(hosts/), named after the host when the name is a plain
    file name (letters, digits, C(._-), not starting with a dot or dash, at most 80
    characters), otherwise after its safe characters plus a short hash of the name; a name
    another host's file already has (also in another letter case) gets the hash too. The
    C(file) of each host in C(fleet.json) names its file.
  - Runs on the controller (an action plugin; nothing is sent to a host). A relative O(dest) is
    relative to the directory ansible-playbook runs in. A file is written only when its content
    changes or its mode is not the one wanted.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  dest:
    description: Directory to write into (created when missing).
    type: path
    required: true
  results:
    description: Host name to its M(pbxsec.hardening.pbx_compliance) result.
    type: dict
    default: {}
  unreachable:
    description: Hosts Ansible could not reach.
    type: list
    elements: str
    default: []
  failed:
    description: Host name to the message of its failed audit task.
    type: dict
    default: {}
  hosts:
    description:
      - Read each host's result from its own variables instead of O(results), O(unreachable)
        and O(failed) (mutually exclusive with them); pass C(ansible_play_hosts_all).
      - A host whose O(result_var) has C(controls) is reported with that result. A host whose
        O(reach_var) has C(rc=0) answers a shell command, so its audit failed; it is reported
        as failed with the C(msg) of its O(result_var) (or C(the audit task failed)). Any other
        host is unreachable.
      - The task fails when a name is not a host of the inventory.
      - Each host's variables are read once. The same sorting written as Jinja expressions over
        C(hostvars) computes every host's variables again for each expression, which costs
        far more on a large fleet.
    type: list
    elements: str
  result_var:
    description:
      - The variable the audit task registered its M(pbxsec.hardening.pbx_compliance) result
        in. Used with O(hosts).
    type: str
    default: pbx_audit
  reach_var:
    description:
      - The variable registered by the task that runs a shell command when the audit task
        failed (C(ansible.builtin.raw) with C(failed_when=false)). Used with O(hosts).
    type: str
    default: pbx_audit_reach
  formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [json, junit, html]
    default: [json, junit, html]
  generated:
    description: Timestamp shown in the reports (ISO 8601). Defaults to now (UTC).
    type: str
  mode:
    description:
      - Mode of the report files, four octal digits in quotes (V('0640')), set exactly.
        Directories created for them get search permission wherever the mode allows reading
        (V('0640') gives V('0750'), V('0644') gives V('0755')); existing directories keep theirs.
      - Without it files are V('0640') and created directories V('0750'), narrowed further by
        the umask, and an existing report file with a wider mode is written again.
    type: str
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes
attributes:
  check_mode:
    details: In check mode nothing is written; the task's C(changed) says whether a file would change.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
"""

EXAMPLES = r"""
- name: Write the reports on the controller
  pbxsec.hardening.pbx_report:
    dest: ./reports
    results: "{{ dict(groups.pbx | zip(groups.pbx | map('extract', hostvars, 'pbx_audit'))) }}"
    unreachable: [pbx7]
    mode: "0600"              # only the controller's user reads the reports

# As playbooks/audit.yml does: every host of the play, each read from its registered variables
- name: Write the reports on the controller
  pbxsec.hardening.pbx_report:
    dest: ./reports
    hosts: "{{ ansible_play_hosts_all }}"
    result_var: pbx_audit
    reach_var: pbx_audit_reach
  run_once: true
"""

RETURN = r"""
files:
  description: Files of the report (absolute paths).
  returned: always
  type: list
  elements: str
compliant:
  description: True when every host was reached and is compliant.
  returned: always
  type: bool
totals:
  description: Number of hosts per verdict (C(compliant), C(noncompliant), C(unreachable), C(failed)).
  returned: always
  type: dict
  sample: {"compliant": 3, "noncompliant": 1, "unreachable": 1, "failed": 0}
noncompliant:
  description: Hosts that are not compliant, unreachable or whose audit failed.
  returned: always
  type: list
  elements: str
"""
