# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The outside-in check of a PBX (PBX-PRB-001..003): what an attacker sends over SIP, what came
back, and the verdict, judged for the source address the probe used.

Per port and transport (UDP, TCP): an OPTIONS; an anonymous INVITE to a number no route completes,
cancelled at the first provisional answer (a final answer is acknowledged as RFC 3261 asks, a 2xx
is hung up with a BYE, never acknowledged, and no media is ever sent: the offer points at the
discard port); a REGISTER for a user the configuration defines and one for a user that does not
exist, both without a Contact (a query of the bindings: even a PBX that accepts it changes
nothing).

Everything sent is paced by a :class:`Pacer`: at most ``rate`` packets per second, at most
:data:`MAX_PACKETS` packets and ``deadline`` seconds per target.  An answer is hostile input: at
most :data:`MAX_ANSWER` bytes of it are looked at, split on fixed byte strings (linear time, no
pattern), and only its status code, whether it carries a challenge, a digest of its realm and the
tokens needed to end the dialog survive (:class:`Answer`)."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import socket
import time

from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_registry import (
    PROBE_CONTROL_IDS,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
)

MAX_ANSWER = 4096           # bytes of one answer parsed
MAX_TCP_READ = 65536        # bytes read from one TCP connection at most
MAX_HEADER_LINES = 64
MAX_TOKEN = 64              # characters of a tag kept
MAX_PACKETS = 256           # per target
RETRANSMIT_AFTER = (0.5, 1.5)   # seconds: a UDP request sent again (RFC 3261 timer A)
TOKEN_CHARACTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             b"-.!%*_+`'~")
COMPACT = {b"t": b"to", b"i": b"call-id", b"v": b"via"}
REFUSED_CODES = (401, 403, 407)
TRANSPORTS = ("udp", "tcp")
DEFAULT_NUMBER = "+99900000000"     # country code 999: reserved, never assigned (ITU-T E.164)
USER_AGENT = "pbxsec-probe"


class OutOfBudget(Exception):
    """The target's packet budget or deadline is spent."""


class Pacer:
    """Paces the packets to one target: one every ``1 / rate`` seconds, at most ``max_packets``,
    none after ``deadline`` seconds from now."""

    def __init__(self, rate, deadline, max_packets=MAX_PACKETS, clock=time.monotonic,
                 sleep=time.sleep):
        self.interval = 1.0 / rate
        self.max_packets = max_packets
        self.clock = clock
        self.sleep = sleep
        self.end = clock() + deadline
        self.sent = 0
        self._next = clock()

    def remaining(self):
        return max(0.0, self.end - self.clock())

    def slot(self):
        """Wait for the next packet's turn; :class:`OutOfBudget` when there is none."""
        if self.sent >= self.max_packets:
            raise OutOfBudget("the budget of %d packets is spent" % self.max_packets)
        wait = self._next - self.clock()
        if self.clock() + max(0.0, wait) >= self.end:
            raise OutOfBudget("the deadline passed")
        if wait > 0:
            self.sleep(wait)
        self.sent += 1
        self._next = self.clock() + self.interval


class Answer:
    """What survives of one SIP response: its code, the CSeq method and Call-ID it answers, the
    To tag, and whether (and with which realm, as a digest) it challenges."""

    __slots__ = ("code", "method", "call_id", "to_tag", "challenge", "realm")

    def __init__(self, code, method, call_id, to_tag, challenge, realm):
        self.code = code
        self.method = method
        self.call_id = call_id
        self.to_tag = to_tag
        self.challenge = challenge
        self.realm = realm

    def signature(self):
        """What a user name must not change: code, challenge scheme and realm."""
        return (self.code, self.challenge, self.realm)


def _token(value):
    """The leading token characters of ``value`` (at most :data:`MAX_TOKEN`), as text."""
    kept = bytearray()
    for byte in value[:MAX_TOKEN]:
        if byte not in TOKEN_CHARACTERS:
            break
        kept.append(byte)
    return kept.decode("ascii")


def _parameter(value, name):
    """The value of ``;name=`` in a header value (its token characters), or None."""
    start = value.lower().find(b";" + name + b"=")
    return None if start < 0 else _token(value[start + len(name) + 2:].lstrip())


def _challenge(value):
    """``(scheme, realm digest)`` of a WWW-/Proxy-Authenticate value: the realm is compared,
    never shown, so only a digest of it is kept."""
    scheme = _token(value.strip()).lower() or "unknown"
    start = value.lower().find(b'realm="')
    realm = b""
    if start >= 0:
        realm = value[start + 7:start + 7 + 256].partition(b'"')[0]
    return scheme, hashlib.sha256(realm).hexdigest()[:16]


def _status(line):
    """The code of a status line ``SIP/2.0 401 Unauthorized``, or None."""
    if not line.startswith(b"SIP/2.0 ") or len(line) < 11:
        return None
    code = line[8:11]
    if not code.isdigit() or (len(line) > 11 and line[11:12] != b" "):
        return None
    code = int(code)
    return code if 100 <= code <= 699 else None


def parse_answer(data):
    """The :class:`Answer` in the first :data:`MAX_ANSWER` bytes of ``data``, or None when they
    do not start with a SIP status line."""
    lines = data[:MAX_ANSWER].split(b"\n", MAX_HEADER_LINES + 1)[:MAX_HEADER_LINES + 1]
    code = _status(lines[0].rstrip(b"\r"))
    if code is None:
        return None
    method = call_id = to_tag = challenge = realm = None
    for line in lines[1:]:
        line = line.rstrip(b"\r")
        if not line:
            break
        name, colon, value = line.partition(b":")
        if not colon:
            continue
        name = name.strip().lower()
        name = COMPACT.get(name, name)
        value = value.strip()
        if name == b"cseq":
            method = _token(value.partition(b" ")[2].strip()).upper() or None
        elif name == b"call-id" and call_id is None:
            call_id = _token(value)
        elif name == b"to" and to_tag is None:
            to_tag = _parameter(value, b"tag")
        elif name in (b"www-authenticate", b"proxy-authenticate") and challenge is None:
            challenge, realm = _challenge(value)
    return Answer(code, method, call_id, to_tag, challenge, realm)


def _host(address):
    """``address`` as the host part of a SIP URI or Via (IPv6 in brackets)."""
    return "[%s]" % address if ":" in address else address


class Dialog:
    """The requests of one dialog to ``target`` (address, port) from ``local`` (address, port)
    over ``transport``: fresh Call-ID and tags, From ``from_user``, To ``to_user``."""

    def __init__(self, transport, target, local, from_user, to_user):
        self.transport = transport
        self.target = target
        self.local = local
        self.from_user = from_user
        self.to_user = to_user
        self.call_id = secrets.token_hex(12)
        self.from_tag = secrets.token_hex(6)
        self.to_tag = None

    @property
    def uri(self):
        user = "%s@" % self.to_user if self.to_user else ""
        return "sip:%s%s:%d" % (user, _host(self.target[0]), self.target[1])

    def request(self, method, cseq, branch, body="", extra=()):
        """The bytes of a request; ``branch`` is the Via branch (the transaction)."""
        local = "%s:%d" % (_host(self.local[0]), self.local[1])
        host = _host(self.target[0])
        to = "<sip:%s@%s>" % (self.to_user, host) if self.to_user else "<%s>" % self.uri
        if self.to_tag:
            to += ";tag=%s" % self.to_tag
        lines = ["%s %s SIP/2.0" % (method, "sip:%s:%d" % (host, self.target[1])
                                    if method == "REGISTER" else self.uri),
                 "Via: SIP/2.0/%s %s;branch=%s;rport" % (self.transport.upper(), local, branch),
                 "Max-Forwards: 70",
                 'From: <sip:%s@%s>;tag=%s' % (self.from_user, host, self.from_tag),
                 "To: %s" % to,
                 "Call-ID: %s" % self.call_id,
                 "CSeq: %d %s" % (cseq, method),
                 "User-Agent: %s" % USER_AGENT]
        lines += list(extra)
        lines.append("Content-Length: %d" % len(body))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("ascii")


def new_branch():
    return "z9hG4bK" + secrets.token_hex(8)


def discard_offer(local_address):
    """An SDP offer whose media port is 9 (discard): nothing is sent, nothing wanted back."""
    family = "IP6" if ":" in local_address else "IP4"
    return ("v=0\r\no=- 0 0 IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n"
            "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
            % (family, local_address, family, local_address))


class Closed(Exception):
    """Nothing listens: the port refused (TCP reset, ICMP port unreachable)."""


class UdpChannel:
    """A connected UDP socket to the target (an ICMP port unreachable shows as :class:`Closed`)."""

    transport = "udp"
    reliable = False

    def __init__(self, target, _timeout):
        family = socket.AF_INET6 if ":" in target[0] else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.connect(target)
        self.local = self.sock.getsockname()[:2]

    def send(self, data):
        try:
            self.sock.send(data)
        except ConnectionRefusedError as exc:
            raise Closed() from exc

    def receive(self, timeout):
        """The next datagram (bytes), or None after ``timeout`` seconds."""
        self.sock.settimeout(max(0.01, timeout))
        try:
            return self.sock.recv(MAX_ANSWER)
        except socket.timeout:
            return None
        except ConnectionRefusedError as exc:
            raise Closed() from exc

    def close(self):
        self.sock.close()


class TcpChannel:
    """A TCP connection to the target, read as SIP messages (Content-Length framing), at most
    :data:`MAX_TCP_READ` bytes in all.  A connection that times out is silent (None from
    :meth:`open`), a refused one :class:`Closed`."""

    transport = "tcp"
    reliable = True

    def __init__(self, target, timeout):
        family = socket.AF_INET6 if ":" in target[0] else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(target)
        except ConnectionRefusedError as exc:
            self.sock.close()
            raise Closed() from exc
        except OSError:
            self.sock.close()
            raise
        self.local = self.sock.getsockname()[:2]
        self.buffer = b""
        self.read = 0

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise Closed() from exc

    def _message(self):
        """The first complete message in the buffer (removed from it), or None."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buffer[:end]
        length = 0
        for line in head.split(b"\r\n", MAX_HEADER_LINES + 1)[1:MAX_HEADER_LINES + 1]:
            name, dummy, value = line.partition(b":")
            if name.strip().lower() in (b"content-length", b"l"):
                digits = value.strip()[:9]
                length = int(digits) if digits.isdigit() else 0
        if len(self.buffer) < end + 4 + length:
            return None
        message = self.buffer[:end + 4 + length]
        self.buffer = self.buffer[end + 4 + length:]
        return message

    def receive(self, timeout):
        """The next message (bytes), or None after ``timeout`` seconds or once the connection
        closed or sent :data:`MAX_TCP_READ` bytes."""
        end = time.monotonic() + timeout
        while True:
            message = self._message()
            if message is not None:
                return message
            left = end - time.monotonic()
            if left <= 0 or self.read >= MAX_TCP_READ:
                return None
            self.sock.settimeout(max(0.01, left))
            try:
                data = self.sock.recv(min(4096, MAX_TCP_READ - self.read))
            except socket.timeout:
                return None
            except OSError:
                return None
            if not data:
                self.read = MAX_TCP_READ
                return None
            self.read += len(data)
            self.buffer = (self.buffer + data)[-MAX_TCP_READ:]

    def close(self):
        self.sock.close()


CHANNELS = {"udp": UdpChannel, "tcp": TcpChannel}


class Observation:
    """What one request got: ``state`` (``answered``, ``silent``, ``closed``: nothing listens, or
    ``not_run``: the budget was spent), the codes of the answers in order, the last answer (None
    unless answered) and why a test got none."""

    __slots__ = ("state", "codes", "answer", "reason")

    def __init__(self, state, codes=(), answer=None, reason=None):
        self.state = state
        self.codes = list(codes)
        self.answer = answer
        self.reason = reason

    def as_dict(self):
        answer = self.answer
        return dict(state=self.state, codes=self.codes,
                    challenge=answer.challenge if answer is not None else None,
                    reason=self.reason)


def _next_answer(channel, dialog, method, timeout):
    """The next answer to ``method`` of ``dialog`` within ``timeout`` seconds, or None; answers to
    other requests or dialogs are dropped."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        data = channel.receive(left) if left > 0 else None
        if data is None:
            return None
        answer = parse_answer(data)
        if answer is not None and answer.call_id == dialog.call_id and answer.method == method:
            return answer


def _send(channel, pacer, data):
    pacer.slot()
    channel.send(data)


def transaction(channel, pacer, dialog, method, message, wait, on_answer=None):
    """Send ``message`` and collect its answers up to a final one, waiting ``wait`` seconds for
    each (never past the pacer's deadline).  Over UDP the request is sent again after
    :data:`RETRANSMIT_AFTER` seconds while nothing answers.  ``on_answer(answer)`` may send more
    (CANCEL, ACK, BYE).  An :class:`Observation`."""
    codes, last = [], None
    _send(channel, pacer, message)
    start = time.monotonic()
    resend_at = [] if channel.reliable else [start + delay for delay in RETRANSMIT_AFTER]
    deadline = start + min(wait, pacer.remaining())
    while time.monotonic() < deadline:
        until = min([deadline] + resend_at[:1]) if not codes else deadline
        answer = _next_answer(channel, dialog, method, until - time.monotonic())
        if answer is None:
            if resend_at and not codes and time.monotonic() >= resend_at[0]:
                resend_at.pop(0)
                _send(channel, pacer, message)
            continue
        codes.append(answer.code)
        last = answer
        if on_answer is not None:
            on_answer(answer)
        if answer.code >= 200:
            return Observation("answered", codes, last)
        deadline = time.monotonic() + min(wait, pacer.remaining())
    if not codes and pacer.remaining() <= 0:
        return Observation("not_run", reason="the deadline passed before an answer")
    return Observation("answered" if codes else "silent", codes, last)


def options(channel, pacer, target, wait):
    dialog = Dialog(channel.transport, target, channel.local, "pbxsec", None)
    message = dialog.request("OPTIONS", 1, new_branch(), extra=("Accept: application/sdp",))
    return transaction(channel, pacer, dialog, "OPTIONS", message, wait)


def invite(channel, pacer, target, number, wait):
    """An anonymous INVITE to ``number``: CANCEL at the first provisional answer, ACK a final
    answer of 300 or more, BYE (never ACK) a 2xx."""
    dialog = Dialog(channel.transport, target, channel.local, "anonymous", number)
    branch = new_branch()
    offer = discard_offer(channel.local[0])
    message = dialog.request("INVITE", 1, branch, offer, ("Contact: <sip:anonymous@%s:%d>" % (
        _host(channel.local[0]), channel.local[1]), "Content-Type: application/sdp"))
    cancelled = False

    def end_call(answer):
        nonlocal cancelled
        if answer.code < 200:
            if not cancelled:
                cancelled = True
                _send(channel, pacer, dialog.request("CANCEL", 1, branch))
            return
        dialog.to_tag = answer.to_tag
        if answer.code < 300:
            _send(channel, pacer, dialog.request("BYE", 2, new_branch()))
        else:
            _send(channel, pacer, dialog.request("ACK", 1, branch))

    return transaction(channel, pacer, dialog, "INVITE", message, wait, end_call)


def register(channel, pacer, target, user, wait):
    """A REGISTER for ``user`` without a Contact: it asks for the bindings, it changes none."""
    dialog = Dialog(channel.transport, target, channel.local, user, user)
    message = dialog.request("REGISTER", 1, new_branch())
    return transaction(channel, pacer, dialog, "REGISTER", message, wait)


def probe_port(transport, target, pacer, number, user, wait, wanted):
    """``{test: Observation}`` of one port over one transport, for the tests in ``wanted``
    (``options``, ``invite``, ``register``: the latter gives ``register_known`` when ``user``
    is known, and ``register_unknown``).  Each test has its own socket or connection."""
    tests = []
    if "options" in wanted:
        tests.append(("options", lambda ch: options(ch, pacer, target, wait)))
    if "invite" in wanted:
        tests.append(("invite", lambda ch: invite(ch, pacer, target, number, wait)))
    if "register" in wanted:
        if user:
            tests.append(("register_known", lambda ch: register(ch, pacer, target, user, wait)))
        stranger = "pbxsec%s" % secrets.token_hex(5)
        tests.append(("register_unknown", lambda ch: register(ch, pacer, target, stranger, wait)))
    seen = {}
    for name, test in tests:
        seen[name] = _run(transport, target, pacer, wait, test, seen)
    return seen


def _run(transport, target, pacer, wait, test, seen):
    """One test on a fresh channel; a port seen closed, or that took no connection, stays so."""
    stop = next((obs for obs in seen.values() if obs.state == "closed"
                 or (transport == "tcp" and obs.state == "silent" and obs.reason)), None)
    if stop is not None:
        return Observation(stop.state, reason=stop.reason)
    if pacer.remaining() <= 0:
        return Observation("not_run", reason="the deadline passed")
    try:
        channel = CHANNELS[transport](target, min(wait, pacer.remaining()))
    except Closed:
        return Observation("closed", reason="connection refused")
    except OSError as exc:
        return Observation("silent", reason="no connection (%s)" % type(exc).__name__)
    try:
        return test(channel)
    except Closed:
        return Observation("closed", reason="port unreachable")
    except OutOfBudget as exc:
        return Observation("not_run", reason=str(exc))
    finally:
        channel.close()


def inside(source, networks):
    """Whether the address ``source`` is in one of ``networks`` (ip_network objects)."""
    address = ipaddress.ip_address(source)
    return any(address in net for net in networks)


def _where(transport, port):
    return "%s/%d" % (transport, port)


def _codes(observation):
    return ", ".join(str(code) for code in observation.codes)


def _options_finding(where, source, obs, source_inside):
    """From inside the provider and trusted networks PBX-PRB-001 is not judged: whatever a port
    and transport got there (an answer, silence, nothing listening) is noted, never counted, so
    that a closed TCP port next to an answering UDP port does not make it ``pass``."""
    if source_inside:
        said = "answered %s, as expected from there" % _codes(obs) \
            if obs.state == "answered" else _unanswered(obs, "OPTIONS")[1]
        return None, finding(None, None, where, "from %s (provider or trusted network): %s"
                             % (source, said))
    if obs.state == "answered":
        return "fail", finding(None, None, where, "from %s: OPTIONS answered %s: the PBX shows "
                               "itself to scanners outside the provider and trusted networks"
                               % (source, _codes(obs)))
    return _quiet(where, source, obs, "OPTIONS")


def _unanswered(obs, what):
    """``(status, text)`` of a test that got no answer: ``error`` when it was not sent."""
    if obs.state == "not_run":
        return "error", "%s not sent: %s" % (what, obs.reason)
    why = "nothing listens (%s)" % obs.reason if obs.state == "closed" else \
        "no answer (filtered, or nothing listens%s)" % (": %s" % obs.reason if obs.reason else "")
    return "pass", "%s: %s" % (what, why)


def _quiet(where, source, obs, what):
    """``(status, finding)`` of a test that got no answer."""
    status, said = _unanswered(obs, what)
    return status, finding(None, None, where, "from %s: %s" % (source, said))


def _invite_finding(where, source, obs):
    if obs.state != "answered":
        return _quiet(where, source, obs, "anonymous INVITE")
    if obs.codes[0] in REFUSED_CODES:
        return "pass", finding(None, None, where, "from %s: anonymous INVITE refused (%s)"
                               % (source, _codes(obs)))
    reached = obs.codes[0] < 300 or 404 in obs.codes
    return "fail", finding(None, None, where, "from %s: anonymous INVITE answered %s: %s" % (
        source, _codes(obs), "the call reached the dialplan" if reached
        else "not challenged or refused (401/403/407)"))


def _describe(obs):
    if obs.state != "answered":
        return "no answer" if obs.state != "closed" else "nothing listens"
    answer = obs.answer
    return "%d %s" % (answer.code, "with a %s challenge" % answer.challenge if answer.challenge
                      else "without a challenge")


def _register_finding(where, source, known, unknown, user):
    if known is None:
        return None, finding(None, None, where, "from %s: no user in the configuration to "
                             "compare (non-existing user: %s)" % (source, _describe(unknown)))
    for obs in (known, unknown):
        if obs.state == "not_run":
            return _quiet(where, source, obs, "REGISTER")
    if known.state != "answered" and unknown.state == known.state:
        return _quiet(where, source, known, "REGISTER")
    if known.state == "answered" and 200 <= known.answer.code < 300:
        return "fail", finding(None, None, where, "from %s: REGISTER for %s accepted without "
                               "authentication (%d)" % (source, user, known.answer.code))
    same = known.state == unknown.state and (known.state != "answered" or
                                             known.answer.signature() == unknown.answer.signature())
    if same:
        return "pass", finding(None, None, where, "from %s: REGISTER for an existing and a "
                               "non-existing user got the same answer (%s)"
                               % (source, _describe(known)))
    realm_only = known.state == unknown.state == "answered" and \
        known.answer.signature()[:2] == unknown.answer.signature()[:2]
    return "fail", finding(None, None, where, "from %s: REGISTER for existing user %s got %s, "
                           "for a non-existing user %s%s: user names can be enumerated" % (
                               source, user, _describe(known), _describe(unknown),
                               " (the realms differ)" if realm_only else ""))


def _overall(statuses):
    if "fail" in statuses:
        return "fail"
    if "error" in statuses:
        return "error"
    if "pass" in statuses:
        return "pass"
    return "not_applicable"


def judge(source, source_inside, ports, user):
    """``{control ID: Outcome}`` of PBX-PRB-001..003 from ``ports``, ``[(transport, port,
    {test: Observation})]``, probed from ``source`` (``source_inside``: in the provider or
    trusted networks).  Each finding names the transport/port and the source.  Any failing port
    fails the control; a test the budget stopped makes it ``error`` (could not see, never
    ``pass``)."""
    verdicts = dict((control, ([], [])) for control in PROBE_CONTROL_IDS)

    def add(control, verdict):
        status, item = verdict
        if status is not None:
            verdicts[control][0].append(status)
        verdicts[control][1].append(item)

    for transport, port, seen in ports:
        where = _where(transport, port)
        if "options" in seen:
            add("PBX-PRB-001", _options_finding(where, source, seen["options"], source_inside))
        if "invite" in seen:
            add("PBX-PRB-002", _invite_finding(where, source, seen["invite"]))
        if "register_unknown" in seen:
            add("PBX-PRB-003", _register_finding(where, source, seen.get("register_known"),
                                                 seen["register_unknown"], user))
    outcomes = {}
    for control, (statuses, findings) in verdicts.items():
        status = _overall(statuses)
        if status == "not_applicable" and not findings:
            findings = [finding(None, None, None, "not probed")]
        outcomes[control] = Outcome(status, findings)
    return outcomes
