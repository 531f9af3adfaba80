# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``asterisk_secrets``, shared with ``pbx_harden``: its options and one read
of every credential file (:mod:`compliance_secret_findings`) and, when asked, of the mailbox PINs."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_bytes import printable
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    fail_on_config_error,
    refuse_errors,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    PIN_POLICY_OPTIONS,
    pin_policy_problem,
    weak_pins,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_findings import (
    CONTROLS,
    audit_dir,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    DEFAULT_POLICY,
    make_policy,
)

POLICY_SPEC = dict(
    min_length=dict(type="int", default=DEFAULT_POLICY["min_length"]),
    ami_min_length=dict(type="int", default=DEFAULT_POLICY["ami_min_length"]),
    require_letters=dict(type="bool", default=True),
    require_digits=dict(type="bool", default=True),
    check_names=dict(type="bool", default=True),
    weak_words=dict(type="list", elements="str", default=[], no_log=False),
    keyboard_walk_length=dict(type="int", default=DEFAULT_POLICY["keyboard_walk_length"]),
)

ARGUMENT_SPEC = dict(
    config_dir=dict(type="path", default="/etc/asterisk"),
    controls=dict(type="list", elements="str", choices=list(CONTROLS), default=list(CONTROLS)),
    policy=dict(type="dict", default={}, options=POLICY_SPEC),
    pin_policy=dict(type="dict", options=PIN_POLICY_OPTIONS),
)


def _weak_pins(module, config_dir, policy):
    """The weak-PIN reports of ``config_dir``/voicemail.conf ([] when absent), as
    asterisk_voicemail returns them; fails the module on a tree Asterisk would refuse."""
    path = os.path.join(config_dir, "voicemail.conf")
    if not os.path.exists(path):
        return []
    problem = pin_policy_problem(policy)
    if problem:
        module.fail_json(msg=problem)
    try:
        cfg = load_config(path, config_dir)
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    refuse_errors(module, cfg, True)
    return weak_pins(cfg, policy)


def run(module):
    """The module's result; fails ``module`` on a bad policy or what it cannot judge."""
    try:
        policy = make_policy(module.params["policy"])
    except ValueError as exc:
        module.fail_json(msg="policy: %s" % exc)
    pins = []
    if module.params["pin_policy"] is not None:
        pins = _weak_pins(module, module.params["config_dir"], module.params["pin_policy"])
    findings, statuses, errors = audit_dir(module.params["config_dir"], policy,
                                           module.params["controls"])
    listed = ["%s %s" % (f.control, f.object) for f in findings]
    msg = "%d weak credential(s)%s" % (len(findings), (": " + ", ".join(listed)) if listed else "")
    if errors:
        judged = (", ".join(sorted(errors)), "; ".join(errors.values()))
        module.fail_json(**printable(dict(msg="cannot judge %s: %s" % judged,
                                          findings=[f.as_dict() for f in findings],
                                          controls=statuses, errors=errors)))
    return dict(changed=False, findings=[f.as_dict() for f in findings], weak_pins=pins,
                controls=statuses, errors=errors, msg=msg)
