"""Migrations, start-up checks, and the schema the code expects."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import ProgrammingError
from sqlmodel import SQLModel

from hub_tui.config import Settings
from hub_tui.db import (
    SCHEMA_REVISION,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    is_mapped,
    make_engine,
)
from hub_tui.errors import HubError
from hub_tui.services.context import Hub
from tests.conftest import NO_POSTGRES, POSTGRES_URL, migrate
from tests.postgres import MigratedSchemas
from tests.world import build_world


def test_the_schema_revision_constant_is_the_newest_migration(engine: Engine) -> None:
    assert head_revision(engine) == SCHEMA_REVISION


def differences_from_the_models(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": is_mapped})
        return list(compare_metadata(context, SQLModel.metadata))


def test_migrations_build_exactly_the_models(migrated_engine: Engine) -> None:
    assert differences_from_the_models(migrated_engine) == []


def test_a_tests_database_is_as_the_migrations_build_it(engine: Engine) -> None:
    """As the fixtures hand it out: made by the migrations earlier, emptied or copied."""
    assert differences_from_the_models(engine) == []
    assert current_revision(engine) == SCHEMA_REVISION


def test_migrations_go_down_and_up_again(migrated_engine: Engine) -> None:
    engine = migrated_engine
    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    command.upgrade(alembic_config(engine), "head")
    assert current_revision(engine) == head_revision(engine)


def test_a_new_sqlite_database_is_migrated_on_start(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'new.db'}")
    ensure_schema(engine)
    assert current_revision(engine) == head_revision(engine)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_database_that_is_behind_stops_the_program(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(HubError, match="hub-tui db upgrade"):
        ensure_schema(engine)
    assert current_revision(engine) is None  # nothing was done to it
    env_cmd = [sys.executable, "-m", "hub_tui", "--user", "x@x.org", "centres", "list"]
    done = subprocess.run(
        env_cmd,
        capture_output=True,
        text=True,
        env={"HUB_DATABASE_URL": database_url, "PATH": "/usr/bin"},
    )
    assert done.returncode == 1 and "hub-tui db upgrade" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_centre_numbers_sort_bytewise_whatever_the_locale(engine: Engine) -> None:
    """Prefix search is a range ('AZ' <= n < 'A['): only byte order keeps 'AZ123' inside it."""
    from sqlalchemy import text

    with engine.connect() as conn:
        collation = conn.execute(
            text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'centres' AND column_name = 'centre_number' "
                "AND table_schema = current_schema()"
            )
        ).scalar()
        assert collation == "C"
        assert conn.execute(text("SELECT 'AZ123' < 'A[' COLLATE \"C\"")).scalar()


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hub_tui", "--user", "x@x.org", "centres", "list"],
        capture_output=True,
        text=True,
        env={
            "HUB_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "PATH": "/usr/bin",
        },
    )
    assert done.returncode == 1 and done.stderr.startswith("hub-tui: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_the_core_never_imports_textual() -> None:
    code = (
        "import sys, hub_tui.cli, hub_tui.services.coordinators, hub_tui.services.imports, "
        "hub_tui.services.invitations, hub_tui.demo, hub_tui.db, hub_tui.mail.compose, "
        "hub_tui.mail.worker, hub_tui.ssh.server\n"
        "import hub_tui.cli as c; assert c.main(['--help']) == 0\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_programs_starting_together_on_a_new_sqlite_file_take_turns(tmp_path: Path) -> None:
    env = {"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}", "PATH": "/usr/bin"}
    cmd = [sys.executable, "-m", "hub_tui", "--user", "x@x.org", "centres", "list"]
    runs = [subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [r.communicate(timeout=60)[1] for r in runs]
    # each migrated or waited for the one that did, then answered: there is no such user
    assert all(e.startswith("hub-tui: No hub user") for e in errors), errors


def test_a_database_with_mail_waiting_is_upgraded_and_keeps_it(database_url: str) -> None:
    """Upgrading from the schema before setup codes were derived, with a queued message and
    its payload in place (a table rebuilt under them would refuse)."""
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0002")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outbox_messages (id, message_id, kind, to_name, to_email, subject,"
            " body_text, status, attempts, created_at, next_attempt_at)"
            " VALUES (1, '<m@x>', 'invitation', 'Ann', 'ann@x.org', 'S', 'B', 'queued', 0,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.execute(
            text("INSERT INTO outbox_payloads (outbox_id, raw) VALUES (1, :r)"), {"r": b"x"}
        )
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        waiting = conn.exec_driver_sql(
            "SELECT m.invitation_id, p.raw FROM outbox_messages m"
            " JOIN outbox_payloads p ON p.outbox_id = m.id"
        ).all()
    engine.dispose()
    assert [(invitation, bytes(raw)) for invitation, raw in waiting] == [(None, b"x")]


def test_invitations_that_ran_out_before_the_upgrade_send_no_notices(
    database_url: str, tmp_path: Path
) -> None:
    from hub_tui.services.sweep import Swept, sweep

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0004")
    settings = Settings(_env_file=None, database_url=database_url,
                        secret_key_file=tmp_path / "secret.key")  # fmt: skip
    with engine.begin() as conn:  # a world whose one invitation ran out a year ago
        conn.exec_driver_sql("ALTER TABLE invitations ADD COLUMN reminded_at TIMESTAMP")
        conn.exec_driver_sql("ALTER TABLE invitations ADD COLUMN expiry_noticed_at TIMESTAMP")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=365)):
        build_world(Hub(settings, engine))
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE invitations DROP COLUMN reminded_at")
        conn.exec_driver_sql("ALTER TABLE invitations DROP COLUMN expiry_noticed_at")
    command.upgrade(alembic_config(engine), "head")
    with Hub(settings, engine).as_system(write=True) as ctx:
        assert sweep(ctx) == Swept(0, 0)
    engine.dispose()


@pytest.fixture
def schemas() -> Iterator[MigratedSchemas]:
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    schemas = MigratedSchemas(POSTGRES_URL, migrate)
    yield schemas
    schemas.close()


def test_a_schema_lent_again_is_as_new(schemas: MigratedSchemas, tmp_path: Path) -> None:
    """What the fixtures hand to test after test on PostgreSQL: under a new name, and
    emptied into new files (rows are then read back in the order written, as in a new
    table), sequences from the start; whatever kept the old name is cut off."""
    with schemas.lent() as first:
        engine = make_engine(first)
        settings = Settings(_env_file=None, database_url=first, maildir_path=tmp_path)
        build_world(Hub(settings, engine))
        engine.dispose()
        left = make_engine(first).connect()  # as by a process that outlived its test
    with schemas.lent() as second:
        assert second != first
        engine = make_engine(second)
        with engine.connect() as conn:
            assert schemas._written(conn) == ["alembic_version"]
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
                (SCHEMA_REVISION,)
            ]
            assert conn.exec_driver_sql("SELECT nextval('centres_id_seq')").scalar() == 1
        engine.dispose()
        with pytest.raises(ProgrammingError, match="does not exist"):
            left.exec_driver_sql("SELECT count(*) FROM centres")
        left.close()
    assert schemas.made == 1


def test_a_schema_changed_by_its_test_is_made_anew(schemas: MigratedSchemas) -> None:
    with schemas.lent() as url:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE centres ADD COLUMN extra integer")
        engine.dispose()
    assert schemas.made == 2
    with schemas.lent() as url:
        engine = make_engine(url)
        assert "extra" not in [c["name"] for c in inspect(engine).get_columns("centres")]
        engine.dispose()
