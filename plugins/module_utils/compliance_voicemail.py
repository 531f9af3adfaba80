# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Voicemail controls PBX-VM-001..005 on voicemail.conf read the way app_voicemail reads it
(``astconf_mailboxes``): ``[general]`` options are the FIRST assignment, mailbox options are the
``|``-separated items of a mailbox line's fifth field.  PINs are judged, never shown.  Mailboxes
of the realtime ``voicemail`` family (extconfig.conf) are not shown to the audit: where they may
exist the mailbox controls are ``manual`` at least."""

from __future__ import annotations

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import ast_true
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_mailboxes import (
    GENERAL,
    c_int,
    effective_options,
    mailboxes,
    pin_problems,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_backends import (
    family_mappings,
    static_outcomes,
    unseen,
    with_unseen,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

CONTROLS = ("PBX-VM-001", "PBX-VM-002", "PBX-VM-003", "PBX-VM-004", "PBX-VM-005")
MAILBOX_CONTROLS = ("PBX-VM-001", "PBX-VM-002", "PBX-VM-003", "PBX-VM-004")
DEFAULT_MAXLOGINS = 3


def _general(cfg, option):
    general = cfg.first(GENERAL)
    return general.get_first(option) if general is not None else None


def _mailbox_label(box):
    return "%s@%s" % (box.name, box.context)


def _option_set(cfg, boxes, option, dangerous):
    """``[general]`` and mailbox settings of ``option`` that ``dangerous(value)`` condemns."""
    found = []
    value = _general(cfg, option)
    if value is not None and dangerous(str(value)):
        found.append(finding(value.path, value.line, "general", "%s=%s" % (option, value)))
    key = option.encode("ascii")
    for box in boxes:
        own = effective_options(box.value).get(key)
        if own is not None and dangerous(own.decode("utf-8", "replace")):
            found.append(finding(box.path, box.line, _mailbox_label(box),
                                 "mailbox option %s=%s" % (option, own.decode("utf-8", "replace"))))
    return Outcome.judged(found)


def _pins(boxes, pin_policy):
    found = []
    for box in boxes:
        problems = pin_problems(box.pin, box.name, pin_policy)
        if problems:
            found.append(finding(box.path, box.line, _mailbox_label(box),
                                 "weak PIN (%s); the PIN is not shown" % ", ".join(problems)))
    return Outcome.judged(found)


def _limits(cfg, pin_min_length, max_logins):
    found = []
    minpassword = _general(cfg, "minpassword")
    length = c_int(minpassword) if minpassword is not None else 0
    if (length or 0) < pin_min_length:
        where = (minpassword.path, minpassword.line) if minpassword is not None \
            else (cfg.root_path, None)
        found.append(finding(where[0], where[1], "general",
                             "minpassword is %s (below %d)" % (
                                 length if minpassword is not None else "absent (0)",
                                 pin_min_length)))
    maxlogins = _general(cfg, "maxlogins")
    logins = c_int(maxlogins) if maxlogins is not None else DEFAULT_MAXLOGINS
    if logins is None or logins > max_logins or logins < 1:
        found.append(finding(maxlogins.path, maxlogins.line, "general",
                             "maxlogins=%s (more than %d tries)" % (maxlogins, max_logins)))
    return Outcome.judged(found)


def audit(host, options):
    """``{control ID: Outcome}`` for PBX-VM-001..005."""
    cfg, not_applicable = host.applicable_config(CONTROLS, ("app_voicemail",), "voicemail.conf",
                                                 "voicemail.conf absent")
    if cfg is None:
        return not_applicable
    policy = options.policy
    boxes = mailboxes(cfg)
    held = unseen(family_mappings(host, ("voicemail",)), "voicemail boxes and their PINs")
    return static_outcomes(host, with_unseen({
        "PBX-VM-001": _option_set(cfg, boxes, "dialout", lambda value: value.strip() != ""),
        "PBX-VM-002": _option_set(cfg, boxes, "callback", lambda value: value.strip() != ""),
        "PBX-VM-003": _option_set(cfg, boxes, "operator", ast_true),
        "PBX-VM-004": _pins(boxes, dict(min_length=policy["pin_min_length"])),
        "PBX-VM-005": _limits(cfg, policy["pin_min_length"], policy["max_logins"]),
    }, MAILBOX_CONTROLS, held), "voicemail.conf")
