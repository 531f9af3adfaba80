# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the probe tests talk to: SIP answers captured from the test bed's Asterisk
(``ANSWERS``, tests/unit/fixtures/sip/answers.json) and a loopback UDP SIP server that
replays them (:class:`Answerer`)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "sip",
                        "answers.json")
with open(FIXTURES, encoding="ascii") as _handle:
    ANSWERS = dict((name, text.encode("ascii")) for name, text in json.load(_handle).items())


class Answerer:
    """A SIP server on a real loopback UDP socket that answers each request with ``script
    [method]`` (captured answers, their Call-ID replaced by the request's), and records every
    request it gets with the time it came."""

    def __init__(self, script):
        self.script = script
        self.requests = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        # Stop only on a quiet socket: a request already queued when close() is called (the
        # ACK that follows a CANCEL) is still read and recorded.
        while True:
            try:
                data, peer = self.sock.recvfrom(65535)
            except socket.timeout:
                if not self.running:
                    return
                continue
            method = data.split(b" ", 1)[0].decode()
            self.requests.append((time.monotonic(), method, data))
            call_id = [line for line in data.split(b"\r\n") if line.startswith(b"Call-ID:")][0]
            for answer in self.script.get(method, ()):
                lines = [call_id if line.startswith(b"Call-ID:") else line
                         for line in answer.split(b"\r\n")]
                self.sock.sendto(b"\r\n".join(lines), peer)

    def methods(self):
        return [method for dummy, method, dummy2 in self.requests]

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()
