# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Send a probe packet through an nftables ruleset (``nft -j list ruleset``) and say whether it
is accepted, as the kernel would: the base chains of the ``ingress`` (netdev), ``prerouting``
and ``input`` hooks (families ip, or ip6 for an IPv6 probe, and inet), each hook in priority
order; ``accept`` ends a base
chain only, ``drop``/``reject`` end the packet; ``jump``/``goto``/``return`` and the chain policy
as in nft(8).

A probe is a NEW IPv4 or IPv6 packet (``ct state new``) arriving on a non-loopback interface,
under every rate limit (a single packet never exceeds one).  Understood: ``ip saddr`` and
``ip6 saddr`` against addresses, prefixes, ranges, anonymous and named sets (interval ones
included); ``th``/``udp``/
``tcp`` ``dport``/``sport`` against values, ranges and sets; ``meta l4proto``/``nfproto``,
``ip protocol``, ``ip6 nexthdr``, ``iif``/``iifname`` ``lo``; ``ct state``; ``limit``, ``meter`` and dynamic set
updates (with or without a limit), ``counter``, ``log``; verdict maps.  Anything else (another
interface name, ``ip daddr``, ``fib``, marks, NAT, iptables-nft ``xt`` rules...) raises
:class:`Unjudgeable`: the caller must not guess."""

from __future__ import annotations

import ipaddress
import re

HOOKS = ("ingress", "prerouting", "input")
PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1, "sctp": 132, "dccp": 33, "udplite": 136}
OTHER_L4 = ("icmp", "icmpv6", "sctp", "dccp", "udplite", "esp", "ah", "comp", "igmp")
NO_OP = ("counter", "log", "notrack")
VERDICTS = ("accept", "drop", "reject")
RATE_LIMITS = ("limit", "meter")
MAX_CALLS = 10000       # chain runs per probe: a guard only (the kernel refuses jump loops)


class Unjudgeable(Exception):
    """The ruleset uses something the evaluator cannot decide for a probe."""


class Probe:
    """A NEW packet: ``saddr`` (str, IPv4 or IPv6), ``l4proto`` (``udp``/``tcp``), ``dport``
    (int)."""

    def __init__(self, saddr, l4proto, dport, sport=40000):
        self.saddr = ipaddress.ip_address(saddr)
        self.family = "ip" if self.saddr.version == 4 else "ip6"
        self.l4proto = l4proto
        self.dport = int(dport)
        self.sport = sport

    def __str__(self):
        return "%s/%d from %s" % (self.l4proto, self.dport, self.saddr)


class Trace:
    """What happened to a probe: ``accepted`` and whether a rate limit was on its way."""

    def __init__(self):
        self.accepted = None
        self.rate_limited = False
        self.calls = 0


def _scalar(value):
    if isinstance(value, dict) and "elem" in value:
        return _scalar(value["elem"]["val"])
    return value


class Ruleset:
    """A parsed ``nft -j list ruleset`` document."""

    def __init__(self, document, listing=None):
        """``listing``: the text of ``nft -a list ruleset``, needed only when
        :func:`needs_listing` says so."""
        self.chains = {}        # (family, table, name) -> chain dict
        self.rules = {}         # (family, table, name) -> [expr lists]
        self.sets = {}          # (family, table, name) -> set/map dict
        listed = _listed_set_statements(listing) if listing else {}
        for item in document.get("nftables", []):
            if "chain" in item:
                chain = item["chain"]
                key = (chain["family"], chain["table"], chain["name"])
                self.chains[key] = chain
                self.rules.setdefault(key, [])
            elif "rule" in item:
                rule = item["rule"]
                key = (rule["family"], rule["table"], rule["chain"])
                expressions = rule.get("expr", [])
                _restore_set_statements(expressions, listed.get(key + (rule.get("handle"),)))
                self.rules.setdefault(key, []).append(expressions)
            elif "set" in item or "map" in item:
                named = item.get("set") or item.get("map")
                self.sets[(named["family"], named["table"], named["name"])] = named

    def base_chains(self, family="ip"):
        """Base chains a local packet of ``family`` (``ip``/``ip6``) crosses, in order: hook by
        hook, then priority."""
        out = []
        for hook in HOOKS:
            families = ("netdev",) if hook == "ingress" else (family, "inet")
            chains = [c for c in self.chains.values()
                      if c["family"] in families and c.get("hook") == hook]
            out.extend(sorted(chains, key=lambda c: (_priority(c), c.get("handle", 0))))
        return [(c["family"], c["table"], c["name"]) for c in out]

    def boundaries(self):
        """``(address ints, port ints)`` where a rule's or a set's answer may change."""
        addresses, ports = set(), set()
        stack = [self.rules, [s.get("elem", []) for s in self.sets.values()]]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if "prefix" in item and isinstance(item["prefix"], dict):
                    net = ipaddress.ip_network("%s/%s" % (item["prefix"]["addr"],
                                                          item["prefix"]["len"]), strict=False)
                    if net.version == 4:
                        addresses.update((int(net.network_address),
                                          int(net.broadcast_address) + 1))
                    continue
                if "range" in item and isinstance(item["range"], list):
                    low, high = item["range"]
                    stack.extend([low, high + 1 if isinstance(high, int) else _after(high)])
                    continue
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 65536:
                ports.update((item, item + 1))
            elif isinstance(item, str):
                address = _ipv4(item)
                if address is not None:
                    addresses.update((address, address + 1))
        return addresses, ports

    def judge(self, probe):
        """A :class:`Trace` of ``probe``; raises :class:`Unjudgeable`."""
        trace = Trace()
        for key in self.base_chains(probe.family):
            chain = self.chains[key]
            if chain.get("type") == "nat":
                continue            # nat chains see only the first packet and do not filter
            verdict = self._run(key, probe, trace)
            if verdict is None:
                verdict = chain.get("policy", "accept")
            if verdict != "accept":
                trace.accepted = False
                return trace
        trace.accepted = True
        return trace

    # --- chains and rules ----------------------------------------------------------------------

    def _run(self, key, probe, trace):
        """Verdict (``accept``/``drop``) of a chain, or None when it returns."""
        trace.calls += 1
        if trace.calls > MAX_CALLS:
            raise Unjudgeable("chain calls nest too deeply")
        for expressions in self.rules.get(key, []):
            outcome = self._rule(key, expressions, probe, trace)
            if outcome == "return":
                return None
            if outcome is not None:
                return outcome
        return None

    def _rule(self, key, expressions, probe, trace):
        for index, expr in enumerate(expressions):
            (name, body), = expr.items()
            if name == "match":
                if not self._match(key, body, probe):
                    return None
            elif name in NO_OP:
                continue
            elif name in RATE_LIMITS or (name == "set" and _has_limit(body)):
                if any(list(later)[0] in VERDICTS for later in expressions[index + 1:]):
                    trace.rate_limited = True       # a limit that decides, not one that logs
                if _limit_over(body):
                    return None         # a single probe is never over a limit
            elif name == "set":
                continue                # dynamic set update without a limit: no effect here
            elif name in ("accept", "drop", "reject"):
                return "accept" if name == "accept" else "drop"
            elif name in ("jump", "goto"):
                verdict = self._run((key[0], key[1], body["target"]), probe, trace)
                if verdict is not None:
                    return verdict
                return "return" if name == "goto" else None
            elif name == "return":
                return "return"
            elif name == "vmap":
                return self._vmap(key, body, probe, trace)
            else:
                raise Unjudgeable("statement %r in chain %s" % (name, key[2]))
        return None

    def _vmap(self, key, body, probe, trace):
        value = self._value(body["key"], probe)
        if value is _NOT_THIS_PACKET:
            return None
        for element, verdict in self._elements(key, body["data"]):
            if _contains(element, value):
                return self._rule(key, [verdict], probe, trace)
        return None

    # --- matches -------------------------------------------------------------------------------

    def _match(self, key, body, probe):
        value = self._value(body["left"], probe)
        if value is _NOT_THIS_PACKET:
            return False
        op = body.get("op", "==")
        right = body["right"]
        if op in ("==", "in", "!="):
            if isinstance(right, list):             # ct state flags: any of them
                found = any(_contains(item, value) for item in right)
            elif isinstance(right, str) and right.startswith("@"):
                found = any(_contains(e, value) for e in self._set_elements(key, right[1:]))
            elif isinstance(right, dict) and "set" in right:
                found = any(_contains(e, value) for e in right["set"])
            else:
                found = _contains(right, value)
            return found != (op == "!=")
        if op in ("<", ">", "<=", ">=") and isinstance(value, int) and isinstance(right, int):
            return {"<": value < right, ">": value > right, "<=": value <= right,
                    ">=": value >= right}[op]
        raise Unjudgeable("match operator %r" % op)

    def _value(self, left, probe):
        if isinstance(left, dict) and "payload" in left:
            return _payload(left["payload"], probe)
        if isinstance(left, dict) and "meta" in left:
            return _meta(left["meta"]["key"], probe)
        if isinstance(left, dict) and "ct" in left and left["ct"].get("key") == "state":
            return "new"
        raise Unjudgeable("match on %s" % (list(left)[0] if isinstance(left, dict) else left))

    def _set_elements(self, key, name):
        found = self.sets.get((key[0], key[1], name))
        if found is None:
            raise Unjudgeable("set @%s not found" % name)
        return [_scalar(e) for e in found.get("elem", [])]

    def _elements(self, key, data):
        """``[(element, verdict statement)]`` of a verdict map (anonymous or named)."""
        if isinstance(data, str) and data.startswith("@"):
            found = self.sets.get((key[0], key[1], data[1:]))
            if found is None:
                raise Unjudgeable("map @%s not found" % data[1:])
            data = {"set": found.get("elem", [])}
        return [(_scalar(pair[0]), pair[1]) for pair in data.get("set", [])]


_NOT_THIS_PACKET = object()
_INTERFACE = object()         # the probe's input interface: not loopback, otherwise unknown


def _ipv4(text):
    try:
        return int(ipaddress.IPv4Address(text))
    except ValueError:
        return None


def _after(text):
    """The address after an IPv4 range end (as text), or the text itself when not one."""
    address = _ipv4(text)
    return text if address is None else str(ipaddress.IPv4Address(min(address + 1, 2 ** 32 - 1)))


def _priority(chain):
    prio = chain.get("prio", 0)
    if not isinstance(prio, int):
        raise Unjudgeable("chain %s priority %r" % (chain["name"], prio))
    return prio


def _payload(payload, probe):
    protocol, field = payload.get("protocol"), payload.get("field")
    if protocol in ("ip", "ip6"):
        if protocol != probe.family:
            return _NOT_THIS_PACKET
        if field == "saddr":
            return probe.saddr
        if field in ("protocol", "nexthdr"):
            return probe.l4proto
        raise Unjudgeable("%s %s" % (protocol, field))
    if protocol == "arp" or protocol in OTHER_L4:
        return _NOT_THIS_PACKET
    if protocol in ("udp", "tcp", "th"):
        if protocol != "th" and protocol != probe.l4proto:
            return _NOT_THIS_PACKET
        if field == "dport":
            return probe.dport
        if field == "sport":
            return probe.sport
    raise Unjudgeable("%s %s" % (protocol, field))


def _meta(key, probe):
    if key == "l4proto":
        return probe.l4proto
    if key == "nfproto":
        return "ipv4" if probe.family == "ip" else "ipv6"
    if key in ("iif", "iifname"):
        return _INTERFACE
    raise Unjudgeable("meta %s" % key)


# --- nft before 1.0 -------------------------------------------------------------------------------
# nft 0.9.x (Debian 11) leaves the statements of a dynamic set update (``update @meter { ip saddr
# limit rate over 50/second }``) out of ``nft -j``: the JSON reads like an update without a limit.
# Its text listing keeps them, so such rules are completed from ``nft -a list ruleset``.

_LISTED_TABLE = re.compile(r"^\s*table (\S+) (\S+) \{")
_LISTED_CHAIN = re.compile(r"^\s*chain (\S+) \{")
_LISTED_HANDLE = re.compile(r"# handle (\d+)\s*$")
_LISTED_SET_STATEMENT = re.compile(r"\b(?:update|add) @\S+ \{([^}]*)\}")
_LISTED_LIMIT = re.compile(r"\blimit rate (over )?")


def _bare_set_updates(expressions):
    return [expr["set"] for expr in expressions
            if "set" in expr and expr["set"].get("op") in ("add", "update")
            and "stmt" not in expr["set"]]


def needs_listing(document):
    """Whether a rule updates a dynamic set without its statements in the JSON (nft < 1.0), so
    that the ruleset must also be read as text (``nft -a list ruleset``)."""
    return any(_bare_set_updates(item["rule"].get("expr", []))
               for item in document.get("nftables", []) if "rule" in item)


def _listed_set_statements(listing):
    """``{(family, table, chain, handle): [statements of each set update, in order]}`` from the
    text of ``nft -a list ruleset``; a statement list holds the update's ``limit``, if any."""
    out, table, chain = {}, None, None
    for line in listing.splitlines():
        match = _LISTED_TABLE.match(line)
        if match:
            table, chain = match.groups(), None
            continue
        match = _LISTED_CHAIN.match(line)
        if match:
            chain = match.group(1)
            continue
        handle = _LISTED_HANDLE.search(line)
        if table is None or chain is None or handle is None:
            continue
        statements = []
        for inside in _LISTED_SET_STATEMENT.findall(line):
            limit = _LISTED_LIMIT.search(inside)
            statements.append([{"limit": {"inv": bool(limit.group(1))}}] if limit else [])
        out[(table[0], table[1], chain, int(handle.group(1)))] = statements
    return out


def _restore_set_statements(expressions, listed):
    """Give each bare set update of a rule the statements its text listing shows."""
    if listed is None:
        return
    for body, statements in zip(_bare_set_updates(expressions), listed):
        if statements:
            body["stmt"] = statements


def _has_limit(body):
    statements = body.get("stmt") or []
    return any("limit" in s for s in statements)


def _limit_over(body):
    """Whether a limit (plain, in a meter or in a dynamic set) matches only OVER its rate."""
    if "rate" in body:
        return bool(body.get("inv"))
    nested = body.get("stmt")
    if isinstance(nested, dict):
        nested = [nested]
    return any(bool(s["limit"].get("inv")) for s in nested or [] if "limit" in s)


def _contains(element, value):
    """Whether ``element`` (value, prefix, range) of a rule or set holds the probe's ``value``."""
    element = _scalar(element)
    if value is _INTERFACE:
        if element in ("lo", 1):
            return False            # the probe never comes from loopback
        raise Unjudgeable("interface %r (cannot tell which one faces outside)" % (element,))
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return _address_in(element, value)
    if isinstance(value, int):
        if isinstance(element, dict) and "range" in element:
            low, high = element["range"]
            return int(low) <= value <= int(high)
        if isinstance(element, int):
            return element == value
        raise Unjudgeable("port element %r" % (element,))
    if isinstance(value, str):
        return element == value or element == PROTOCOLS.get(value)
    raise Unjudgeable("element %r" % (element,))


def _address_in(element, address):
    if isinstance(element, str):
        try:
            return address == ipaddress.ip_address(element)
        except ValueError:
            raise Unjudgeable("address %r" % element)
    if isinstance(element, dict) and "prefix" in element:
        prefix = element["prefix"]
        net = ipaddress.ip_network("%s/%s" % (prefix["addr"], prefix["len"]), strict=False)
        return net.version == address.version and address in net
    if isinstance(element, dict) and "range" in element:
        low, high = (ipaddress.ip_address(a) for a in element["range"])
        return low.version == address.version and low <= address <= high
    raise Unjudgeable("address element %r" % (element,))
