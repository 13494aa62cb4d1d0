"""The whole journey through the real app, driven by Textual's Pilot, checked in the
database and the outbox as well as on the screen."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlmodel import select
from textual.widgets import OptionList

from hub_tui.app import make_app
from hub_tui.logs import CRASHED
from hub_tui.models import AccountStatus, OutboxMessage, Role
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.centres import CentresScreen
from hub_tui.screens.message import MessageScreen
from hub_tui.services import coordinators as c
from hub_tui.services.centres import centre_detail, find_centre
from hub_tui.services.context import Hub
from tests.tui import burst, screen_only, screen_text, settle, table_text
from tests.world import NORTH_AC, SUPPORT, World, user

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)


def detail(hub: Hub, number: str):  # type: ignore[no-untyped-def]
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number)


def mail_to(hub: Hub, email: str) -> list[OutboxMessage]:
    with hub.as_system() as ctx:
        return list(ctx.session.exec(select(OutboxMessage).where(OutboxMessage.to_email == email)))


async def open_centre(pilot, number: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *number, "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CentreScreen)
    assert pilot.app.screen.centre_number == number


async def test_opens_on_associate_centres_scoped_to_the_user(hub: Hub, world: World) -> None:
    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        assert app.screen.title == "Administration › Associate Centres"
        assert "Nora North <north@example.org>" in app.sub_title
        rows = table_text(app, "#centres")
        assert [r[1] for r in rows] == ["GB001", "GB002", "GB003", "GB010"]  # not IN100
        assert rows[1] == ["", "GB002", "Bangor Grammar School", "UK", "Cora Coord", "Active"]


@screen_only
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("gb002", ["GB002"]),
        ("GB0", ["GB001", "GB002", "GB003", "GB010"]),
        ("academy", ["GB001", "GB010"]),
        ("zzz", []),
    ],
)
async def test_search(hub: Hub, world: World, typed: str, expected: list[str]) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *typed)
        await settle(pilot)
        assert [r[1] for r in table_text(app, "#centres")] == expected
        # letters typed went into the search box, not to the keys
        assert isinstance(app.screen, CentresScreen)
        found = app.screen.query_one("#found")
        assert found.display == (not expected)
        if not expected:
            assert str(found.render()) == f"No centre matches “{typed}”."


async def test_enter_straight_after_typing_opens_what_was_typed(hub: Hub, world: World) -> None:
    if hub.engine.dialect.name != "postgresql":
        pytest.skip("holding the searches back needs a lock that blocks readers: PostgreSQL")
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with hub.engine.connect() as blocker:  # the searches wait, as on a slow database
            blocker.execute(text("LOCK TABLE centres IN ACCESS EXCLUSIVE MODE"))
            await pilot.press("slash", *world.other_empty.lower(), "enter", "enter")
            assert isinstance(app.screen, CentresScreen)  # not the first centre listed before
            blocker.rollback()
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        assert app.screen.centre_number == world.other_empty


async def test_activate_from_the_list(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # GB001 is first and not activated
        await pilot.press(*"Ann Lee", "tab", *"ann@x.org", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        assert table_text(app, "#centres")[0][4:] == ["Ann Lee", "Invited"]
    assert detail(hub, world.empty).row.status == "invited"
    assert [m.kind for m in mail_to(hub, "ann@x.org")] == ["invitation"]


async def test_keys_typed_in_one_burst_reach_the_screens_they_open(hub: Hub, world: World) -> None:
    """Over SSH, or pasted, keys arrive before the screen the first of them opens has
    mounted; they must land in that screen's fields, not in the screen being left."""
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "down", "down", "enter")  # the third row, not the first
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        assert app.screen.centre_number == world.invited
        burst(app, "escape", "up", "up", "a", *"Ann Lee", "tab", *"ann@x.org", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        await open_centre(pilot, world.active)
        burst(app, "s", "tab", *"Fees unpaid", "enter")  # tab: from No to the reason
        await settle(pilot)
        burst(app, "escape", "slash", *world.other_empty.lower(), "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        assert app.screen.centre_number == world.other_empty
    assert detail(hub, world.empty).row.status == "invited"
    assert [m.kind for m in mail_to(hub, "ann@x.org")] == ["invitation"]
    suspension = detail(hub, world.active).suspension
    assert suspension is not None and suspension.reason == "Fees unpaid"


@pytest.mark.parametrize(
    ("name", "email", "where", "problem"),
    [
        ("Ann", "not-an-email", "#email-problem", "Email is not valid"),
        ("", "ann@x.org", "#name-problem", "Name must not be empty"),
        ("Ann", "COORD@gb002.example.org", "#email-problem", "already has the e-mail"),
        ("", "not-an-email", "#name-problem", "Name must not be empty"),  # and Email's
    ],
)
async def test_a_bad_form_says_why_beside_the_field_and_saves_nothing(
    hub: Hub, world: World, name: str, email: str, where: str, problem: str
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *name, "tab", *email, "enter")
        await settle(pilot)
        shown = str(app.screen.query_one(where).render())
        assert problem in shown
        assert app.focused is not None and f"#{app.focused.id}-problem" == where  # to fix it
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
    assert detail(hub, world.empty).row.status == "not_activated"
    assert mail_to(hub, email) == []


async def test_suspend_with_reason_then_restore(hub: Hub, world: World) -> None:
    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("s")
        await pilot.pause()
        assert "4 people will lose access" in screen_text(app)
        await pilot.press("tab", "shift+tab")  # to the reason box
        app.screen.query_one("#reason").focus()
        await pilot.press(*"Fees unpaid", "enter")
        await settle(pilot)
        d = detail(hub, world.active)
        assert d.row.status == "suspended" and d.people_with_access == 0
        assert d.suspension is not None and d.suspension.reason == "Fees unpaid"
        assert "Suspended" in screen_text(app) and "Fees unpaid" in screen_text(app)
        assert [r[4] for r in table_text(app, "#people")] == ["no"] * 4
        await pilot.press("r", "y")
        await settle(pilot)
    d = detail(hub, world.active)
    assert d.row.status == "active" and d.people_with_access == 4


@pytest.mark.parametrize("cancel", ["n", "escape"])
async def test_cancelled_confirmations_change_nothing(hub: Hub, world: World, cancel: str) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("s", cancel)
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    assert detail(hub, world.active).row.status == "active"


async def test_change_to_an_existing_administrator_from_the_dropdown(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # open the dropdown, pick Adam Admin
        await pilot.click("#choose")
        await pilot.pause()
        assert "Make Adam Admin <admin@gb002.example.org> the school coordinator" in screen_text(
            app
        )
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        assert "Adam Admin" in screen_text(app)
    d = detail(hub, world.active)
    assert d.row.coordinator is not None and d.row.coordinator.email == world.admin
    assert [m.kind for m in mail_to(hub, world.admin)] == ["now_coordinator"]


@pytest.mark.parametrize("suspended", [False, True])
async def test_change_to_a_new_person(hub: Hub, world: World, suspended: bool) -> None:
    if suspended:
        with hub.as_user(SUPPORT, write=True) as ctx:
            c.suspend(ctx, centre_number=world.active, reason="Fees unpaid")
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#name").focus()
        await pilot.press(*"Nell New", "tab", *"nell@x.org", "enter")
        await pilot.pause()
        # replacing a suspended coordinator: the confirmation says what comes back
        said = "people get hub access again; Cora Coord" in screen_text(app)
        assert said == suspended
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        # when, why and by whom it was suspended stays on the centre
        shown = "Former coordinator Cora Coord <coord@gb002.example.org>: suspended"
        assert (shown in screen_text(app)) == suspended
    d = detail(hub, world.active)
    assert d.row.coordinator is not None and d.row.coordinator.email == "nell@x.org"
    assert d.row.status == "invited"
    assert [m.kind for m in mail_to(hub, "nell@x.org")] == ["invitation"]
    # everyone but Nell (invited) has access; and Cora, if she was suspended
    assert d.people_with_access == (3 if suspended else 4)
    if suspended:
        assert user(hub, world.coordinator).status == AccountStatus.SUSPENDED
        assert d.suspension is not None and not d.suspension.current  # the centre is not
        assert d.to_json()["last_suspension"]["reason"] == "Fees unpaid"


async def test_resend_invitation(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.invited)
        assert "Invitation sent" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("y")  # it asks first
        await settle(pilot)
    assert len(mail_to(hub, "ivy@gb003.example.org")) == 2


async def test_keys_that_do_not_apply_do_nothing(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("r", "a", "i")  # not suspended, has a coordinator, not invited
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    assert detail(hub, world.active).row.status == "active"
    assert mail_to(hub, world.coordinator) == []


async def test_a_stale_view_is_refused_and_reloaded(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        with hub.as_user(NORTH_AC, write=True) as ctx:  # someone else, meanwhile
            c.suspend(ctx, centre_number=world.active, reason="other")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#name").focus()
        await pilot.press(*"Nell", "tab", *"nell@x.org", "enter", "y")
        await settle(pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "changed since you opened it" in said
        assert "coordinator suspended by north@example.org" in said
        assert isinstance(app.screen, CentreScreen)  # the form closed; the centre reloaded
        assert "Suspended" in screen_text(app)
    coordinator = detail(hub, world.active).row.coordinator
    assert coordinator is not None and coordinator.email == world.coordinator


@screen_only
async def test_outbox_audit_and_help_screens(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.title == "Administration › Mail outbox"
        assert any("ivy@gb003.example.org" in r[5] for r in table_text(app, "#rows"))
        await pilot.press("l")  # from the outbox: the audit log takes its place
        await settle(pilot)
        assert app.screen.title == "Administration › Audit log"
        assert table_text(app, "#rows")[0][2] == "coordinator added"
        await pilot.press("escape")
        assert isinstance(app.screen, CentresScreen)
        await open_centre(pilot, world.active)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = table_text(app, "#keys-0")  # the screen's own, then the app's
        assert ["s", "Suspend account"] in keys and ["c", "Change coordinator"] in keys
        assert ["m", "Mail outbox"] in table_text(app, "#keys-1")
        does = [does for _, does in keys]  # none of the focused widget's
        assert "Scroll Up" not in does


async def test_nothing_opens_over_a_dialog(hub: Hub, world: World) -> None:
    """Its answer or its save closes the dialog: nothing else may be on top of it then."""
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("s")  # the suspend dialog, its No button focused
        await pilot.pause()
        dialog = app.screen
        await pilot.press("m", "l", "ctrl+p")
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    assert detail(hub, world.active).row.status == "suspended"


@screen_only
async def test_command_palette_goes_to_a_centre(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"GB003")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen) and app.screen.centre_number == "GB003"


@screen_only
async def test_people_without_admin_rights_see_one_message(hub: Hub, world: World) -> None:
    app = make_app(hub, world.coordinator)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "has no admin rights" in screen_text(app)
        await pilot.press("m", "l", "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)


MARKUP_NAMES = ["[@click=app.quit]Eve[/]", "Ann [/", "[bold]x"]


@screen_only
@pytest.mark.parametrize("name", MARKUP_NAMES)
async def test_names_that_look_like_markup_are_shown_as_typed(
    hub: Hub, world: World, name: str
) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.create_user(
            ctx,
            name=name,
            email="odd@gb002.example.org",
            role=Role.ADMINISTRATOR,
            status=AccountStatus.ACTIVE,
            centre=find_centre(ctx, world.active),
        )
        c.add_coordinator(ctx, centre_number=world.empty, name=name, email="odd2@x.org")
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table_text(app, "#centres")[0][4] == name  # the list
        await pilot.click("#centres", offset=(60, 1))  # clicking the name does nothing odd
        await open_centre(pilot, world.empty)
        assert name in screen_text(app)  # the details
        assert name in [r[0] for r in table_text(app, "#people")]
        await pilot.press("escape")
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")  # the dropdown lists the name as typed
        await pilot.pause()
        options = [str(o.prompt) for o in app.screen.query_one("SelectOverlay", OptionList).options]
        assert f"{name} <odd@gb002.example.org>" in options
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.is_running


async def test_activation_notification_names_whom_mail_went_to(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Ann [/b]", "tab", *"ann@x.org", "enter")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("invitation sent to ann@x.org" in m and "Ann [/b]" in m for m in messages)
    assert user(hub, "ann@x.org").name == "Ann [/b]"


async def test_end_jumps_to_the_last_centre_and_paging_back_loads_earlier_ones(
    hub: Hub, world: World
) -> None:
    from tests.test_centres import add_centres

    add_centres(hub, [(f"ZA{i:03d}", f"Filler {i}") for i in range(450)])
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CentresScreen)
        assert len(screen.rows) == 100 and screen.rows[0].centre_number == "GB001"
        await pilot.press("end")
        await settle(pilot)
        assert screen.current is not None and screen.current.centre_number == "ZA449"
        for _ in range(6):
            await pilot.press("pageup")
            await settle(pilot)
        numbers = [r.centre_number for r in screen.rows]
        assert numbers == sorted(numbers) and numbers[0] < "ZA300" and numbers[-1] == "ZA449"
        await pilot.press("home")
        await settle(pilot)
        assert screen.current is not None and screen.current.centre_number == "GB001"


async def test_a_crash_goes_to_the_log_and_the_person_sees_one_line(
    hub: Hub, world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Textual's own report of a crash is a traceback with local values, on the person's
    terminal; hub-tui writes it to the log and leaves one line on the screen instead."""
    app = make_app(hub, SUPPORT)
    code = "ABCD-EFGH"  # a local value that must not reach the terminal

    def fault() -> None:
        raise RuntimeError(f"a fault while holding {code[:4]}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.call_later(fault)
            await pilot.pause()
    logged = [r for r in caplog.records if r.name == "hub_tui.app" and r.exc_info]
    assert len(logged) == 1 and "a fault while holding" in str(logged[0].exc_info)
    printed = capsys.readouterr().err  # what Textual prints as the app ends
    assert printed.strip() == CRASHED and code not in printed
    assert app.return_code == 1


async def test_a_suspended_admins_tui_ends_within_two_seconds(
    hub: Hub, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from hub_tui.services.accounts import suspend_account

    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        with hub.as_user(SUPPORT, write=True) as ctx:
            suspend_account(ctx, email=NORTH_AC, reason="left")
        loop = asyncio.get_running_loop()
        start = loop.time()
        while app.is_running and loop.time() - start < 2.0:
            await asyncio.sleep(0.05)
        assert not app.is_running, "still running 2 s after the suspension"
    assert app.return_code == 1
    assert " ".join(capsys.readouterr().err.split()) == (  # wrapped at the width
        f"The account {NORTH_AC} is suspended; it cannot sign in. You are signed out."
    )
