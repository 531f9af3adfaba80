# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bans shared across a fleet: read what one PBX banned, choose what every PBX loads, and write
the nft batch that loads it.

Everything read from a PBX is hostile: ``fail2ban-client status`` and ``nft -j list set`` output
is split with ``str`` methods and ``json``, every token must parse as an IP address
(:mod:`ipaddress`), and at most a given number survive.  Nothing else of that output leaves this
module.  Choosing is linear after one sort: exclusions and set elements are kept as sorted,
disjoint integer intervals and looked up by bisection or a merge walk."""

from __future__ import annotations

import bisect
import ipaddress
import json

BANNED_IP_LIST = "Banned IP list:"
TIME_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
MAX_TIMEOUT = 365 * 86400
BATCH_CHUNK = 500        # elements per nft statement


def _span(network):
    """``(first, last)`` address of ``network`` as integers."""
    return int(network.network_address), int(network.broadcast_address)


def _networks(*texts):
    return tuple(ipaddress.ip_network(text) for text in texts)


# Addresses no ban may hold, whatever the lists say: "this network", loopback, link-local,
# multicast, the reserved 240/4 with the broadcast address, and their IPv6 kin (IPv4-mapped
# addresses are written as IPv4 by nft's own sets).
NEVER_SHARED = _networks("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
                         "::/128", "::1/128", "::ffff:0:0/96", "fe80::/10", "ff00::/8")


def entry(network):
    """``network`` as nft and fail2ban write it: a bare address for a single one."""
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def parse_address(token):
    """``token`` as an ``ip_network`` of one address, or None when it is not an IP address."""
    try:
        return ipaddress.ip_network(ipaddress.ip_address(token.strip()))
    except ValueError:
        return None


def parse_network(token):
    """``token`` (an address or ``address/prefix`` with no host bits) as an ``ip_network``, or
    None."""
    try:
        return ipaddress.ip_network(token.strip())
    except (ValueError, TypeError):
        return None


def parse_timeout(text):
    """Seconds of a timeout written as nft writes it (``24h``, ``1d12h``, ``90m``, ``5s``) or as
    a number of seconds; raises ValueError."""
    text = str(text).strip().lower()
    if text.isdigit():
        seconds = int(text)
    else:
        seconds, rest = 0, text
        for unit, factor in TIME_UNITS:
            number, found, after = rest.partition(unit)
            if found:
                if not number.isdigit():
                    raise ValueError("%r is not a timeout such as 24h, 90m or 3600s" % text)
                seconds, rest = seconds + int(number) * factor, after
        if rest or not text:
            raise ValueError("%r is not a timeout such as 24h, 90m or 3600s" % text)
    if not 0 < seconds <= MAX_TIMEOUT:
        raise ValueError("timeout %r must be from 1 second to 365 days" % text)
    return seconds


def jail_bans(output):
    """The tokens of the ``Banned IP list:`` line of ``fail2ban-client status <jail>`` (fail2ban
    0.10 to 1.1 print them on that one line), unvalidated."""
    for line in output.splitlines():
        before, marker, after = line.partition(BANNED_IP_LIST)
        if marker and before.strip(" |`-") == "":
            return after.split()
    return []


def set_elements(document):
    """``[(value, expires)]`` of the one set in an ``nft -j list set`` document: ``value`` as nft
    wrote it (a string, or a ``prefix``/``range`` object), ``expires`` the seconds left or None.
    Raises ValueError on a document that is not nft's JSON."""
    try:
        objects = json.loads(document)["nftables"]
    except (ValueError, KeyError, TypeError):
        raise ValueError("not nft's JSON") from None
    sets = [item["set"] for item in objects if isinstance(item, dict) and "set" in item]
    if len(sets) != 1 or not isinstance(sets[0], dict):
        raise ValueError("not one set")
    elements = sets[0].get("elem", [])
    if not isinstance(elements, list):
        raise ValueError("elements are not a list")
    out = []
    for element in elements:
        expires = None
        if isinstance(element, dict) and isinstance(element.get("elem"), dict):
            expires = element["elem"].get("expires")
            element = element["elem"].get("val")
        out.append((element, expires if isinstance(expires, int) else None))
    return out


def element_network(value):
    """An nft set element value (``"1.2.3.4"`` or ``{"prefix": {"addr", "len"}}``) as an
    ``ip_network``; None for anything else (a range, a foreign object)."""
    if isinstance(value, str):
        return parse_address(value)
    if isinstance(value, dict) and isinstance(value.get("prefix"), dict):
        prefix = value["prefix"]
        try:
            return ipaddress.ip_network("%s/%s" % (prefix.get("addr"), int(prefix.get("len"))))
        except (ValueError, TypeError):
            return None
    return None


def valid_addresses(tokens, limit):
    """``(addresses, rejected)``: the first ``limit`` distinct tokens that are IP addresses
    (normalised strings), and how many tokens were not."""
    found, rejected = {}, 0
    for token in tokens:
        network = parse_address(token) if isinstance(token, str) else None
        if network is None:
            rejected += 1
        elif len(found) < limit:
            found.setdefault(str(network.network_address), None)
    return list(found), rejected


def parse_blocklist(text):
    """The networks of an operator's blocklist: one address or CIDR a line, ``#`` starts a
    comment, blank lines ignored.  Raises ValueError naming the first bad line."""
    networks = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.partition("#")[0].strip()
        if not entry:
            continue
        network = parse_network(entry)
        if network is None:
            raise ValueError("blocklist line %d is not an IP address or network (address/prefix "
                             "without host bits)" % number)
        networks.append(network)
    return networks


def fib_local_addresses(text):
    """The IPv4 addresses of this host in ``/proc/net/fib_trie``: each ``|-- address`` leaf whose
    next line is a ``host LOCAL`` route."""
    found, leaf = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|-- "):
            leaf = stripped[4:]
        elif leaf is not None and stripped.endswith(" host LOCAL"):
            found.append(leaf)
            leaf = None
        else:
            leaf = None
    return found


def inet6_addresses(text):
    """The IPv6 addresses of this host in ``/proc/net/if_inet6`` (32 hex digits first on each
    line)."""
    found = []
    for line in text.splitlines():
        digits = line.split(" ", 1)[0]
        if len(digits) == 32:
            found.append(":".join(digits[index:index + 4] for index in range(0, 32, 4)))
    return found


class Intervals:
    """Disjoint, sorted integer intervals of one address family, for overlap look-ups."""

    def __init__(self, networks, version):
        spans = sorted(_span(n) for n in networks if n.version == version)
        self.starts, self.ends = [], []
        for first, last in spans:
            if self.ends and first <= self.ends[-1] + 1:
                self.ends[-1] = max(self.ends[-1], last)
            else:
                self.starts.append(first)
                self.ends.append(last)

    def overlaps(self, network):
        first, last = _span(network)
        index = bisect.bisect_right(self.starts, last) - 1
        return index >= 0 and self.ends[index] >= first


def choose(reports, blocklist, exclude, limit):
    """What one PBX should hold: ``(networks, excluded, truncated)``.

    ``reports`` are addresses as the PBXs reported them (an address banned on three PBXs comes
    three times), ``blocklist`` networks of the operator's list, ``exclude`` networks no entry
    may touch.  Blocklist entries come first, then addresses by how many PBXs banned them, then
    by address; an entry that overlaps ``exclude`` or :data:`NEVER_SHARED` is left out (a
    network is never split), and what is left is cut at ``limit`` entries, without entries inside
    another one."""
    counts = {}
    for token in reports:
        network = parse_address(token) if isinstance(token, str) else None
        if network is not None:
            counts[network] = counts.get(network, 0) + 1
    ranked = list(dict.fromkeys(blocklist))
    listed = set(ranked)
    ranked += sorted((n for n in counts if n not in listed),
                     key=lambda n: (-counts[n], n.version, n))
    fences = dict((version, Intervals(list(exclude) + list(NEVER_SHARED), version))
                  for version in (4, 6))
    excluded, kept = [], []
    for network in ranked:
        if fences[network.version].overlaps(network):
            excluded.append(network)
        else:
            kept.append(network)
    chosen = kept[:limit]
    return outermost(chosen), excluded, len(kept) - len(chosen)


def outermost(networks):
    """``networks`` without those inside another one, sorted (IPv4 first); neighbours are not
    merged, so that each ban stays an element of its own."""
    out = []
    for version in (4, 6):
        reach = -1
        for network in sorted((n for n in networks if n.version == version),
                              key=lambda n: (_span(n)[0], -_span(n)[1])):
            first, last = _span(network)
            if last > reach:
                out.append(network)
                reach = last
    return out


class SetState:
    """The elements of one live set: ``(network, expires)`` sorted by first address; elements
    that are not addresses or prefixes (ranges someone added by hand) are kept aside in
    ``foreign`` and never deleted."""

    def __init__(self, elements):
        self.items, self.foreign = [], 0
        for value, expires in elements:
            network = element_network(value)
            if network is None:
                self.foreign += 1
            else:
                self.items.append((network, expires))
        self.items.sort(key=lambda item: _span(item[0]))


def plan(live, wanted, timeout):
    """``(add, refresh, delete, kept)`` that bring ``live`` (a :class:`SetState` of one family)
    to hold every network of ``wanted`` (sorted, disjoint, the same family).

    A wanted network already held is kept while more than half of ``timeout`` is left (else it
    is refreshed: deleted and added again in the same batch); one held inside a bigger element
    is kept (that element covers it); one that contains smaller elements replaces them (they are
    in ``delete``, to go in a batch of their own before it is added).  Elements nobody wants any
    more are left to expire."""
    add, refresh, delete, kept = [], [], [], []
    items, start = live.items, 0
    for network in wanted:
        first, last = _span(network)
        while start < len(items) and _span(items[start][0])[1] < first:
            start += 1
        index, inside, cover = start, [], None
        while index < len(items) and _span(items[index][0])[0] <= last:
            held, expires = items[index]
            if held == network or held.supernet_of(network):
                cover = (held, expires)
            else:
                inside.append(held)
            index += 1
        if cover is None:
            delete += inside
            add.append(network)
        elif cover[0] == network and cover[1] is not None and cover[1] < timeout // 2:
            refresh.append(network)
        else:
            kept.append(network)
    return add, refresh, delete, kept


def batch(table, set_name, delete, add, timeout):
    """The nft script that deletes the networks ``delete`` from ``set_name`` and adds the networks
    ``add`` with ``timeout`` seconds, in one transaction; empty when both are empty.  Deleting and
    adding the same network refreshes it; nft before 1.0 refuses to add, in the same transaction,
    a network that overlaps one it deletes."""
    lines = []
    gone = [entry(n) for n in delete]
    new = ["%s timeout %ds" % (entry(n), timeout) for n in add]
    for verb, elements in (("delete", gone), ("add", new)):
        for index in range(0, len(elements), BATCH_CHUNK):
            lines.append("%s element %s %s { %s }" % (
                verb, table, set_name, ", ".join(elements[index:index + BATCH_CHUNK])))
    return "".join(line + "\n" for line in lines)


def parse_fence(text):
    """An exclusion (``198.51.100.0/24``, ``198.51.100.7``, host bits allowed) as an
    ``ip_network``; raises ValueError."""
    return ipaddress.ip_network(str(text).strip(), strict=False)
