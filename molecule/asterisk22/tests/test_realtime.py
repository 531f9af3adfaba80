# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The realtime site (tests/images/asterisk22-realtime, issue 15 item 4): its PJSIP endpoints and
auths live in a res_config_sqlite3 database that the configuration files do not show. The
database holds an anonymous endpoint, weak phone passwords and a trunk without auth identified
from outside the provider networks.

Harden does not pretend to fix database objects: it applies every fix it can to the files,
then fails the host naming each database object and its mapping line; the audit reports them,
before and after. What really happens to an anonymous INVITE after harden is asserted as it is:
the role noloads res_pjsip_endpoint_identifier_anonymous (PBX-PJS-001), yet the database's
endpoint named ``anonymous`` still takes ``From: anonymous@...`` through the username
identifier. The realtime site is hardened here (group realtime), not by the scenario's converge,
which must succeed."""

import json

import pytest
from pbxsec_testbed import cli, first_host, inventory_name, playbook, was_rejected

testinfra_hosts = ["pbxsec-m22-realtime"]

DATABASE = "/var/lib/asterisk/realtime.sqlite3"
NUMBER = "0044201234567"
WEAK_PASSWORDS = ("letmein1",)      # auth 201 in tests/images/asterisk22-realtime/realtime.sql
ARGS = {"provider_networks": ["198.51.100.0/24"], "trusted_networks": ["127.0.0.1/32"]}
# What harden must name, one line per database object (tests/images/asterisk22-realtime).
DATABASE_VERDICTS = (
    "PBX-PJS-001 anonymous: anonymous endpoint: calls without authentication reach context",
    "PBX-PJS-002 rt-trunk: no inbound auth",
    "PBX-PJS-004 rt-trunk: trunk endpoint with allow_subscribe=yes",
    "PBX-SEC-002 200: password of PJSIP auth from sorcery_realtime.conf:6",
    "PBX-SEC-002 201: password of PJSIP auth from sorcery_realtime.conf:6",
)


def harden(group, *args):
    """harden on one inventory group: ``(return code, output)``, after Asterisk booted there."""
    assert "fully booted" in cli(first_host(group), "core waitfullybooted")
    return playbook("pbxsec.hardening.harden", "-e", "pbx_hosts=" + group, *args)


@pytest.fixture(scope="module")
def hardened():
    """harden on the realtime site (once): its return code and output."""
    return harden("realtime")


def config_digest(host):
    return host.check_output("find /etc/asterisk -type f -print0 | sort -z | "
                             "xargs -0 sha256sum | sha256sum")


@pytest.fixture(scope="module")
def unhardened():
    """The unhardened realtime control container, fully booted."""
    control = first_host("realtime_control")
    assert "fully booted" in cli(control, "core waitfullybooted")
    return control


def audit(host, live=True):
    args = dict(ARGS, live=live)
    result = host.ansible("pbxsec.hardening.pbx_compliance", json.dumps(args), check=True,
                          become=False)
    assert not result.get("failed"), result
    for password in WEAK_PASSWORDS:
        assert password not in json.dumps(result)
    return dict((entry["id"], entry) for entry in result["controls"])


def anonymous_call(host, anonymous_invite):
    """``(SIP responses, number the dialplan saw)`` of an anonymous INVITE to ``host``."""
    cli(host, "database del pbxsec anonymous_reached")
    result = anonymous_invite(inventory_name(host), NUMBER)
    reached = cli(host, "database get pbxsec anonymous_reached").strip()
    return result, reached


def test_harden_fails_the_realtime_site_naming_each_database_object(hardened):
    rc, out = hardened
    assert rc != 0, out[-3000:]
    for verdict in DATABASE_VERDICTS:
        assert verdict in out, (verdict, out[-6000:])
    assert "sorcery_realtime.conf:5 endpoint=realtime,ps_endpoints" in out
    for password in WEAK_PASSWORDS:
        assert password not in out


def test_harden_check_mode_predicts_the_failure_and_changes_nothing(unhardened):
    before = config_digest(unhardened)
    rc, out = harden("realtime_control", "--check")
    assert rc != 0, out[-3000:]
    for verdict in DATABASE_VERDICTS:
        assert verdict in out, (verdict, out[-6000:])
    assert config_digest(unhardened) == before


@pytest.mark.parametrize("which", ["unhardened", "hardened"])
def test_pbx_pjs_realtime_objects_fail_live_before_and_after_harden(
        host, unhardened, hardened, which):
    entries = audit(unhardened if which == "unhardened" else host)
    statuses = dict((c, entries[c]["status"]) for c in
                    ("PBX-PJS-001", "PBX-PJS-002", "PBX-PJS-004", "PBX-SEC-002"))
    assert statuses == dict.fromkeys(statuses, "fail")
    assert [f["object"] for f in entries["PBX-PJS-001"]["findings"]] == ["anonymous"]
    assert "sorcery_realtime.conf:5 endpoint=realtime,ps_endpoints" in \
        entries["PBX-PJS-001"]["findings"][0]["message"]
    assert sorted(f["object"] for f in entries["PBX-SEC-002"]["findings"]) == ["200", "201"]


def test_pbx_pjs_realtime_objects_unseen_are_manual_from_the_files(host, hardened):
    entries = audit(host, live=False)
    for control in ("PBX-PJS-001", "PBX-PJS-002", "PBX-PJS-003", "PBX-PJS-004", "PBX-SEC-002"):
        assert entries[control]["status"] == "manual", entries[control]
        assert all(f["file"] == "/etc/asterisk/sorcery_realtime.conf"
                   for f in entries[control]["findings"])


def test_pbx_pjs_001_unhardened_anonymous_invite_walks_into_the_dialplan(unhardened,
                                                                         anonymous_invite):
    result, reached = anonymous_call(unhardened, anonymous_invite)
    assert 100 in result["responses"] and not was_rejected(result), result
    assert reached == "Value: %s" % NUMBER


def test_pbx_pjs_001_hardened_anonymous_identifier_is_not_loaded(host, hardened):
    assert "0 modules loaded" in cli(
        host, "module show like res_pjsip_endpoint_identifier_anonymous")


def test_pbx_pjs_001_hardened_database_anonymous_endpoint_still_walks_in_by_name(
        host, hardened, anonymous_invite):
    """Harden leaves the database alone, and noload of the anonymous identifier does not close
    an endpoint named anonymous: the username identifier takes From: anonymous@... for it."""
    assert "Unable to find object" not in cli(host, "pjsip show endpoint anonymous")
    assert "1 modules loaded" in cli(host, "module show like res_pjsip_endpoint_identifier_user")
    result, reached = anonymous_call(host, anonymous_invite)
    assert 100 in result["responses"] and not was_rejected(result), result
    assert reached == "Value: %s" % NUMBER


def test_harden_leaves_the_database_as_it_was(host, unhardened, hardened):
    def digest(container):
        return container.check_output("sha256sum %s", DATABASE).split()[0]

    assert digest(host) == digest(unhardened)
