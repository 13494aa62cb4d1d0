"""Resending an invitation from the TUI asks first, naming who gets the new e-mail: `y`
sends it (and the old code stops working), `n` or `escape` changes nothing. On My Associate
Centre and on People; checked in the database and the outbox as well as on the screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from hub_tui.app import make_app
from hub_tui.models import AuditEvent, Invitation, OutboxMessage, User
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.dialogs import ConfirmDialog
from hub_tui.screens.people import PeopleScreen
from hub_tui.services.accounts import add_account
from hub_tui.services.context import Hub
from tests.tui import screen_text, settle, table_text
from tests.world import SUPPORT, World, centre

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
IVY = "ivy@gb003.example.org"  # the invited coordinator of World.invited
ABE = "abe@x.org"


@pytest.fixture
def quiet(hub: Hub) -> Hub:
    """The TUI without its background delivery: mail stays as the change left it."""
    return Hub(hub.settings.model_copy(update={"deliver_mail": False}), hub.engine)


def state(hub: Hub, email: str) -> dict[str, Any]:
    """Everything a resend would change for `email`: invitations, mail, audit events."""
    with hub.as_system() as ctx:
        s = ctx.session
        user = s.exec(select(User).where(User.email == email)).one()
        invitations = s.exec(
            select(Invitation).where(Invitation.user_id == user.id).order_by(col(Invitation.id))
        )
        mail = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.to_email == email)
            .order_by(col(OutboxMessage.id))
        )
        events = s.exec(select(AuditEvent.action).where(AuditEvent.target == email))
        return {
            "invitations": [(i.id, i.code_hash, i.expires_at, i.revoked_at) for i in invitations],
            "mail": [(m.id, m.status) for m in mail],
            "events": list(events),
        }


async def open_invited_centre(pilot, number: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("slash", *number, "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CentreScreen)


async def test_resend_on_a_centre_asks_then_y_sends(hub: Hub, quiet: Hub, world: World) -> None:
    before = state(hub, IVY)
    app = make_app(quiet, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await open_invited_centre(pilot, world.invited)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        asked = screen_text(app)
        assert f"A new invitation goes to Ivy Invitee <{IVY}>" in asked
        assert "the code sent before stops working" in asked
        assert "48 hours" in asked
        assert state(hub, IVY) == before  # nothing yet
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    after = state(hub, IVY)
    assert len(after["mail"]) == 2 and after["events"] == [*before["events"], "invitation.resent"]
    first, last = after["invitations"][0], after["invitations"][-1]
    assert first[0] == before["invitations"][0][0] and first[3] is not None  # the old, revoked
    assert last[3] is None and last[1] != first[1]  # a new code, live


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_resend_on_a_centre_cancelled_changes_nothing(
    hub: Hub, quiet: Hub, world: World, answer: str
) -> None:
    before, version = state(hub, IVY), centre(hub, world.invited).version
    app = make_app(quiet, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await open_invited_centre(pilot, world.invited)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press(answer)
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)  # only the question closed
    assert state(hub, IVY) == before
    assert centre(hub, world.invited).version == version


async def test_resending_an_invitation_that_ran_out_says_so(
    hub: Hub, quiet: Hub, world: World
) -> None:
    with hub.as_system(write=True) as ctx:  # Ivy's invitation ran out an hour ago
        for invitation in ctx.session.exec(select(Invitation)):
            invitation.expires_at = datetime.now(UTC) - timedelta(hours=1)
            ctx.session.add(invitation)
    app = make_app(quiet, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await open_invited_centre(pilot, world.invited)
        assert "Invitation expired" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        asked = screen_text(app)
        assert f"goes to Ivy Invitee <{IVY}>, in place of the one that ran out" in asked
        await pilot.press("y")
        await settle(pilot)
        assert "Invited" in screen_text(app)
    assert len(state(hub, IVY)["mail"]) == 2


async def open_people_on_abe(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PeopleScreen)
    assert table_text(pilot.app, "#rows")[0][:2] == ["Abe Able", ABE]  # highlighted


@pytest.mark.parametrize("answer", ["n", "escape", "y"])
async def test_resend_on_people_asks_first(hub: Hub, quiet: Hub, world: World, answer: str) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        add_account(ctx, name="Abe Able", email=ABE, role="support")
    before = state(hub, ABE)
    app = make_app(quiet, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await open_people_on_abe(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        asked = screen_text(app)
        assert f"A new invitation goes to Abe Able <{ABE}>" in asked
        assert "the code sent before stops working" in asked
        await pilot.press(answer)
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
    after = state(hub, ABE)
    if answer == "y":
        assert [status for _, status in after["mail"]] == ["failed", "queued"]  # first withdrawn
        assert after["events"] == [*before["events"], "account.invitation_resent"]
    else:
        assert after == before
