# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-AMI-002: the edits that leave every AMI user of a loaded manager.conf with the ACL "deny
every address, then permit localhost and the management networks", and what the role cannot fix.

Asterisk applies a user's ``permit``/``deny`` rules in order and the last matching one wins
(main/acl.c ``ast_apply_ha()``), so a permit counts only after the last deny-all rule.  The role
can remove lines and append lines (after the user's own lines, or in FreePBX's custom file), and
the editor never appends a value the user already has: a wanted permit that sits before the
deny-all rule is removed and appended again.  What the rules after the deny-all rule let in is
judged with the audit's own model of Asterisk's ACLs (compliance_acl), and write rights with the
audit's reading of manager.c (compliance_manager.write_grants)."""

from __future__ import annotations

import fnmatch
import posixpath

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import Value, fold
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    AclList,
    HostAcl,
    netmask_form,
    network,
    operator_network,
    outside,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_manager import (
    write_grants,
)

CONTROL = "PBX-AMI-002"
DENY_ALL = "0.0.0.0/0.0.0.0"
LOOPBACK_PERMIT = "127.0.0.1/255.255.255.255"
PLAN_KEYS = ("removals", "deny", "permits", "moved", "freepbx_owned", "findings")


def ami_users(cfg):
    """The AMI users of a loaded manager.conf: every non-template category but ``[general]``
    (manager.c skips only that one), the first of each name (Asterisk reads a user's options from
    the first category of that name, names compared without regard to case)."""
    users, seen = [], set()
    for category in cfg.categories:
        key = fold(category.name)
        if category.template or key == b"general" or key in seen:
            continue
        seen.add(key)
        users.append(category)
    return users


def _rules(user):
    """``[(index, sense, Value)]``: the user's permit and deny lines in Asterisk's order."""
    return [(index, variable.key.decode("ascii"), Value(variable))
            for index, variable in enumerate(user.variables)
            if variable.key in (b"permit", b"deny")]


def _host_acl(rules):
    acl = HostAcl()
    for _index, sense, value in rules:
        acl.add(sense, value)
    return acl


def _last_deny_all(rules):
    """Position in ``rules`` of the last rule that denies every address, or None."""
    found = None
    for position, rule in enumerate(rules):
        if rule[1] == "deny" and _host_acl([rule]).denies_all():
            found = position
    return found


def _editable(value, writable):
    """Whether the role may edit the line of ``value``: an own line (not from a template) in a
    file ``writable`` allows (None: every file)."""
    if not value.own:
        return False
    name = posixpath.basename(value.path)
    return writable is None or any(fnmatch.fnmatchcase(name, pattern) for pattern in writable)


class _User:
    """The plan of one user (``name``, ``rules``, ``last``: position of its last deny-all rule)."""

    def __init__(self, user, allowed, writable, freepbx_gui):
        self.user = user
        self.name = str(user.name)
        self.rules = _rules(user)
        self.last = _last_deny_all(self.rules)
        self.allowed = allowed
        self.writable = writable
        self.freepbx_gui = freepbx_gui
        self.plan = dict((key, []) for key in PLAN_KEYS)

    def outside(self):
        """The user's own permits outside localhost and the allowed networks: removed where the
        role may edit the line, elsewhere a finding for each one after the last deny-all rule
        (one before it lets no one in)."""
        for position, (_index, sense, value) in enumerate(self.rules):
            if sense != "permit" or not value.own or not outside([value], self.allowed, localhost=True):
                continue
            if _editable(value, self.writable):
                if [self.name, str(value)] not in self.plan["removals"]:
                    self.plan["removals"].append([self.name, str(value)])
            elif self.last is not None and position > self.last:
                self.plan["freepbx_owned"].append(
                    "[%s] permit = %s (%s) is in a file FreePBX writes again, so the role left "
                    "it: change it in FreePBX (%s)"
                    % (self.name, value, value.origin, self.freepbx_gui))

    def wanted(self, permits):
        """Append the wanted ``permits`` the rules left after the deny-all rule do not already
        let in; move those that sit before it."""
        removed = set(value for _name, value in self.plan["removals"])
        after = self.rules[self.last + 1:] if self.last is not None else []
        counted = [rule for rule in after if rule[1] != "permit" or str(rule[2]) not in removed]
        kept = AclList(_host_acl([(0, "deny", DENY_ALL)] + counted))
        for permit in permits:
            if not kept.refused([network(permit)]):
                continue
            present = [value for _index, sense, value in self.rules
                       if sense == "permit" and str(value) == permit]
            if not all(_editable(value, self.writable) for value in present):
                self.plan["findings"].append(
                    "[%s] permit = %s comes before the deny-all rule in a line the role may not "
                    "edit (%s): move it after that rule there"
                    % (self.name, permit, ", ".join(value.origin for value in present)))
                continue
            self.plan["permits"].append([self.name, permit])
            if present:
                self.plan["moved"].append([self.name, permit])
                self.plan["removals"].append([self.name, permit])

    def left_after(self):
        """What comes after the deny-all rule and the role cannot remove: permits inherited from
        a template beyond the allowed networks and localhost, and named ACLs (``acl=`` lines)."""
        boundary = self.rules[self.last][0]
        self.plan["findings"].extend(
            "[%s] permit = %s after the deny-all rule comes from a template (%s): remove it there"
            % (self.name, value, value.origin) for _index, sense, value in self.rules[self.last + 1:]
            if sense == "permit" and not value.own and outside([value], self.allowed, localhost=True))
        self.plan["findings"].extend(
            "[%s] acl = %s after the deny-all rule may let other addresses in (%s): use "
            "permit/deny" % (self.name, Value(variable), Value(variable).origin)
            for index, variable in enumerate(self.user.variables)
            if variable.key == b"acl" and index > boundary)

    def write_rights(self):
        """``[user] write = ... grants ...`` when the user's ``write`` grants a dangerous right."""
        value = self.user.get("write")
        granted = write_grants(value) if value is not None else []
        if granted:
            self.plan["findings"].append("[%s] write = %s grants %s (%s)" % (
                self.name, value, ", ".join(granted), value.origin))


def plan_acl(cfg, management_networks, freepbx_user="", writable=None, freepbx_gui=""):
    """The edits of every AMI user's ACL, in the order they are made.

    :param management_networks: IPv4 CIDRs every user but ``freepbx_user`` is permitted from.
    :param freepbx_user: FreePBX's own AMI user ('' when none): permitted from 127.0.0.1 only,
        its write rights (which FreePBX needs) not judged.
    :param writable: glob patterns of the file names the role may edit (None: every file).
    :param freepbx_gui: the FreePBX pages that change manager.conf's users, for the findings.
    :returns: ``removals`` ([user, permit] to remove: outside localhost and the allowed
        networks, or wanted but before the deny-all rule), ``deny`` ([user, deny-all] to
        append), ``permits`` ([user, permit] to append after it), ``moved`` (the permits that
        are removed and appended again), ``freepbx_owned`` (findings: permits outside, in a file
        the role may not edit), ``findings`` (what else the role cannot fix: dangerous write
        rights, rules it may not move or remove) and ``users`` (the AMI users' names).
    """
    nets = [operator_network(cidr) for cidr in management_networks]
    permits = [netmask_form(cidr) for cidr in management_networks]
    plan = dict((key, []) for key in PLAN_KEYS)
    plan["users"] = []
    for user in ami_users(cfg):
        own_user = bool(freepbx_user) and fold(user.name) == fold(freepbx_user)
        one = _User(user, [] if own_user else nets, writable, freepbx_gui)
        one.outside()
        if one.last is None:
            one.plan["deny"].append([one.name, DENY_ALL])
        one.wanted([LOOPBACK_PERMIT] + ([] if own_user else permits))
        if one.last is not None:
            one.left_after()
        if not own_user:
            one.write_rights()
        plan["users"].append(one.name)
        for key in PLAN_KEYS:
            plan[key].extend(one.plan[key])
    return plan


def acl_edits(plan):
    """The removals, deny-all rules and permits of ``plan`` in that order, as
    ``(section, option, value, state)`` (planned one after the other, so a moved permit is
    removed and appended again in check mode too)."""
    return ([(name, "permit", value, "absent") for name, value in plan["removals"]]
            + [(name, "deny", value, "present") for name, value in plan["deny"]]
            + [(name, "permit", value, "present") for name, value in plan["permits"]])
