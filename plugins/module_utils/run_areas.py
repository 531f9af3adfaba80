# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``pbx_harden``: the discovery of ``asterisk_facts`` (unless its facts are
given) and the runs of ``sip_harden``, ``dialplan_harden``, ``manager_harden``,
``asterisk_secrets`` and ``asterisk_voicemail`` (the areas) in one process, so that harden costs
one module round trip per host for all of them. Each area gets the options of its own module,
those the host decides (:mod:`run_host`) under those given, checked against that module's
argument spec, and runs exactly as that module would; the dialplan area also leaves out the entry
points the sip area closed."""

from __future__ import annotations

import json
import traceback

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.pbxsec.hardening.plugins.module_utils import (
    run_dialplan,
    run_facts,
    run_host,
    run_manager,
    run_secrets_audit,
    run_secrets_preview,
    run_sip,
    run_voicemail,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_facade import (
    AreaFailed,
    AreaModule,
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


def host_facts(module):
    """``(facts, discovered)``: the facts given in ``asterisk``, or those asterisk_facts finds for
    ``config_dir`` (reads only, also in check mode); fails ``module`` on given facts that are not
    asterisk_facts' own."""
    facts = module.params["asterisk"]
    if facts is None:
        discovery = dict(config_dir=module.params["config_dir"], live=True)
        facts = run_facts.run(AreaModule(module, discovery, module.check_mode))
        # As a caller gives them (the engine's values are str subclasses no option copies).
        return json.loads(json.dumps(facts)), True
    problem = run_host.facts_problem(facts)
    if problem:
        module.fail_json(msg="nothing was run: " + problem)
    return facts, False


def area_params(module, facts):
    """``{area: checked options}`` of the areas asked for, in run order (the options the host
    decides under those given); fails ``module`` (nothing run) on options an area's module would
    refuse."""
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
        given = run_host.host_options(area, facts, given)
        mismatch = run_host.config_dir_problem(facts, given)
        if mismatch:
            problems[area] = mismatch
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
    ``diff``), and the facts in ``ansible_facts`` when the module discovered them; on the first
    area that fails, its failure (``msg`` as its module gives it), that area in ``area_failed``
    and the results of the areas before it. An area whose file is not there does not run: its
    result says ``skipped`` and why."""
    facts, discovered = host_facts(module)
    result, failed = _run_areas(module, facts, area_params(module, facts))
    if discovered:
        result["ansible_facts"] = {"asterisk": facts}
    return result, failed


def _run_areas(module, facts, checked):
    results, diffs = {}, []
    for area, runner in AREAS:
        if area not in checked:
            continue
        skipped = run_host.skip_reason(area, facts)
        if skipped:
            results[area] = dict(changed=False, skipped=True, msg=skipped)
            continue
        params = checked[area]
        if area == "dialplan" and "sip" in results:
            closed = results["sip"]["closed_entry_points"]
            params["closed_entry_points"] = sorted(set(params["closed_entry_points"]) | set(closed))
        preview = area in module.params["preview"] or run_host.previewed(area, facts)
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
        if area == "secrets" and module.check_mode and module.params["rotation_preview"] \
                and run_host.rotates(facts):
            rotation = _rotation_preview(module, params["config_dir"], result)
            if rotation:
                result["rotation_preview"] = rotation
        if preview:
            result = dict(result, changed=False, previewed=result["changed"])
        results[area] = result
    changed = [area for area in results if results[area]["changed"]]
    return dict(results, changed=bool(changed), diff=diffs,
                msg="changed: %s" % ", ".join(changed) if changed else "unchanged"), False


def _rotation_preview(module, config_dir, audit):
    """run_secrets_preview's prediction, or None when it cannot be made: a fault of its code
    must not fail the areas' run; the rotation's own task then runs on the host, and fails there
    if it must."""
    try:
        return run_secrets_preview.preview(module, config_dir, audit,
                                           module.params["rotation_preview"])
    except Exception:  # pylint: disable=broad-exception-caught
        return None


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
