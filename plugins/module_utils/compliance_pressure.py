# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Attack pressure on one host over the last hours, by its own clock: failed authentications
and unknown-user attempts from Asterisk's logs, bans from fail2ban.

Asterisk's security log (a ``[logfiles]`` channel with the ``security`` level) is counted when
logger.conf writes one; otherwise the file that gets the NOTICE lines (chan_sip's
``Registration from ... failed for ... - Wrong password``, res_pjsip's ``Request 'REGISTER' from
... failed for ... - Failed to authenticate``).  Never both: chan_sip logs every failure in each.
Bans are the ``Ban <address>`` lines of the ``asterisk`` and ``recidive`` jails in fail2ban's log,
and the addresses banned now are what ``fail2ban-client status <jail>`` says.

Every log line is hostile (an attacker chooses the user name, the From header, the Call-ID that
end up in it).  Only the last :data:`MAX_TAIL_BYTES` of a log are read, through a descriptor that
refuses links and anything but a regular file; each line is cut at fixed markers with ``str``
methods (linear, no regular expression); only counts and addresses that parse as IP addresses
leave this module.  A line that names its source address more than once (a user name crafted
to look like a second address) counts as an attempt from no address."""

from __future__ import annotations

import configparser
import datetime
import glob
import heapq
import ipaddress
import os
import stat

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_logging import (
    log_dir,
    notice_channels,
    security_channels,
)

MAX_TAIL_BYTES = 8 * 1024 * 1024      # read of each log, from its end
TOP_SOURCES = 5
JAILS = ("asterisk", "recidive")
FAIL2BAN_LOG = "/var/log/fail2ban.log"
MONTHS = dict((name, number) for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1))
# res_security_log's events: what each counts as (ChallengeSent and the others: nothing).
SECURITY_EVENTS = {
    "InvalidPassword": "failed_auth",
    "ChallengeResponseFailed": "failed_auth",
    "FailedACL": "failed_auth",
    "InvalidAccountID": "unknown_user",
}
SECURITY_MARK = ' res_security_log.c: SecurityEvent="'
# res_pjsip logs ChallengeResponseFailed for a user it does not know, after InvalidAccountID
# for the same request: counted once, as the unknown user.
UNKNOWN_ACCOUNT = ',AccountID="<unknown>",'
REMOTE_MARK = ',RemoteAddress="'
# NOTICE lines of failed requests: (marker of the writer, line ending, what it counts as).
NOTICE_ENDINGS = (
    (" chan_sip.c: Registration from '", "' - Wrong password", "failed_auth"),
    (" chan_sip.c: Registration from '", "' - Username/auth name mismatch", "failed_auth"),
    (" chan_sip.c: Registration from '", "' - Device does not match ACL", "failed_auth"),
    (" chan_sip.c: Registration from '", "' - No matching peer found", "unknown_user"),
    ("/pjsip_distributor.c: Request '", ") - Failed to authenticate", "failed_auth"),
    ("/pjsip_distributor.c: Request '", ") - No matching endpoint found", "unknown_user"),
)
FAILED_FOR = "' failed for '"
KINDS = ("failed_auth", "unknown_user")


def _address(text):
    """``text`` as an IP address (str), or None."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def asterisk_time(line, now):
    """The time of an Asterisk log line (``[Dec  4 07:12:01]``, the year taken so that the time
    is not ahead of ``now``; or ``[2026-12-04 07:12:01]``, fractions of a second allowed), or
    None."""
    end = line.find("]", 0, 40)
    if not line.startswith("[") or end < 0:
        return None
    stamp = line[1:end]
    try:
        if stamp[:4].isdigit():
            return datetime.datetime.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S")
        month, day, clock = MONTHS[stamp[:3]], int(stamp[4:6]), stamp[7:15]
        hour, minute, second = (int(part) for part in clock.split(":"))
        for year in (now.year, now.year - 1):
            try:
                when = datetime.datetime(year, month, day, hour, minute, second)
            except ValueError:      # 29 February of a year that has none
                continue
            if when <= now + datetime.timedelta(days=1):
                return when
    except (KeyError, ValueError):
        pass
    return None


def fail2ban_time(line):
    """The time of a fail2ban log line (``2026-12-04 07:12:01,123 ...``), or None."""
    try:
        return datetime.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _single(line, mark, end):
    """The text between ``mark`` and the next ``end`` when ``mark`` occurs exactly once."""
    start = line.find(mark)
    if start < 0 or line.find(mark, start + 1) >= 0:
        return None
    start += len(mark)
    stop = line.find(end, start)
    return line[start:stop] if stop >= 0 else None


def security_event(line):
    """``(kind, address)`` of a security-log line that counts, else None.  ``address`` is None
    when the line does not name one source unambiguously."""
    start = line.find(SECURITY_MARK)
    if start < 0:
        return None
    start += len(SECURITY_MARK)
    name = line[start:line.find('"', start)]
    kind = SECURITY_EVENTS.get(name)
    if kind is None or (name == "ChallengeResponseFailed" and UNKNOWN_ACCOUNT in line):
        return None
    remote = _single(line, REMOTE_MARK, '"')
    parts = remote.split("/") if remote is not None else ()
    return kind, _address(parts[2]) if len(parts) == 4 else None


def notice_event(line):
    """``(kind, address)`` of a NOTICE line of a failed registration or request, else None."""
    for mark, ending, kind in NOTICE_ENDINGS:
        if line.endswith(ending) and mark in line:
            source = _single(line, FAILED_FOR, "'")
            host = source.rsplit(":", 1)[0].strip("[]") if source else ""
            return kind, _address(host)
    return None


def ban_event(line):
    """The address of a fail2ban ``[jail] Ban <address>`` line of :data:`JAILS`, else None."""
    start = line.find("]: NOTICE")
    if start < 0:
        return None
    words = line[start + len("]: NOTICE"):].split()
    if len(words) != 3 or words[1] != "Ban" or words[0].strip("[]") not in JAILS:
        return None
    return _address(words[2])


def read_tail(path, limit=MAX_TAIL_BYTES):
    """``(lines, whole)``: the lines of the last ``limit`` bytes of the regular file ``path``
    (decoded as UTF-8, a bad byte replaced; a first line cut by the limit dropped) and whether
    that is the whole file.  Raises OSError (also for a link or a file of another type)."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError("%s is not a regular file" % path)
        whole = status.st_size <= limit
        if not whole:
            stream.seek(status.st_size - limit)
        data = stream.read(limit)
    lines = data.decode("utf-8", "replace").split("\n")
    return (lines if whole else lines[1:]), whole


def count_attempts(lines, classify, since, now):
    """``({kind: count}, {address: count}, reached)`` of the lines at or after ``since``;
    ``reached`` says whether a dated line before ``since`` was seen (the lines cover the window).
    Raises ValueError when no line carries a time Asterisk writes."""
    counts = dict((kind, 0) for kind in KINDS)
    sources = {}
    dated = reached = False
    for line in lines:
        when = asterisk_time(line, now)
        if when is None:
            continue
        dated = True
        if when < since:
            reached = True
            continue
        event = classify(line)
        if event is None:
            continue
        kind, address = event
        counts[kind] += 1
        if address is not None:
            sources[address] = sources.get(address, 0) + 1
    if lines and any(line.strip() for line in lines) and not dated:
        raise ValueError("no line starts with a time Asterisk writes")
    return counts, sources, reached


def top_sources(sources, number=TOP_SOURCES):
    """The ``number`` addresses with the most attempts (most first, then by address)."""
    ranked = heapq.nsmallest(number, sources.items(), key=lambda item: (-item[1], item[0]))
    return [dict(address=address, attempts=attempts) for address, attempts in ranked]


def _log_path(host, channel):
    return channel if channel.startswith("/") else os.path.join(log_dir(host), channel)


def attempts_log(host):
    """``(path, classify)`` of the log to count: the security log, else the notice log.
    Raises ValueError when logger.conf writes neither to a file."""
    channels = [name for name, dummy in security_channels(host)
                if not name.lower().startswith("syslog")]
    if channels:
        return _log_path(host, channels[0]), security_event
    channels = notice_channels(host)
    if channels:
        return _log_path(host, channels[0]), notice_event
    raise ValueError("logger.conf writes neither the security level nor notices to a file")


def fail2ban_log(fail2ban_dir):
    """fail2ban's log file (``logtarget`` of fail2ban.conf, .local and fail2ban.d), or None when
    it logs elsewhere (SYSLOG, SYSTEMD-JOURNAL, STDOUT...)."""
    parser = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";", "#"))
    for pattern in ("fail2ban.conf", "fail2ban.d/*.conf", "fail2ban.local", "fail2ban.d/*.local"):
        for path in sorted(glob.glob(os.path.join(fail2ban_dir, pattern))):
            parser.read(path, encoding="utf-8")
    target = parser.get("Definition", "logtarget", fallback=FAIL2BAN_LOG).strip()
    return target if target.startswith("/") else None


def count_bans(lines, since):
    """Bans at or after ``since`` in fail2ban log lines."""
    bans = 0
    for line in lines:
        when = fail2ban_time(line)
        if when is not None and when >= since and ban_event(line) is not None:
            bans += 1
    return bans


def banned_now(run):
    """Addresses banned now in :data:`JAILS` (sum of ``Currently banned``), asking
    ``fail2ban-client status <jail>`` through ``run`` (``args -> (rc, out)``); None when no jail
    answers."""
    total = None
    for jail in JAILS:
        rc, out = run(["fail2ban-client", "status", jail])
        if rc != 0:
            continue
        for line in out.splitlines():
            dummy, marker, value = line.partition("Currently banned:")
            if marker and value.strip().isdigit():
                total = (total or 0) + int(value.strip())
    return total


def _attempts(host, since, now):
    """The attempt counts, sources and notes; raises ValueError or OSError with the reason."""
    try:
        path, classify = attempts_log(host)
    except AsteriskConfigError as exc:
        raise ValueError("the logger configuration cannot be read: %s" % exc) from None
    try:
        lines, whole = read_tail(path)
    except OSError as exc:
        raise OSError("%s cannot be read: %s" % (path, exc.strerror or exc)) from None
    try:
        counts, sources, reached = count_attempts(lines, classify, since, now)
    except ValueError as exc:
        raise ValueError("%s: %s" % (path, exc)) from None
    notes = [] if whole or reached else [
        "only the last %d MiB of %s were read: they do not reach back to %s, so the counts are "
        "a lower bound" % (MAX_TAIL_BYTES // 2 ** 20, path, since.isoformat())]
    return path, counts, sources, notes


def _bans(host, fail2ban_dir, since):
    """``(bans, banned now, notes)``; None where fail2ban does not say."""
    notes = []
    path = fail2ban_log(fail2ban_dir) if os.path.isdir(fail2ban_dir) else None
    bans = None
    if path is None:
        notes.append("no fail2ban log file to count bans in")
    else:
        try:
            bans = count_bans(read_tail(path)[0], since)
        except OSError as exc:
            notes.append("%s cannot be read: %s" % (path, exc.strerror or exc))
    return bans, banned_now(host.run), notes


def gather(host, fail2ban_dir, hours, now=None):
    """The attack pressure of the last ``hours`` (a dict, see the module's RETURN): ``status``
    ``counted``, or ``unknown`` with the ``reason`` when Asterisk's log cannot be counted."""
    now = now or datetime.datetime.now()
    since = (now - datetime.timedelta(hours=hours)).replace(microsecond=0)
    pressure = dict(status="counted", reason=None, hours=hours, since=since.isoformat(),
                    log=None, failed_auth=None, unknown_user=None, bans=None, banned_now=None,
                    top_sources=[], notes=[])
    try:
        path, counts, sources, notes = _attempts(host, since, now)
    except (ValueError, OSError) as exc:
        pressure.update(status="unknown", reason=str(exc))
    else:
        pressure.update(log=path, top_sources=top_sources(sources), notes=notes, **counts)
    bans, banned, ban_notes = _bans(host, fail2ban_dir, since)
    pressure.update(bans=bans, banned_now=banned, notes=pressure["notes"] + ban_notes)
    return pressure
