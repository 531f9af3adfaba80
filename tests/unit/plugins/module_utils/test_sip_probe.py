# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The outside-in probe (issue 18, item 1): answers captured from the test bed's Asterisk 16 and
22, stock and hardened (tests/unit/fixtures/sip), parsed and judged as PBX-PRB-001..003; hostile
answers parsed in bounded, linear work; the requests a real socket sees (CANCEL at the first
provisional answer, BYE and never ACK on a 2xx, no Contact in REGISTER), the pacing and the
deadline."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from ansible_collections.pbxsec.hardening.plugins.module_utils import sip_probe
from ansible_collections.pbxsec.hardening.plugins.module_utils.sip_probe import (
    Observation,
    Pacer,
    judge,
    parse_answer,
)
from sip_answerer import ANSWERS, Answerer

SOURCE = "198.18.0.10"


def observed(name):
    answer = parse_answer(ANSWERS[name])
    return Observation("answered", [answer.code], answer)


def silent():
    return Observation("silent")


def bed(prefix, known_user=True):
    """``{test: Observation}`` of one captured PBX."""
    seen = dict(options=observed(prefix + "options"), invite=observed(prefix + "invite"),
                register_unknown=observed(prefix + "register-unknown"))
    if known_user:
        seen["register_known"] = observed(prefix + "register-known")
    return seen


def statuses(outcomes):
    return dict((control, outcome.status) for control, outcome in outcomes.items())


@pytest.mark.parametrize("name, code, method, challenge", [
    ("asterisk16-stock-options", 200, "OPTIONS", None),
    ("asterisk16-stock-invite", 404, "INVITE", None),
    ("asterisk16-hardened-invite", 401, "INVITE", "digest"),
    ("asterisk16-noreject-register-unknown", 404, "REGISTER", None),
    ("asterisk22-site-register-unknown", 403, "REGISTER", None),
    ("asterisk22-hardened-options", 401, "OPTIONS", "digest"),
    ("asterisk22-hardened-register-unknown", 401, "REGISTER", "digest"),
])
def test_captured_answers_parse_to_code_method_and_challenge(name, code, method, challenge):
    answer = parse_answer(ANSWERS[name])
    assert (answer.code, answer.method, answer.challenge) == (code, method, challenge)
    assert answer.call_id and answer.to_tag


def test_pbx_prb_stock_asterisk22_site_fails_invite_and_enumeration():
    outcomes = judge(SOURCE, False, [("udp", 5060, bed("asterisk22-site-"))], "100")
    assert statuses(outcomes) == {"PBX-PRB-001": "fail", "PBX-PRB-002": "fail",
                                  "PBX-PRB-003": "fail"}
    invite = outcomes["PBX-PRB-002"].findings[0]
    assert invite["object"] == "udp/5060" and SOURCE in invite["message"]
    assert "answered 404: the call reached the dialplan" in invite["message"]
    assert "401 with a digest challenge, for a non-existing user 403" in \
        outcomes["PBX-PRB-003"].findings[0]["message"]


def test_pbx_prb_hardened_asterisk22_passes_invite_and_enumeration():
    outcomes = judge(SOURCE, False, [("udp", 5060, bed("asterisk22-hardened-"))], "100")
    # OPTIONS is challenged, yet answered: only a firewall makes the PBX silent to strangers.
    assert statuses(outcomes) == {"PBX-PRB-001": "fail", "PBX-PRB-002": "pass",
                                  "PBX-PRB-003": "pass"}


def test_pbx_prb_003_chan_sip_without_alwaysauthreject_enumerates():
    seen = dict(register_known=observed("asterisk16-noreject-register-known"),
                register_unknown=observed("asterisk16-noreject-register-unknown"))
    outcome = judge(SOURCE, False, [("udp", 5060, seen)], "200")["PBX-PRB-003"]
    assert outcome.status == "fail"
    assert "existing user 200 got 401" in outcome.findings[0]["message"]


def test_pbx_prb_003_same_code_other_realm_enumerates():
    known = ANSWERS["asterisk22-hardened-register-known"]
    other_realm = known.replace(b'realm="asterisk"', b'realm="site.example"')
    seen = dict(register_known=observed("asterisk22-hardened-register-unknown"),
                register_unknown=Observation("answered", [401], parse_answer(other_realm)))
    outcome = judge(SOURCE, False, [("udp", 5060, seen)], "100")["PBX-PRB-003"]
    assert outcome.status == "fail" and "the realms differ" in outcome.findings[0]["message"]


def test_pbx_prb_stock_asterisk16_invite_reaches_dialplan_and_no_user_is_not_applicable():
    outcomes = judge(SOURCE, False, [("udp", 5060, bed("asterisk16-stock-", known_user=False))],
                     None)
    assert statuses(outcomes)["PBX-PRB-002"] == "fail"
    assert statuses(outcomes)["PBX-PRB-003"] == "not_applicable"
    assert statuses(judge(SOURCE, False, [("udp", 5060, dict(invite=observed(
        "asterisk16-hardened-invite")))], None))["PBX-PRB-002"] == "pass"


def test_pbx_prb_001_answer_from_inside_the_provider_network_is_not_judged():
    outcomes = judge("198.51.100.10", True, [("udp", 5060, bed("asterisk16-stock-", False))],
                     None)
    assert outcomes["PBX-PRB-001"].status == "not_applicable"
    assert "as expected from there" in outcomes["PBX-PRB-001"].findings[0]["message"]
    assert outcomes["PBX-PRB-002"].status == "fail"       # judged from every source


def test_pbx_prb_001_is_not_judged_from_inside_whatever_each_transport_got():
    """A PBX that answers UDP and has nothing on TCP, probed from the provider network (as
    molecule/network does): a closed or silent transport must not turn PBX-PRB-001 into pass."""
    closed = dict(options=Observation("closed", reason="connection refused"))
    stopped = dict(options=Observation("not_run", reason="the deadline passed"))
    outcome = judge("198.51.100.10", True, [("udp", 5060, bed("asterisk16-stock-", False)),
                                            ("tcp", 5060, closed), ("udp", 5160, stopped)],
                    None)["PBX-PRB-001"]
    assert outcome.status == "not_applicable"
    assert [item["object"] for item in outcome.findings] == ["udp/5060", "tcp/5060", "udp/5160"]
    assert all("198.51.100.10 (provider or trusted network)" in item["message"]
               for item in outcome.findings)
    assert "nothing listens (connection refused)" in outcome.findings[1]["message"]
    # The same from outside: the closed port passes, the answering one fails the control.
    assert judge(SOURCE, False, [("udp", 5060, bed("asterisk16-stock-", False)),
                                 ("tcp", 5060, closed)], None)["PBX-PRB-001"].status == "fail"
    assert judge(SOURCE, False, [("tcp", 5060, closed)], None)["PBX-PRB-001"].status == "pass"


def test_pbx_prb_silence_passes_and_a_test_the_deadline_stopped_is_error():
    quiet = dict(options=silent(), invite=silent(), register_known=silent(),
                 register_unknown=silent())
    assert set(statuses(judge(SOURCE, False, [("udp", 5060, quiet)], "100")).values()) == {"pass"}
    stopped = dict(quiet, invite=Observation("not_run", reason="the deadline passed"))
    outcome = judge(SOURCE, False, [("udp", 5060, quiet), ("tcp", 5060, stopped)],
                    "100")["PBX-PRB-002"]
    assert outcome.status == "error"
    assert outcome.findings[1]["object"] == "tcp/5060"
    # One failing port outweighs everything else.
    worse = dict(quiet, invite=observed("asterisk16-stock-invite"))
    assert judge(SOURCE, False, [("udp", 5060, worse), ("tcp", 5060, stopped)],
                 "100")["PBX-PRB-002"].status == "fail"


@pytest.mark.parametrize("data", [
    b"HTTP/1.1 200 OK\r\n\r\n", b"SIP/2.0 4011 X\r\n\r\n", b"SIP/2.0 099 X\r\n\r\n",
    b"SIP/2.0 20x OK\r\n\r\n", b"", b"\xff" * 100])
def test_hostile_not_a_status_line_is_no_answer(data):
    assert parse_answer(data) is None


def test_hostile_answer_keeps_only_tokens_and_reads_a_bounded_prefix():
    data = (b"SIP/2.0 401 Unauthorized\r\n"
            b"To: <sip:x@y>;tag=abc\r\nInjected: yes\r\n"
            b"Call-ID: id1\x00evil\r\n"
            b"CSeq: 1 REGISTER\r\n")
    answer = parse_answer(data + b"X-Pad: " + b"a" * (10 * 2 ** 20) + b"\r\n"
                          + b'WWW-Authenticate: Digest realm="late"\r\n\r\n')
    assert (answer.code, answer.method, answer.to_tag, answer.call_id) == \
        (401, "REGISTER", "abc", "id1")
    assert answer.challenge is None          # beyond MAX_ANSWER bytes: never looked at
    many_lines = b"SIP/2.0 200 OK\r\n" + b"X: y\r\n" * 10000 + b"CSeq: 1 OPTIONS\r\n\r\n"
    assert parse_answer(many_lines).method is None


def test_pacer_paces_and_stops_at_the_budget_and_the_deadline():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 6))
        now[0] += seconds

    pacer = Pacer(5, 60, max_packets=4, clock=lambda: now[0], sleep=sleep)
    for dummy in range(4):
        pacer.slot()
    assert slept == [0.2, 0.2, 0.2] and pacer.sent == 4
    with pytest.raises(sip_probe.OutOfBudget, match="budget of 4 packets"):
        pacer.slot()
    late = Pacer(5, 0.5, clock=lambda: now[0], sleep=sleep)
    late.slot()
    late.slot()
    late.slot()
    with pytest.raises(sip_probe.OutOfBudget, match="deadline"):
        late.slot()


def trying(answer):
    """A 100 Trying for the request ``answer`` answers (same headers)."""
    return answer.replace(answer.split(b"\r\n", 1)[0], b"SIP/2.0 100 Trying")


def test_invite_is_cancelled_at_the_first_provisional_answer_and_acked_on_the_final():
    final = ANSWERS["asterisk16-stock-invite"]
    server = Answerer({"INVITE": [trying(final), final]})
    try:
        seen = sip_probe.probe_port("udp", ("127.0.0.1", server.port), Pacer(5, 20), "+999",
                                    None, 1.0, ("invite",))
    finally:
        server.close()
    assert seen["invite"].codes == [100, 404]
    assert server.methods() == ["INVITE", "CANCEL", "ACK"]
    invite = server.requests[0][2]
    assert b"m=audio 9 RTP/AVP" in invite          # the offer points at the discard port


def test_a_2xx_to_the_invite_is_hung_up_with_bye_never_acked():
    ok = ANSWERS["asterisk16-stock-options"].replace(b"CSeq: 1 OPTIONS", b"CSeq: 1 INVITE")
    server = Answerer({"INVITE": [ok]})
    try:
        seen = sip_probe.probe_port("udp", ("127.0.0.1", server.port), Pacer(5, 20), "+999",
                                    None, 1.0, ("invite",))
    finally:
        server.close()
    assert seen["invite"].codes == [200]
    assert server.methods() == ["INVITE", "BYE"]
    assert judge(SOURCE, False, [("udp", 5060, seen)], None)["PBX-PRB-002"].status == "fail"


def test_register_carries_no_contact_and_requests_are_paced():
    server = Answerer({"REGISTER": [ANSWERS["asterisk22-hardened-register-unknown"]],
                       "OPTIONS": [ANSWERS["asterisk22-hardened-options"]]})
    try:
        seen = sip_probe.probe_port("udp", ("127.0.0.1", server.port), Pacer(5, 20), "+999",
                                    "100", 1.0, ("options", "register"))
    finally:
        server.close()
    assert server.methods() == ["OPTIONS", "REGISTER", "REGISTER"]
    assert all(b"\r\nContact:" not in data for dummy, method, data in server.requests
               if method == "REGISTER")
    times = [when for when, dummy, dummy2 in server.requests]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.15     # 5 per second at most
    assert seen["register_known"].answer.signature() == seen["register_unknown"].answer.signature()


def test_silent_udp_is_retransmitted_boundedly_then_silent():
    server = Answerer({})
    try:
        started = time.monotonic()
        seen = sip_probe.probe_port("udp", ("127.0.0.1", server.port), Pacer(5, 20), "+999",
                                    None, 2.0, ("options",))
        took = time.monotonic() - started
    finally:
        server.close()
    assert seen["options"].state == "silent"
    assert server.methods() == ["OPTIONS"] * (1 + len(sip_probe.RETRANSMIT_AFTER))
    assert 2.0 <= took < 3.0


def test_closed_ports_are_closed_and_the_deadline_stops_the_rest():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()                                   # nothing listens there any more
    seen = sip_probe.probe_port("udp", ("127.0.0.1", port), Pacer(5, 20), "+999", "100", 1.0,
                                ("options", "invite", "register"))
    assert set(obs.state for obs in seen.values()) == {"closed"}
    tcp = sip_probe.probe_port("tcp", ("127.0.0.1", port), Pacer(5, 20), "+999", None, 1.0,
                               ("options", "invite"))
    assert tcp["options"].reason == "connection refused"
    server = Answerer({})
    try:
        started = time.monotonic()
        seen = sip_probe.probe_port("udp", ("127.0.0.1", server.port), Pacer(5, 1.0), "+999",
                                    "100", 2.0, ("options", "invite", "register"))
        took = time.monotonic() - started
    finally:
        server.close()
    assert took < 1.5
    assert seen["register_unknown"].state == "not_run"
    assert judge(SOURCE, False, [("udp", 5060, seen)], "100")["PBX-PRB-003"].status == "error"


def test_tcp_answers_are_framed_by_content_length():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    final = ANSWERS["asterisk22-hardened-invite"]

    def serve():
        conn, dummy = listener.accept()
        data = conn.recv(65535)
        call_id = [line for line in data.split(b"\r\n") if line.startswith(b"Call-ID:")][0]
        body = b"v=0\r\n"
        first = trying(final).replace(b"Content-Length:  0", b"Content-Length: %d" % len(body))
        conn.sendall(b"\r\n".join(call_id if line.startswith(b"Call-ID:") else line
                                  for line in (first + body + final).split(b"\r\n")))
        time.sleep(0.5)
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        seen = sip_probe.probe_port("tcp", ("127.0.0.1", port), Pacer(5, 20), "+999", None, 1.0,
                                    ("invite",))
    finally:
        thread.join()
        listener.close()
    assert seen["invite"].codes == [100, 401]
