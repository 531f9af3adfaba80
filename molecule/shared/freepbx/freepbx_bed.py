# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probes of the FreePBX-layout scenario: chan_sip listens on 5160 there (FreePBX's port when
PJSIP has 5060), and FreePBX's settings live in MariaDB."""

import json

from pbxsec_testbed import PROBE, inventory_name

GENERATED = "/usr/share/pbxsec-freepbx/generated"
# The stand-in fwconsole's record: per reload, the generated files it found changed (by sha256)
# before writing them again.
RELOADS = "/var/log/pbxsec-fwconsole-reloads.log"
# chan_sip on FreePBX's 5160, PJSIP on 5060.
SIP_PORTS = (5160, 5060)


def invite(attacker, host, port):
    """Responses of ``host`` to the attacker's anonymous INVITE on ``port``."""
    out = attacker.check_output("python3 %s %s --port %s --timeout 6", PROBE,
                                inventory_name(host), str(port))
    return json.loads(out)


def setting(host, table, key_column, value_column, name):
    """A FreePBX setting as stored in its database."""
    return host.check_output("mysql --batch --skip-column-names asterisk -e %s",
                             "SELECT %s FROM %s WHERE %s = '%s'"
                             % (value_column, table, key_column, name))


def generated_changes(host):
    """Generated files whose bytes differ from the copy the image was built with."""
    names = host.check_output("ls %s" % GENERATED).split()
    return [name for name in names
            if host.file("%s/%s" % (GENERATED, name)).sha256sum
            != host.file("/etc/asterisk/%s" % name).sha256sum]


def changed_before_reloads(host):
    """Per ``fwconsole reload`` so far, the generated files that differed from the image's copy
    when it came (a reload writes them again, so this is the only time a write shows)."""
    return [line.split()[1:] for line in host.file(RELOADS).content_string.splitlines()]
