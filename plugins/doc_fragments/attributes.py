# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``attributes`` the collection's modules document, as documentation fragments.

Fragments are merged in the order ``extends_documentation_fragment`` lists them: where two set
the same value, the one listed first wins, and ansible-doc shows the attributes in the order they
are first named. Hence:

- a module that writes files lists ``pbxsec.hardening.attributes`` (check mode and diff mode
  fully supported, platform);
- a module that only reads lists ``pbxsec.hardening.attributes.info_module`` first (no diff
  mode), then ``pbxsec.hardening.attributes.facts`` if it returns ``ansible_facts``, then
  ``pbxsec.hardening.attributes``.
"""

from __future__ import annotations


class ModuleDocFragment:
    """Documentation fragments: ``attributes`` entries."""

    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

    FACTS = r"""
options: {}
attributes:
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
"""
