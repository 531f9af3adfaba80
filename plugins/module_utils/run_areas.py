# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``pbx_harden``: the runs of ``sip_harden``, ``dialplan_harden``,
``manager_harden``, ``asterisk_secrets`` and ``asterisk_voicemail`` (the areas) in one process, so
that harden costs one module round trip per host for all of them. Each area gets the options of
its own module, checked against that module's argument spec, and runs exactly as that module
would; the dialplan area also leaves out the entry points the sip area closed."""

from __future__ import annotations

import traceback

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    run_dialplan,
    run_manager,
    run_secrets_audit,
    run_sip,
    run_voicemail,
)

# In the order they run: the sip area first (the dialplan area reads what it closes).
AREAS = (
    ("sip", run_sip),
    ("dialplan", run_dialplan),
    ("manager", run_manager),
    ("secrets", run_secrets_audit),
    ("voicemail", run_voicemail),
)
# Options an area takes in its own module but not inside its option here: AnsibleModule logs
# pbx_harden's options on the PBX (syslog, journal) before any area runs, with only its own no_log
# options masked. The PINs come in pbx_harden's own no_log option voicemail_pins instead. The
# action plugin refuses them on the controller; here they are refused again (a module run without
# the action) and masked in the result.
REFUSED = {"voicemail": ("pins",)}


class AreaFailed(Exception):
    """An area's module would have failed with ``result`` (its fail_json arguments)."""

    def __init__(self, result):
        super().__init__(result.get("msg", ""))
        self.result = result


class AreaModule:
    """What an area's run uses of AnsibleModule, for one area: its own options and check mode;
    fail_json raises AreaFailed; the rest (warn, no_log_values, selinux, run_command...) is the
    real module's."""

    def __init__(self, module, params, check_mode):
        self._module = module
        self.params = params
        self.check_mode = check_mode

    def fail_json(self, **kwargs):
        raise AreaFailed(kwargs)

    def __getattr__(self, name):
        return getattr(self._module, name)


def area_params(module):
    """``{area: checked options}`` of the areas asked for, in run order; fails ``module`` (nothing
    run) on options an area's module would refuse."""
    checked, problems = {}, {}
    for area, runner in AREAS:
        given = module.params[area]
        if given is None:
            continue
        refused = sorted(set(REFUSED.get(area, ())) & set(given))
        if refused:
            module.no_log_values.update(_leaves([given[name] for name in refused]))
            problems[area] = "%s not taken here (see the module's options)" % ", ".join(refused)
            continue
        if area == "voicemail":
            given = dict(given, pins=module.params["voicemail_pins"])
        result = ArgumentSpecValidator(runner.ARGUMENT_SPEC).validate(given)
        if result.error_messages:
            problems[area] = "; ".join(result.error_messages)
        checked[area] = result.validated_parameters
    if problems:
        module.fail_json(msg="nothing was run: " + " || ".join(
            "%s: %s" % item for item in problems.items()), area_failed=next(iter(problems)))
    return checked


def run(module):
    """``(result, failed)``: each area's result under its name (their diffs together in
    ``diff``); on the first area that fails, its failure (``msg`` as its module gives it), that
    area in ``area_failed`` and the results of the areas before it."""
    checked = area_params(module)
    results, diffs = {}, []
    for area, runner in AREAS:
        if area not in checked:
            continue
        params = checked[area]
        if area == "dialplan" and "sip" in results:
            closed = results["sip"]["closed_entry_points"]
            params["closed_entry_points"] = sorted(set(params["closed_entry_points"]) | set(closed))
        preview = area in module.params["preview"]
        try:
            result = runner.run(AreaModule(module, params, module.check_mode or preview))
        except AreaFailed as exc:
            return _failed(exc.result, area, results, diffs), True
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A fault of the area's code: reported as that area's failure, so that the caller
            # still learns (and reloads) what the areas before it changed.
            return _failed(dict(msg="%s: %s" % (type(exc).__name__, exc),
                                exception=traceback.format_exc()), area, results, diffs), True
        diffs.extend(result.pop("diff", []))
        if preview:
            result = dict(result, changed=False, previewed=result["changed"])
        results[area] = result
    changed = [area for area in results if results[area]["changed"]]
    return dict(results, changed=bool(changed), diff=diffs,
                msg="changed: %s" % ", ".join(changed) if changed else "unchanged"), False


def _failed(failure, area, results, diffs):
    """The result of a run stopped by ``area``'s ``failure``: the results of the areas before it,
    and whether they changed anything."""
    return dict(failure, area_failed=area, diff=diffs,
                changed=any(done["changed"] for done in results.values()), **results)


def _leaves(value):
    """The texts and numbers in ``value`` (dicts by their values), as text."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [] if value is None or isinstance(value, bool) else [str(value)]
