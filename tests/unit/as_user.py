# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run module code as another user: ``run_as(user, args, main)`` forks, drops to ``user`` (its
group, no supplementary groups), runs ``main()`` with the module arguments ``args`` and returns
the result the module printed. Needs root; make every import before calling it."""

from __future__ import annotations

import json
import os
import sys
import traceback

from ansible.module_utils import _internal
from ansible.module_utils._internal._json import get_serialization_module
from ansible.module_utils.testing import patch_module_args

# The JSON profiles a module reads its arguments and writes its result with, imported while this
# process may still read them: the child, once another user, cannot import them where the
# checkout's directory is closed to others (a clone under mktemp -d, 0700).
for _profile in ("module_legacy_c2m", "module_legacy_m2c", "module_modern_c2m", "module_modern_m2c"):
    get_serialization_module(_profile)


def run_as(user, args, main):
    """The JSON result ``main()`` prints, run in a child process as ``user`` (a pwd entry)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                    # the child: never returns into pytest
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            _internal.is_controller = False
            sys.stdout = os.fdopen(write, "w")
            with patch_module_args(args):
                main()
        except SystemExit:
            sys.stdout.flush()
        except BaseException:       # shown in the test's captured stderr
            traceback.print_exc()
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as output:
        text = output.read()
    os.waitpid(pid, 0)
    return json.loads(text)
