# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of ``pbxsec.hardening.pbx_secret_store``: the controller's worker process itself keeps
the store of rotated secrets (no module run, no ``ansible-vault`` process).  The store is one
YAML mapping per file, vault-encrypted with Ansible's own ``VaultLib`` when a password file is
given; new entries are merged over it under a lock (``.<store>.lock`` beside it), so that hosts
sharing one store lose no entry, and the merge replaces the file atomically at mode 0600.

Messages name the store, never what it holds: a YAML error says the line, not the text."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile

import yaml

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.parsing.vault import VaultLib, get_file_vault_secret, is_encrypted
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = dict(
    path=dict(type="path", required=True),
    secrets=dict(type="dict", required=True, no_log=True),
    vault_password_file=dict(type="path", default=""),
)
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class StoreError(Exception):
    """A refusal or failure whose message names the store, never its content."""


def lock_path(path):
    """The lock file of the store at ``path``: ``.<name>.lock`` in the same directory."""
    directory, name = os.path.split(path)
    return os.path.join(directory, ".%s.lock" % name)


def make_directory(directory):
    """Create ``directory`` and its missing parents with mode 0700; one made meanwhile by
    another process (hosts usually share the store's directory) is fine."""
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIRECTORY_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIRECTORY_MODE)        # the umask does not narrow it further


def _load(path, data, vault):
    """The mapping ``data`` (the store's bytes) holds."""
    if is_encrypted(data):
        if vault is None:
            raise StoreError("the secret store %s is vault-encrypted: give vault_password_file"
                             % path)
        try:
            data = vault.decrypt(data)
        except AnsibleError:
            raise StoreError("cannot decrypt the secret store %s with the vault password file"
                             % path) from None
    elif vault is not None and data.strip():
        raise StoreError("refused: the secret store %s is not vault-encrypted although "
                         "vault_password_file is set; encrypt it first (ansible-vault encrypt)"
                         % path)
    try:
        mapping = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError("the secret store %s is not UTF-8 text" % path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = " (line %d)" % (mark.line + 1) if mark is not None else ""
        raise StoreError("the secret store %s is not valid YAML%s" % (path, where)) from None
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise StoreError("refused: the secret store %s does not hold a YAML mapping "
                         "(key: secret)" % path)
    return mapping


def read_store(path, vault=None):
    """``(mapping, mode)`` of the store at ``path``, ``({}, None)`` when there is none.
    A symbolic link or anything but a regular file is refused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise StoreError("cannot read the secret store %s: %s" % (path, exc.strerror)) from None
    if stat.S_ISLNK(info.st_mode):
        raise StoreError("refused: the secret store %s is a symbolic link" % path)
    if not stat.S_ISREG(info.st_mode):
        raise StoreError("refused: the secret store %s is not a regular file" % path)
    try:
        # O_NOFOLLOW and the fstat below: a link or FIFO swapped in since the lstat is refused.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise StoreError("cannot read the secret store %s: %s" % (path, exc.strerror)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise StoreError("refused: the secret store %s is not a regular file" % path)
        data = handle.read()
    return _load(path, data, vault), stat.S_IMODE(info.st_mode)


def render(mapping):
    """The store's YAML text, keys in order."""
    ordered = dict(sorted(mapping.items(), key=lambda item: str(item[0])))
    return yaml.safe_dump(ordered, default_flow_style=False, sort_keys=False, allow_unicode=True)


def write_store(path, mapping, vault=None):
    """Replace the store at ``path`` with ``mapping`` (encrypted with ``vault`` when given):
    a temporary file of mode 0600 in the same directory, synced, then ``os.replace`` (which
    replaces a link swapped in at ``path``, never writes through it) and the directory synced,
    so that a stored secret outlives a crash before Asterisk gets it."""
    text = render(mapping)
    data = vault.encrypt(text) if vault is not None else text.encode("utf-8")
    directory, name = os.path.split(path)
    fd, temporary = tempfile.mkstemp(prefix=".%s." % name, suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@contextlib.contextmanager
def locked(path):
    """Hold the exclusive lock of the store at ``path`` (its :func:`lock_path`, kept: removing
    a lock file others wait on would let two writers in at once)."""
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                 FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)                            # releases the lock


def new_entries(secrets):
    """``secrets`` as plain strings; a value that is not a string is refused by its key."""
    entries = {}
    for key, value in secrets.items():
        if not isinstance(value, str):
            raise StoreError("the new secret of %s must be a string" % key)
        entries[str(key)] = str(value)
    return entries


def plan(existing, mode, entries):
    """``(merged, added, replaced, changed)``: ``entries`` over ``existing`` (its other keys
    kept), the keys added and replaced, and whether the file changes (content or mode)."""
    added = sorted(key for key in entries if key not in existing)
    replaced = sorted(key for key in entries if key in existing and existing[key] != entries[key])
    merged = dict(existing, **entries)
    return merged, added, replaced, bool(added or replaced or mode != FILE_MODE)


def update_store(path, secrets, vault=None, check=False):
    """Merge ``secrets`` into the store at ``path``; in ``check`` mode only predict.
    Returns ``dict(changed, added, replaced, before, after)``, the last two the key lists the
    diff shows (replaced keys marked)."""
    entries = new_entries(secrets)
    if check:
        existing, mode = read_store(path, vault)
        return _outcome(existing, *plan(existing, mode, entries))
    make_directory(os.path.dirname(path))
    with locked(path):
        existing, mode = read_store(path, vault)
        merged, added, replaced, changed = plan(existing, mode, entries)
        if changed:
            write_store(path, merged, vault)
    return _outcome(existing, merged, added, replaced, changed)


def _outcome(existing, merged, added, replaced, changed):
    marked = set(replaced)
    return dict(changed=changed, added=added, replaced=replaced,
                before="".join("%s\n" % key for key in sorted(map(str, existing))),
                after="".join("%s%s\n" % (key, " (replaced)" if key in marked else "")
                              for key in sorted(map(str, merged))))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        path = os.path.abspath(args["path"])
        try:
            vault = self._vault(args["vault_password_file"])
            outcome = update_store(path, args["secrets"], vault, self._task.check_mode)
        except StoreError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        except OSError as exc:
            result.update(failed=True, msg="cannot write the secret store %s: %s"
                          % (path, exc.strerror or exc))
            return result
        before, after = outcome.pop("before"), outcome.pop("after")
        if self._task.diff:
            result["diff"] = dict(before_header="%s (keys)" % path, after_header="%s (keys)" % path,
                                  before=before, after=after)
        result.update(outcome, path=path)
        return result

    def _vault(self, password_file):
        """The ``VaultLib`` of the password in ``password_file`` (read as ``ansible-vault
        --vault-password-file`` reads it), or None without one."""
        if not password_file:
            return None
        try:
            secret = get_file_vault_secret(filename=password_file, loader=self._loader)
            secret.load()
        except AnsibleError as exc:
            raise StoreError("cannot read the vault password file %s: %s"
                             % (password_file, to_text(exc.message))) from None
        return VaultLib([("default", secret)])
