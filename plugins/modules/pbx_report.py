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
  - Each audit is compared with a baseline, the C(fleet.json) of an earlier run (O(baseline)),
    per host - the controls that regressed (not failing there, C(fail) or C(error) now), those
    that improved, hosts judged there that could not be judged now, hosts added and gone. The
    comparison is the C(drift) of C(fleet.json), comes first in C(report.html) (regressions
    first) and is a C(drift) test suite in C(junit.xml) with one failure per regression. The
    baseline is checked like a host result; a missing, unreadable or malformed one gives no
    baseline (a warning, and C(drift.reason) says why), never a failed task.
  - A host's C(pressure) (attack pressure, from M(pbxsec.hardening.pbx_compliance)) is checked
    too (counts, IP addresses, bounded texts); an invalid one is reported as unknown with
    where it is wrong. It is a column of C(report.html) and in the JSON files.
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
  probe_var:
    description:
      - The variable the M(pbxsec.hardening.pbx_probe) task registered (the outside-in probe).
        Used with O(hosts). Its PBX-PRB entries replace those of the host's O(result_var)
        (where M(pbxsec.hardening.pbx_compliance) says the probe was not run); a probe task that
        failed makes them C(error) with its message; a skipped one leaves them.
      - The merged result is checked like any other.
    type: str
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
  baseline:
    description:
      - The fleet report (C(fleet.json)) to compare this audit with. Default the C(fleet.json)
        already in O(dest), that is the last run there, read before it is overwritten.
      - At most 256 MiB; read on the controller.
    type: path
  fail_on:
    description:
      - What makes RV(fails_run) true. V(noncompliant) - a host is not compliant, unreachable
        or failed. V(regressions) - a control regressed since the baseline, or a host the
        baseline judged could not be judged now (nothing without a baseline). V(never).
      - The task itself never fails for it; the playbook decides (C(pbx_audit_fail)).
    type: str
    choices: [noncompliant, regressions, never]
    default: noncompliant
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
    probe_var: pbx_audit_probe      # with pbx_probe: true, the outside-in probe's verdicts
  run_once: true

# Nightly CI: compare with last night's report, fail only on what got worse
- name: Write the reports and compare with the last run
  pbxsec.hardening.pbx_report:
    dest: /srv/audit/latest
    hosts: "{{ ansible_play_hosts_all }}"
    fail_on: regressions
  register: pbx_audit_report
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
regressed:
  description: One line per regression (C(host control (before -> after))) and per host the baseline judged that could not be judged now.
  returned: always
  type: list
  elements: str
  sample: ["pbx1 PBX-SIP-001 (pass -> fail)", "pbx7 (compliant -> unreachable)"]
drift:
  description: The comparison with the baseline in short (the whole of it is in C(fleet.json)).
  returned: always
  type: dict
  contains:
    baseline:
      description: C(file) and C(generated) of the baseline, or null when there is none.
      type: dict
    reason:
      description: Why there is no baseline, else null.
      type: str
    improvements:
      description: Number of controls failing in the baseline and not now.
      type: int
    added:
      description: Hosts not in the baseline.
      type: list
      elements: str
    gone:
      description: Hosts of the baseline not in this audit.
      type: list
      elements: str
fails_run:
  description: Whether the audit should fail the run, by O(fail_on).
  returned: always
  type: bool
"""
