# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""freepbx_layout, the real module run through ``ansible`` ad-hoc against localhost."""

from __future__ import annotations

MODULE = "pbxsec.hardening.freepbx_layout"

TREE = {
    "manager.conf": "[general]\nenabled = yes\n[admin]\nsecret = x\n"
                    "#include manager_additional.conf\n#include manager_custom.conf\n",
    "manager_additional.conf": "",
    "manager_custom.conf": "",
    "http.conf": "#include http_custom.conf\n#include http_additional.conf\n",
    "http_additional.conf": "[general]\nenabled=yes\n",
    "http_custom.conf": "",
}


def test_layout_of_the_roots_asked_for_in_check_mode(run_module, astconf_tree, snapshot):
    root = astconf_tree(TREE)
    before = snapshot(root)
    result = run_module(MODULE, {"config_dir": str(root), "roots": ["manager.conf", "http.conf", "sip.conf"]},
                        check=True)
    assert result["changed"] is False
    assert sorted(result["layout"]) == ["http.conf", "manager.conf"]
    assert result["layout"]["manager.conf"]["problems"] == []
    assert result["layout"]["manager.conf"]["objects"] == "manager_custom.conf"
    assert result["layout"]["http.conf"]["problems"] == [
        "http.conf: http_custom.conf is read before http_additional.conf, so the generated values would win"]
    assert snapshot(root) == before


def test_unknown_root_is_refused(run_module, astconf_tree):
    result = run_module(MODULE, {"config_dir": str(astconf_tree(TREE)), "roots": ["features.conf"]})
    assert result["failed"] and "features.conf" in result["msg"]


def test_files_freepbx_writes_again_and_the_gui_setting_of_each_control(run_module, astconf_tree):
    root = astconf_tree({
        "iax.conf": "[general]\n#include iax_general_additional.conf\n#include iax_general_custom.conf\n"
                    "#include iax_custom.conf\n#include iax_additional.conf\n#include iax_custom_post.conf\n",
        "iax_general_additional.conf": "bindport=4569\n",
        "iax_general_custom.conf": "",
        "iax_custom.conf": "",
        "iax_additional.conf": "[guest]\ntype=user\n",
        "iax_custom_post.conf": "",
    })
    result = run_module(MODULE, {"config_dir": str(root), "roots": ["iax.conf"]})
    assert result["layout"]["iax.conf"]["freepbx_written"] == [
        "iax.conf", "iax_general_additional.conf", "iax_additional.conf"]
    assert result["gui_fixes"]["PBX-IAX-001"].startswith("Applications > Extensions")
    assert "PBX-SEC-005" in result["gui_fixes"] and "PBX-SIP-002" not in result["gui_fixes"]
