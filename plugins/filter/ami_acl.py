# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PBX-AMI-002: the edits that leave every AMI user of manager.conf with the ACL "deny every
address, then permit localhost and the management networks".

Asterisk applies a user's ``permit``/``deny`` rules in order and the last matching one wins
(main/acl.c ``ast_apply_ha()``), so a permit counts only after the last deny-all rule.  The role
can remove lines and append lines (after the user's own lines, or in FreePBX's custom file), and
``asterisk_config`` never appends a value the user already has: a wanted permit that sits before
the deny-all rule is removed and appended again.  What the rules after the deny-all rule let in
is judged with the audit's own model of Asterisk's ACLs (compliance_acl)."""

from __future__ import annotations

import fnmatch
import posixpath
from operator import itemgetter

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.ipv4_acl import acl_outside
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_acl import (
    AclList,
    HostAcl,
    network,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_manager import (
    write_grants,
)

DENY_ALL = "0.0.0.0/0.0.0.0"
LOOPBACK_PERMIT = "127.0.0.1/255.255.255.255"
PLAN_KEYS = ("removals", "deny", "permits", "moved", "freepbx_owned", "findings")


def _permit(cidr):
    """``192.0.2.0/24`` -> ``192.0.2.0/255.255.255.0``, host bits cut as Asterisk cuts them."""
    net = network(cidr)
    if net is None:
        raise AnsibleFilterError("ami_acl_plan: %r is not an IPv4 network" % (cidr,))
    return "%s/%s" % (net.network_address, net.netmask)


def _rules(user):
    """``[(index, sense, value, origin)]``: the user's permit and deny lines in Asterisk's order."""
    rules = []
    for sense in ("permit", "deny"):
        values = user["effective_all"][sense]
        rules.extend(zip(user["index_all"][sense], [sense] * len(values), values,
                         user["origin_all"][sense]))
    return sorted(rules, key=itemgetter(0))


def _host_acl(rules):
    acl = HostAcl()
    for _index, sense, value, _origin in rules:
        acl.add(sense, value)
    return acl


def _last_deny_all(rules):
    """Position in ``rules`` of the last rule that denies every address, or None."""
    found = None
    for position, rule in enumerate(rules):
        if rule[1] == "deny" and _host_acl([rule]).denies_all():
            found = position
    return found


def _editable(origin, writable):
    """Whether the role may edit the line at ``origin`` (``path:line``): an own line (not from a
    template) in a file ``writable`` allows (None: every file)."""
    if "(inherited from" in origin:
        return False
    name = posixpath.basename(origin.rsplit(":", 1)[0])
    return writable is None or any(fnmatch.fnmatchcase(name, pattern) for pattern in writable)


def _user_plan(user, wanted, allowed, writable, freepbx_gui):
    """The plan (see :func:`ami_acl_plan`) of one user, ``wanted`` its permits in order and
    ``allowed`` the networks its permits may name besides localhost."""
    name = user["name"]
    rules = _rules(user)
    last = _last_deny_all(rules)
    plan = dict((key, []) for key in PLAN_KEYS)
    plan["removals"], plan["freepbx_owned"] = _outside(name, rules, last, allowed, writable,
                                                       freepbx_gui)
    if last is None:
        plan["deny"].append([name, DENY_ALL])
    # What counts once the role is done: the deny-all rule, then the rules after it (none when the
    # role appends it) but the permits it removes.
    removed = set(value for _name, value in plan["removals"])
    counted = [rule for rule in (rules[last + 1:] if last is not None else [])
               if rule[1] != "permit" or rule[2] not in removed]
    kept = AclList(_host_acl([(0, "deny", DENY_ALL, "")] + counted))
    for permit in wanted:
        if not kept.refused([network(permit)]):
            continue
        origins = [origin for _index, sense, value, origin in rules
                   if sense == "permit" and value == permit]
        if not all(_editable(origin, writable) for origin in origins):
            plan["findings"].append(
                "[%s] permit = %s comes before the deny-all rule in a line the role may not edit "
                "(%s): move it after that rule there" % (name, permit, ", ".join(origins)))
            continue
        plan["permits"].append([name, permit])
        if origins:
            plan["moved"].append([name, permit])
            plan["removals"].append([name, permit])
    if last is not None:
        plan["findings"].extend(_left_after(user, rules, last, allowed))
    return plan


def _write_findings(user):
    """``[user] write = ... grants ...`` when the user's ``write`` grants a dangerous right."""
    value = (user.get("effective") or {}).get("write")
    granted = write_grants(value) if value is not None else []
    if not granted:
        return []
    origin = (user.get("origin") or {}).get("write")
    return ["[%s] write = %s grants %s (%s)" % (user["name"], value, ", ".join(granted), origin)]


def _outside(name, rules, last, allowed, writable, freepbx_gui):
    """``(removals, freepbx_owned)`` of the user's own permits outside localhost and
    ``allowed``: [user, permit] to remove where the role may edit the line, and elsewhere a
    finding for each one after the last deny-all rule (one before it lets no one in)."""
    removals, owned = [], []
    for position, (_index, sense, value, origin) in enumerate(rules):
        if sense != "permit" or "(inherited from" in origin \
                or not acl_outside(value, allowed, localhost=True):
            continue
        if _editable(origin, writable):
            if [name, value] not in removals:
                removals.append([name, value])
        elif last is not None and position > last:
            owned.append("[%s] permit = %s (%s) is in a file FreePBX writes again, so the role "
                         "left it: change it in FreePBX (%s)" % (name, value, origin, freepbx_gui))
    return removals, owned


def _left_after(user, rules, last, allowed):
    """What comes after the deny-all rule and the role cannot remove: permits inherited from a
    template beyond ``allowed`` and localhost, and named ACLs (``acl=`` lines)."""
    name = user["name"]
    found = ["[%s] permit = %s after the deny-all rule comes from a template (%s): remove it there"
             % (name, value, origin) for _index, sense, value, origin in rules[last + 1:]
             if sense == "permit" and "(inherited from" in origin
             and acl_outside(value, allowed, localhost=True)]
    named = zip(user["index_all"].get("acl", []), user["effective_all"].get("acl", []),
                user["origin_all"].get("acl", []))
    found.extend("[%s] acl = %s after the deny-all rule may let other addresses in (%s): use "
                 "permit/deny" % (name, value, origin)
                 for index, value, origin in named if index > rules[last][0])
    return found


def ami_acl_plan(users, management_networks, freepbx_user="", writable=None, freepbx_gui=""):
    """The edits of every AMI user's ACL, in the order the role makes them.

    :param users: categories from ``asterisk_config_info`` with ``get: [write]`` and
        ``get_all: [permit, deny, acl]``.
    :param management_networks: IPv4 CIDRs every user but ``freepbx_user`` is permitted from.
    :param freepbx_user: FreePBX's own AMI user (lower case; '' when none): localhost only.
    :param writable: glob patterns of the file names the role may edit (None: every file).
    :param freepbx_gui: the FreePBX pages that change manager.conf's users, for the findings.
    :returns: ``removals`` ([user, permit] to remove: outside localhost and the allowed
        networks, or wanted but before the deny-all rule), ``deny`` ([user, deny-all] to
        append), ``permits`` ([user, permit] to append after it), ``moved`` (the permits that
        are removed and appended again), ``freepbx_owned`` (findings: permits outside, in a
        file the role may not edit), ``findings`` (what else the role cannot fix: a ``write``
        that grants system, command, originate or all rights to a user but ``freepbx_user``,
        whose rights FreePBX needs; rules it may not move or remove) and
        ``settings`` (the removals, deny-all rules and permits, in that order, as
        ``asterisk_settings`` settings).
    """
    network_permits = [_permit(cidr) for cidr in management_networks]
    plan = dict((key, []) for key in PLAN_KEYS)
    for user in users:
        own_user = user["name"].lower() == freepbx_user
        user_plan = _user_plan(user, [LOOPBACK_PERMIT] + ([] if own_user else network_permits),
                               [] if own_user else management_networks, writable, freepbx_gui)
        for key, items in user_plan.items():
            plan[key].extend(items)
        if not own_user:
            plan["findings"].extend(_write_findings(user))
    plan["settings"] = _settings(plan)
    return plan


def _settings(plan):
    """The removals, deny-all rules and permits as ``asterisk_settings`` settings, in that order
    (planned one after the other, so a moved permit is removed and appended again in check mode
    too)."""
    def setting(option, item, state="present"):
        return dict(control="PBX-AMI-002", section=item[0], option=option, value=item[1],
                    multiple=True, state=state)

    return ([setting("permit", item, "absent") for item in plan["removals"]]
            + [setting("deny", item) for item in plan["deny"]]
            + [setting("permit", item) for item in plan["permits"]])


class FilterModule:
    """PBX-AMI-002 ACL filters."""

    def filters(self):
        return {"ami_acl_plan": ami_acl_plan}
