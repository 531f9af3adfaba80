# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run of module ``sip_harden``, shared with ``pbx_harden``: its options and one call that
plans every installed driver's files (:mod:`harden_sip_run`) and writes each changed file once."""

from __future__ import annotations

from ansible.module_utils.common.text.converters import to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_files import (
    apply_plans,
    EDIT_OPTIONS,
    fail_on_config_error,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_common import (
    HardenError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.harden_sip_run import (
    Inputs,
    plan_host,
)

ARGUMENT_SPEC = dict(
    config_dir=dict(type="path", required=True),
    module_dir=dict(type="path"),
    drivers=dict(type="list", elements="str", required=True,
                 choices=["chan_sip", "pjsip", "iax2"]),
    freepbx=dict(type="bool", default=False),
    controls=dict(type="list", elements="str", required=True),
    sip_conf_controls=dict(type="list", elements="str", required=True),
    pjsip_conf_controls=dict(type="list", elements="str", required=True),
    provider_networks=dict(type="list", elements="str", required=True),
    trusted_networks=dict(type="list", elements="str", default=[]),
    provider_peering_ip=dict(type="str"),
    sip_trunks=dict(type="list", elements="str", default=[]),
    useragent=dict(type="str", required=True),
    allowsubscribe_general=dict(type="bool", default=True),
    noload_anonymous_identifier=dict(type="bool", default=True),
    **EDIT_OPTIONS,
)


def run(module):
    """The module's result; fails ``module`` on bad inputs or a tree Asterisk would refuse."""
    try:
        host = plan_host(Inputs(module.params))
    except HardenError as exc:
        module.fail_json(msg=to_native(exc))
    except AsteriskConfigError as exc:
        fail_on_config_error(module, exc)
    diffs, backups, _execs = apply_plans(module, host.trees, ".sip_harden.")
    files = [change.path for _cfg, plan in host.trees for change in plan.changes]
    return dict(
        changed=bool(files),
        files=files,
        diff=diffs,
        backup_files=backups,
        reload=host.reload,
        closed_entry_points=host.closed,
        left=host.left,
        findings=host.findings,
        trunk_permit=host.inputs.trunk_permit,
        gui_fixes=host.inputs.gui_fixes,
        msg="; ".join(host.actions) if host.actions else "unchanged",
    )
