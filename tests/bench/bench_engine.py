# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark: the config engine on a generated PJSIP tree of 20,000 endpoints (templates, auths,
aors, ``#include`` files) against a bare read-and-split of the same files.  Prints numbers; not a
test.

    PYTHONPATH=.cache/collections .venv/bin/python tests/bench/bench_engine.py [endpoints] [files]
"""

import os
import sys
import tempfile
import time

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config

HEAD = """[global]
type=global
user_agent=PBX

[transport-udp]
type=transport
protocol=udp
bind=0.0.0.0:5060

[endpoint-tpl](!)
type=endpoint
context=from-internal
disallow=all
allow=ulaw,alaw
direct_media=no
allow_subscribe=yes

[auth-tpl](!)
type=auth
auth_type=userpass

[aor-tpl](!)
type=aor
max_contacts=2
remove_existing=yes
"""


def generate(directory, endpoints, files):
    """Write pjsip.conf and ``files`` included files holding ``endpoints`` endpoints."""
    per_file = -(-endpoints // files)
    includes = []
    for index in range(files):
        name = "pjsip_phones_%03d.conf" % index
        includes.append("#include %s\n" % name)
        lines = []
        for number in range(index * per_file, min(endpoints, (index + 1) * per_file)):
            ext = 100000 + number
            lines.append("[%d](endpoint-tpl)\nauth=%d-auth\naors=%d\ncallerid=\"Phone %d\" <%d>\n"
                         "[%d-auth](auth-tpl)\nusername=%d\npassword=Pw%dx%07d\n"
                         "[%d](aor-tpl)\nmailboxes=%d@default\n\n"
                         % (ext, ext, ext, ext, ext, ext, ext, ext, number * 7919, ext, ext))
        with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
            handle.write("".join(lines))
    with open(os.path.join(directory, "pjsip.conf"), "w", encoding="utf-8") as handle:
        handle.write(HEAD + "".join(includes))


def bare_split(directory):
    """Read every file and split it into lines and name/value pairs (no Asterisk rules)."""
    pairs = 0
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as handle:
            for line in handle.read().split(b"\n"):
                if b"=" in line:
                    line.split(b"=", 1)
                    pairs += 1
    return pairs


def best_of(runs, function, *args):
    times = []
    for dummy in range(runs):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    endpoints = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as directory:
        generate(directory, endpoints, files)
        size = sum(os.path.getsize(os.path.join(directory, n)) for n in os.listdir(directory))
        bare, pairs = best_of(5, bare_split, directory)
        engine, cfg = best_of(3, load_config, os.path.join(directory, "pjsip.conf"), directory)
        categories = len(cfg.categories)
    print("tree: %d endpoints, %d files, %.1f MB, %d categories, %d name=value lines"
          % (endpoints, files + 1, size / 1e6, categories, pairs))
    print("bare read-and-split: %7.3f s" % bare)
    print("engine load_config:  %7.3f s  (ratio %.1fx the bare split)" % (engine, engine / bare))


if __name__ == "__main__":
    main()
