#!/usr/bin/env python
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send one anonymous SIP INVITE over UDP and report every response, as JSON.

Runs inside the attacker container against a PBX container of the test bed (never anything
else). A hardened PBX challenges or refuses the call (401/403); an exposed one lets it into
the dialplan (100 Trying, then 404, 180, 183, 200 or a late 5xx).

Usage: sip_probe.py HOST [--port 5060] [--to 0044201234567] [--timeout 6]
Prints: {"target": ..., "responses": [100, 404], "final": 404}
"""

import argparse
import json
import random
import socket
import sys
import time


def _token():
    return "%08x" % random.getrandbits(32)


def build_request(method, uri, host, port, local_ip, local_port, call_id, from_tag, cseq,
                  to_header=None, branch=None):
    branch = branch or "z9hG4bK" + _token()
    to_header = to_header or "<%s>" % uri
    sdp = ""
    if method == "INVITE":
        sdp = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
               "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n") % (local_ip, local_ip)
    lines = [
        "%s %s SIP/2.0" % (method, uri),
        "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (local_ip, local_port, branch),
        "Max-Forwards: 70",
        'From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=%s' % from_tag,
        "To: %s" % to_header,
        "Call-ID: %s" % call_id,
        "CSeq: %d %s" % (cseq, method),
        "Contact: <sip:anonymous@%s:%d>" % (local_ip, local_port),
        "User-Agent: pbxsec-probe",
    ]
    if sdp:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(sdp))
    return ("\r\n".join(lines) + "\r\n\r\n" + sdp).encode(), branch


def parse_response(data):
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n")
    if not head or not head[0].startswith("SIP/2.0 "):
        return None, {}
    code = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if not line:
            break
        name, dummy, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return code, headers


def probe(host, port, number, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, port))
    local_ip, local_port = sock.getsockname()
    uri = "sip:%s@%s:%d" % (number, host, port)
    call_id = _token() + _token() + "@pbxsec-probe"
    from_tag = _token()
    invite, branch = build_request("INVITE", uri, host, port, local_ip, local_port,
                                   call_id, from_tag, 1)
    codes = []
    final = None
    deadline = time.monotonic() + timeout
    resend_at = time.monotonic() + 0.5
    sock.send(invite)
    while time.monotonic() < deadline and final is None:
        sock.settimeout(max(0.05, min(deadline, resend_at) - time.monotonic()))
        try:
            data = sock.recv(65535)
        except socket.timeout:
            if not codes and time.monotonic() >= resend_at:
                sock.send(invite)  # UDP retransmission (timer A), until a first answer
                resend_at = time.monotonic() + 1.0
            continue
        except ConnectionRefusedError:
            break
        code, headers = parse_response(data)
        if code is None:
            continue
        codes.append(code)
        if code >= 200:
            final = code
            to_header = headers.get("to") or headers.get("t") or "<%s>" % uri
            if code < 300:
                ack, dummy = build_request("ACK", uri, host, port, local_ip, local_port,
                                           call_id, from_tag, 1, to_header=to_header)
                bye, dummy = build_request("BYE", uri, host, port, local_ip, local_port,
                                           call_id, from_tag, 2, to_header=to_header)
                sock.send(ack)
                sock.send(bye)
            else:
                ack, dummy = build_request("ACK", uri, host, port, local_ip, local_port,
                                           call_id, from_tag, 1, to_header=to_header,
                                           branch=branch)
                sock.send(ack)
    if final is None and codes:
        cancel, dummy = build_request("CANCEL", uri, host, port, local_ip, local_port,
                                      call_id, from_tag, 1, branch=branch)
        sock.send(cancel)
    sock.close()
    return {"target": "%s:%d" % (host, port), "to": number, "responses": codes, "final": final}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("--port", type=int, default=5060)
    parser.add_argument("--to", default="0044201234567")
    parser.add_argument("--timeout", type=float, default=6.0)
    args = parser.parse_args(argv)
    json.dump(probe(args.host, args.port, args.to, args.timeout), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
