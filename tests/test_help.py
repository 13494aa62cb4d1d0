"""The keys help (`?`): the keys of the screen in front and the app's, under headings, read
from the real bindings; none of the widgets' internals."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Label

from hub_tui.app import make_app
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.centres import CentresScreen
from hub_tui.screens.help import HelpScreen
from hub_tui.services.context import Hub
from tests.tui import screen_only, settle
from tests.world import NORTH_AC, SUPPORT, World

pytestmark = pytest.mark.asyncio
SIZE = (120, 40)
# what Textual's widgets and screens bind for themselves, that a person does not look for
INTERNALS = ("Scroll", "Copy selected text", "Cursor", "Page Left", "Focus Next", "Select")


def groups(app: App[Any]) -> dict[str, list[list[str]]]:
    """Each heading of the help on top, with its rows of key and what it does."""
    assert isinstance(app.screen, HelpScreen)
    headings = [str(label.render()) for label in app.screen.query(".heading")]
    found = {}
    for number, heading in enumerate(headings):
        table = app.screen.query_one(f"#keys-{number}", DataTable)
        found[heading] = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    return found


def no_internals(found: dict[str, list[list[str]]]) -> None:
    texts = [does for rows in found.values() for _, does in rows]
    assert not [t for t in texts if any(t.startswith(word) for word in INTERNALS)], texts


async def open_help(pilot) -> dict[str, list[list[str]]]:  # type: ignore[no-untyped-def]
    await pilot.press("question_mark")
    await pilot.pause()
    return groups(pilot.app)


@screen_only
async def test_the_centre_screen_keys_then_everywhere(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *world.active, "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        found = await open_help(pilot)
        assert list(found) == ["My Associate Centre", "Everywhere"]
        # those of an active centre, in the screen's order; restore, resend and add do not
        # apply to it at all, so are not listed
        assert found["My Associate Centre"] == [
            ["s", "Suspend account"],
            ["c", "Change coordinator"],
            ["esc", "Back"],
        ]
        everywhere = found["Everywhere"]
        assert ["?", "Keys"] in everywhere and ["m", "Mail outbox"] in everywhere
        assert ["p", "People"] in everywhere  # support's
        assert ["tab shift+tab", "Next / previous field or button"] in everywhere
        assert any(key == "^p" and "Command palette" in does for key, does in everywhere)
        assert everywhere[-1] == ["^q", "Quit"]
        no_internals(found)
        await pilot.press("escape")
        assert isinstance(app.screen, CentreScreen)


@screen_only
async def test_the_centres_table_and_its_moves(hub: Hub, world: World) -> None:
    app = make_app(hub, NORTH_AC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        found = await open_help(pilot)
        here = found["Associate Centres"]
        # the first centre has no coordinator: Activate applies; hidden keys with words too
        for row in (
            ["/", "Search"],
            ["⏎", "Open centre"],
            ["a", "Activate"],
            ["home", "First centre"],
            ["end", "Last centre"],
            ["↑ ↓", "Move through the table"],
            ["pgup pgdn", "A page up / down"],
        ):
            assert row in here
        assert "Leave search" not in [does for _, does in here]  # only in the search box
        assert "People" not in [does for _, does in found["Everywhere"]]  # support only
        no_internals(found)
        await pilot.press("q")
        assert isinstance(app.screen, CentresScreen)


@screen_only
async def test_in_the_search_box_letters_are_text(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        # in the box ? is text; the help is opened as the app opens it, for the screen in front
        await app.push_screen(HelpScreen(app.screen))
        await pilot.pause()
        here = groups(app)["Associate Centres"]
        assert here == [["esc", "Leave search"]]  # a and / are text; home, end the box's


@screen_only
async def test_a_listing_screen(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        found = await open_help(pilot)
        here = found["People"]
        does = [d for _, d in here]
        assert does[:2] == ["Back", "Refresh"] and "Add person" in does
        assert ["↑ ↓", "Move through the table"] in here
        no_internals(found)


class Plain(Screen[None]):
    TITLE = "Tests › [b]Plain[/b]"
    BINDINGS = [
        Binding("x", "noop", "Shown as [red]typed[/red]", id="plain.x"),
        Binding("z", "later", "Later", id="plain.later"),
        Binding("w", "never", "Never here", id="plain.never"),
    ]

    def compose(self) -> ComposeResult:
        yield Label("plain")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: applies here, not now (the footer dims it); False: not here at all
        return {"later": None, "never": False}.get(action, True)

    def action_noop(self) -> None:
        pass


class PlainApp(App[None]):
    BINDINGS = [Binding("question_mark", "help", "Keys", id="plain.help")]

    def on_mount(self) -> None:
        self.push_screen(Plain())

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))


async def test_markup_is_shown_as_typed_and_a_waiting_key_is_not_now() -> None:
    app = PlainApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        found = await open_help(pilot)
        assert found["[b]Plain[/b]"] == [
            ["x", "Shown as [red]typed[/red]"],
            ["z", "Later (not now)"],
        ]
        assert found["Everywhere"][0] == ["?", "Keys"]
