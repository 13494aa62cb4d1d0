"""Marks and bulk changes on Associate Centres, through Pilot, on every configured database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import col, select
from textual.pilot import Pilot

from hub_tui.app import make_app
from hub_tui.config import Settings
from hub_tui.errors import HubError
from hub_tui.models import AuditEvent, Invitation, OutboxMessage, utcnow
from hub_tui.screens.bulk import BulkRun
from hub_tui.screens.centres import ALL, FILTERS, CentresScreen
from hub_tui.screens.dialogs import ConfirmDialog, SuspendDialog
from hub_tui.services import coordinators as c
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from tests.smtp_servers import Recorder, smtp_server
from tests.test_invitations import latest_code, try_accept
from tests.test_mail import smtp_settings
from tests.test_notices import code_in
from tests.tui import screen_text, settle, table_text
from tests.world import NORTH_AC, SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
LATE = {"GB001": "ann@gb001.example.org", "GB010": "eli@gb010.example.org"}


def detail(hub: Hub, number: str):  # type: ignore[no-untyped-def]
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number)


def invite_late(hub: Hub) -> dict[str, str]:
    """Coordinators invited 49 hours ago at GB001 and GB010, whose invitations have expired;
    returns each one's setup code."""
    late = utcnow() - timedelta(hours=49)
    with time_machine.travel(late, tick=False), hub.as_user(SUPPORT, write=True) as ctx:
        for number, email in LATE.items():
            c.add_coordinator(ctx, centre_number=number, name=f"Late {number}", email=email)
    return {number: latest_code(hub, email) for number, email in LATE.items()}


LIVE = (col(Invitation.used_at).is_(None), col(Invitation.revoked_at).is_(None))


def new_invitations(hub: Hub) -> dict[str, str]:
    """The Message-ID of each message carrying a live invitation to LATE, by address."""
    with hub.as_system() as ctx:
        mail = ctx.session.exec(
            select(OutboxMessage)
            .join(Invitation, col(Invitation.id) == col(OutboxMessage.invitation_id))
            .where(*LIVE, col(OutboxMessage.to_email).in_(LATE.values()))
        ).all()
    return {m.to_email: m.message_id for m in mail}


async def choose_filter(pilot: Pilot[None], status: str) -> None:
    """The status filter, from the keyboard: f opens it, the arrows move, enter chooses."""
    await pilot.press("f")
    await pilot.pause()
    steps = [value for _, value in FILTERS].index(status)
    await pilot.press("home", *["down"] * steps, "enter")
    await settle(pilot)


async def until_done(pilot: Pilot[None]) -> BulkRun:
    screen = pilot.app.screen
    assert isinstance(screen, BulkRun)
    for _ in range(500):
        await settle(pilot)
        if screen.results is not None:
            return screen
    raise AssertionError("the bulk change never ended")


async def resend_every_expired_invitation(
    hub: Hub, settings: Settings, server: Recorder, port: int
) -> dict[str, str]:
    """As a person would: a search, the filter, * and i; the new invitations' Message-IDs,
    once the app has delivered them to `server`."""
    app = make_app(Hub(smtp_settings(settings, port), hub.engine), NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CentresScreen)
        await pilot.press("slash", *"gb0", "escape")  # GB001, GB002, GB003, GB010
        await settle(pilot)
        await choose_filter(pilot, "invitation_expired")
        assert [r[1] for r in table_text(app, "#centres")] == ["GB001", "GB010"]
        await pilot.press("asterisk")
        await settle(pilot)
        assert screen.marked == {"GB001", "GB010"}
        assert [r[0] for r in table_text(app, "#centres")] == ["✓", "✓"]
        assert screen.sub_title is not None and screen.sub_title.endswith("· 2 marked")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        said = screen_text(app)
        assert "each of 2 centres" in said and "2 e-mails will be sent." in said
        await pilot.press("y")
        run = await until_done(pilot)
        assert [(r.centre_number, r.ok) for r in run.results or []] == [
            ("GB001", True),
            ("GB010", True),
        ]
        assert "2 centres changed, 0 refused." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.is_current and screen.marked == set()
        assert table_text(app, "#centres") == []  # none is expired now
        new = new_invitations(hub)
        assert sorted(new) == sorted(LATE.values())  # one new invitation each, ...
        for _ in range(200):  # ... which the app delivers in the background
            if set(new.values()) <= set(server.message_ids()):
                break
            await asyncio.sleep(0.05)
        return new
    raise AssertionError("unreachable")


async def test_marks_through_search_and_filter_then_resend_every_expired_invitation(
    hub: Hub, world: World, settings: Settings
) -> None:
    old = invite_late(hub)
    with smtp_server() as (server, port):
        new = await resend_every_expired_invitation(hub, settings, server, port)
    assert set(new.values()) <= set(server.message_ids())
    for number in LATE:
        assert detail(hub, number).row.status == "invited"
        with pytest.raises(HubError, match="replaced by a newer invitation"):
            try_accept(hub, old[number], utcnow())
    with hub.as_system() as ctx:
        pending = ctx.session.exec(select(Invitation).where(*LIVE)).all()
    assert sorted(i.centre_id or 0 for i in pending) == sorted(
        [detail(hub, n).row.id for n in (*LATE, world.invited)]
    )  # one live invitation per centre
    [received] = [m for m in server.messages if m["Message-ID"] == new[LATE["GB001"]]]
    try_accept(hub, code_in(received), utcnow())  # the new code, as received, works
    assert detail(hub, "GB001").row.status == "active"


async def test_bulk_suspend_says_who_lose_access_then_restore_gives_it_back(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_filter(pilot, "active")
        assert [r[1] for r in table_text(app, "#centres")] == [world.active, world.south]
        await pilot.press("space", "space")  # marking moves down the list
        await pilot.press("s")
        await settle(pilot)
        said = screen_text(app)
        assert "each of 2 centres" in said and "5 people lose hub access." in said
        app.screen.query_one("#reason").focus()
        await pilot.press(*"Fees unpaid", "enter")
        await until_done(pilot)
        await pilot.press("escape")
        await settle(pilot)
        for number in (world.active, world.south):
            d = detail(hub, number)
            assert d.row.status == "suspended" and d.people_with_access == 0
            assert d.suspension is not None and d.suspension.reason == "Fees unpaid"
        assert sum(len(detail(hub, n).people) for n in (world.active, world.south)) == 5
        await choose_filter(pilot, "suspended")
        await pilot.press("asterisk")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "5 people regain hub access." in screen_text(app)
        await pilot.press("y")
        await until_done(pilot)
    assert detail(hub, world.active).people_with_access == 4
    assert detail(hub, world.south).people_with_access == 1
    with hub.as_system() as ctx:
        events = ctx.session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    actions = [(e.action, e.centre_number, e.detail) for e in events if e.actor == SUPPORT]
    assert actions[-6:] == [
        ("coordinator.suspended", world.active, "Fees unpaid"),
        ("coordinator.suspended", world.south, "Fees unpaid"),
        ("bulk.suspend", None, "2 centres, 0 refused"),
        ("coordinator.restored", world.active, None),
        ("coordinator.restored", world.south, None),
        ("bulk.restore", None, "2 centres, 0 refused"),
    ]


async def test_a_centre_changed_after_the_confirmation_is_refused_alone(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_filter(pilot, "active")
        await pilot.press("asterisk")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SuspendDialog)
        with hub.as_user(NORTH_AC, write=True) as ctx:  # another session, meanwhile
            c.suspend(ctx, centre_number=world.active, reason="elsewhere")
        await pilot.press("y")
        run = await until_done(pilot)
        results = {r.centre_number: r for r in run.results or []}
        assert results[world.south].ok
        assert not results[world.active].ok
        assert "changed since" in results[world.active].message
        assert str(table_text(app, "#results")[0][1]) == "refused"  # the refusals first
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.marked == {world.active}  # type: ignore[attr-defined]
    d = detail(hub, world.active)
    assert d.suspension is not None and d.suspension.reason == "elsewhere"  # not overwritten
    assert detail(hub, world.south).row.status == "suspended"


async def test_an_associate_marks_only_their_own_centres(hub: Hub, world: World) -> None:
    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_filter(pilot, "active")
        await pilot.press("asterisk")
        await settle(pilot)
        assert app.screen.marked == {world.active}  # type: ignore[attr-defined]
        await pilot.press("s", "y")
        await until_done(pilot)
    assert detail(hub, world.active).row.status == "suspended"
    assert detail(hub, world.south).row.status == "active"


async def test_bulk_keys_act_only_with_marks_and_not_in_the_search_box(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("s", "i", "r")  # nothing marked: nothing to do
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("space", "slash", "space", "asterisk", "s", "u")  # in the box, text
        await settle(pilot)
        assert app.screen is screen
        assert screen.marked == {world.empty}  # type: ignore[attr-defined]
        assert screen.query_one("#search").value == " *su"  # type: ignore[attr-defined]
        await pilot.press("escape", "u")
        await settle(pilot)
        assert screen.marked == set()  # type: ignore[attr-defined]
    assert detail(hub, world.active).row.status == "active"


async def test_choosing_the_same_status_again_goes_back_to_the_table(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_filter(pilot, ALL)  # already the filter: no change, and yet back
        await pilot.press("space")
        await settle(pilot)
        assert app.screen.marked == {world.empty}  # type: ignore[attr-defined]
