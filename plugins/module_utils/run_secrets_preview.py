# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""In check mode, what the rotation of the weak credentials the secrets area of ``pbx_harden``
found would write: the result ``secrets_rotate`` gives in check mode for those credentials,
made in the same run, so that the rotation's write needs no check-mode round trip of its own.

The new values are drawn on the controller after this run, so stand-ins take their place here:
random values, never shown and never written (check mode), of which a result shows nothing
(every credential and PIN masked, ``path:line`` in its message)."""

from __future__ import annotations

import secrets
import string

from ansible_collections.pbxsec.hardening.plugins.module_utils import run_secrets_rotate
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_facade import (
    AreaFailed,
    AreaModule,
)

# Which weak credentials the rotation replaces, as the secrets role chooses them (nothing on
# FreePBX, where pbx_harden asks for no prediction).
ARGUMENT_SPEC = dict(
    objects=dict(type="list", elements="str", default=[]),
    object_waivers=dict(type="list", elements="str", default=[]),
    pins=dict(type="bool", default=True),
)
# What names a credential in secrets_rotate's credentials (and in a finding).
CREDENTIAL_KEYS = ("config", "section", "section_type", "option")


def targets(audit, options):
    """``(credentials, mailboxes)`` the rotation replaces: the rotatable findings and weak PINs
    of ``audit`` (the secrets area's result) whose object is not waived and, when
    ``options["objects"]`` names some, is one of them; the PINs only with ``options["pins"]``."""
    waived, named = set(options["object_waivers"]), set(options["objects"])

    def chosen(name):
        return name not in waived and (not named or name in named)

    credentials = [dict((key, finding[key]) for key in CREDENTIAL_KEYS)
                   for finding in audit["findings"]
                   if finding["rotatable"] and chosen(finding["object"])]
    boxes = [pin["object"] for pin in audit["weak_pins"] if chosen(pin["object"])] \
        if options["pins"] else []
    return credentials, boxes


def preview(module, config_dir, audit, options):
    """``{config_dir, credentials, pins, result}``: the credentials and mailboxes of
    :func:`targets` and the check-mode result of their write into ``config_dir``; None when there is nothing to rotate, or when the write
    would fail (the rotation's own task then runs and reports it)."""
    credentials, boxes = targets(audit, options)
    if not credentials and not boxes:
        return None
    stand_ins = [dict(item, value=secrets.token_hex(16)) for item in credentials]
    pins = dict((box, "".join(secrets.choice(string.digits) for _digit in range(8)))
                for box in boxes)
    params = dict(config_dir=config_dir, backup=False, strict=True)
    try:
        result = run_secrets_rotate.write(AreaModule(module, params, True), stand_ins, pins)
    except AreaFailed:
        return None
    return dict(config_dir=config_dir, credentials=credentials, pins=boxes, result=result)
