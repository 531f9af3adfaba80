# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark: the config engine on hostile files of growing size.  Prints, for every kind of
pathological input, the load time and throughput (MB/s) at each size, and whether the load
succeeded or ended in the engine's error.  Linear code keeps MB/s about flat as sizes grow;
a falling MB/s is a super-linear path.  Not a test.

    PYTHONPATH=.cache/collections .venv/bin/python tests/bench/bench_hostile.py [MB ...]
"""

import os
import sys
import tempfile
import time

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_errors import (
    AsteriskConfigError,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_loader import load_config


def repeat(unit, size, head=""):
    """``head`` then ``unit`` as many times as fits in ``size`` bytes."""
    return head + unit * max(1, (size - len(head)) // len(unit))


def escapes(size):
    return {"a.conf": repeat("x=" + "\\;" * 4000 + "\n", size, "[g]\n")}


def long_lines(size):
    return {"a.conf": repeat("x=" + "y" * 8180 + "\n", size, "[g]\n")}


def too_long_lines(size):
    return {"a.conf": repeat("x=" + "y" * 9000 + "\n", size, "[g]\n")}


def block_comments(size):
    nest = ";--" * 127 + " x " + "--;" * 127
    return {"a.conf": repeat("v=1 " + nest + " ; c\n", size, "[g]\n")}


def comment_semicolons(size):
    return {"a.conf": repeat("v=1 ;-- " + ";" * 8000 + " --;\n", size, "[g]\n")}


def includes(size):
    files = {"a.conf": repeat("#tryinclude inc*.conf\n", size, "[g]\n")}
    files.update(("inc%03d.conf" % number, "v%d=1\n" % number) for number in range(1))
    return files


def star_globs(size):
    files = {"a.conf": repeat("#tryinclude *" + "a" * 100 + "b\n", size, "[g]\n")}
    files.update(("a" * 200 + "%02d" % number, "") for number in range(20))
    return files


def long_filters(size):
    head = "[general]\nfoo=" + "x" * 200 + "\n[general]\nfoo=!\n"
    return {"a.conf": repeat("[general](+foo=" + ".*" * 120 + "!)\n", size, head)}


def many_categories(size):
    return {"a.conf": repeat("[c]\ntype=endpoint\nallow=ulaw\n", size)}


def plus_headers(size):
    return {"a.conf": repeat("[g](+)\nv=1\n", size, "[g]\n")}


def repeated_keys(size):
    return {"a.conf": repeat("allow=ulaw\n", size, "[g]\n")}


def appends(size):
    return {"a.conf": repeat("allow+=u\n", size, "[g]\nallow=x\n")}


def inheritance_chain(size):
    lines = ["[t0](!)\nv0=1\n"]
    number = 1
    while sum(map(len, lines)) < size:
        lines.append("[t%d](!,t%d)\nv%d=1\n" % (number, number - 1, number))
        number += 1
    return {"a.conf": "".join(lines)}


CASES = [escapes, long_lines, too_long_lines, block_comments, comment_semicolons, includes,
         star_globs, long_filters, many_categories, plus_headers, repeated_keys, appends,
         inheritance_chain]


def run(case, size):
    """``(bytes written, seconds, outcome)`` of loading the tree ``case(size)`` builds."""
    with tempfile.TemporaryDirectory() as directory:
        total = 0
        for name, text in case(size).items():
            with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
                handle.write(text)
            total += len(text)
        start = time.perf_counter()
        try:
            load_config(os.path.join(directory, "a.conf"))
            outcome = "loaded"
        except AsteriskConfigError as exc:
            outcome = "error: " + exc.message[:60]
        return total, time.perf_counter() - start, outcome


def main():
    sizes = [float(arg) for arg in sys.argv[1:]] or [0.25, 1.0, 4.0]
    print("%-20s %8s %9s %8s  %s" % ("input", "MB", "seconds", "MB/s", "outcome"))
    for case in CASES:
        for megabytes in sizes:
            total, seconds, outcome = run(case, int(megabytes * 1024 * 1024))
            megabytes = total / 1048576.0
            print("%-20s %8.2f %9.3f %8.2f  %s"
                  % (case.__name__, megabytes, seconds, megabytes / max(seconds, 1e-9), outcome))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
