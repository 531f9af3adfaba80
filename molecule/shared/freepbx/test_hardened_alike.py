# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened FreePBX host, what holds alike on FreePBX 16 and 17: AMI and HTTP closed live,
FreePBX's generated files untouched (now and before every reload), the security log in the
custom logger file. Each scenario's tests/test_hardened.py holds what differs (chan_sip or
PJSIP)."""

import re

from freepbx_bed import changed_before_reloads, generated_changes
from pbxsec_testbed import cli

testinfra_hosts = ["pbx"]


def test_pbx_ami_001_bound_to_loopback(host):
    assert re.search(r"TCP Bindaddress:\s+127\.0\.0\.1:5038", cli(host, "manager show settings"))


def test_pbx_http_001_server_off(host):
    assert "Server Disabled" in cli(host, "http show status")


def test_generated_files_untouched(host):
    assert generated_changes(host) == []


def test_generated_files_untouched_before_every_reload(host):
    """The roles (converge and idempotence) ran fwconsole reload; each time, before it wrote
    FreePBX's files again, every one was byte-identical to the image's."""
    before = changed_before_reloads(host)
    assert before and all(changed == [] for changed in before), before


def test_pbx_log_001_security_log_in_the_custom_logger_file(host):
    custom = host.file("/etc/asterisk/logger_logfiles_custom.conf").content_string
    assert re.search(r"^security\s*=>?\s*security$", custom, re.M), custom
    assert "/var/log/asterisk/security" in cli(host, "logger show channels")
