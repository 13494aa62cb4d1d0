"""TextInput, in a small app of two boxes: keys sent in one burst are applied in the order
they arrived, and a paste that a one-line box cannot hold is refused whole."""

from __future__ import annotations

import unicodedata

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.widgets import Input

from hub_tui.widgets.text_input import REFUSED, TextInput, refused_paste

pytestmark = pytest.mark.asyncio


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
