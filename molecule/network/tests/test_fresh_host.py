# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On the untouched `fresh` container: check mode writes nothing and predicts the real run, the
second run changes nothing, and a bad network variable fails before anything is touched."""

import pytest

from conftest import container, playbook

HOST = "pbxsec-mn-fresh"
# What the roles may change: configuration, the ruleset, installed packages, the live table.
STATE = ("find /etc /var/lib/pbxsec -xdev \\( -type f -o -type l \\) -print0 2>/dev/null | sort -z"
         " | xargs -0 sha256sum; find /etc -xdev -type d -printf '%p %m\\n' | sort;"
         " dpkg-query --show; nft list tables 2>/dev/null; nft -s list table inet pbxsec 2>/dev/null"
         "; true")


def _state():
    return container("fresh").check_output(STATE)


def _changed(result):
    return result["stats"][HOST]["changed"]


@pytest.fixture(scope="module")
def runs():
    """Check mode, real run, second real run, and check mode again, in that order."""
    before = _state()
    check = playbook("--check")
    after_check = _state()
    first = playbook()
    second = playbook()
    check_again = playbook("--check")
    return dict(before=before, check=check, after_check=after_check, first=first, second=second,
                check_again=check_again)


def test_check_mode_on_a_fresh_host_writes_nothing(runs):
    assert runs["check"][0] == 0, runs["check"][2][-3000:]
    assert runs["after_check"] == runs["before"]


def test_check_mode_predicts_the_changes_of_the_real_run(runs):
    assert runs["first"][0] == 0, runs["first"][2][-3000:]
    print("fresh host: check mode predicted %d changes, the real run made %d"
          % (_changed(runs["check"][1]), _changed(runs["first"][1])))
    assert _changed(runs["check"][1]) == _changed(runs["first"][1]) > 0


def test_second_run_and_check_mode_change_nothing(runs):
    assert runs["second"][0] == 0 and _changed(runs["second"][1]) == 0
    assert runs["check_again"][0] == 0 and _changed(runs["check_again"][1]) == 0


@pytest.mark.parametrize("variable,value", [
    ("pbx_provider_networks", "300.1.1.0/24"),
    ("pbx_trusted_networks", "198.18.1.5/24"),
    ("pbx_management_networks", "lan"),
])
def test_bad_network_fails_before_anything_is_touched(runs, variable, value):
    assert runs["first"][0] == 0
    before = _state()
    rc, _result, out = playbook("-e", '{"%s": ["%s"]}' % (variable, value))
    assert rc != 0
    assert variable in out and value in out
    assert _state() == before
