"""Associate Centres as a new user meets it: enter on a centre number, moves answered in
order, and a layout that fits 80 columns."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable

from hub_tui.app import make_app
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.screens.centre import CentreScreen
from hub_tui.screens.centres import CentresScreen
from hub_tui.services.context import Hub
from hub_tui.widgets.choice import Choice, ChoiceList
from tests.tui import burst, screen_only, settle, table_text
from tests.world import World

pytestmark = pytest.mark.asyncio


@pytest.fixture
def demo(hub: Hub) -> Hub:
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=1_000)
    return hub


def shown(screen: CentresScreen) -> list[str]:
    return [row.centre_number for row in screen.rows]


async def test_enter_after_a_whole_centre_number_opens_it(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, "slash", *"gb002", "enter")  # at once, before the results are in
        await settle(pilot)
        assert isinstance(app.screen, CentreScreen)
        assert app.screen.centre_number == world.active
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", "ctrl+u", *"gb00", "enter")  # not a whole number
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)
        assert app.screen.focused is app.screen.query_one("#centres")
        await pilot.press("slash", "ctrl+u", *"gb099", "enter")  # no such centre
        await settle(pilot)
        assert isinstance(app.screen, CentresScreen)


async def test_home_straight_after_end_goes_to_the_first_centre(demo: Hub) -> None:
    app = make_app(demo, SUPPORT)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CentresScreen)
        first = shown(screen)[0]
        for _ in range(5):
            await pilot.press("end")
            for _ in range(100_000):  # the last page, as soon as it shows
                if screen.at_end and not screen.at_start:
                    break
                await asyncio.sleep(0)  # not pause(): that would handle what it queued first
            else:
                raise AssertionError("the last page never came")
            burst(app, "home")
            await settle(pilot)
            assert shown(screen)[0] == first
            assert screen.table.cursor_row == 0
        burst(app, "end", "home", "end", "home")
        await settle(pilot)
        assert shown(screen)[0] == first and screen.table.cursor_row == 0


@screen_only
async def test_at_80_columns_number_name_coordinator_and_status_fit(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#centres", DataTable)
        headings = [str(c.label) for c in table.columns.values()]
        assert headings == ["", "Centre", "Centre name", "School coordinator", "Status"]
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths + 2 <= 80  # with the scroll bar
        assert table_text(app, "#centres")[1][1:] == [
            "GB002", "Bangor Grammar School", "Cora Coord", "Active",
        ]  # fmt: skip
        assert app.sub_title == "Sam Support (support)"
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        headings = [str(c.label) for c in table.columns.values()]
        assert "Country" in headings and "Centre number" in headings
        assert app.sub_title == "Sam Support <support@example.org> (support)"


async def test_the_status_filter_by_burst_and_by_mouse(hub: Hub, world: World) -> None:
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CentresScreen)
        everyone = shown(screen)
        burst(app, "f", "down", "enter")  # at once: the list takes the keys typed after f
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceList)  # closed
        assert screen.status == "not_activated"
        assert world.empty in shown(screen) and world.active not in shown(screen)
        assert screen.focused is screen.table  # back on the table, to move and open
        assert await pilot.click(Choice)  # the mouse opens the list too
        await settle(pilot)
        assert isinstance(app.screen, ChoiceList)
        assert await pilot.click(offset=(2, 30))  # outside the list: closed, nothing chosen
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceList)  # closed
        assert screen.status == "not_activated"
        await pilot.press("f", "home", "escape")  # esc: nothing chosen either
        await settle(pilot)
        assert screen.status == "not_activated"
        await pilot.press("f", "home", "enter")
        await settle(pilot)
        assert screen.status is None and shown(screen) == everyone
