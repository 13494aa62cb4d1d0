"""Shared fixtures: a migrated database per test, on SQLite and (when configured) PostgreSQL.

The migrations run once a process, not for each test (110-170 ms each time): a test's SQLite
file is a copy of a migrated one, its PostgreSQL schema the last test's, emptied and renamed
(tests.postgres.MigratedSchemas).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from hub_tui.cli import main
from hub_tui.config import Settings
from hub_tui.db import make_engine, upgrade
from hub_tui.files import FILE_MODE
from hub_tui.services.context import Hub
from tests.postgres import MigratedSchemas, postgres_schema
from tests.world import World, build_world

# runs the command line in-process: (exit status, stdout, stderr)
Cli = Callable[..., tuple[int, str, str]]

POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL")
NO_POSTGRES = "HUB_TEST_POSTGRES_URL is not set: PostgreSQL not tested"
BACKENDS = ["sqlite", "postgresql"]
LENT = pytest.StashKey[bool]()  # the test's PostgreSQL schema was lent, migrated (MigratedSchemas)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see only the settings they set; a developer's HUB_* or .env must not leak in."""
    for name in list(os.environ):
        if name.startswith("HUB_") and name != "HUB_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # the test's own key, shared with the processes it starts, as hosts share one
    monkeypatch.setenv("HUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    if wants_migrated_postgresql(request):
        request.node.stash[LENT] = True  # engine: migrated already
        with request.getfixturevalue("_migrated_postgresql").lent() as url:
            yield url
        return
    with postgres_schema(POSTGRES_URL) as url:
        yield url


def wants_migrated_postgresql(request: pytest.FixtureRequest) -> bool:
    """Whether the test may be lent a schema migrated earlier (MigratedSchemas): it wants
    `engine`, and neither it nor a fixture other than these asks for `database_url`, as
    those that migrate or hand the URL to other processes do. They get a new one, as before."""
    if "engine" not in request.fixturenames or "migrated_engine" in request.fixturenames:
        return False
    info = request.node._fixtureinfo  # pytest's own record of who asks for what
    if "database_url" in info.argnames:
        return False
    return not any(
        "database_url" in fixture.argnames and fixture.func.__module__ != __name__
        for fixtures in info.name2fixturedefs.values()
        for fixture in fixtures
    )


@pytest.fixture(scope="session")
def _migrated_postgresql() -> Iterator[MigratedSchemas]:
    assert POSTGRES_URL
    schemas = MigratedSchemas(POSTGRES_URL, migrate)
    yield schemas
    schemas.close()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A newly migrated SQLite database: the one file (the last connection to close folded
    the -wal into it and removed it, and the -shm)."""
    path = tmp_path_factory.mktemp("migrated") / "hub.db"
    migrate(f"sqlite:///{path}")
    assert sorted(path.parent.iterdir()) == [path]
    return path.read_bytes()


def write_private(path: Path, data: bytes) -> None:
    """`data` as the new file `path`, 0600 as hub-tui makes a database."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), FILE_MODE)  # the umask may have taken bits from os.open's
        file.write(data)


@pytest.fixture
def engine(database_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The test's database, migrated: as `migrated_engine`, but the migrations ran earlier."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        write_private(Path(str(url.database)), request.getfixturevalue("_migrated_sqlite"))
    eng = make_engine(database_url)
    if url.get_backend_name() != "sqlite" and not request.node.stash.get(LENT, False):
        upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The test's database, new and migrated there and then: for tests of the migrations."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def migrate(url: str) -> None:
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    settings = Settings(_env_file=None, database_url=database_url)
    if not database_url.startswith("sqlite"):  # never the real user's data directory
        settings = settings.model_copy(update={"maildir_path": tmp_path / "maildir"})
    return settings


@pytest.fixture
def hub(settings: Settings, engine: Engine) -> Hub:
    return Hub(settings, engine)


@pytest.fixture
def world(hub: Hub) -> World:
    return build_world(hub)


@pytest.fixture
def cli(
    hub: Hub,
    world: World,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
