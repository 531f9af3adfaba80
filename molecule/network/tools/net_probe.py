#!/usr/bin/env python
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Does a PBX container answer? Runs inside an attacker container of the network scenario against
a PBX container of the test bed (never anything else) and prints one JSON object.

  net_probe.py sip HOST [--port 5060]     SIP OPTIONS over UDP
  net_probe.py tcp HOST --port 5038       TCP connect (an accept or a reset is an answer)
  net_probe.py iax HOST [--port 4569]     IAX2 POKE over UDP
  net_probe.py flood HOST [--count 1000] [--rate 1000]
                                          that many SIP OPTIONS over UDP, --rate a second,
                                          counting the replies
  net_probe.py tcpflood HOST [--count 300] [--timeout 0.8]
                                          that many TCP connections to 5060 opened at once,
                                          counting those answered (SYN-ACK or reset) within
                                          --timeout, before the kernel sends a SYN again (1 s)

"result" is "answer" (a reply, a TCP reset or an ICMP port unreachable) or "silence".
"""

import argparse
import json
import random
import select
import socket
import struct
import time


def _options(host, port, local):
    branch = "z9hG4bK%08x" % random.getrandbits(32)
    call_id = "%08x@pbxsec-net" % random.getrandbits(32)
    return ("OPTIONS sip:%s:%d SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:probe@%s>;tag=%08x\r\n"
            "To: <sip:%s>\r\n"
            "Call-ID: %s\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n" % (host, port, local[0], local[1], branch, local[0],
                                           random.getrandbits(32), host, call_id)).encode()


def _udp(host, port, payload_for, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    sock.connect((host, port))
    sock.send(payload_for(sock.getsockname()))
    try:
        sock.recv(65535)
    except socket.timeout:
        return "silence"
    except ConnectionRefusedError:
        return "answer"
    return "answer"


def _poke(_local):
    # Full frame: source call number with the F bit, destination 0, timestamp, sequence numbers,
    # frame type 6 (IAX), subclass 0x1e (POKE).
    return struct.pack("!HHIBBBB", 0x8000 | random.randint(1, 0x7fff), 0, 0, 0, 0, 6, 0x1e)


def _tcp(host, port, timeout):
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError:
        return "answer"
    except OSError:
        return "silence"
    return "answer"


def _drain(sock):
    answered = 0
    while True:
        try:
            sock.recv(65535, socket.MSG_DONTWAIT)
        except (BlockingIOError, ConnectionRefusedError):
            return answered
        answered += 1


def _flood(host, port, count, rate, wait):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, port))
    local = sock.getsockname()
    started = time.monotonic()
    answered = 0
    for index in range(count):
        sock.send(_options(host, port, local))
        answered += _drain(sock)
        delay = started + (index + 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    elapsed = time.monotonic() - started
    sock.settimeout(wait)
    try:
        while True:
            sock.recv(65535)
            answered += 1
    except (socket.timeout, ConnectionRefusedError):
        pass
    return {"sent": count, "answered": answered, "send_seconds": round(elapsed, 3)}


def _tcp_flood(host, port, count, wait):
    sockets, answered = {}, 0
    started = time.monotonic()
    for _index in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex((host, port))
        sockets[sock.fileno()] = sock
    elapsed = time.monotonic() - started
    poller = select.poll()
    for fileno in sockets:
        poller.register(fileno, select.POLLOUT)
    deadline = started + wait
    while sockets and time.monotonic() < deadline:
        for fileno, _event in poller.poll(max(1, int((deadline - time.monotonic()) * 1000))):
            poller.unregister(fileno)
            sockets.pop(fileno).close()
            answered += 1
    for sock in sockets.values():
        sock.close()
    return {"sent": count, "answered": answered, "send_seconds": round(elapsed, 3)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["sip", "tcp", "iax", "flood", "tcpflood"])
    parser.add_argument("host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=1000.0)
    args = parser.parse_args()
    address = socket.gethostbyname(args.host)
    port = args.port or {"sip": 5060, "iax": 4569, "flood": 5060, "tcpflood": 5060}.get(args.kind)
    result = {"kind": args.kind, "target": args.host, "address": address, "port": port}
    if args.kind == "sip":
        result["result"] = _udp(address, port, lambda local: _options(address, port, local),
                                args.timeout)
    elif args.kind == "iax":
        result["result"] = _udp(address, port, _poke, args.timeout)
    elif args.kind == "tcp":
        result["result"] = _tcp(address, port, args.timeout)
    elif args.kind == "tcpflood":
        result.update(_tcp_flood(address, port, args.count, args.timeout))
    else:
        result.update(_flood(address, port, args.count, args.rate, args.timeout))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
