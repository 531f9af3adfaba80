#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nft_ruleset
short_description: Replace one nftables table atomically from a checked ruleset file, with an optional timed rollback
version_added: 0.1.0
description:
  - Owns one nftables table (O(table), for example V(inet pbxsec)) and leaves every other table
    alone.
  - The file written to O(path) is O(content) preceded by C(table <table> {}) and
    C(delete table <table>), so that loading it with C(nft -f) replaces the whole table in one
    transaction, at boot as well as now. O(content) must define the table.
  - The file is checked with C(nft -c -f) before anything is touched, in check mode too; a
    ruleset nft refuses makes the module fail with nft's message and changes nothing.
  - It is applied when the file differs from O(content), or when the live table differs from the
    one the module last applied (someone flushed or edited it, or the host rebooted without loading
    the file). The live table is compared in its JSON form without handles, counter values and the
    elements of the O(dynamic_sets), which are runtime state (bans, rate-limit meters).
  - With O(keep_connections), the checked ruleset is also loaded alone into a private network
    namespace (C(unshare --net)), read back with C(nft -j list ruleset), and a new connection of
    each entry is sent through it by the evaluator of the audit (a packet with C(ct state new),
    through every base chain of the C(ingress), C(prerouting) and C(input) hooks). If one would be
    dropped, the module fails before anything is touched, in check mode too.
  - With O(rollback_seconds), a detached job loads the previous file again after that many seconds
    unless RV(rollback_file) has been removed first; the play removes it once it has confirmed that
    it can still reach the host.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  path:
    description:
      - The ruleset file to write and load, for example V(/etc/nftables.d/pbxsec.nft). A missing
        directory is created (mode C(0750)) when the ruleset is applied; an existing one is left
        as it is.
    type: path
    required: true
  boot_include:
    description:
      - A file that the host loads at boot, such as Debian's V(/etc/nftables.conf) (read by the
        C(nftables) service). The module adds the line C(include "<path>") to it when no line
        says so, after its other lines, which stay as they are; a missing file is created with
        mode C(0755), as Debian ships it.
      - Omitted, no boot file is touched.
    type: path
  content:
    description:
      - The definition of the table, C(table inet pbxsec { ... }), in nft's syntax.
    type: str
    required: true
  table:
    description:
      - Family and name of the table that O(content) defines.
    type: str
    default: inet pbxsec
  dynamic_sets:
    description:
      - Names of the table's sets whose elements are runtime state (filled by fail2ban or by
        C(update @set) rules). Their elements are ignored when the live table is compared.
    type: list
    elements: str
    default: []
  state_path:
    description:
      - Where the module keeps the form of the live table it last applied, to notice later
        changes of the live table. Default C(/var/lib/pbxsec/nft-<family>-<name>.json).
    type: path
  rollback_seconds:
    description:
      - When greater than 0 and the module applies a change, load the previous file again after
        that many seconds unless RV(rollback_file) is removed before.
    type: int
    default: 0
  keep_connections:
    description:
      - New connections the ruleset must accept, for example the one Ansible manages the host
        through. The module fails, changing nothing, when the ruleset would drop one.
      - When the check cannot be made (no C(unshare), no right to make a network namespace, a rule
        the evaluator cannot decide), the module fails too, unless O(rollback_seconds) is set;
        then it warns and relies on the timed rollback.
    type: list
    elements: dict
    default: []
    suboptions:
      source:
        description: The address the connection comes from, IPv4 or IPv6.
        type: str
        required: true
      port:
        description: The port it goes to on this host.
        type: int
        required: true
      protocol:
        description: Its transport protocol.
        type: str
        choices: [tcp, udp]
        default: tcp
      name:
        description: What the connection is, for the failure message.
        type: str
        default: a connection to keep
  mode:
    description:
      - Mode of O(path).
    type: raw
    default: "0640"
extends_documentation_fragment:
  - pbxsec.hardening.attributes
notes:
  - Needs C(nft) and the right to load rules (root, or CAP_NET_ADMIN in a container). In check
    mode on a host without nft, the module reports the change it would make without checking the
    ruleset.
  - Applying the table replaces the elements of its sets, so bans held in a set of it are cleared;
    fail2ban bans the next offence again.
seealso:
  - name: nft(8)
    description: The nftables command line tool.
    link: https://www.netfilter.org/projects/nftables/manpage.html
"""

EXAMPLES = r"""
- name: PBX-NET-001 | PATCH | Load the PBX firewall table
  pbxsec.hardening.nft_ruleset:
    path: /etc/nftables.d/pbxsec.nft
    table: inet pbxsec
    content: "{{ lookup('ansible.builtin.template', 'pbxsec.nft.j2') }}"
    dynamic_sets: [banned4, banned6, sip_meter4]
    rollback_seconds: 120
    keep_connections:
      - name: the Ansible SSH connection
        source: 198.51.100.9
        port: 2222
  register: pbx_discovered_nft

- name: PBX-NET-001 | PATCH | Keep the new ruleset (the connection still works)
  ansible.builtin.file:
    path: "{{ pbx_discovered_nft.rollback_file }}"
    state: absent
  when: pbx_discovered_nft.rollback_file | default('')
"""

RETURN = r"""
file_changed:
  description: Whether O(path) was (or would be) rewritten.
  returned: always
  type: bool
live_changed:
  description: Whether the live table differed from the one last applied (or was missing).
  returned: always
  type: bool
rollback_file:
  description:
    - The file the rollback job loads when it still exists after O(rollback_seconds). Remove it to
      keep the new ruleset. Empty when no rollback job was started.
  returned: always
  type: str
  sample: /etc/nftables.d/pbxsec.nft.rollback
boot_include_changed:
  description: Whether the C(include) line was (or would be) added to O(boot_include).
  returned: always
  type: bool
connections_kept:
  description: The O(keep_connections) the ruleset was shown to accept, as C(protocol/port from source).
  returned: always
  type: list
  elements: str
  sample: [tcp/2222 from 198.51.100.9]
diff:
  description: Old and new contents of O(path) and, when its line is added, of O(boot_include).
  returned: when a file changes and diff mode is on
  type: list
  elements: dict
"""

import json
import os
import shlex
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_nft import (
    Probe,
    Ruleset,
    Unjudgeable,
)

_RUNTIME_KEYS = ("handle", "packets", "bytes")


def header(table):
    """The lines that make a ruleset file replace ``table`` as a whole."""
    return ("#!/usr/sbin/nft -f\n"
            "# Managed by pbxsec.hardening (nft_ruleset): local changes are overwritten.\n"
            "table %s {}\ndelete table %s\n" % (table, table))


def normalize(listing, dynamic_sets):
    """``nft -j list table`` output without what changes at run time: handles, counter values,
    the elements of ``dynamic_sets`` and the nft version."""

    def strip(node):
        if isinstance(node, dict):
            return dict((key, strip(value)) for key, value in node.items()
                        if key not in _RUNTIME_KEYS)
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    objects = []
    for item in json.loads(listing).get("nftables", []):
        if "metainfo" in item:
            continue
        if "set" in item and item["set"].get("name") in dynamic_sets:
            item["set"].pop("elem", None)
        objects.append(strip(item))
    return objects


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except FileNotFoundError:
        return None


def _write_temp(module, directory, text):
    fd, tmp = tempfile.mkstemp(prefix=".pbxsec-", suffix=".nft", dir=directory)
    with os.fdopen(fd, "wb") as handle:
        handle.write(to_bytes(text))
    module.add_cleanup_file(tmp)
    return tmp


def _live(module, nft, table, dynamic_sets):
    family, name = table.split()
    rc, out, _err = module.run_command([nft, "-j", "list", "table", family, name])
    if rc != 0:
        return None
    return normalize(out, dynamic_sets)


def _alone(module, nft, candidate):
    """``(JSON text, listing)`` of ``candidate`` loaded alone into an empty private network
    namespace (``nft -j list ruleset`` and, for nft before 1.0, ``nft -a list ruleset``). Raises
    :class:`Unjudgeable` when that cannot be done."""
    unshare = module.get_bin_path("unshare")
    if unshare is None:
        raise Unjudgeable("unshare is not installed")
    script = '"$1" -f "$2" && "$1" -j list ruleset && "$1" -a list ruleset'
    rc, out, err = module.run_command([unshare, "--net", "/bin/sh", "-c", script,
                                       "pbxsec-nft-alone", nft, candidate])
    if rc != 0:
        raise Unjudgeable("it could not be loaded alone in a private network namespace: %s"
                          % to_native(err).strip()[:200])
    document, _newline, listing = out.partition("\n")
    return document, listing


def _dropped(module, nft, candidate, probes):
    """The ``(probe, name)`` pairs of ``probes`` that the ruleset in ``candidate``, loaded
    alone, would drop. Raises :class:`Unjudgeable` when that cannot be told."""
    document, listing = _alone(module, nft, candidate)
    try:
        ruleset = Ruleset(json.loads(document), listing)
        return [(probe, name) for probe, name in probes if not ruleset.judge(probe).accepted]
    except (ValueError, KeyError, TypeError) as exc:
        raise Unjudgeable("nft -j list ruleset gave JSON the evaluator does not understand: %s"
                          % exc)


def _check_kept(module, nft, candidate, probes, result):
    """Fail, changing nothing, when the ruleset in ``candidate`` would drop one of ``probes``
    (``(Probe, name)`` pairs), or when that cannot be checked and no rollback guards the change."""
    try:
        dropped = _dropped(module, nft, candidate, probes)
    except Unjudgeable as exc:
        if module.params["rollback_seconds"] > 0:
            module.warn("could not check that the ruleset keeps the connections of "
                        "keep_connections (%s): only the timed rollback guards them" % exc)
            return
        module.fail_json(msg="could not check that the ruleset keeps the connections of "
                         "keep_connections (%s), nothing was changed: set rollback_seconds so "
                         "that a lockout is undone" % exc, **result)
    if dropped:
        module.fail_json(msg="the ruleset would drop new connections that must stay open, "
                         "nothing was changed: %s"
                         % "; ".join("%s (%s)" % pair for pair in dropped), **result)
    result["connections_kept"] = [str(probe) for probe, _name in probes]


def _probes(module):
    """``(Probe, name)`` of each entry of keep_connections; fails on a source that is not an
    IP address or a port out of range."""
    probes = []
    for connection in module.params["keep_connections"]:
        try:
            probe = Probe(connection["source"], connection["protocol"], connection["port"])
        except ValueError:
            module.fail_json(msg="keep_connections: source %r is not an IP address"
                             % connection["source"])
        if not 0 < probe.dport < 65536:
            module.fail_json(msg="keep_connections: port %d is not a port" % probe.dport)
        probes.append((probe, connection["name"]))
    return probes


def _boot_text(module, path, boot_include):
    """``(before, after)`` of ``boot_include`` where it lacks the line that includes ``path``
    (``before`` is None for a missing file), None where it has it."""
    line = 'include "%s"' % path
    try:
        before = _read(boot_include)
    except (OSError, UnicodeDecodeError) as exc:
        module.fail_json(msg="cannot read boot_include %s: %s" % (boot_include, exc))
    if before is not None and line in (text.strip() for text in before.splitlines()):
        return None
    text = before or ""
    return before, text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"


def _write_boot_include(module, boot_include, before, after):
    tmp = _write_temp(module, os.path.dirname(boot_include) or ".", after)
    module.atomic_move(tmp, boot_include)
    if before is None:
        os.chmod(boot_include, 0o755)


def _start_rollback(module, nft, path, previous, table, seconds):
    """Write the ruleset to go back to and start a detached job that loads it after ``seconds``
    unless the file is gone by then."""
    rollback = path + ".rollback"
    tmp = _write_temp(module, os.path.dirname(path), previous or header(table))
    module.atomic_move(tmp, rollback)
    script = 'sleep "$1"; if [ -f "$2" ]; then "$3" -f "$2" && mv -f "$2" "$4"; fi'
    # setsid and the redirections detach the job: run_command returns at once, and the job
    # outlives the module.
    words = (script, "pbxsec-nft-rollback", str(seconds), rollback, nft, path)
    command = "setsid /bin/sh -c %s </dev/null >/dev/null 2>&1 &" % " ".join(
        shlex.quote(word) for word in words)
    rc, _out, err = module.run_command(command, use_unsafe_shell=True)
    if rc != 0:
        module.fail_json(msg="could not start the rollback job: %s" % to_native(err).strip())
    return rollback


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            content=dict(type="str", required=True),
            table=dict(type="str", default="inet pbxsec"),
            dynamic_sets=dict(type="list", elements="str", default=[]),
            state_path=dict(type="path"),
            rollback_seconds=dict(type="int", default=0),
            mode=dict(type="raw", default="0640"),
            boot_include=dict(type="path"),
            keep_connections=dict(type="list", elements="dict", default=[], options=dict(
                source=dict(type="str", required=True),
                port=dict(type="int", required=True),
                protocol=dict(type="str", choices=["tcp", "udp"], default="tcp"),
                name=dict(type="str", default="a connection to keep"),
            )),
        ),
        supports_check_mode=True,
    )
    params = module.params
    probes = _probes(module)
    path, table = params["path"], " ".join(params["table"].split())
    if len(table.split()) != 2:
        module.fail_json(msg="table must be 'family name', such as 'inet pbxsec', not %r"
                         % params["table"])
    if "table %s" % table not in " ".join(params["content"].split()):
        module.fail_json(msg="content does not define table %s" % table)
    # A missing directory is created only when the ruleset is applied; until then the
    # candidate file waits in the temporary directory.
    directory = os.path.dirname(path)
    missing_directory = not os.path.isdir(directory)
    if missing_directory:
        directory = tempfile.gettempdir()
    family, name = table.split()
    state_path = params["state_path"] or "/var/lib/pbxsec/nft-%s-%s.json" % (family, name)

    wanted = header(table) + params["content"].rstrip("\n") + "\n"
    before = _read(path)
    boot = _boot_text(module, path, params["boot_include"]) if params["boot_include"] else None
    result = dict(changed=False, file_changed=before != wanted, live_changed=True,
                  boot_include_changed=boot is not None,
                  rollback_file="", path=path, table=table, connections_kept=[])
    if module._diff:
        result["diff"] = [dict(before=old or "", after=new,
                               before_header=label, after_header=label)
                          for label, old, new in ((path, before, wanted),
                                                  (params["boot_include"],) + (boot or (None, None)))
                          if new is not None and old != new]

    nft = module.get_bin_path("nft", required=not module.check_mode)
    if nft is None:
        module.warn("nft is not installed: the ruleset was not checked")
        result["changed"] = True
        module.exit_json(**result)

    candidate = _write_temp(module, directory, wanted)
    rc, _out, err = module.run_command([nft, "-c", "-f", candidate])
    if rc != 0:
        module.fail_json(msg="nft refuses the ruleset, nothing was changed: %s"
                         % to_native(err).strip(), **result)
    if probes:
        _check_kept(module, nft, candidate, probes, result)

    recorded = _read(state_path)
    live = _live(module, nft, table, params["dynamic_sets"])
    result["live_changed"] = live is None or recorded is None or json.loads(recorded) != live
    result["changed"] = (result["file_changed"] or result["live_changed"]
                         or result["boot_include_changed"])
    if module.check_mode or not (result["file_changed"] or result["live_changed"]):
        if boot and not module.check_mode:
            _write_boot_include(module, params["boot_include"], *boot)
        module.exit_json(**result)
    if missing_directory:
        os.makedirs(os.path.dirname(path), mode=0o750)

    if params["rollback_seconds"] > 0:
        result["rollback_file"] = _start_rollback(module, nft, path, before, table,
                                                  params["rollback_seconds"])
    rc, _out, err = module.run_command([nft, "-f", candidate])
    if rc != 0:
        module.fail_json(msg="nft could not load the ruleset: %s" % to_native(err).strip(),
                         **result)
    module.atomic_move(candidate, path)
    module.set_mode_if_different(path, params["mode"], False)
    os.makedirs(os.path.dirname(state_path), mode=0o750, exist_ok=True)
    state_tmp = _write_temp(module, os.path.dirname(state_path),
                            json.dumps(_live(module, nft, table, params["dynamic_sets"]),
                                       sort_keys=True))
    module.atomic_move(state_tmp, state_path)
    if boot:   # only once the file it includes is in place
        _write_boot_include(module, params["boot_include"], *boot)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
