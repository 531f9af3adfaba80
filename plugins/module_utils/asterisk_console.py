# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Ask the running Asterisk a CLI command through its control socket, as ``asterisk -rx`` does.

``asterisk -rx`` starts the whole asterisk binary only to pass one command over the control
socket and print the answer: about 7 ms of CPU per command, paid on every PBX of a fleet
audit. Talking to the socket directly gives the same text in about 1 ms, without the
binary's own start-up warnings (``No ethernet interface found...``).

The protocol is the one of ``main/asterisk.c`` (the same in Asterisk 16 and 22): on connect
Asterisk sends one banner line ``host/pid/version``; the client sends
``cli quit after <command>`` and a NUL; Asterisk writes the output and closes the connection.
Lines that start with a byte outside 1-127 are verbose messages for consoles, which
``asterisk -rx`` does not print either. The socket answers whoever may open it (root, or the
Asterisk user and group of ``astctlpermissions``), as for ``asterisk -rx``."""

from __future__ import annotations

import socket

DEFAULT_RUN_DIR = "/var/run/asterisk"
DEFAULT_CONTROL_FILE = "asterisk.ctl"
TIMEOUT = 60    # seconds without a byte before giving up, as asterisk -rx waits
MAX_ANSWER = 16 * 1024 * 1024   # bytes: a longer answer is not read (None), never cut short
TABLE_RULE = "====="            # the rule under the column headings of ``pjsip show`` lists


def control_socket(asterisk_conf):
    """Path of the control socket: ``astrundir`` of ``[directories]`` and ``astctl`` of
    ``[files]`` in asterisk.conf (the last assignment of each, as ``main/asterisk.c`` reads
    them; templates such as the stock ``[directories](!)`` are not read), else the compiled-in
    defaults.

    :param asterisk_conf: the loaded asterisk.conf (:class:`Config`), or None when absent.
    """
    run_dir = asterisk_conf.get("directories", "astrundir") if asterisk_conf is not None else None
    name = asterisk_conf.get("files", "astctl") if asterisk_conf is not None else None
    return "%s/%s" % (DEFAULT_RUN_DIR if run_dir is None else run_dir,
                      DEFAULT_CONTROL_FILE if name is None else name)


def printed(stream):
    """The text ``asterisk -rx`` prints of what Asterisk sent after the banner: every line but
    the verbose ones (first byte 0 or above 127)."""
    return b"".join(line for line in stream.splitlines(True) if 0 < line[0] < 128).decode(
        "utf-8", "replace")


def ask(socket_path, command, timeout=TIMEOUT):
    """What Asterisk answers to CLI ``command`` on ``socket_path``, or None when nothing
    answers there (no such socket, nobody listening, not allowed, silent for ``timeout``)."""
    received = []
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(socket_path)
            conn.sendall(b"cli quit after " + command.encode("utf-8") + b"\0")
            size, chunk = 0, conn.recv(65536)
            while chunk:
                size += len(chunk)
                if size > MAX_ANSWER:
                    return None
                received.append(chunk)
                chunk = conn.recv(65536)
    except OSError:         # FileNotFoundError, ConnectionRefusedError, PermissionError, timeout
        return None
    dummy_banner, newline, stream = b"".join(received).partition(b"\n")
    return printed(stream) if newline else None


def _label(line):
    """``(label, value)`` of a ``  Label:  value`` line of a ``pjsip show`` list."""
    label, colon, value = line.strip().partition(":")
    return (label, value.strip()) if colon else ("", "")


def _object_id(value):
    """The object id at the start of a list cell: ``200/"Bob" <200>`` and ``200/200`` give
    ``200`` (the part after ``/`` is the caller ID or the user name)."""
    words = value.split(None, 1)
    return words[0].partition("/")[0] if words else ""


def pjsip_endpoints(text):
    """The endpoints of a ``pjsip show endpoints`` answer, in order, as dicts ``name``,
    ``inauths`` (auth ids) and ``identifies`` (dicts ``name``, ``matches``).  Lines before the
    rule under the column headings are the headings; one pass, no backtracking."""
    endpoints, listing = [], False
    for line in text.splitlines():
        if not listing:
            listing = line.strip().startswith(TABLE_RULE)
            continue
        label, value = _label(line)
        if label == "Endpoint":
            endpoints.append(dict(name=_object_id(value), inauths=[], identifies=[]))
        elif not endpoints:
            continue
        elif label == "InAuth":
            endpoints[-1]["inauths"].append(_object_id(value))
        elif label == "Identify":
            endpoints[-1]["identifies"].append(dict(name=_object_id(value), matches=[]))
        elif label == "Match" and endpoints[-1]["identifies"]:
            endpoints[-1]["identifies"][-1]["matches"].append(value)
    return endpoints


def pjsip_listed(text, label):
    """The object ids of a ``pjsip show auths`` (``label`` ``Auth``), ``pjsip show aors``...
    answer: the first cell of each ``label:`` line under the column headings."""
    found, listing = [], False
    for line in text.splitlines():
        if not listing:
            listing = line.strip().startswith(TABLE_RULE)
            continue
        name, value = _label(line)
        if name == label:
            found.append(_object_id(value))
    return found


def pjsip_parameters(text):
    """``{parameter: value}`` of the ``ParameterName : ParameterValue`` table that ``pjsip show
    endpoint NAME`` and ``pjsip show auth NAME`` print; empty when there is none (no such
    object)."""
    found, table = {}, False
    for line in text.splitlines():
        name, colon, value = line.partition(" : ")
        name = name.strip()
        if not table:
            table = name == "ParameterName"
        elif colon and name and " " not in name:
            found[name] = value.strip()
    return found
