"""The listings' pane: under the audit log's and the outbox's tables, the highlighted row
whole and wrapped, following the cursor; People has none."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from hub_tui.app import make_app
from hub_tui.screens.audit import AuditScreen
from hub_tui.screens.outbox import OutboxScreen
from hub_tui.screens.people import PeopleScreen
from hub_tui.services import coordinators as c
from hub_tui.services.context import Hub
from tests.tui import settle, table_text
from tests.world import SOUTH_AC, SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
# longer than the screen is wide, with what would be markup if it were read as such
REASON = (
    "The fees for the June series are overdue by more than ninety days; the finance office "
    "wrote in March, April and May without a reply, so access stays [b]suspended[/b] until "
    "the balance is paid in full and the regional office has confirmed it in writing. END"
)


def pane(app: object) -> Static:
    return app.screen.query_one("#full", Static)  # type: ignore[attr-defined, no-any-return]


def pane_text(app: object) -> str:
    return str(pane(app).render())


async def test_the_audit_pane_shows_the_whole_event(hub: Hub, world: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.suspend(ctx, centre_number=world.active, reason=REASON)
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        rows = table_text(app, "#rows")
        assert rows[0][2] == "coordinator suspended" and rows[1][2] == "coordinator added"
        assert pane(app).display
        text = pane_text(app)
        assert text.startswith("coordinator suspended\n")
        assert f"Who: {SUPPORT}" in text and f"Centre: {world.active}" in text
        assert f"Person: {world.coordinator}" in text
        assert REASON in text.replace("\n", " ")  # whole, and as typed: no markup read
        # wrapped within the screen: the reason takes more than one line
        assert pane(app).size.width <= SIZE[0] and pane(app).size.height >= 4

        await pilot.press("down")  # the pane follows the cursor
        await pilot.pause()
        text = pane_text(app)
        assert text.startswith("coordinator added\n") and "ivy@gb003.example.org" in text
        assert REASON not in text.replace("\n", " ")

        with hub.as_user(SUPPORT, write=True) as ctx:  # meanwhile, a newer event
            c.restore(ctx, centre_number=world.active)
        await pilot.press("f5")
        await settle(pilot)
        assert table_text(app, "#rows")[0][2] == "coordinator restored"
        # the cursor keeps its place in the table, the pane shows what is there now
        assert app.screen.query_one("#rows", DataTable).cursor_row == 1
        assert pane_text(app).startswith("coordinator suspended\n")


async def test_the_outbox_pane_shows_the_highlighted_message(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        text = pane_text(app)
        assert text.startswith("invitation to Ivy Invitee <ivy@gb003.example.org>")
        subject = table_text(app, "#rows")[0][6]
        assert f"Subject: {subject}" in text and "Queued: " in text


async def test_no_rows_no_pane_and_people_has_none(hub: Hub, world: World) -> None:
    app = make_app(hub, SOUTH_AC)  # no mail about the south's centre
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen) and table_text(app, "#rows") == []
        assert not pane(app).display
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen) and table_text(app, "#rows")
        assert not pane(app).display
