#!/usr/bin/env python
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Try one SIP REGISTER with digest authentication over UDP and report the final answer, as JSON.

Runs inside the attacker container against a PBX container of the test bed (never anything
else). The secret is read from standard input (one line), so that it shows up neither in the
process list nor in any log; it is never printed.

Usage: echo SECRET | sip_register.py HOST USER [--port 5060] [--timeout 6]
Prints: {"target": ..., "user": ..., "responses": [401, 200], "final": 200}
Exit status 0 when the registration was accepted (200), 1 otherwise.
"""

import argparse
import hashlib
import json
import random
import re
import socket
import sys


def _token():
    return "%08x" % random.getrandbits(32)


def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def build_register(host, port, user, local_ip, local_port, call_id, tag, cseq, auth=None):
    uri = "sip:%s:%d" % (host, port)
    lines = [
        "REGISTER %s SIP/2.0" % uri,
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (local_ip, local_port, _token()),
        "Max-Forwards: 70",
        "From: <sip:%s@%s>;tag=%s" % (user, host, tag),
        "To: <sip:%s@%s>" % (user, host),
        "Call-ID: %s" % call_id,
        "CSeq: %d REGISTER" % cseq,
        "Contact: <sip:%s@%s:%d>" % (user, local_ip, local_port),
        "Expires: 60",
        "User-Agent: pbxsec-register",
    ]
    if auth:
        lines.append(auth)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode("utf-8")


def digest_header(challenge, user, secret, method, uri):
    """Authorization header answering a WWW-Authenticate digest challenge (MD5, qop=auth)."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    ha1 = _md5("%s:%s:%s" % (user, realm, secret))
    ha2 = _md5("%s:%s" % (method, uri))
    fields = 'username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5' % (
        user, realm, nonce, uri)
    if "auth" in params.get("qop", "").split(","):
        cnonce, nc = _token(), "00000001"
        response = _md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2))
        fields += ', qop=auth, nc=%s, cnonce="%s"' % (nc, cnonce)
    else:
        response = _md5("%s:%s:%s" % (ha1, nonce, ha2))
    if params.get("opaque"):
        fields += ', opaque="%s"' % params["opaque"]
    return "Authorization: Digest %s, response=\"%s\"" % (fields, response)


def _final(sock, timeout):
    """(status, challenge) of the first final (>= 200) response, or (None, None)."""
    sock.settimeout(timeout)
    while True:
        try:
            data = sock.recv(65535).decode("utf-8", "replace")
        except socket.timeout:
            return None, None
        match = re.match(r"SIP/2\.0 (\d{3})", data)
        if not match or int(match.group(1)) < 200:
            continue
        challenge = re.search(r"^WWW-Authenticate:\s*Digest\s+(.*)$", data,
                              re.MULTILINE | re.IGNORECASE)
        return int(match.group(1)), challenge.group(1).strip() if challenge else None


def register(host, port, user, secret, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, port))
    local_ip, local_port = sock.getsockname()
    call_id, tag = _token() + _token(), _token()
    responses = []
    sock.send(build_register(host, port, user, local_ip, local_port, call_id, tag, 1))
    status, challenge = _final(sock, timeout)
    responses.append(status)
    if status in (401, 407) and challenge:
        auth = digest_header(challenge, user, secret, "REGISTER", "sip:%s:%d" % (host, port))
        if status == 407:
            auth = auth.replace("Authorization:", "Proxy-Authorization:", 1)
        sock.send(build_register(host, port, user, local_ip, local_port, call_id, tag, 2, auth))
        status, _challenge = _final(sock, timeout)
        responses.append(status)
    sock.close()
    return responses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("user")
    parser.add_argument("--port", type=int, default=5060)
    parser.add_argument("--timeout", type=float, default=6)
    args = parser.parse_args()
    secret = sys.stdin.readline().rstrip("\r\n")
    responses = register(args.host, args.port, args.user, secret, args.timeout)
    final = responses[-1]
    print(json.dumps({"target": args.host, "user": args.user, "responses": responses,
                      "final": final}))
    return 0 if final == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
