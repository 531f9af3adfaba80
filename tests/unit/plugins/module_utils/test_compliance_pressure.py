# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Attack pressure (issue 18, item 4) counted from real Asterisk 16 and 22 and fail2ban logs
(tests/unit/fixtures/logs, README there says what was sent), from garbage, and over the time
window; and through ``pbx_compliance`` itself with logs stamped now."""

from __future__ import annotations

import datetime
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.pbxsec.hardening.plugins.module_utils import compliance_pressure as cp

LOGS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "fixtures", "logs")
CAPTURED = datetime.datetime(2026, 12, 4, 9, 0, 0)          # an hour after the capture
DAY_BEFORE = CAPTURED - datetime.timedelta(hours=24)
ATTACKER = "172.20.0.4"


def lines_of(name):
    lines, whole = cp.read_tail(os.path.join(LOGS, name))
    assert whole
    return lines


def counted(name, classify, since=DAY_BEFORE, now=CAPTURED):
    return cp.count_attempts(lines_of(name), classify, since, now)


def test_asterisk16_security_log_chan_sip():
    counts, sources, reached = counted("asterisk16-security", cp.security_event)
    # 3 + 2 (unknown users with alwaysauthreject=yes) + 1 crafted + 3 wrong passwords;
    # 2 unknown users with alwaysauthreject=no.
    assert counts == {"failed_auth": 9, "unknown_user": 2}
    # The crafted user name names a second RemoteAddress: that attempt counts for no address,
    # and 6.6.6.6 is never taken for a source.
    assert sources == {ATTACKER: 10}
    assert reached is False


def test_asterisk16_messages_log_chan_sip():
    counts, sources, dummy = counted("asterisk16-messages", cp.notice_event)
    assert counts == {"failed_auth": 9, "unknown_user": 2}
    assert sources == {ATTACKER: 11}      # the crafted From header is before the address


def test_asterisk22_security_log_pjsip():
    counts, sources, dummy = counted("asterisk22-security", cp.security_event)
    # 3 ChallengeResponseFailed + 2 FailedACL (the anonymous endpoint); 4 InvalidAccountID,
    # whose 2 ChallengeResponseFailed of AccountID <unknown> are not counted again.
    assert counts == {"failed_auth": 5, "unknown_user": 4}
    assert sources == {ATTACKER: 9}


def test_asterisk22_messages_log_pjsip():
    counts, sources, dummy = counted("asterisk22-messages.log", cp.notice_event)
    assert counts == {"failed_auth": 5, "unknown_user": 4}
    assert sources == {ATTACKER: 9}


def test_fail2ban_log_and_status():
    assert cp.count_bans(lines_of("fail2ban.log"), DAY_BEFORE) == 1    # not "already banned"
    outputs = {}
    for jail in cp.JAILS:
        with open(os.path.join(LOGS, "fail2ban-status-" + jail), encoding="utf-8") as handle:
            outputs[jail] = handle.read()
    assert cp.banned_now(lambda args: (0, outputs[args[2]])) == 1
    assert cp.banned_now(lambda args: (255, "")) is None       # no jail answers


def test_time_window():
    # The first wrong passwords were sent at 08:03:27, the last batch at 08:04:16.
    counts, sources, reached = counted("asterisk16-security", cp.security_event,
                                       since=datetime.datetime(2026, 12, 4, 8, 4, 0))
    assert counts == {"failed_auth": 3, "unknown_user": 0} and reached is True
    assert sources == {ATTACKER: 3}
    later = datetime.datetime(2026, 12, 4, 8, 5, 0)
    assert counted("asterisk16-security", cp.security_event, since=later)[0] == \
        {"failed_auth": 0, "unknown_user": 0}
    assert cp.count_bans(lines_of("fail2ban.log"), later) == 0


@pytest.mark.parametrize("line, now, expected", [
    ("[Dec  4 07:12:01] x", CAPTURED, datetime.datetime(2026, 12, 4, 7, 12, 1)),
    ("[2026-12-04 07:12:01] x", CAPTURED, datetime.datetime(2026, 12, 4, 7, 12, 1)),
    ("[2026-12-04 07:12:01.123] x", CAPTURED, datetime.datetime(2026, 12, 4, 7, 12, 1)),
    # A December line read on 2 January is of the year before.
    ("[Dec 31 23:59:59] x", datetime.datetime(2027, 1, 2), datetime.datetime(2026, 12, 31, 23, 59, 59)),
    # 29 February: of the last year that has one.
    ("[Feb 29 10:00:00] x", datetime.datetime(2025, 3, 1), datetime.datetime(2024, 2, 29, 10)),
    ("[Foo  4 07:12:01] x", CAPTURED, None),
    ("[Dec 44 07:12:01] x", CAPTURED, None),
    ("Dec  4 07:12:01 x", CAPTURED, None),
    ("[2026-13-04 07:12:01] x", CAPTURED, None),
    ("", CAPTURED, None),
])
def test_asterisk_time_formats(line, now, expected):
    assert cp.asterisk_time(line, now) == expected


def test_top_sources_bounded_and_ordered():
    sources = dict(("198.18.21.%d" % n, n % 7) for n in range(1, 50))
    top = cp.top_sources(sources)
    assert len(top) == cp.TOP_SOURCES
    assert [s["attempts"] for s in top] == sorted((s["attempts"] for s in top), reverse=True)
    assert top[0] == {"address": "198.18.21.13", "attempts": 6}


def test_garbled_log_is_an_error_not_a_count(tmp_path):
    path = tmp_path / "security"
    path.write_bytes(b"\x00\xff\xfe garbage\n\x1b[31m more\n" * 100)
    with pytest.raises(ValueError):
        cp.count_attempts(cp.read_tail(str(path))[0], cp.security_event, DAY_BEFORE, CAPTURED)
    path.write_bytes(b"")
    assert cp.count_attempts(cp.read_tail(str(path))[0], cp.security_event, DAY_BEFORE,
                             CAPTURED)[0] == {"failed_auth": 0, "unknown_user": 0}


def test_read_tail_bounded_refuses_links_and_fifos(tmp_path):
    path = tmp_path / "messages"
    path.write_text("".join("[Dec  4 08:00:%02d] line %d\n" % (n % 60, n) for n in range(1000)))
    lines, whole = cp.read_tail(str(path), limit=100)
    assert whole is False and sum(len(line) + 1 for line in lines) <= 100
    assert all(line.startswith("[Dec") for line in lines if line)   # the cut line is dropped
    link = tmp_path / "link"
    link.symlink_to(path)
    with pytest.raises(OSError):
        cp.read_tail(str(link))
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    with pytest.raises(OSError):       # never blocks waiting for a writer
        cp.read_tail(str(fifo))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_line_gives_a_count_or_nothing_never_an_exception(line):
    for classify in (cp.security_event, cp.notice_event):
        event = classify(line)
        assert event is None or (event[0] in cp.KINDS and (
            event[1] is None or event[1] in line))
    assert cp.ban_event(line) is None or cp.ban_event(line) in line
    cp.asterisk_time(line, CAPTURED)
    cp.fail2ban_time(line)


def test_a_long_hostile_line_costs_linear_time():
    line = "[Dec  4 08:00:00] SECURITY[1] res_security_log.c: SecurityEvent=\"InvalidPassword\"" + \
        ',RemoteAddress="' * 200000
    assert cp.security_event(line) == ("failed_auth", None)
    notice = "[Dec  4 08:00:00] NOTICE[1] chan_sip.c: Registration from '" + \
        "' failed for '" * 200000 + "' - Wrong password"
    assert cp.notice_event(notice) == ("failed_auth", None)


def _stamped(name, now):
    """The fixture's lines stamped one hour before ``now`` (Asterisk's default format)."""
    stamp = (now - datetime.timedelta(hours=1)).strftime("[%b %d %H:%M:%S]")
    return "".join(stamp + line.split("]", 1)[1] + "\n" for line in lines_of(name)
                   if line.startswith("["))


def test_pbx_compliance_returns_the_pressure(run_module, astconf_tree, tmp_path):
    now = datetime.datetime.now()
    logs = tmp_path / "log"
    logs.mkdir()
    (logs / "security").write_text(_stamped("asterisk16-security", now))
    (logs / "fail2ban.log").write_text(
        (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S,001 fail2ban.actions "
                                                     "[1]: NOTICE  [asterisk] Ban 198.18.21.9\n"))
    fail2ban = tmp_path / "fail2ban"
    fail2ban.mkdir()
    (fail2ban / "fail2ban.local").write_text("[Definition]\nlogtarget = %s\n" % (logs / "fail2ban.log"))
    tree = astconf_tree({
        "etc/asterisk.conf": "[directories]\nastlogdir => %s\n" % logs,
        "etc/logger.conf": "[logfiles]\nsecurity => security\nmessages => notice,warning\n",
        "etc/modules.conf": "[modules]\nautoload=yes\n",
    }) / "etc"
    args = dict(config_dir=str(tree), keys_dir="/nonexistent", fail2ban_dir=str(fail2ban),
                controls=["PBX-LOG-001"])
    pressure = run_module("pbxsec.hardening.pbx_compliance", args)["pressure"]
    assert pressure["status"] == "counted", pressure
    assert (pressure["failed_auth"], pressure["unknown_user"], pressure["bans"]) == (9, 2, 1)
    assert pressure["top_sources"] == [{"address": ATTACKER, "attempts": 10}]
    assert pressure["log"] == str(logs / "security") and pressure["hours"] == 24
    short = run_module("pbxsec.hardening.pbx_compliance", dict(args, pressure_hours=1))
    assert short["pressure"]["failed_auth"] == 0 and short["pressure"]["bans"] == 0
    (logs / "security").unlink()
    missing = run_module("pbxsec.hardening.pbx_compliance", args)["pressure"]
    assert missing["status"] == "unknown" and "cannot be read" in missing["reason"]
    assert missing["failed_auth"] is None and missing["bans"] == 1
    assert run_module("pbxsec.hardening.pbx_compliance", dict(args, pressure=False))["pressure"] \
        is None
    assert run_module("pbxsec.hardening.pbx_compliance", dict(args, live=False))["pressure"] \
        is None
