"""Every dialog and form shows its own keys in the footer, not those of the screen it was
opened over; and a form's heading stays in sight when a small terminal makes it scroll.
Checked on the terminal as a person sees it, and in the database."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.pilot import Pilot

from hub_tui.app import HubApp, make_app
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.change_coordinator import ChangeCoordinatorScreen
from hub_tui.screens.coordinator_form import CoordinatorForm
from hub_tui.screens.dialogs import ConfirmDialog, Dialog, SuspendDialog
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from hub_tui.widgets.footer import KeysFooter
from tests.tui import screen_only, settle
from tests.world import SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)

FORM_KEYS = [("⏎", "Send invitation"), ("esc", "Cancel")]
SUSPEND_KEYS = [("y", "Suspend"), ("n/esc", "Cancel")]
CONFIRM_KEYS = [("y", "Yes"), ("n/esc", "No")]


def terminal(app: HubApp) -> list[str]:
    """The terminal's lines as a person sees them: the dialog over the screen below it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def footer(app: HubApp) -> list[tuple[str, str]]:
    """The keys in the footer of the screen in front, checked to be what the bottom line shows."""
    assert isinstance(app.screen, Dialog)
    shown, palette = app.screen.query_one(KeysFooter).shown
    keys = [(k.display, k.description) for k in shown]
    assert palette is None  # a dialog offers no command palette
    bottom = " ".join(terminal(app)[-1].split())
    assert bottom == " ".join(f"{key} {does}" for key, does in keys)
    return keys


async def open_centre(pilot: Pilot[None], number: str) -> None:
    await pilot.press("slash", *number.lower(), "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CentreScreen)


async def test_the_add_coordinator_form_shows_enter_and_escape(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        under = " ".join(terminal(app)[-1].split())
        assert "Activate" in under  # the list's own keys, before the form opens
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorForm)
        assert footer(app) == FORM_KEYS  # in Name
        await pilot.press("tab")
        await settle(pilot)
        assert footer(app) == FORM_KEYS  # in Email
        await pilot.press("tab")  # on Send invitation: enter presses the button focused
        await settle(pilot)
        assert footer(app) == [("esc", "Cancel")]
        await pilot.press("escape")
        await settle(pilot)
        assert " ".join(terminal(app)[-1].split()) == under
    with hub.as_user(SUPPORT) as ctx:
        assert centre_detail(ctx, world.empty).row.status == "not_activated"


async def test_the_suspend_dialog_shows_its_keys_not_the_centres(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        assert "Change coordinator" in terminal(app)[-1]
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SuspendDialog)
        assert footer(app) == SUSPEND_KEYS
        await pilot.press("tab")  # into the reason box: y and n are text there
        await settle(pilot)
        assert footer(app) == [("⏎", "Suspend"), ("esc", "Cancel")]
        await pilot.press(*"ny", "escape")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    with hub.as_user(SUPPORT) as ctx:
        assert centre_detail(ctx, world.active).row.status == "active"


async def test_confirmations_show_y_and_n(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChangeCoordinatorScreen)
        assert footer(app) == [("esc", "Cancel")]  # on the dropdown: enter opens it
        await pilot.press("tab", "tab")  # past Make coordinator, into Name
        await settle(pilot)
        assert footer(app) == [("⏎", "Create and invite"), ("esc", "Cancel")]
        await pilot.press(*"Ann Lee", "tab", *"ann@x.org", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # over the form, with its own keys
        assert footer(app) == CONFIRM_KEYS
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    with hub.as_user(SUPPORT) as ctx:
        coordinator = centre_detail(ctx, world.active).row.coordinator
    assert coordinator is not None and coordinator.email == "ann@x.org"


@screen_only
async def test_a_form_at_80_by_24_keeps_its_heading_in_sight(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_centre(pilot, world.active)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChangeCoordinatorScreen)
        for _ in range(5):  # down to Cancel, the last: the box has scrolled to show it
            await pilot.press("tab")
            await settle(pilot)
        assert app.focused is not None and app.focused.id == "cancel"
        lines = terminal(app)
        assert any("Change coordinator" in line for line in lines[:3])  # the heading
        assert any("Cancel (esc)" in line for line in lines)
        assert not any("School coordinator of" in line for line in lines)  # scrolled away
        assert footer(app) == [("esc", "Cancel")]
