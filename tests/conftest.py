"""Shared fixtures: a migrated database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hub_tui.cli import main
from hub_tui.config import Settings
from hub_tui.db import make_engine, upgrade
from hub_tui.services.context import Hub
from tests.postgres import postgres_schema
from tests.world import World, build_world

# runs the command line in-process: (exit status, stdout, stderr)
Cli = Callable[..., tuple[int, str, str]]

POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL")
NO_POSTGRES = "HUB_TEST_POSTGRES_URL is not set: PostgreSQL not tested"
BACKENDS = ["sqlite", "postgresql"]


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
    with postgres_schema(POSTGRES_URL) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
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
