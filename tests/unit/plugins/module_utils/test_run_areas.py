# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""run_areas.run (module pbx_harden) when an area's own code raises: the run stops there and
reports that area as failed, with the results of the areas before it, so that a caller can
still reload what they changed (playbooks/harden.yml stops the host on area_failed). The areas
are stand-ins here: a fault of the real areas' code is what no test can provoke on purpose."""

from __future__ import annotations

from types import SimpleNamespace

from ansible_collections.pbxsec.hardening.plugins.module_utils import run_areas


# The facts of a host with no driver (given, so that nothing is discovered).
FACTS = dict(config_dir="/etc/asterisk", module_dir=None, chan_sip={}, pjsip={}, iax2={},
             freepbx={"detected": False}, files=[])


class Area(SimpleNamespace):
    """An area whose run returns ``result`` or raises ``error``; its options are those the host
    decides (run_host)."""

    ARGUMENT_SPEC = dict(config_dir=dict(type="path"), drivers=dict(type="list"),
                         freepbx=dict(type="bool"), freepbx_ami_user=dict(type="str"))

    def run(self, _module):
        if getattr(self, "error", None):
            raise self.error
        return dict(self.result)


def test_a_fault_in_an_area_stops_the_run_and_keeps_what_ran_before(monkeypatch):
    monkeypatch.setattr(run_areas, "AREAS", (
        ("sip", Area(result={"changed": True, "closed_entry_points": [], "diff": [{"a": 1}]})),
        ("manager", Area(error=KeyError("users"))),
        ("secrets", Area(result={"changed": False})),
    ))
    module = SimpleNamespace(params=dict(sip={}, manager={}, secrets={}, preview=[],
                                         asterisk=FACTS, rotation_preview=None),
                             check_mode=False, no_log_values=set())
    result, failed = run_areas.run(module)
    assert failed
    assert result["area_failed"] == "manager"
    assert result["msg"] == "KeyError: 'users'"
    assert "Traceback" in result["exception"]
    assert result["changed"] is True and result["sip"]["changed"] is True
    assert result["diff"] == [{"a": 1}]
    assert "secrets" not in result
