"""Files only their owner may read: the database, the Maildir and the key files.

Modes are set explicitly, never left to the umask (022 on most systems would make them
readable by every local user).
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# SQLite's own files beside a database; SQLite makes them with the database file's mode
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")

log = logging.getLogger("hub_tui")


def private_dir(path: Path) -> Path:
    """`path` and any missing parents, each new one 0700 (existing folders are left alone:
    they may be shared on purpose, like a home directory)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_once(path: Path, data: bytes, *, drafts: Path | None = None) -> bool:
    """Write `path` (0600) unless it exists; True if this call made it.

    Written whole under another name (in `drafts`, e.g. a Maildir's tmp/, else beside
    `path`), then linked into place: a process starting at the same moment (on this host or
    another sharing the folder), or a crash, never finds half a file, and the first one made
    is the one everybody keeps.
    """
    private_dir(path.parent)
    draft = (drafts or path.parent) / f".{path.name}.{secrets.token_hex(8)}"
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), FILE_MODE)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first: theirs is kept
            return False
        except OSError:  # a file system without hard links: a rename then
            if path.exists():
                return False
            os.replace(draft, path)
        return True
    finally:
        draft.unlink(missing_ok=True)


def readable_by_others(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o077)


def private_database(path: Path) -> None:
    """Make sure the SQLite database `path` exists and only its owner can read it, before
    SQLite opens it: SQLite makes the database 0644 under the usual umask, and gives its
    -wal, -shm and -journal files the database file's mode. One that others can read is
    made private, with a warning saying so."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _make_database_private(path)
        return
    try:
        os.fchmod(fd, FILE_MODE)  # a umask such as 0277 takes bits away from os.open's
    finally:
        os.close(fd)


def _make_database_private(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:  # e.g. a dangling symbolic link: SQLite will say what is wrong
        return
    if not mode & 0o077:
        return
    try:
        os.chmod(path, FILE_MODE)
        # left from before, e.g. by a crash: SQLite keeps an existing file's mode
        for sidecar in (path.with_name(path.name + end) for end in SQLITE_SIDECARS):
            if sidecar.exists() and readable_by_others(sidecar):
                os.chmod(sidecar, FILE_MODE)
    except OSError as exc:  # not the owner: the database still works, so only say so
        log.warning(
            "hub-tui: the database %s can be read by other users (mode %04o) and could not "
            "be made private: %s",
            path,
            mode,
            exc.strerror,
        )
        return
    log.warning(
        "hub-tui: made the database %s private (mode 0600); it was %04o, readable by other users.",
        path,
        mode,
    )
