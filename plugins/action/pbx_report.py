# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.pbx_report``: the reports are built and written by the controller
itself (no module process, nothing sent to a host); a relative ``dest`` is relative to the
directory ansible-playbook runs in.  The baseline (by default the ``fleet.json`` already in
``dest``) is read before anything is written."""

from __future__ import annotations

import datetime
import os

from ansible.plugins.action import ActionBase
from ansible_collections.pbxsec.hardening.plugins.module_utils import report_drift, report_model
from ansible_collections.pbxsec.hardening.plugins.module_utils.report_files import (
    ARGUMENT_SPEC,
    MUTUALLY_EXCLUSIVE,
    file_mode,
    planned_files,
    write_files,
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC,
                                                  mutually_exclusive=MUTUALLY_EXCLUSIVE)
        try:
            mode = file_mode(args["mode"])
        except ValueError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        generated = args["generated"] or datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        if args["hosts"] is None:
            results, unreachable, failed = args["results"], args["unreachable"], args["failed"]
        else:
            # Each host's variables are read once, here: a Jinja expression over hostvars
            # would compute every host's variables again for each reference.
            hostvars = task_vars["hostvars"]
            unknown = [name for name in args["hosts"] if name not in hostvars]
            if unknown:
                result.update(failed=True, msg="hosts not in the inventory: %s"
                              % ", ".join(unknown))
                return result
            results, unreachable, failed = report_model.sort_hosts(
                ((name, hostvars[name]) for name in args["hosts"]), args["result_var"],
                args["reach_var"], args["probe_var"])
        report = report_model.build(results, unreachable, failed, generated)
        dest = os.path.abspath(os.path.expanduser(args["dest"]))
        baseline_path = args["baseline"] or os.path.join(dest, "fleet.json")
        baseline, reason = report_drift.read_baseline(baseline_path)
        if reason and (args["baseline"] or os.path.lexists(baseline_path)):
            result.setdefault("warnings", []).append(reason)
        report["drift"] = report_drift.compare(report, baseline, reason, baseline_path)
        try:
            paths, changed = write_files(dest, planned_files(report, args["formats"]),
                                         self._task.check_mode, mode)
        except OSError as exc:
            result.update(failed=True, msg="cannot write the reports in %s: %s" % (dest, exc))
            return result
        drift = report["drift"]
        result.update(changed=changed, files=paths, compliant=report["compliant"],
                      totals=report["totals"],
                      noncompliant=[h["name"] for h in report["hosts"]
                                    if h["status"] != "compliant"],
                      regressed=report_drift.regressed(drift),
                      drift=dict(baseline=drift["baseline"], reason=drift["reason"],
                                 improvements=len(drift["improvements"]),
                                 added=drift["added"], gone=drift["gone"]),
                      fails_run=report_model.fails_run(report, args["fail_on"]))
        return result
