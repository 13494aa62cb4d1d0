"""The People screen, driven by Pilot: support adds, suspends and restores admin accounts;
checked in the database, the outbox and on the screen."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Select

from hub_tui.app import make_app
from hub_tui.models import OutboxMessage, User
from hub_tui.screens.account_form import AccountForm
from hub_tui.screens.centres import CentresScreen
from hub_tui.screens.people import PeopleScreen
from hub_tui.services.context import Hub
from tests.tui import settle, table_text
from tests.world import NORTH_AC, SOUTH_AC, SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)


def account(hub: Hub, email: str) -> User | None:
    with hub.as_system() as ctx:
        return ctx.session.exec(select(User).where(User.email == email)).first()


def footer_keys(app: object) -> set[str]:
    bindings = app.screen.active_bindings.items()  # type: ignore[attr-defined]
    return {key for key, b in bindings if b.binding.show and b.enabled}


async def test_support_suspends_and_restores_an_associate_coordinator(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        rows = table_text(app, "#rows")
        assert [r[1] for r in rows] == [NORTH_AC, SUPPORT, SOUTH_AC]  # by name
        assert rows[0] == ["Nora North", NORTH_AC, "associate coordinator", "North", "active", "0"]
        assert {"s", "a"} <= footer_keys(app) and "r" not in footer_keys(app)

        await pilot.press("s", "tab", *"left the trust", "enter")
        await settle(pilot)
        north = account(hub, NORTH_AC)
        assert north is not None and north.status == "suspended"
        assert north.suspension_reason == "left the trust"
        assert table_text(app, "#rows")[0][4] == "suspended"
        assert "r" in footer_keys(app) and "s" not in footer_keys(app)

        await pilot.press("r", "y")
        await settle(pilot)
        north = account(hub, NORTH_AC)
        assert north is not None and north.status == "active"


async def test_the_add_form_shows_each_problem_beside_its_field_and_saves_nothing(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccountForm)
        await pilot.press(*"[b]Ann[/b]", "tab", *"NORTH@example.org")
        app.screen.query_one("#role", Select).value = "associate_coordinator"
        await pilot.pause()
        await pilot.press("enter")  # no associate chosen yet
        await settle(pilot)
        assert isinstance(app.screen, AccountForm)  # still open
        problem = app.screen.query_one("#associate-problem")
        assert str(problem.render()) == "An associate coordinator needs their associate."
        assert account(hub, "ann@x.org") is None

        app.screen.query_one("#associate", Select).value = "North"
        app.screen.query_one("#submit").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        problem = app.screen.query_one("#email-problem")
        assert "Another user already has the e-mail address" in str(problem.render())
        assert str(app.screen.query_one("#associate-problem").render()) == ""

        email = app.screen.query_one("#email")
        email.value = "ann@x.org"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        ann = account(hub, "ann@x.org")
        assert ann is not None and ann.name == "[b]Ann[/b]" and ann.status == "invited"
        with hub.as_system() as ctx:
            [mail] = ctx.session.exec(
                select(OutboxMessage).where(OutboxMessage.to_email == "ann@x.org")
            )
        assert mail.subject == "Set up your School Support Hub associate coordinator account"
        assert "[b]Ann[/b]" in [r[0] for r in table_text(app, "#rows")]  # as typed


async def test_people_is_for_support_only(hub: Hub, world: World) -> None:
    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "p" not in footer_keys(app)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)


@pytest.mark.parametrize(("who", "offered"), [(SUPPORT, True), (NORTH_AC, False)])
async def test_the_palette_offers_people_to_support_only(
    hub: Hub, world: World, who: str, offered: bool
) -> None:
    app = make_app(hub, who)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"people")
        await settle(pilot)
        await pilot.pause(0.3)
        from textual.command import CommandList

        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert any("Open people" in p for p in prompts) == offered
        if offered:
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PeopleScreen)


async def test_i_resends_an_invited_accounts_invitation(hub: Hub, world: World) -> None:
    from hub_tui.services.accounts import add_account

    with hub.as_user(SUPPORT, write=True) as ctx:
        add_account(ctx, name="Abe Able", email="abe@x.org", role="support")
    # no background delivery: the first invitation is still queued when it is withdrawn
    quiet = Hub(hub.settings.model_copy(update={"deliver_mail": False}), hub.engine)
    app = make_app(quiet, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert table_text(app, "#rows")[0][:2] == ["Abe Able", "abe@x.org"]
        assert "i" in footer_keys(app) and "s" not in footer_keys(app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("y")  # it asks first
        await settle(pilot)
    with hub.as_system() as ctx:
        sent = ctx.session.exec(select(OutboxMessage).where(OutboxMessage.to_email == "abe@x.org"))
        assert [m.status for m in sent] == ["failed", "queued"]  # the first withdrawn
