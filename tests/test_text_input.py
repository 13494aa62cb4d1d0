"""TextInput: keys sent in one burst are applied in the order they arrived, and a paste
that a one-line box cannot hold is refused whole and said beside the field. First in a
small app of two boxes, then in the real forms, checked on the screen and in the database."""

from __future__ import annotations

import unicodedata

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.widgets import Input

from hub_tui.app import make_app
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.centres import CentresScreen
from hub_tui.screens.coordinator_form import CoordinatorForm
from hub_tui.screens.dialogs import SuspendDialog
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from hub_tui.widgets.text_input import REFUSED, TextInput, refused_paste
from tests.tui import burst, settle
from tests.world import SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)


class Boxes(App[None]):
    """Two text boxes, tab between them as in hub-tui's forms; what they post is kept."""

    BINDINGS = [Binding("tab", "focus_next", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []
        self.refused: list[tuple[str, str]] = []  # which box, and what it said

    def compose(self) -> ComposeResult:
        yield TextInput(id="first")
        yield TextInput(id="second")

    @on(Input.Submitted)
    def record_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)

    @on(TextInput.Refused)
    def record_refused(self, event: TextInput.Refused) -> None:
        self.refused.append((event.control.id or "", event.message))


def send_all(app: App[None], *keys: str) -> None:
    """Keys sent at once, as a slow link delivers them: none waits for the one before."""
    assert app._driver is not None
    for key in keys:
        if len(key) == 1:  # a character: its key name as the terminal parser gives it
            name = key if key.isalnum() else unicodedata.name(key).lower().replace(" ", "_")
            app._driver.send_message(events.Key(name, key))
        else:
            app._driver.send_message(events.Key(key, key_to_character(key)))


async def idle(pilot: Pilot[None]) -> None:
    for _ in range(6):  # a key's binding may take a few hops up the DOM
        await pilot.pause()


def values(app: App[None]) -> list[str]:
    return [box.value for box in app.query(TextInput)]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([*"abc", "backspace", *"kl"], "abkl"),
        ([*"abc", "ctrl+u", *"kl"], "kl"),
        ([*"abc def", "ctrl+w", *"xy"], "abc xy"),
        ([*"abc", "home", "delete", *"z"], "zbc"),
        ([*"abc", "left", "left", "X", "right", "Y", "end", "Z"], "aXbYcZ"),
        ([*"abc", "home", "right", "backspace", "Q", "end", "backspace", "R"], "QbR"),
        ([*"abc", "home", "right", "ctrl+k", "d"], "ad"),
        ([*"abc", "shift+home", "z"], "z"),  # typing replaces the selection
        ([*"ab", "backspace", "backspace", "backspace", *"cd", "left", "ctrl+u", "e"], "ed"),
        ([*"one two", "ctrl+w", "ctrl+w", *"three"], "three"),
    ],
)
async def test_editing_keys_in_a_burst_apply_in_the_order_they_arrived(
    keys: list[str], expected: str
) -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        send_all(app, *keys)
        await idle(pilot)
        assert values(app) == [expected, ""]


async def test_backspace_straight_after_tab_edits_the_next_box() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        send_all(app, *"ann", "tab", "backspace", *"q@x.org", "backspace", "g")
        await idle(pilot)
        assert values(app) == ["ann", "q@x.org"]


async def test_enter_submits_what_was_typed_before_it() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        send_all(app, *"abx", "backspace", "enter", "c")
        await idle(pilot)
        assert app.submitted == ["ab"]
        assert values(app) == ["abc", ""]


@pytest.mark.parametrize(
    "text",
    [
        "Eve\r\nMallory",
        "Eve\nMallory",
        "Eve\n",  # even a line break at the end: a second line, however empty
        "Eve\x1b[31mMallory",  # ESC: would show as ^[ and be saved
        "Eve\tMallory",
        "Eve\u200bMallory",  # zero width space (Cf)
        "Eve\u202eyrollaM",  # right-to-left override (Cf)
        "Eve\u2028Mallory",  # line separator
        "Eve\x85Mallory",  # next line (C1)
    ],
)
async def test_a_paste_a_line_cannot_hold_is_refused_whole(text: str) -> None:
    assert refused_paste(text)
    app = Boxes()
    async with app.run_test() as pilot:
        send_all(app, *"ab", "left")
        await idle(pilot)
        box = app.query_one("#first", TextInput)
        box.post_message(events.Paste(text))
        send_all(app, "c")  # the box goes on taking keys, where its cursor was
        await idle(pilot)
        assert values(app) == ["acb", ""]
        assert app.refused == [("first", REFUSED)]


@pytest.mark.parametrize(
    ("selecting", "expected"),
    [([], "Ann Mallory O’Neil-Lee"), (["shift+home"], "Mallory O’Neil-Lee")],
)
async def test_a_one_line_paste_goes_in_at_the_cursor(selecting: list[str], expected: str) -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        send_all(app, *"Ann ", *selecting)
        await idle(pilot)
        app.query_one("#first", TextInput).post_message(events.Paste("Mallory O’Neil-Lee"))
        await idle(pilot)
        assert values(app) == [expected, ""]
        assert app.refused == []


async def test_ctrl_v_from_the_apps_clipboard_is_checked_as_a_paste_is() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        app.copy_to_clipboard("Eve\nMallory")  # as text selected across lines of the screen
        send_all(app, *"ab", "ctrl+v", "c")
        await idle(pilot)
        assert values(app) == ["abc", ""]
        assert app.refused == [("first", REFUSED)]
        app.copy_to_clipboard("Eve")
        send_all(app, "home", "ctrl+v")
        await idle(pilot)
        assert values(app) == ["Eveabc", ""]
        assert app.refused == [("first", REFUSED)]


async def test_a_paste_longer_than_the_box_allows_is_not_cut_short() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        box = app.query_one("#first", TextInput)
        box.max_length = 5
        box.post_message(events.Paste("abcdef"))
        await idle(pilot)
        assert box.value == ""  # as Input does it: refused (with the bell), never cut
        box.post_message(events.Paste("abcde"))
        await idle(pilot)
        assert box.value == "abcde"


# -- in hub-tui's forms -------------------------------------------------------------


def status(hub: Hub, number: str) -> str:
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number).row.status


def problem(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_a_refused_paste_is_said_beside_the_field_and_nothing_is_saved(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # GB001, not activated
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorForm)
        name = app.screen.query_one("#name", TextInput)
        name.post_message(events.Paste("Eve\r\nMallory"))
        await settle(pilot)
        assert name.value == ""
        assert problem(app, "#name-problem") == REFUSED
        await pilot.press("tab")
        email = app.screen.query_one("#email", TextInput)
        email.post_message(events.Paste("eve@x.org\x1b[201~"))
        await settle(pilot)
        assert email.value == ""
        assert problem(app, "#email-problem") == REFUSED
        assert problem(app, "#name-problem") == REFUSED  # each field says its own
        await pilot.press("enter")  # the form's checks: an empty name is not saved either
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorForm)
        assert "Name must not be empty" in problem(app, "#name-problem")
    assert status(hub, world.empty) == "not_activated"


async def test_after_a_refused_paste_the_field_takes_typing_and_a_good_paste(
    hub: Hub, world: World
) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        name = app.screen.query_one("#name", TextInput)
        name.post_message(events.Paste("Eve\nMallory"))
        await settle(pilot)
        await pilot.press(*"Eve")
        await settle(pilot)
        assert problem(app, "#name-problem") == ""  # what was typed put it right
        await pilot.press("tab")
        app.screen.query_one("#email", TextInput).post_message(events.Paste("eve@x.org"))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
    with hub.as_user(SUPPORT) as ctx:
        coordinator = centre_detail(ctx, world.empty).row.coordinator
    assert coordinator is not None
    assert (coordinator.name, coordinator.email) == ("Eve", "eve@x.org")


async def test_keys_in_a_burst_after_backspace_reach_the_form(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "a", *"Ann Lex", "backspace", "e", "tab", "backspace", *"q@x.orgg")
        burst(app, "backspace", "home", "delete", "a", "end", "ctrl+w", *"org", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
    with hub.as_user(SUPPORT) as ctx:
        coordinator = centre_detail(ctx, world.empty).row.coordinator
    assert coordinator is not None
    assert (coordinator.name, coordinator.email) == ("Ann Lee", "a@x.org")


async def test_the_suspend_reason_refuses_a_paste_and_says_so(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *world.active.lower(), "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        await pilot.press("s", "tab")
        await settle(pilot)
        assert isinstance(app.screen, SuspendDialog)
        reason = app.screen.query_one("#reason", TextInput)
        assert app.focused is reason
        reason.post_message(events.Paste("Fees\nunpaid\x1b[2J"))
        await settle(pilot)
        assert reason.value == ""
        assert problem(app, "#reason-problem") == REFUSED
        burst(app, *"Fees unpaidd", "backspace", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
    with hub.as_user(SUPPORT) as ctx:
        suspension = centre_detail(ctx, world.active).suspension
    assert suspension is not None and suspension.reason == "Fees unpaid"
