# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``secrets_rotate``, shared with ``pbx_harden`` (whose check mode predicts
the rotation's write with it): its options and one write of every new secret and PIN, each file
once, after every tree is planned."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    EDIT_OPTIONS,
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    PIN_POLICY_OPTIONS,
    new_pins,
    pin_policy_problem,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_secrets import (
    plan_rotation,
)

CREDENTIAL_OPTIONS = dict(
    config=dict(type="path", required=True),
    section=dict(type="str", required=True),
    section_type=dict(type="str"),
    option=dict(type="str", required=True),
    value=dict(type="str", required=True, no_log=True),
)

ARGUMENT_SPEC = dict(
    config_dir=dict(type="path", required=True),
    credentials=dict(type="list", elements="dict", default=[], options=CREDENTIAL_OPTIONS),
    pins=dict(type="dict", default={}, no_log=True),
    pin_policy=dict(type="dict", default={}, options=PIN_POLICY_OPTIONS),
    **EDIT_OPTIONS,
)


def _pins(module):
    """O(pins) as strings, after refusing a policy that cannot be used or a PIN that breaks it."""
    policy = module.params["pin_policy"]
    problem = pin_policy_problem(policy)
    if problem:
        module.fail_json(msg=problem)
    try:
        return new_pins(module.params["pins"], policy)
    except ValueError as exc:
        module.fail_json(msg="pins: %s (nothing written)" % exc)


def run(module):
    """The module's result; fails ``module`` on PINs that break the policy or a tree Asterisk
    would refuse (nothing written)."""
    return write(module, module.params["credentials"], _pins(module))


def write(module, credentials, pins):
    """Write ``credentials`` and ``pins`` (``{"box@context": PIN}``) into the configuration
    directory of ``module``'s options (in check mode, what would be written); the result."""
    try:
        rotation = plan_rotation(module.params["config_dir"], credentials, pins)
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    diffs, backups, _execs = apply_plans(module, rotation.trees, ".secrets_rotate.",
                                         tuple(rotation.options))
    files = [change.path for _cfg, plan in rotation.trees for change in plan.changes]
    return printable(dict(
        changed=bool(files),
        files=files,
        diff=diffs,
        backup_files=backups,
        reload=rotation.reload,
        msg="; ".join(rotation.actions) if rotation.actions else "unchanged",
    ))
