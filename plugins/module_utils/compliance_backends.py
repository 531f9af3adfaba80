# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where Asterisk takes objects that its configuration files do not show, and how the controls
that judge such objects say so.  Never ``pass`` for objects the audit could not see.

* PJSIP endpoints, auths and identifies come from wherever ``sorcery.conf`` maps their type
  (``__ast_sorcery_apply_config()`` in main/sorcery.c: the ``[res_pjsip]`` and
  ``[res_pjsip_endpoint_identifier_ip]`` sections, one ``type[/options]=wizard,data`` line per
  mapping, ``/cache`` ones being caches).  A type mapped there gets no default
  ``config,pjsip.conf``: pjsip.conf holds objects of it only when a ``config`` mapping names it.
* chan_sip peers, IAX2 users and voicemail boxes come from the realtime families that
  ``[settings]`` of ``extconfig.conf`` maps (``read_config_maps()`` in main/config.c:
  ``family => driver,database[,table[,priority]]``; ``sipfriends`` and ``iaxfriends`` stand for
  both families of their driver).  A name ending in ``.conf`` loads that whole file from the
  database instead (static realtime).  A family gives objects only through a driver that is
  loaded; ``realtime`` sorcery mappings only through a family mapped there.

The running Asterisk shows every PJSIP object whatever its backend (``pjsip show endpoints``,
``pjsip show endpoint NAME``, ``pjsip show auth NAME``): live, those are judged (see
``compliance_pjsip`` and :func:`shown_auth_findings`).  chan_sip and IAX2 list realtime peers only
once a call cached them, and voicemail PINs are not shown: those stay ``manual``."""

from __future__ import annotations

import os
import re

from ansible_collections.pbxsec.hardening.plugins.module_utils.astconf_model import Value
from ansible_collections.pbxsec.hardening.plugins.module_utils.asterisk_console import (
    pjsip_listed,
    pjsip_parameters,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_result import (
    Outcome,
    finding,
    is_open,
)
from ansible_collections.pbxsec.hardening.plugins.module_utils.compliance_secret_policy import (
    secret_problems,
)

PJSIP_SORCERY = (("endpoint", "res_pjsip"), ("auth", "res_pjsip"),
                 ("identify", "res_pjsip_endpoint_identifier_ip"))
FRIENDS = {"sipfriends": ("sippeers", "sipusers"), "iaxfriends": ("iaxpeers", "iaxusers")}
# Realtime drivers and the module that registers each; a driver not listed here is assumed to
# be there (a family mapped to it may hold objects).
DRIVER_MODULES = {
    "odbc": "res_config_odbc",
    "pgsql": "res_config_pgsql",
    "sqlite3": "res_config_sqlite3",
    "sqlite": "res_config_sqlite",
    "mysql": "res_config_mysql",
    "ldap": "res_config_ldap",
    "curl": "res_config_curl",
}
SHOWN_TEXT = 120        # characters of a mapping line quoted in a finding
# The user and password of a URL (res_config_curl's ``family => curl,http://user:pass@host/``).
URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")
MAX_ASKED = 200         # objects asked one by one (pjsip show endpoint/auth NAME) per audit


class Mapping:
    """One line that sends objects to a backend.

    :ivar what: the PJSIP type, realtime family or file name it maps.
    :ivar value: the engine :class:`Value` of the line (its path and line number).
    :ivar family: for a ``realtime`` sorcery mapping, the extconfig.conf :class:`Mapping` of its
        family, else None.
    """

    __slots__ = ("what", "value", "family")

    def __init__(self, what, value, family=None):
        self.what = what
        self.value = value
        self.family = family

    @property
    def path(self):
        return self.value.path

    @property
    def line(self):
        return self.value.line

    def __str__(self):
        """``sorcery.conf:5 endpoint=realtime,ps_endpoints``, then the family's line; the user and
        password of a URL read ``****``."""
        variable = self.value.variable
        text = "%s:%d %s%s%s" % (os.path.basename(self.path), self.line, variable.name,
                                 " => " if variable.object else "=",
                                 URL_CREDENTIALS.sub(r"\1****@", str(self.value)))
        if len(text) > SHOWN_TEXT:
            text = text[:SHOWN_TEXT] + "..."
        return text + (" (%s)" % self.family if self.family is not None else "")


def _driver_loaded(host, driver):
    module = DRIVER_MODULES.get(driver.lower())
    return module is None or host.loaded(module)


def _families(host):
    settings = host.section("extconfig.conf", "settings")
    found = {}
    for name, value in settings.items() if settings is not None else ():
        driver, comma, rest = str(value).partition(",")
        if not (comma and driver.strip() and rest.partition(",")[0].strip()):
            continue        # "value ignored due to wrong format": no driver or no database
        if not _driver_loaded(host, driver.strip()):
            continue
        for family in FRIENDS.get(name.lower(), (name.lower(),)):
            found.setdefault(family, Mapping(family, value))
    return found


def realtime_families(host):
    """``{family or file name (lower case): Mapping}`` of extconfig.conf's ``[settings]`` that
    can give objects (the first mapping of each, through a loaded driver); read once.

    :raises AsteriskConfigError: Asterisk would refuse extconfig.conf."""
    return host.remember("realtime_families", lambda: _families(host))


def family_mappings(host, families):
    """The mappings of ``families`` (chan_sip's ``sippeers``...) that can give objects."""
    known = realtime_families(host)
    return [known[family] for family in families if family in known]


def static_mapping(host, name):
    """The mapping that loads configuration file ``name`` from a database, or None."""
    return realtime_families(host).get(name.lower())


class SorceryType:
    """Where the objects of one PJSIP type come from besides the file the audit reads.

    :ivar mappings: the :class:`Mapping` lines to backends the audit does not read.
    :ivar in_files: whether pjsip.conf holds objects of the type (no mapping at all, or a
        ``config`` mapping of pjsip.conf).
    """

    __slots__ = ("mappings", "in_files")

    def __init__(self):
        self.mappings = []
        self.in_files = False


def _sorcery_line(host, kind, value, found):
    wizard, _comma, data = str(value).partition(",")
    wizard = wizard.strip().lower()
    source = data.partition(",")[0].strip()
    if wizard == "config" and source == "pjsip.conf":
        found.in_files = True
    elif wizard == "realtime":
        family = realtime_families(host).get(source.lower())
        if family is not None:
            found.mappings.append(Mapping(kind, value, family))
    elif wizard:
        found.mappings.append(Mapping(kind, value))


def _sorcery(host):
    found = {}
    for kind, section in PJSIP_SORCERY:
        category = host.section("sorcery.conf", section)
        lines = [var for var in category.variables
                 if var.name.partition("/")[0].strip().lower() == kind
                 and "cache" not in var.name.partition("/")[2]] if category is not None else []
        found[kind] = SorceryType()
        found[kind].in_files = not lines
        for variable in lines:
            _sorcery_line(host, kind, Value(variable), found[kind])
    return found


def pjsip_sources(host):
    """``{"endpoint"|"auth"|"identify": SorceryType}`` of sorcery.conf, read once.

    :raises AsteriskConfigError: Asterisk would refuse sorcery.conf or extconfig.conf."""
    return host.remember("pjsip_sources", lambda: _sorcery(host))


def unseen(mappings, what):
    """Findings for objects ``what`` that ``mappings`` may hold and the audit cannot see."""
    return [finding(m.path, m.line, m.what, "%s may come from %s: not visible to this audit, "
                    "check them where they are stored" % (what, m)) for m in mappings]


def merged(outcome, failing=(), unclear=()):
    """``outcome`` of the files with the findings on objects from backends added: ``failing``
    ones fail it (latent ones do not), ``unclear`` ones make a pass ``manual``.  An ``error``
    or ``not_applicable`` outcome (nothing of it runs, or nothing could be read) is kept.  The
    added findings are marked ``backend`` (``fail`` or ``unclear``) until the result is written,
    for :func:`backends_alone`."""
    if outcome.status in ("error", "not_applicable") or not (failing or unclear):
        return outcome
    failing = [dict(item, backend="fail") for item in failing]
    unclear = [dict(item, backend="unclear") for item in unclear]
    findings = outcome.findings + failing + unclear
    if outcome.status == "fail" or any(is_open(item) for item in failing):
        return Outcome("fail", findings)
    if outcome.status == "manual" or unclear:
        return Outcome("manual", findings)
    return Outcome(outcome.status, findings)


def backends_alone(outcome):
    """``outcome`` judged on the objects of backends alone (those no configuration file shows,
    which only the backend's owner can change): ``fail`` with an open failing one, ``manual``
    with an unclear one, else ``pass``.  An ``error`` or ``not_applicable`` outcome is kept."""
    if outcome.status in ("error", "not_applicable"):
        return outcome
    found = [item for item in outcome.findings if item.get("backend")]
    if any(item["backend"] == "fail" and is_open(item) for item in found):
        return Outcome("fail", found)
    return Outcome("manual" if any(item["backend"] == "unclear" for item in found) else "pass",
                   found)


def with_unseen(outcomes, controls, findings):
    """``outcomes`` with ``findings`` (objects not seen) added to each of ``controls``."""
    if not findings:
        return outcomes
    return dict((control, merged(outcome, unclear=findings) if control in controls else outcome)
                for control, outcome in outcomes.items())


def static_outcomes(host, outcomes, name):
    """``outcomes`` of the controls that read file ``name``, all ``manual`` at least when
    ``[settings]`` of extconfig.conf loads that file from a database."""
    mapping = static_mapping(host, name)
    if mapping is None:
        return outcomes
    return with_unseen(outcomes, outcomes, [finding(mapping.path, mapping.line, name, "Asterisk "
                                                    "reads %s from a database (%s), not the file "
                                                    "judged here" % (name, mapping))])


def askable(name):
    """Whether an object id from CLI output can be put in a CLI command as one word."""
    return 0 < len(name) <= 255 and name.isprintable() and not any(
        c.isspace() or c in "\"'\\" for c in name)


def _auth_finding(host, name, mapping, policy):
    """``(fails, finding)`` on PJSIP auth ``name`` from ``mapping``: a failing finding (weak
    password), an unclear one (password not shown) or None (strong, or not a password auth)."""
    answer = host.cli("pjsip show auth %s" % name) if askable(name) else None
    shown = pjsip_parameters(answer or "")
    where = "PJSIP auth from %s, asked of the running Asterisk" % mapping
    if "password" not in shown:
        return False, finding(mapping.path, mapping.line, name, "%s: its password is not shown "
                              "to this audit, check it where it is stored" % where)
    if shown.get("auth_type", "userpass").lower() != "userpass":
        return False, None
    reasons = secret_problems(shown["password"], [name, shown.get("username", "")], policy)
    if not reasons:
        return False, None
    return True, finding(mapping.path, mapping.line, name, "password of %s: %s; the password "
                         "is not shown" % (where, "; ".join(reasons)))


def shown_auth_findings(host, file_auths, policy):
    """``(failing, unclear)`` findings of PBX-SEC-002 on the PJSIP auths of backends.

    Live, the running Asterisk shows every auth (``pjsip show auths``) and each one's password
    (``pjsip show auth NAME``): those not in pjsip.conf (``file_auths``, lower case) are judged
    by the same policy, their password never leaves this function.  Otherwise every backend
    is a finding that says the auths are not seen."""
    source = pjsip_sources(host)["auth"]
    if not source.mappings:
        return [], []
    listing = host.cli("pjsip show auths")
    if listing is None:
        return [], unseen(source.mappings, "PJSIP auths")
    failing, unclear = [], []
    names = [n for n in pjsip_listed(listing, "Auth")
             if not (source.in_files and n.lower() in file_auths)]
    for name in names[:MAX_ASKED]:
        fails, item = _auth_finding(host, name, source.mappings[0], policy)
        if item is not None:
            (failing if fails else unclear).append(item)
    if len(names) > MAX_ASKED:
        unclear += unseen(source.mappings, "%d more PJSIP auths (over %d asked)" % (
            len(names) - MAX_ASKED, MAX_ASKED))
    return failing, unclear


SWITCHES = ("switch", "lswitch", "eswitch")


def _switch_family(value):
    """The realtime family of a ``Realtime/[context]@[family][/options]`` switch, else None."""
    kind, _slash, data = str(value).partition("/")
    if kind.strip().lower() != "realtime":
        return None
    family = data.partition("/")[0].partition("@")[2].strip()
    return (family or "extensions").lower()


def realtime_switches(host):
    """``{context (lower case): [Mapping]}``: the extensions.conf contexts whose
    ``switch => Realtime/...`` (pbx_realtime) takes extensions from a family extconfig.conf maps,
    each Mapping the switch line with its family's line.  The dialplan those contexts reach is
    not in the files.

    :raises AsteriskConfigError: Asterisk would refuse extensions.conf or extconfig.conf."""
    cfg = host.config("extensions.conf")
    if cfg is None or not host.loaded("pbx_realtime"):
        return {}
    families = realtime_families(host)
    found = {}
    for context in cfg.categories:
        for variable in context.variables if not context.template else ():
            family = _switch_family(variable.value) if variable.name.lower() in SWITCHES else None
            if family in families:
                found.setdefault(context.name.lower(), []).append(
                    Mapping(context.name, Value(variable), families[family]))
    return found
