# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""host_firewall_info, the real module through ``ansible`` ad-hoc against this machine: FreePBX's
Firewall module from its directory and flag, the packages and tools as this machine has them.
Running firewalld and active ufw are proven on real hosts in molecule/network (test_managers)."""

from __future__ import annotations

import shutil
import subprocess

MODULE = "pbxsec.hardening.host_firewall_info"


def test_freepbx_firewall_needs_its_module_and_its_enabled_flag(run_module, tmp_path):
    config, modules = tmp_path / "asterisk", tmp_path / "modules"
    config.mkdir()
    (modules / "firewall").mkdir(parents=True)
    args = dict(config_dir=str(config), freepbx_modules_dir=str(modules))
    assert run_module(MODULE, args)["freepbx_firewall"] == dict(installed=True, enabled=False)
    (config / "firewall.enabled").write_text("")
    assert run_module(MODULE, args)["freepbx_firewall"] == dict(installed=True, enabled=True)
    args["freepbx_modules_dir"] = str(tmp_path / "none")
    assert run_module(MODULE, args)["freepbx_firewall"] == dict(installed=False, enabled=True)


def test_packages_and_tools_are_what_this_machine_has(run_module, tmp_path):
    result = run_module(MODULE, dict(config_dir=str(tmp_path)), check=True)
    assert result["changed"] is False and "failed" not in result, result
    dpkg = shutil.which("dpkg-query") and subprocess.run(
        ["dpkg-query", "--show", "--showformat=${db:Status-Abbrev}", "nftables"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout.decode()
    assert result["nftables_installed"] is bool(dpkg and dpkg.startswith("ii"))
    for tool, key in (("firewall-cmd", "firewalld"), ("ufw", "ufw")):
        installed = any(shutil.which(tool, path=path) for path in
                        ("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",))
        assert result[key]["installed"] is installed, (tool, result)
        if not installed:
            assert not any(value for name, value in result[key].items() if name != "installed")
