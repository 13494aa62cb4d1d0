"""Start-up: the schema checked cheaply but still migrated when behind, the first screen
with its rows before mail delivery starts, and what the first screen leaves unloaded."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, text
from textual.command import CommandPalette
from textual.css.model import RuleSet

from hub_tui.app import HubApp, make_app
from hub_tui.db import SCHEMA_REVISION, alembic_config, current_revision, ensure_schema, make_engine
from hub_tui.errors import HubError
from hub_tui.screens.centres import CentresScreen
from hub_tui.services.context import Hub
from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.header import TitleBar
from tests.tui import settle, table_text
from tests.world import SUPPORT, World

SIZE = (120, 40)
BEHIND = f"{int(SCHEMA_REVISION) - 1:04d}"


def test_a_database_one_revision_behind_is_migrated_on_sqlite_and_stops_postgresql(
    migrated_engine: Engine,
) -> None:
    engine = migrated_engine
    command.downgrade(alembic_config(engine), BEHIND)
    assert current_revision(engine) == BEHIND
    if engine.dialect.name == "sqlite":
        ensure_schema(engine)
        assert current_revision(engine) == SCHEMA_REVISION
        return
    with pytest.raises(HubError, match="run `hub-tui db upgrade` first"):
        ensure_schema(engine)
    assert current_revision(engine) == BEHIND  # nothing was done to it


def test_a_command_on_an_sqlite_database_one_revision_behind_migrates_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), BEHIND)
    done = subprocess.run(
        [sys.executable, "-m", "hub_tui", "--user", "nobody@x.org", "centres", "list"],
        capture_output=True,
        text=True,
        env={"HUB_DATABASE_URL": url, "PATH": "/usr/bin"},
    )
    # the database is opened, and so migrated, before the user is looked for
    assert done.returncode == 1 and "No hub user" in done.stderr, done.stderr
    assert current_revision(engine) == SCHEMA_REVISION


def test_the_first_screen_loads_no_migrations_mail_transport_or_other_screens(
    engine: Engine, database_url: str
) -> None:
    """What `hub-tui` imports before its first frame, on a database that is up to date,
    signing in included."""
    if engine.dialect.name != "sqlite":
        pytest.skip("the same imports on PostgreSQL, but for its driver")
    program = f"""
import sys
from hub_tui.tui import open_tui
from hub_tui.app import make_app
from hub_tui.db import ensure_schema, make_engine
from hub_tui.screens.centres import CentresScreen
from hub_tui.config import Settings
from hub_tui.errors import HubError
from hub_tui.services.context import Hub
engine = make_engine({database_url!r})
ensure_schema(engine)
try:  # signing in, as the app does first: no such user here, but looked for all the same
    with Hub(Settings(_env_file=None, database_url={database_url!r}), engine).as_user("Ann@X.org"):
        pass
except HubError:
    pass
print(" ".join(sorted(sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "hub_tui.screens.centres" in loaded
    unwanted = {
        "alembic",
        "aiosmtplib",
        "email_validator",
        "hub_tui.delivery",
        "hub_tui.mail.transport",
        "hub_tui.mail.worker",
        "hub_tui.demo",
        "hub_tui.commands",
        "hub_tui.screens.centre",
        "hub_tui.screens.outbox",
        "hub_tui.screens.help",
    }
    assert loaded & unwanted == set()


def mail_workers(app: HubApp) -> list[Any]:
    return [w for w in app.workers if w.group == "mail"]


@pytest.mark.asyncio
async def test_mail_delivery_starts_only_after_the_first_rows_are_shown(
    hub: Hub, world: World
) -> None:
    if hub.engine.dialect.name != "postgresql":
        pytest.skip("holding the first page back needs a lock that blocks readers: PostgreSQL")
    app = make_app(hub, SUPPORT)
    with hub.engine.connect() as blocker:  # the first page waits, as on a slow database
        blocker.execute(text("LOCK TABLE centres IN ACCESS EXCLUSIVE MODE"))
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(200):  # signed in, and the list opened
                if isinstance(app.screen, CentresScreen):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.5)  # longer than mail waits once the rows are shown
            await pilot.pause()
            assert isinstance(app.screen, CentresScreen) and not app.screen.rows
            assert mail_workers(app) == [] and app.deliverer is None
            blocker.rollback()
            await settle(pilot)
            assert table_text(app, "#centres")[0][1] == world.empty
            for _ in range(200):  # mail follows the rows, within a few seconds
                if mail_workers(app):
                    break
                await asyncio.sleep(0.05)
            assert mail_workers(app)


@pytest.mark.asyncio
async def test_opening_associate_centres_reads_its_first_page_once(hub: Hub, world: World) -> None:
    reads: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM centres" in statement:
            reads.append(statement)

    event.listen(hub.engine, "before_cursor_execute", seen)
    try:  # mail delivery off: what it reads of the outbox is no part of this
        app = make_app(
            Hub(hub.settings.model_copy(update={"deliver_mail": False}), hub.engine), SUPPORT
        )
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert [r[1] for r in table_text(app, "#centres")][:2] == [world.empty, world.active]
    finally:
        event.remove(hub.engine, "before_cursor_execute", seen)
    assert len(reads) == 1, reads


@pytest.mark.asyncio
async def test_the_footer_is_drawn_again_only_when_its_keys_change(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        shown = footer.shown
        assert "Search" in [k.description for k in shown[0]]
        assert shown[1] is not None and shown[1].display == "^p"  # the palette's, at the right
        app.screen.refresh_bindings()  # asked again, with nothing changed
        await settle(pilot)
        assert footer.shown is shown  # not worked out anew
        await pilot.press("slash")  # into the search box: its keys differ
        await settle(pilot)
        keys = [k.description for k in footer.shown[0]]
        assert "Leave search" in keys and "Search" not in keys
        line = footer.render().plain
        assert line.startswith(" esc Leave search ") and line.endswith("▏^p palette ")
        assert len(line) == SIZE[0]


@pytest.mark.asyncio
async def test_a_click_on_a_key_in_the_footer_presses_it_and_the_icon_opens_the_palette(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        x = footer.render().plain.index(" / Search")
        assert await pilot.click(KeysFooter, offset=(x + 1, 0))
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#search")
        x = footer.render().plain.index("^p palette")
        assert await pilot.click(KeysFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert await pilot.click(TitleBar, offset=(1, 0))  # the header's icon: the palette too
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.asyncio
async def test_a_second_app_in_the_process_uses_the_css_the_first_parsed(
    hub: Hub, world: World
) -> None:
    """As an SSH session's child does after the template's warm-up, and test after test."""

    async def rules() -> list[RuleSet]:
        app = make_app(hub, SUPPORT)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, CentresScreen)
            return list(app.stylesheet.rules)

    first, second = await rules(), await rules()
    assert len(first) == len(second) > 100
    assert all(a is b for a, b in zip(first, second, strict=True))  # not parsed again


def test_the_command_line_leaves_garbage_collection_on(cli: Any) -> None:
    import gc

    assert cli("--user", SUPPORT, "centres", "list")[0] == 0
    assert gc.isenabled()
    assert cli("centres", "--no-such-option")[0] == 2
    assert gc.isenabled()
