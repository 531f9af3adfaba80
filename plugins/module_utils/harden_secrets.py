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
# The credentials a rotation replaces, by root file: option, and the type its section must have
# (voicemail PINs come as pins). The same the audit calls rotatable.
ROTATABLE = {"sip.conf": ("sip", "secret", None), "iax.conf": ("iax", "secret", None),
             "manager.conf": ("manager", "secret", None),
             "pjsip.conf": ("pjsip", "password", "auth"),
             "pjsip_wizard.conf": ("pjsip", "inbound_auth/password", "wizard")}


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
    """``[(root path, kind, [credential])]`` in the order of first mention; raises on a
    credential this module does not rotate (:data:`ROTATABLE`)."""
    groups = {}
    for credential in credentials:
        root = os.path.join(config_dir, credential["config"])
        kind, option, section_type = ROTATABLE.get(os.path.basename(root), (None, None, None))
        if kind is None or credential["option"] != option or \
                credential["section_type"] != section_type:
            raise AsteriskConfigError(root, 0, "[%s] %s%s is not a credential this module rotates "
                                      "(secret of sip.conf, iax.conf and manager.conf, password "
                                      "of a pjsip.conf type=auth, inbound_auth/password of a "
                                      "pjsip_wizard.conf wizard; nothing written)"
                                      % (credential["section"], credential["option"],
                                         "" if credential["section_type"] is None
                                         else " (type=%s)" % credential["section_type"]))
        groups.setdefault(os.path.realpath(root), (root, kind, []))[2].append(credential)
    return list(groups.values())


def _refuse_missing(cfg, group):
    """Raise unless every section of ``group`` is in the tree ``cfg`` (of its type): a rotation
    replaces a credential, it never makes an object. One pass over the tree's categories."""
    present = set()
    for category in cfg.categories:
        if not category.template:
            present.update([(category.name, None), (category.name, category.get_first("type"))])
    for item in group:
        if (item["section"], item["section_type"]) not in present:
            raise AsteriskConfigError(cfg.root_path, 0, "no section [%s]%s to rotate (nothing "
                                      "written)" % (item["section"], "" if item["section_type"]
                                                    is None else " of type %s" % item["section_type"]))


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
        _refuse_missing(cfg, group)
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
