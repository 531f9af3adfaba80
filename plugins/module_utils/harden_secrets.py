# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plan of a credential rotation (module secrets_rotate): the new secrets of chan_sip, PJSIP,
IAX2 and AMI objects and the new voicemail PINs, planned tree by tree with the engine, so that
each file gets one atomic write holding all its new values, and the Asterisk modules that must
reload them. Nothing here holds a secret beyond the plan's bytes; no message quotes one."""

from __future__ import annotations

import os

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_credentials import (
    file_kind,
    is_credential,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_editor import (
    Setting,
    plan_options,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_voicemail import (
    plan_voicemail,
)

# What `module reload` names to make the new credentials of a file kind live, in reload order.
RELOAD = (("sip", "chan_sip.so"), ("pjsip", "res_pjsip.so"), ("iax", "chan_iax2.so"),
          ("manager", "manager"), ("voicemail", "app_voicemail.so"))
# The kinds whose credentials may be given (voicemail PINs come as pins).
CREDENTIAL_KINDS = ("sip", "pjsip", "iax", "manager")


class Rotation:
    """The plan of one host's rotation.

    :ivar trees: ``[(loaded tree, EditPlan)]`` for :func:`~astconf_files.apply_plans`.
    :ivar reload: the names of the modules to reload (the order of :data:`RELOAD`), for the
        kinds whose files change.
    :ivar actions: what the plan does, ``path:line: ...`` (no value).
    :ivar options: the option names the diff must mask besides the known credentials.
    """

    def __init__(self):
        self.trees, self.reload, self.actions, self.options = [], [], [], set()


def _by_root(config_dir, credentials):
    """``[(root path, kind, [credential])]`` in the order of first mention; raises on a file or
    option that is not a credential this module rotates."""
    groups = {}
    for credential in credentials:
        root = os.path.join(config_dir, credential["config"])
        kind = file_kind(root)
        if kind not in CREDENTIAL_KINDS or not is_credential(kind, credential["option"]):
            raise AsteriskConfigError(root, 0, "%s is not a credential option of a chan_sip, "
                                      "PJSIP, IAX2 or AMI file (nothing written)"
                                      % credential["option"])
        groups.setdefault(os.path.realpath(root), (root, kind, []))[2].append(credential)
    return list(groups.values())


def plan_rotation(config_dir, credentials, pins):
    """Plan the new ``credentials`` (``[{config, section, section_type, option, value}]``,
    ``config`` the root file of the tree, relative to ``config_dir`` or absolute) and ``pins``
    (``{"box@context": new PIN}``, written into ``config_dir``/voicemail.conf).

    :returns: :class:`Rotation`.
    :raises AsteriskConfigError: a tree Asterisk would refuse, an object that is not there or
        cannot be edited, a value that would not take effect (nothing is to be written).
    """
    rotation, changed = Rotation(), set()
    for root, kind, group in _by_root(config_dir, credentials):
        cfg = load_config(root, config_dir)
        plan, _done = plan_options(cfg, [
            Setting(None, item["section"], item["option"], item["value"],
                    section_type=item["section_type"]) for item in group])
        rotation.trees.append((cfg, plan))
        rotation.actions += plan.actions
        rotation.options.update(item["option"] for item in group)
        if plan.changes:
            changed.add(kind)
    if pins:
        cfg = load_config(os.path.join(config_dir, "voicemail.conf"), config_dir)
        plan = plan_voicemail(cfg, pins=pins)
        rotation.trees.append((cfg, plan))
        rotation.actions += plan.actions
        if plan.changes:
            changed.add("voicemail")
    rotation.reload = [name for kind, name in RELOAD if kind in changed]
    return rotation
