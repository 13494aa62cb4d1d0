"""Files only their owner may read: the database, the Maildir and the key files.

Modes are set explicitly, never left to the umask (022 on most systems would make them
readable by every local user).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


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


def create_once(path: Path, data: bytes) -> bool:
    """Write `path` (0600) unless it exists; True if this call made it.

    Written whole under another name, then linked into place: a process starting at the
    same moment (on this host or another sharing the folder), or a crash, never finds half
    a file, and the first one made is the one everybody keeps.
    """
    private_dir(path.parent)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
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
