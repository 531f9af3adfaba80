# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IPv4 address sets for the audit: networks as the operator gives them, Asterisk's
``permit``/``deny`` lists (``ast_append_ha()``/``ast_apply_ha()`` of main/acl.c), the one
question both the ACL and the firewall checks ask (which addresses outside the allowed networks
get through?) and the one answer every AMI, HTTP and ACL rule takes for "localhost"
(:func:`is_localhost`).

Answers are exact: the IPv4 space is cut at every boundary any rule or allowed network has, and
one address of each piece is tried (every address of a piece is treated alike)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import finding

SPACE_END = 2 ** 32
# This host only: IPv4's loopback block, and IPv6's loopback address.
LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")
IPV6_LOOPBACK = ipaddress.IPv6Network("::1/128")


def network(text):
    """An IPv4 network from ``a.b.c.d``, ``a.b.c.d/len`` or ``a.b.c.d/m.m.m.m`` (host bits are
    ignored, as Asterisk masks them); None for IPv6 or anything else."""
    try:
        return ipaddress.IPv4Network(str(text).strip(), strict=False)
    except ValueError:
        return None


def host_part(address):
    """The address of ``a.b.c.d``, ``a.b.c.d:port``, ``[v6]:port`` or ``v6`` (an unclosed ``[``
    is left as it is: no address)."""
    text = str(address).strip()
    if text.startswith("["):
        host, closed, _port = text[1:].partition("]")
        return host if closed else text
    if text.count(":") == 1:
        return text.split(":", 1)[0]
    return text


def is_localhost(text):
    """Whether a ``permit``/``deny`` entry or a bind address reaches this host only: an IPv4
    address or network inside 127.0.0.0/8 in any form Asterisk takes (``127.0.0.1``,
    ``127.0.0.1/8``, ``127.0.0.1/255.255.255.0``: host bits are masked), or ``::1`` (also
    ``[::1]``, ``::1/128``, with a port).  Names such as ``localhost`` are not addresses to
    Asterisk (it parses them numerically and falls back to every interface), nor is a negated
    entry (``!127.0.0.1`` is everything else): both are False."""
    text = str(text).strip()
    net = network(text)
    if net is None:
        try:
            net = ipaddress.ip_network(host_part(text), strict=False)
        except ValueError:
            return False
    return net.subnet_of(LOOPBACK) if net.version == 4 else net.subnet_of(IPV6_LOOPBACK)


def operator_network(text):
    """An IPv4 network as an operator gives one (a role variable, a module option):
    ``address/prefix`` or ``address/netmask`` without host bits (``198.51.100.0/24``,
    ``198.51.100.7/32``).  Stricter than :func:`network`, which reads Asterisk's configuration
    as Asterisk does: a typo in an operator's network must not silently widen it.

    :raises ValueError: saying what is wrong."""
    if not isinstance(text, str) or "/" not in text:
        raise ValueError("not written as address/prefix (198.51.100.0/24, 198.51.100.7/32)")
    try:
        return ipaddress.IPv4Network(text, strict=True)
    except ValueError as exc:
        raise ValueError(str(exc))


def networks(texts):
    """The :func:`operator_network` of each string; raises ValueError naming the first bad one."""
    out = []
    for text in texts:
        try:
            out.append(operator_network(text))
        except ValueError as exc:
            raise ValueError("%r: %s" % (text, exc))
    return out


def network_problems(texts, min_prefix=0):
    """Entries of ``texts`` that are not :func:`operator_network` networks, or whose prefix is
    shorter than ``min_prefix``, as ``'entry: reason'`` strings (the roles' and modules' check of
    an operator's network list)."""
    if isinstance(texts, (str, bytes, Mapping)) or not hasattr(texts, "__iter__"):
        return ["%r: must be a list of networks such as 198.51.100.0/24" % (texts,)]
    problems = []
    for text in texts:
        try:
            net = operator_network(text)
        except ValueError as exc:
            problems.append("%r: %s" % (text, exc))
            continue
        if net.prefixlen < int(min_prefix):
            problems.append("%r: a prefix shorter than /%d is not allowed here (/%d spans %d "
                            "addresses)" % (text, int(min_prefix), net.prefixlen,
                                            net.num_addresses))
    return problems


def netmask_form(text):
    """``198.51.100.0/24`` -> ``198.51.100.0/255.255.255.0``, the form chan_sip's ``permit=``
    and manager.conf's ``permit=`` are written in; raises ValueError as
    :func:`operator_network`."""
    net = operator_network(text)
    return "%s/%s" % (net.network_address, net.netmask)


def outside(values, nets, localhost=False):
    """The entries of ``values`` (``match=``, ``permit=``, ``remote_hosts`` values, each a
    comma-separated list of addresses or networks; None skipped) not within one of ``nets``
    (``ipaddress`` networks), read as Asterisk reads them (``a.b.c.d[:port][/mask]``). With
    ``localhost``, entries on this host only (:func:`is_localhost`) count as within. Host names,
    IPv6 and anything unparsable are outside: they cannot be shown to be within."""
    found = []
    for value in values:
        if value is None:
            continue
        for entry in str(value).split(","):
            entry = entry.strip()
            if not entry or (localhost and is_localhost(entry)):
                continue
            net = network(host_part(entry))
            if net is None or not any(net.subnet_of(allowed) for allowed in nets):
                found.append(entry)
    return found


def inside(address, nets):
    return any(address in net for net in nets)


def interval(net):
    return int(net.network_address), int(net.broadcast_address) + 1


def refused(admits, boundaries, wanted):
    """Addresses inside ``wanted`` that ``admits(address)`` keeps out: the first address of each
    piece of the space that is kept out (a list of str; empty when every address gets in)."""
    cuts = list(boundaries) + [b for net in wanted for b in interval(net)]
    return leaks(lambda address: inside(address, wanted) and not admits(address), cuts, [])


def leaks(admits, boundaries, allowed):
    """Addresses outside ``allowed`` that ``admits(address)`` lets through.

    :param admits: function of an :class:`ipaddress.IPv4Address` returning True when let in.
    :param boundaries: ints where the rules' answer may change (first address of a network,
        the address after its last one).
    :param allowed: the networks that may get through.
    :returns: the first address of each piece of the space that leaks (a list of str).
    """
    cuts = set([0] + [b for b in boundaries if 0 <= b < SPACE_END])
    for net in allowed:
        cuts.update(b for b in interval(net) if b < SPACE_END)
    found = []
    for start in sorted(cuts):
        address = ipaddress.IPv4Address(start)
        if not inside(address, allowed) and admits(address):
            found.append(str(address))
    return found


class HostAcl:
    """An Asterisk ``permit``/``deny`` list in order (``deny`` first lines included).

    ``add(sense, value)`` takes the option name and value as written; a value may list several
    comma-separated addresses and a leading ``!`` inverts one.  IPv6 entries never match an IPv4
    address and are kept aside in ``ipv6``; values that are not addresses go to ``unknown``.
    """

    def __init__(self):
        self.rules = []         # (allow: bool, negated: bool, IPv4Network)
        self.ipv6 = []
        self.unknown = []

    def add(self, sense, value):
        for item in str(value).split(","):
            text = item.strip()
            negated = text.startswith("!")
            text = text[1:].strip() if negated else text
            if not text:
                continue
            net = network(text)
            if net is None:
                (self.ipv6 if ":" in text else self.unknown).append(text)
                continue
            self.rules.append((sense.lower() == "permit", negated, net))

    def boundaries(self):
        """Where the answer may change: the first address of each rule's network and the
        address after its last one."""
        return [b for _allow, _negated, net in self.rules for b in interval(net)]

    def denies_all(self):
        """Whether one rule denies every IPv4 address (``deny = 0.0.0.0/0.0.0.0`` in any form):
        every earlier rule then stops counting."""
        return any(not allow and not negated and net.prefixlen == 0
                   for allow, negated, net in self.rules)

    def admits(self, address):
        """``ast_apply_ha()``: allowed unless the last matching rule denies."""
        allowed = True
        for allow, negated, net in self.rules:
            if (address in net) != negated:
                allowed = allow
        return allowed


class AclList:
    """The ACL list of an object (``ast_append_acl()``/``ast_apply_acl()`` of main/acl.c): its own
    ``permit``/``deny`` lines form one ACL, each named ACL of an ``acl=`` line (comma-separated,
    defined in acl.conf) another.  An address gets in only when every ACL admits it; a named ACL
    acl.conf does not define makes the list invalid, and Asterisk then rejects every address."""

    def __init__(self, own):
        self.acls = [own]
        self.missing = []       # named ACLs acl.conf lacks

    def admits(self, address):
        return not self.missing and all(acl.admits(address) for acl in self.acls)

    def boundaries(self):
        return [b for acl in self.acls for b in acl.boundaries()]

    def leaks(self, allowed):
        return leaks(self.admits, self.boundaries(), allowed)

    def refused(self, wanted):
        """Addresses inside the ``wanted`` networks this list keeps out (see :func:`refused`)."""
        return refused(self.admits, self.boundaries(), wanted)

    @property
    def unknown(self):
        return [text for acl in self.acls for text in acl.unknown]


def rules_acl(category):
    """The :class:`HostAcl` of a category's ``permit``/``deny`` lines, in order."""
    acl = HostAcl()
    for name, value in category.items():
        if name.lower() in ("permit", "deny"):
            acl.add(name, value)
    return acl


def named_acls(cfg):
    """``{name: HostAcl}`` of the named ACLs of a loaded acl.conf (None: no acl.conf).  Names
    are case sensitive, as main/named_acl.c finds them; templates are not ACLs."""
    if cfg is None:
        return {}
    return dict((category.name, rules_acl(category)) for category in cfg.categories
                if not category.template)


def category_acl(category, named=None):
    """The :class:`AclList` of a category: its ``permit``/``deny`` lines and its ``acl=`` named
    ACLs, resolved through ``named`` (:func:`named_acls`)."""
    result = AclList(rules_acl(category))
    named = named or {}
    for value in category.get_all("acl"):
        for item in str(value).split(","):
            name = item.strip()
            if not name:
                continue
            if name in named:
                result.acls.append(named[name])
            else:
                result.missing.append(name)
    return result


def acl_findings(category, named, allowed, leak_message):
    """``(failing, manual)`` findings of a category whose ACL list must keep out everything
    outside ``allowed``: ``leak_message % address`` when it does not, and the permit/deny
    entries the audit does not understand (IPv6 is never an IPv4 leak)."""
    acl = category_acl(category, named)
    leaked = acl.leaks(allowed)
    failing = [finding(category.path, category.line, category.name, leak_message % leaked[0])] \
        if leaked else []
    manual = [finding(category.path, category.line, category.name,
                      "permit/deny entries not understood: %s" % ", ".join(acl.unknown))] \
        if acl.unknown else []
    return failing, manual
