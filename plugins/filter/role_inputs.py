# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the roles write into configuration text comes from two places, both checked here before
anything is written: the operator's variables (``input_problems``: argument specs give types and
choices, these give the formats that types cannot say) and the environment of the connection
(``ssh_connection``: the address and port that must stay reachable)."""

from __future__ import annotations

import ipaddress
import re

from ansible.errors import AnsibleFilterError
from ansible_collections.pbxsec.hardening.plugins.filter.ipv4_acl import cidr_problems

_PATH = re.compile(r"/[A-Za-z0-9._+@/-]*")
_FILE_NAME = re.compile(r"[A-Za-z0-9._+@-]+")
_NFT_RATE = re.compile(r"[1-9][0-9]{0,9}/(?:second|minute|hour|day|week)")
_DIGITS = re.compile(r"[0-9]{1,10}")


def _whole_number(value):
    """``value`` as an int (an int, or a string of digits as ``-e`` passes them), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def _positive_int(value):
    number = _whole_number(value)
    return None if number is not None and number >= 1 else "must be a whole number from 1"


def _non_negative_int(value):
    number = _whole_number(value)
    return None if number is not None and number >= 0 else "must be a whole number from 0"


def _ports(value):
    if not isinstance(value, list):
        return "must be a list of ports (1-65535)"
    bad = [port for port in value if not 0 < (_whole_number(port) or 0) < 65536]
    return "%s: not a port (1-65535)" % ", ".join(repr(port) for port in bad) if bad else None


def _absolute_path(value):
    if isinstance(value, str) and _PATH.fullmatch(value):
        return None
    return "must be an absolute path of letters, digits and . _ + @ - /"


def _file_name(value):
    if isinstance(value, str) and _FILE_NAME.fullmatch(value) and value not in (".", ".."):
        return None
    return "must be a file name of letters, digits and . _ + @ - (no /)"


def _nft_rate(value):
    if isinstance(value, str) and _NFT_RATE.fullmatch(value):
        return None
    return "must be a rate such as 50/second (a count from 1, then second, minute, hour, day or week)"


def _ipv4_networks(value):
    if not isinstance(value, list):
        return "must be a list of networks such as 198.51.100.0/24"
    return "; ".join(cidr_problems(value)) or None


def _optional_ipv4_address(value):
    if value == "":
        return None
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return "must be an IPv4 address such as 198.51.100.7, or empty"
    return None


FORMATS = {
    "absolute_path": _absolute_path,
    "file_name": _file_name,
    "ipv4_networks": _ipv4_networks,
    "nft_rate": _nft_rate,
    "non_negative_int": _non_negative_int,
    "optional_ipv4_address": _optional_ipv4_address,
    "ports": _ports,
    "positive_int": _positive_int,
}


def input_problems(formats, values):
    """One ``'variable: reason (got value)'`` string for each variable of ``formats`` (variable
    name to format name, in order) whose value (``values``, in the same order) lacks the format."""
    names = list(formats)
    if len(names) != len(values):
        raise AnsibleFilterError("input_problems: %d formats but %d values" % (len(names), len(values)))
    problems = []
    for name, value in zip(names, values):
        check = FORMATS.get(formats[name])
        if check is None:
            raise AnsibleFilterError("input_problems: %s: unknown format %r (known: %s)"
                                     % (name, formats[name], ", ".join(sorted(FORMATS))))
        problem = check(value)
        if problem:
            problems.append("%s: %s (got %r)" % (name, problem, value))
    return problems


def _address(text):
    """An IP address as nft writes it: no IPv6 zone, an IPv4-mapped IPv6 address as IPv4."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def ssh_connection(env):
    """The SSH connection a remote environment (``ansible_facts.env``) belongs to:
    ``{'address': client address, 'family': 'ip' or 'ip6', 'port': server port}`` from
    ``SSH_CONNECTION`` (client, client port, server, server port), else ``SSH_CLIENT`` (client,
    client port, server port); ``{}`` when neither is set (a local or container connection)."""
    for variable, fields in (("SSH_CONNECTION", 4), ("SSH_CLIENT", 3)):
        text = (env or {}).get(variable) or ""
        if not text:
            continue
        words = text.split()
        try:
            if len(words) != fields:
                raise ValueError("%d fields" % len(words))
            address, port = _address(words[0]), int(words[-1])
            if not 0 < port < 65536:
                raise ValueError("port %d" % port)
        except ValueError as exc:
            raise AnsibleFilterError("ssh_connection: %s %r is not what sshd sets (%s)"
                                     % (variable, text[:200], exc))
        return {"address": str(address), "family": "ip" if address.version == 4 else "ip6",
                "port": port}
    return {}


class FilterModule:
    """Checks of role inputs."""

    def filters(self):
        return {
            "input_problems": input_problems,
            "ssh_connection": ssh_connection,
        }
