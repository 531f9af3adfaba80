#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pbx_bans
short_description: Read the addresses a PBX banned, or load the fleet's bans into its shared ban sets
version_added: 0.1.0
description:
  - V(gathered) reads the addresses banned on this host now, from fail2ban's jails
    (C(fail2ban-client status <jail>), O(jails)) and the ban sets of the nftables table O(table)
    (O(ban_sets), filled by fail2ban's C(pbxsec-nftables) action), and the addresses of the
    host's own interfaces (RV(own_addresses)). Everything read is treated as
    hostile; only tokens that are IP addresses survive, at most O(max), and nothing else of that
    output is returned. A source that cannot be read is named in RV(unreadable), never an error.
  - V(present) adds the O(addresses) (bans reported by the PBXs of the fleet) and the networks of
    O(blocklist) to the sets O(set4) and O(set6) of O(table), each with O(timeout), leaving out
    every entry that overlaps O(exclude), loopback, link-local, multicast, unspecified or reserved
    addresses. Blocklist entries come first, then addresses by the number of PBXs that banned
    them; at most O(max) entries are loaded.
  - An entry already held with more than half of O(timeout) left is not touched, so a second run
    with the same bans changes nothing; with less left it is refreshed (deleted and added again in
    the same transaction). An entry inside a bigger element already held is covered by it. A
    network that contains smaller elements replaces them. Elements no longer wanted expire by
    themselves.
  - All changes of a host are one C(nft -f) batch, one transaction, checked with C(nft -c -f) in
    check mode. Only where a network replaces smaller elements are these deleted in a batch of
    their own first (nft before 1.0 refuses both in one transaction). When an element expired
    between reading the sets and loading the batch, the sets are read again and the batches made
    again, once.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  state:
    description:
      - V(gathered) reads this host's bans and changes nothing.
      - V(present) loads O(addresses) and O(blocklist) into O(set4) and O(set6).
    type: str
    choices: [gathered, present]
    default: present
  table:
    description: Family and name of the nftables table that holds the sets.
    type: str
    default: inet pbxsec
  jails:
    description: fail2ban jails whose banned addresses V(gathered) reads.
    type: list
    elements: str
    default: [asterisk, recidive]
  ban_sets:
    description:
      - Sets of O(table) whose elements V(gathered) reads (this host's own bans). The shared sets
        are never read back, or a shared ban would be shared again for ever.
    type: list
    elements: str
    default: [banned4, banned6]
  set4:
    description: The set (type C(ipv4_addr), flags C(interval,timeout)) that V(present) fills with IPv4 entries.
    type: str
    default: shared4
  set6:
    description: The set (type C(ipv6_addr), flags C(interval,timeout)) that V(present) fills with IPv6 entries.
    type: str
    default: shared6
  addresses:
    description:
      - V(present) only. Banned addresses as the PBXs reported them; an address banned on several
        PBXs may come once per PBX, which ranks it higher when O(max) cuts the list. Tokens that
        are not IP addresses are ignored.
    type: list
    elements: str
    default: []
  blocklist:
    description:
      - V(present) only. The operator's blocklist, the text of a file with one IP address or
        network (C(address/prefix), no host bits) a line; C(#) starts a comment. A bad line fails
        the module, naming the line number, before anything changes.
    type: str
    default: ""
  exclude:
    description:
      - V(present) only. Networks (or addresses) that no loaded entry may overlap, such as this
        host's provider, trusted and management networks and the addresses of the fleet's own
        hosts.
    type: list
    elements: str
    default: []
  timeout:
    description:
      - V(present) only. How long a loaded entry lives, in nft's form (V(24h), V(1d12h), V(90m),
        V(5s)) or in seconds; from 1 second to 365 days.
    type: str
    default: 24h
  max:
    description:
      - At most this many addresses are read by V(gathered), and at most this many entries are
        loaded by V(present).
    type: int
    default: 10000
extends_documentation_fragment:
  - pbxsec.hardening.attributes
notes:
  - Needs C(nft) and the right to change rules (root, or CAP_NET_ADMIN in a container) for
    V(present); V(gathered) reads what it can.
  - Loading the C(pbxsec) table again (role C(pbxsec.hardening.firewall)) empties its sets, the
    shared ones too; the next run of the C(pbxsec.hardening.share_bans) playbook fills them.
seealso:
  - name: Fleet-wide bans
    description: The share_bans playbook and what is never shared (docs/share_bans.md).
    link: https://github.com/pbxsec/hardening/blob/main/docs/share_bans.md
"""

EXAMPLES = r"""
- name: Share bans | Read the addresses banned on this PBX
  pbxsec.hardening.pbx_bans:
    state: gathered
  register: pbx_discovered_bans

- name: Share bans | Load the fleet's bans for a day
  pbxsec.hardening.pbx_bans:
    state: present
    addresses: "{{ ansible_play_hosts | map('extract', hostvars, ['pbx_discovered_bans', 'addresses']) | flatten }}"
    blocklist: "{{ lookup('ansible.builtin.file', '/srv/blocklists/sip-scanners.txt') }}"
    exclude: "{{ pbx_provider_networks + pbx_trusted_networks + pbx_management_networks }}"
    timeout: 24h
"""

RETURN = r"""
addresses:
  description: V(gathered) only. The addresses banned on this host now, sorted, at most O(max).
  returned: when state is gathered
  type: list
  elements: str
  sample: [198.18.0.10, "2001:db8::7"]
sources:
  description: V(gathered) only. How many addresses each source that could be read gave.
  returned: when state is gathered
  type: dict
  sample: {"fail2ban asterisk": 1, "fail2ban recidive": 0, "nft banned4": 1, "nft banned6": 0}
unreadable:
  description: V(gathered) only. The sources that could not be read, and why (no output of the host).
  returned: when state is gathered
  type: list
  elements: str
  sample: [fail2ban-client is not installed]
own_addresses:
  description:
    - V(gathered) only. The addresses of this host's interfaces (from C(/proc/net/fib_trie) and
      C(/proc/net/if_inet6)), which no PBX of the fleet loads as a ban.
  returned: when state is gathered
  type: list
  elements: str
  sample: [198.18.1.16, "fe80::42:c6ff:fe12:110"]
rejected:
  description: V(gathered) only. Tokens read that were not IP addresses.
  returned: when state is gathered
  type: int
truncated:
  description: Entries left out because of O(max).
  returned: always
  type: int
added:
  description: V(present) only. Entries added (or that would be), as C(address) or C(network/prefix).
  returned: when state is present
  type: list
  elements: str
  sample: [198.18.0.10]
refreshed:
  description: V(present) only. Entries held with less than half of O(timeout) left, added again.
  returned: when state is present
  type: list
  elements: str
replaced:
  description: V(present) only. Smaller elements deleted because a wanted network contains them.
  returned: when state is present
  type: list
  elements: str
kept:
  description: V(present) only. Wanted entries already held (or covered), left alone.
  returned: when state is present
  type: int
excluded:
  description: V(present) only. Entries left out because they overlap O(exclude) or addresses no ban may hold.
  returned: when state is present
  type: list
  elements: str
  sample: [198.51.100.10]
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.shared_bans import (
    SetState,
    batch,
    choose,
    entry,
    fib_local_addresses,
    inet6_addresses,
    jail_bans,
    parse_blocklist,
    parse_fence,
    parse_network,
    parse_timeout,
    plan,
    set_elements,
    valid_addresses,
)

RETRIES = 2


def _is_word(name):
    """Whether ``name`` is safe to write into an nft command: ASCII letters, digits, _ and -."""
    bare = name.replace("_", "").replace("-", "")
    return bare.isascii() and bare.isalnum()


def _printable(text, limit=300):
    """``text`` cut to ``limit`` characters with anything unprintable replaced: the most of a
    host's own message that goes into ours."""
    return "".join(char if char.isprintable() else "?" for char in text[:limit])


def _list_set(module, nft, table, name):
    """``[(value, expires)]`` of set ``name``, or None when it cannot be listed or read."""
    family, table_name = table.split()
    rc, out, _err = module.run_command([nft, "-j", "list", "set", family, table_name, name])
    if rc != 0:
        return None
    try:
        return set_elements(out)
    except ValueError:
        return None


def gather(module, table, limit):
    """This host's bans: the result of state V(gathered)."""
    sources, unreadable, tokens = {}, [], []
    client = module.get_bin_path("fail2ban-client")
    if module.params["jails"] and not client:
        unreadable.append("fail2ban-client is not installed")
    for jail in module.params["jails"] if client else []:
        rc, out, _err = module.run_command([client, "status", jail])
        if rc != 0:
            unreadable.append("fail2ban jail %s does not answer" % jail)
            continue
        found = jail_bans(out)
        sources["fail2ban %s" % jail] = len(valid_addresses(found, limit)[0])
        tokens += found
    nft = module.get_bin_path("nft")
    if module.params["ban_sets"] and not nft:
        unreadable.append("nft is not installed")
    for name in module.params["ban_sets"] if nft else []:
        elements = _list_set(module, nft, table, name)
        if elements is None:
            unreadable.append("set %s of table %s cannot be listed" % (name, table))
            continue
        values = [value for value, _expires in elements]
        sources["nft %s" % name] = len(valid_addresses(values, limit)[0])
        tokens += values
    addresses, rejected = valid_addresses(tokens, limit)
    everything = len(valid_addresses(tokens, len(tokens))[0])
    return dict(changed=False, addresses=sorted(addresses, key=_sort_key), sources=sources,
                unreadable=unreadable, rejected=rejected, truncated=everything - len(addresses),
                own_addresses=own_addresses(limit))


def _read_proc(path):
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def own_addresses(limit):
    """The addresses of this host's interfaces, read from the kernel (``/proc/net/fib_trie``,
    ``/proc/net/if_inet6``: no ``ip`` command needed), validated and bounded."""
    tokens = (fib_local_addresses(_read_proc("/proc/net/fib_trie"))
              + inet6_addresses(_read_proc("/proc/net/if_inet6")))
    return sorted(valid_addresses(tokens, limit)[0], key=_sort_key)


def _sort_key(text):
    """Order of entries (addresses or networks, all valid): IPv4 first, then by address."""
    network = parse_network(text)
    return network.version, network


def _wanted(module, limit):
    """``(networks, excluded, truncated)`` of the parameters of state V(present); fails naming the
    bad parameter."""
    params = module.params
    try:
        blocklist = parse_blocklist(params["blocklist"])
    except ValueError as exc:
        module.fail_json(msg="blocklist: %s; nothing was changed" % exc)
    exclude = []
    for entry in params["exclude"]:
        try:
            exclude.append(parse_fence(entry))
        except ValueError:
            module.fail_json(msg="exclude: %r is not an IP address or network; nothing was "
                             "changed" % entry)
    return choose(params["addresses"], blocklist, exclude, limit)


def _plans(module, nft, table, wanted, timeout):
    """``{set name: (state, add, refresh, delete, kept)}`` for both families; fails when a set is
    missing."""
    plans = {}
    for version, name in ((4, module.params["set4"]), (6, module.params["set6"])):
        elements = _list_set(module, nft, table, name)
        if elements is None:
            module.fail_json(msg="table %s has no set %s that can be read: load the table with "
                             "the firewall role of this release first (pbxsec.hardening.harden, "
                             "tag firewall); where FreePBX's firewall trusts the networks "
                             "(pbx_firewall_freepbx_firewall: trust) there is no pbxsec table "
                             "(use coexist for shared bans); nothing was changed" % (table, name))
        state = SetState(elements)
        plans[name] = (state,) + plan(state, [n for n in wanted if n.version == version],
                                      timeout)
    return plans


def _scripts(table, plans, timeout):
    """The batches that carry out ``plans``: the deletions of replaced elements (often empty),
    then the refreshes and additions."""
    replace, loading = [], []
    for name, (_state, add, refresh, delete, _kept) in sorted(plans.items()):
        replace.append(batch(table, name, delete, [], timeout))
        loading.append(batch(table, name, refresh, refresh + add, timeout))
    return [script for script in ("".join(replace), "".join(loading)) if script]


def _apply(module, nft, scripts):
    """Run each batch (``nft -c`` only for the first one in check mode: the next ones depend on
    it); ``(rc, message)`` of the first that fails, else ``(0, "")``."""
    for script in scripts[:1] if module.check_mode else scripts:
        rc, message = _nft_file(module, nft, script, module.check_mode)
        if rc != 0:
            return rc, message
    return 0, ""


def _nft_file(module, nft, script, check):
    """Run ``nft [-c] -f`` on ``script``; ``(rc, message)``."""
    path = os.path.join(module.tmpdir, "pbxsec-shared-bans.nft")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(script)
    rc, _out, err = module.run_command([nft] + (["-c"] if check else []) + ["-f", path])
    return rc, _printable(err.strip())


def _diff(plans):
    """``before``/``after`` of the shared sets, one entry a line."""
    before, after = [], []
    for _name, (state, add, refresh, delete, _kept) in sorted(plans.items()):
        held = [entry(network) for network, _expires in state.items]
        gone = set(entry(network) for network in delete)
        before += held
        after += [entry for entry in held if entry not in gone] + [entry(n) for n in add]
    return dict(before="".join(line + "\n" for line in before),
                after="".join(line + "\n" for line in sorted(after, key=_sort_key)))


def load(module, table, limit):
    """Load the wanted entries: the result of state V(present)."""
    try:
        timeout = parse_timeout(module.params["timeout"])
    except ValueError as exc:
        module.fail_json(msg="timeout: %s" % exc)
    wanted, excluded, truncated = _wanted(module, limit)
    nft = module.get_bin_path("nft", required=True)
    for attempt in range(1, RETRIES + 1):
        plans = _plans(module, nft, table, wanted, timeout)
        scripts = _scripts(table, plans, timeout)
        rc, message = _apply(module, nft, scripts)
        if rc == 0:
            break
        if attempt == RETRIES or module.check_mode:
            module.fail_json(msg="nft refused the batch of shared bans: %s" % message)
    result = dict(changed=bool(scripts), excluded=[entry(n) for n in excluded], truncated=truncated,
                  added=[], refreshed=[], replaced=[], kept=0)
    for _name, (_state, add, refresh, delete, kept) in sorted(plans.items()):
        result["added"] += [entry(n) for n in add]
        result["refreshed"] += [entry(n) for n in refresh]
        result["replaced"] += [entry(n) for n in delete]
        result["kept"] += len(kept)
    if truncated:
        module.warn("%d entries were left out: more than max (%d) to load" % (truncated, limit))
    if module._diff and scripts:
        result["diff"] = _diff(plans)
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["gathered", "present"], default="present"),
            table=dict(type="str", default="inet pbxsec"),
            jails=dict(type="list", elements="str", default=["asterisk", "recidive"]),
            ban_sets=dict(type="list", elements="str", default=["banned4", "banned6"]),
            set4=dict(type="str", default="shared4"),
            set6=dict(type="str", default="shared6"),
            addresses=dict(type="list", elements="str", default=[]),
            blocklist=dict(type="str", default=""),
            exclude=dict(type="list", elements="str", default=[]),
            timeout=dict(type="str", default="24h"),
            max=dict(type="int", default=10000),
        ),
        supports_check_mode=True,
    )
    params = module.params
    table = " ".join(params["table"].split())
    names = table.split() + params["jails"] + params["ban_sets"] + [params["set4"], params["set6"]]
    if len(table.split()) != 2 or not all(_is_word(name) for name in names):
        module.fail_json(msg="table, jails and set names must be words of letters, digits, _ "
                         "and - (table: 'family name', such as 'inet pbxsec')")
    if params["max"] < 1:
        module.fail_json(msg="max must be at least 1")
    if params["state"] == "gathered":
        module.exit_json(**gather(module, table, params["max"]))
    module.exit_json(**load(module, table, params["max"]))


if __name__ == "__main__":
    main()
