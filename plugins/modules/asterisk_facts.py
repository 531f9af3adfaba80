#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: asterisk_facts
short_description: Discover Asterisk on a host (version, running, channel drivers, FreePBX)
version_added: 0.1.0
description:
  - Finds the Asterisk version, whether Asterisk runs, which SIP/IAX channel drivers are
    installed and loaded, where its configuration and modules live, and whether FreePBX manages
    the host.
  - When Asterisk runs, loaded modules are asked of the running Asterisk (CLI C(module show), sent
    on its control socket, C(astrundir)/C(astctl) of C(asterisk.conf), as C(asterisk -rx) sends it);
    a module listed as C(Not Running) declined to load and does not count as loaded.
  - When Asterisk does not run (or O(live=false)), they are predicted from C(modules.conf) and the
    modules installed in C(astmoddir), read with the collection's Asterisk config engine, the way
    Asterisk's loader does it - C(load), C(require), C(preload) and C(preload-require) lines, then
    every module of the directory when the first C(autoload) is true, then C(noload) removes
    matching names (case-insensitive, C(.so) optional) even when they were loaded explicitly.
    A module whose dependency is installed but not loaded does not run
    (C(noload => res_pjproject.so) also stops C(res_pjsip) and C(chan_pjsip)). A module that
    would load but decline at start (its own configuration) cannot be foreseen.
  - Where Asterisk would refuse to start (C(modules.conf) missing or invalid, an unknown option in
    C([modules]), C(noload) of a required module, a required module that cannot load), nothing is
    predicted loaded and C(config_errors) says why.
  - Reads only; safe in check mode.
author:
  - pbxsec.hardening developers (@pbxsec)
options:
  config_dir:
    description: Directory Asterisk reads its configuration from.
    type: path
    default: /etc/asterisk
  live:
    description:
      - Ask the running Asterisk when it runs. When false, judge from the files alone.
    type: bool
    default: true
extends_documentation_fragment:
  - pbxsec.hardening.attributes.info_module
  - pbxsec.hardening.attributes.facts
  - pbxsec.hardening.attributes
notes:
  - The facts are returned under C(ansible_facts.asterisk).
"""

EXAMPLES = r"""
- name: Discover Asterisk
  pbxsec.hardening.asterisk_facts:

- name: Harden chan_sip only where it is installed
  ansible.builtin.debug:
    msg: "chan_sip loaded: {{ ansible_facts.asterisk.chan_sip.loaded }}"
  when: ansible_facts.asterisk.chan_sip.installed

- name: Judge a configuration backup without asking a running Asterisk
  pbxsec.hardening.asterisk_facts:
    config_dir: /srv/backup/pbx1/etc/asterisk
    live: false
"""

RETURN = r"""
ansible_facts:
  description: Facts about Asterisk on the host.
  returned: always
  type: dict
  contains:
    asterisk:
      description: What was found.
      type: dict
      contains:
        installed:
          description: Whether the C(asterisk) binary was found.
          type: bool
          sample: true
        binary:
          description: Path of the C(asterisk) binary, or null.
          type: str
          sample: /usr/sbin/asterisk
        version:
          description: Asterisk version as C(asterisk -V) prints it, without distribution suffix.
          type: str
          sample: 16.28.0
        version_full:
          description: The whole C(asterisk -V) version string.
          type: str
          sample: 16.28.0~dfsg-0+deb11u10
        version_major:
          description: Major version, or null when unknown.
          type: int
          sample: 16
        running:
          description:
            - Whether a running Asterisk answered on its control socket.
            - Always false with O(live=false), where Asterisk is not asked.
          type: bool
        source:
          description: Where the loaded state comes from, C(live) or C(config).
          type: str
          sample: live
        config_dir:
          description: The configuration directory.
          type: str
          sample: /etc/asterisk
        module_dir:
          description: Where Asterisk loads modules from (asterisk.conf C(astmoddir)).
          type: str
          sample: /usr/lib/asterisk/modules
        modules:
          description:
            - Installed and loaded state of the modules the collection's controls depend on.
            - C(installed) means C(<module>.so) is in C(module_dir); C(loaded)
              means running (live) or predicted to load at start (config).
          type: dict
          sample: {"chan_sip": {"installed": true, "loaded": true}}
        chan_sip:
          description: chan_sip installed and loaded (C(chan_sip.so)).
          type: dict
          sample: {"installed": true, "loaded": true}
        pjsip:
          description: PJSIP installed and loaded (C(res_pjsip.so) and C(chan_pjsip.so)).
          type: dict
          sample: {"installed": true, "loaded": true}
        iax2:
          description: chan_iax2 installed and loaded.
          type: dict
          sample: {"installed": true, "loaded": false}
        freepbx:
          description:
            - Whether FreePBX manages this host, and why we think so.
            - C(ami_user) is FreePBX's own AMI user (C(AMPMGRUSER) of C(/etc/freepbx.conf) or
              C(/etc/amportal.conf), else FreePBX's default C(admin)), the one the C(manager)
              role and the audit judge by what FreePBX needs; C(ami_user_source) is the file
              that names it, or null. Both are null when FreePBX is not detected.
            - C(layout) says where a change of C(logger.conf) survives FreePBX, which writes that
              file again (the C(fail2ban) role's edit), as M(pbxsec.hardening.freepbx_layout)
              describes it (the file to write the C([logfiles]) option to, the files FreePBX
              leaves alone, and C(problems) when those would not win); empty when FreePBX is not
              detected or there is no C(logger.conf).
          type: dict
          sample: {"detected": true, "evidence": ["/etc/freepbx.conf"], "ami_user": "admin",
                   "ami_user_source": "/etc/amportal.conf",
                   "layout": {"logger.conf": {"path": "/etc/asterisk/logger.conf",
                                              "writable": ["logger_general_custom.conf", "logger_logfiles_custom.conf"],
                                              "general": "logger_general_custom.conf",
                                              "logfiles": "logger_logfiles_custom.conf",
                                              "gui": "Settings > Asterisk Logfile Settings", "problems": []}}}
        files:
          description:
            - The names of the C(*.conf) files directly in O(config_dir) (regular files and
              symbolic links, which are not followed), sorted. The roles read whether a file
              exists from here instead of a C(stat) task per file.
            - Names only, so that the facts Ansible copies for every task of every host stay
              small.
          type: list
          elements: str
          sample: [extensions.conf, sip.conf, voicemail.conf]
        ports:
          description:
            - The ports Asterisk listens on, as its configuration sets them - C(sip) - 5060, 5061
              and the ports of chan_sip's C([general]) C(bindport) and C(*bindaddr) (when
              chan_sip loads) and of PJSIP's transports' C(bind) (when PJSIP loads); C(iax2) -
              iax.conf C([general]) C(bindport) (4569 by default); C(rtp) - rtp.conf's
              C(rtpstart) and C(rtpend) (5000-31000 by default).
            - Null when a file Asterisk would refuse keeps them from being read; RV(ansible_facts.asterisk.config_errors) says why.
          type: dict
          sample: {"sip": [5060, 5061], "iax2": 4569, "rtp": [10000, 20000]}
        backends:
          description:
            - The lines that may give Asterisk objects no configuration file shows, found by the
              rules of the audit's O(pbxsec.hardening.pbx_compliance#module:objects=backends) -
              the PJSIP C(endpoint), C(auth) and C(identify) mappings of C(sorcery.conf) to
              anything but C(config,pjsip.conf) (a C(realtime) one only through a family
              C(extconfig.conf) maps), then the families and files that C([settings]) of
              C(extconfig.conf) maps to a realtime driver whose module loads (or may load - when
              the loaded modules cannot be known, every driver counts). One item per line, at
              most 50. Empty where Asterisk takes every object from its files; the roles skip
              their judgement of database objects then.
            - Where Asterisk would refuse C(sorcery.conf) or C(extconfig.conf), one item with
              C(what) V(unknown) names the file and line (RV(ansible_facts.asterisk.config_errors)
              says why), so that those judgements still run.
            - A mapping line holds a driver, a database and a table name; the user and
              password of a URL (C(curl)) read C(****). Each line quoted is cut at 120
              characters.
          type: list
          elements: dict
          contains:
            file:
              description: The file of the line (as the configuration engine resolved it).
              type: str
            line:
              description: Its line number.
              type: int
            what:
              description: The PJSIP type, the realtime family or file name it maps, or V(unknown).
              type: str
            text:
              description:
                - The line as the audit quotes it in its findings, with the C(extconfig.conf) line
                  of a C(realtime) family in parentheses.
              type: str
          sample: [{"file": "/etc/asterisk/sorcery.conf", "line": 5, "what": "endpoint",
                    "text": "sorcery.conf:5 endpoint=realtime,ps_endpoints (extconfig.conf:2 ps_endpoints => sqlite3,asterisk,ps_endpoints)"}]
        config_errors:
          description:
            - Errors met while reading asterisk.conf or modules.conf (file:line message), including
              what would stop Asterisk from starting, and fatal lines in included files (Asterisk
              drops the rest of such a file and goes on); and a file Asterisk would refuse that
              keeps RV(ansible_facts.asterisk.ports) or RV(ansible_facts.asterisk.backends) from
              being read. The module still returns its facts.
          type: list
          elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pbxsec.hardening.plugins.module_utils.run_facts import ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.exit_json(changed=False, ansible_facts={"asterisk": run(module)})


if __name__ == "__main__":
    main()
