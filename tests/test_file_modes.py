"""Files only their owner may read, whatever the umask: the database with its -wal and -shm
files, the Maildir and the key files are 0600, their folders 0700.

The programs run in their own processes under umask 022, the usual one, which would leave
every file they make readable by every local user.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hub_tui.db import make_engine
from hub_tui.demo import SUPPORT
from hub_tui.setup_codes import installation_key
from hub_tui.ssh.host_key import load_host_key

UMASK = 0o022

# opens the database as the programs do and keeps it open (so its -wal and -shm files are
# there to be looked at) until its input is closed
HOLD_OPEN = """
import sys
from hub_tui.db import make_engine

with make_engine(sys.argv[1]).connect() as conn:
    conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar()
    print("open", flush=True)
    sys.stdin.read()
"""

# writes in WAL mode and dies without closing, as a crash would: the -wal and -shm files stay
CRASH = """
import os, sqlite3, sys

conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
conn.execute("INSERT INTO scratch VALUES (1)")
os._exit(0)
"""


def url(data: Path) -> str:
    return f"sqlite:///{data / 'hub.db'}"


def hub_tui(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "hub_tui", *args],
        env={**os.environ, "HUB_DATABASE_URL": url(data), "HUB_USER": SUPPORT},
        umask=UMASK,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes(folder: Path) -> dict[str, str]:
    """Every file and folder in `folder`, itself included, with its mode."""
    found = {".": oct(mode(folder))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(mode(path))
    return found


def not_private(folder: Path) -> dict[str, str]:
    """What in `folder` is not 0600 (a folder: 0700), with its mode."""
    return {
        name: found
        for name, found in modes(folder).items()
        if found != oct(0o700 if (folder / name).is_dir() else 0o600)
    }


@contextmanager
def held_open(data: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, url(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        umask=UMASK,
    )
    assert holder.stdout is not None
    if holder.stdout.readline() != "open\n":
        raise AssertionError(f"the database was not opened: {holder.communicate(timeout=20)}")
    try:
        yield
    finally:
        _, err = holder.communicate(timeout=20)  # closes its input: it lets go
    assert holder.returncode == 0, err


def test_the_database_and_the_maildir_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    hub_tui(data, "db", "upgrade")
    hub_tui(data, "demo")
    listed = hub_tui(data, "centres", "list", "--json", "--status", "not_activated")
    centre = json.loads(listed.stdout)[0]["centre_number"]
    hub_tui(data, "coordinator", "add", centre, "--name", "Ann Lee", "--email", "ann@x.org")
    hub_tui(data, "mail", "deliver", "--once")

    assert len(list((data / "maildir" / "new").iterdir())) == 1  # the invitation, its code
    assert not list((data / "maildir" / "tmp").iterdir())  # no draft left behind
    assert not_private(data) == {}

    with held_open(data):
        # SQLite makes these with the database file's mode: the umask plays no part
        assert (data / "hub.db-wal").exists() and (data / "hub.db-shm").exists()
        assert not_private(data) == {}


def test_a_database_others_can_read_is_made_private_saying_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "hub.db"
    hub_tui(data, "db", "upgrade")
    database.chmod(0o644)  # as an earlier version, or a copy, left it

    [line] = hub_tui(data, "db", "upgrade").stderr.splitlines()
    assert str(database) in line and "private" in line and "0644" in line
    assert mode(database) == 0o600
    assert hub_tui(data, "db", "upgrade").stderr == ""  # said once, when it was fixed


def test_the_line_is_a_warning_of_the_hub_tui_logger(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "hub.db"
    database.touch(mode=0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert [(r.name, r.levelname) for r in caplog.records] == [("hub_tui", "WARNING")]
    assert mode(database) == 0o600


def test_what_a_crash_left_readable_is_made_private_too(tmp_path: Path) -> None:
    """A -wal file a crash left is used again as it is, and kept while the database is open:
    it holds the latest changes, so its mode is fixed with the database's."""
    data = tmp_path / "data"
    database = data / "hub.db"
    hub_tui(data, "db", "upgrade")
    database.chmod(0o644)
    crash = subprocess.run([sys.executable, "-c", CRASH, str(database)], umask=UMASK)
    assert crash.returncode == 0
    leftovers = [data / "hub.db-wal", data / "hub.db-shm"]
    assert [mode(f) for f in leftovers] == [0o644, 0o644]

    with held_open(data):
        assert [mode(f) for f in (database, *leftovers)] == [0o600, 0o600, 0o600]


@contextmanager
def umask(value: int) -> Iterator[None]:
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_key_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with umask(UMASK):
        load_host_key(data / "ssh_host_ed25519_key")
        installation_key(data / "secret.key")
    assert modes(data) == {
        ".": oct(0o700),
        "ssh_host_ed25519_key": oct(0o600),
        "secret.key": oct(0o600),
    }
