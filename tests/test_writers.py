"""SQLite writers take turns: many at once all get in; a lock that is kept is reported."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from hub_tui.db import BUSY_TIMEOUT_MS, transaction
from hub_tui.errors import Busy
from hub_tui.models import AccountStatus, Centre, MailStatus, OutboxMessage, User
from hub_tui.services import coordinators, imports
from hub_tui.services.context import Hub
from tests.world import SUPPORT, World, centre

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

WRITERS = 20


def burst_centres(hub: Hub, tmp_path: Path) -> list[str]:
    """WRITERS new centres, none with a coordinator, put in as support imports them."""
    numbers = [f"BU{i:03d}" for i in range(WRITERS)]
    csv = tmp_path / "centres.csv"
    csv.write_text("".join(f"{n},Burst School {n},UK,North\n" for n in numbers))
    with hub.as_user(SUPPORT, write=True) as ctx:
        imports.import_centres(ctx, csv)
    return numbers


def test_twenty_programs_adding_coordinators_at_once_all_succeed(
    hub: Hub, world: World, database_url: str, tmp_path: Path
) -> None:
    numbers = burst_centres(hub, tmp_path)
    env = {**os.environ, "HUB_DATABASE_URL": database_url}
    add = [sys.executable, "-m", "hub_tui", "--user", SUPPORT, "coordinator", "add"]
    runs = [
        subprocess.Popen(
            [*add, number, "--name", f"Burst Person {i}", "--email", f"p{i}@burst.example.org"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, number in enumerate(numbers)
    ]
    errors = [r.communicate(timeout=120)[1] for r in runs]
    refused = [(r.returncode, err) for r, err in zip(runs, errors, strict=True) if r.returncode]
    assert refused == [], refused
    with hub.as_system() as ctx:
        s = ctx.session
        invited = s.exec(
            select(User.email)
            .join(Centre, col(Centre.coordinator_id) == col(User.id))
            .where(col(Centre.centre_number).in_(numbers), User.status == AccountStatus.INVITED)
        ).all()
        queued = s.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                col(OutboxMessage.to_email).like("%@burst.example.org"),
                OutboxMessage.kind == "invitation",
                OutboxMessage.status == MailStatus.QUEUED,
            )
        ).one()
    assert sorted(invited) == sorted(f"p{i}@burst.example.org" for i in range(WRITERS))
    assert queued == WRITERS


def hold_write_lock(hub: Hub) -> sqlite3.Connection:
    """Another program's write transaction, left open."""
    path = str(hub.engine.url.database)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_writer_waits_for_a_lock_held_less_than_the_bound(hub: Hub, world: World) -> None:
    holder = hold_write_lock(hub)
    releaser = threading.Timer(1.0, holder.rollback)
    releaser.start()
    try:
        started = time.monotonic()
        patient = Hub(hub.settings, hub.engine, write_wait=10)
        with patient.as_user(SUPPORT, write=True) as ctx:
            coordinators.add_coordinator(
                ctx, centre_number=world.empty, name="Wendy Waiter", email="wendy@example.org"
            )
            # once the lock is held, statements wait as ever (they should never need to)
            timeout = ctx.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert 1.0 <= time.monotonic() - started < 10
        assert timeout == BUSY_TIMEOUT_MS
    finally:
        releaser.join()
        holder.close()
    assert centre(hub, world.empty).coordinator_id is not None


def test_a_lock_kept_past_the_bound_is_busy_in_one_line_and_nothing_changes(
    hub: Hub, world: World
) -> None:
    holder = hold_write_lock(hub)
    try:
        started = time.monotonic()
        impatient = Hub(hub.settings, hub.engine, write_wait=0.5)
        with pytest.raises(Busy) as refused, impatient.as_user(SUPPORT, write=True) as ctx:
            coordinators.add_coordinator(
                ctx, centre_number=world.empty, name="Nora Never", email="never@example.org"
            )
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert refused.value.message == (
        "The database is busy; nothing was changed (database is locked)."
    )
    assert 0.5 <= waited < 3
    assert centre(hub, world.empty).coordinator_id is None
    with transaction(hub.engine, write=False) as session:
        assert session.exec(select(User).where(User.email == "never@example.org")).all() == []
        mail = select(OutboxMessage).where(OutboxMessage.to_email == "never@example.org")
        assert session.exec(mail).all() == []
