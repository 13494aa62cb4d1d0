"""Pictures of every screen and dialog, at 80x24 and 120x40, at a fixed time
(pytest-textual-snapshot).

After a deliberate change to a screen: `make pictures` (the snapshots made again, and the
docs' pictures copied from them, see tests/pictures.py), then look at the new SVGs before
committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from textual.pilot import Pilot
from textual.widgets import Input

from hub_tui.app import make_app
from hub_tui.config import Settings
from hub_tui.screens.bulk import BulkRun
from hub_tui.screens.centres import FILTERS
from hub_tui.services import coordinators
from hub_tui.services.context import Hub
from tests.tui import burst, screen_only, settle
from tests.world import SUPPORT, World, build_world

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # every time shown is this one, or from it
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}  # of the terminal: (columns, rows)
pytestmark = screen_only

Steps = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Scene:
    steps: Steps
    user: str = SUPPORT
    prepare: Callable[[Hub, World], None] | None = None  # more than the world, before the app


SCENES: dict[str, Scene] = {}


def scene(
    name: str, *, user: str = SUPPORT, prepare: Callable[[Hub, World], None] | None = None
) -> Callable[[Steps], Steps]:
    def register(steps: Steps) -> Steps:
        SCENES[name] = Scene(steps, user, prepare)
        return steps

    return register


def busy(pilot: Pilot[None]) -> bool:
    return any(w.group != "mail" and w.is_running for w in pilot.app.workers)


async def steady(pilot: Pilot[None]) -> None:
    """Settled, and nothing more started meanwhile: a screen that a key opens starts its
    database work only once mounted, and on a busy machine that can come after `settle`
    has looked (a key pressed then would find the screen still empty)."""
    while True:
        screens = list(pilot.app.screen_stack)
        await settle(pilot)
        if pilot.app.screen_stack == screens and not busy(pilot):
            return


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Each key, and the database work it starts, done before the next."""
    for key in keys:
        await pilot.press(key)
        await steady(pilot)


async def at_once(pilot: Pilot[None], *keys: str) -> None:
    """Keys (names, or characters) sent in one burst, as a fast typist or a paste does, and
    then their work done: quicker than a key at a time, for keys on one screen."""
    burst(pilot.app, *keys)  # type: ignore[arg-type]
    await steady(pilot)


# -- the scenes: the world of tests/world.py, centres in order GB001 (not activated),
# GB002 (active), GB003 (invited), GB010 (not activated), IN100 (active)


@scene("associate-centres")
async def associate_centres(pilot: Pilot[None]) -> None:
    pass


@scene("associate-centres-marked-active")
async def marked_and_filtered(pilot: Pilot[None]) -> None:
    active = [value for _, value in FILTERS].index("active")
    await press(pilot, "f", "home", *["down"] * active, "enter")
    await at_once(pilot, "space", "space")


@scene("my-associate-centre")
async def my_associate_centre(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "enter")


@scene("add-coordinator-problem")
async def add_coordinator(pilot: Pilot[None]) -> None:
    await press(pilot, "a")
    await at_once(pilot, *"Ann", "tab", *"not-an-email", "enter")


@scene("change-coordinator-dropdown")
async def change_coordinator(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "enter", "c", "enter")


@scene("suspend-confirmation")
async def suspend(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "enter", "s")


def suspended(hub: Hub, world: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        coordinators.suspend(ctx, centre_number=world.active, reason="Left the school in March")


@scene("restore-confirmation", prepare=suspended)
async def restore(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "enter", "r")


@scene("resend-confirmation")
async def resend(pilot: Pilot[None]) -> None:
    await press(pilot, "down", "down", "enter", "i")


@scene("bulk-confirmation")
async def bulk_confirmation(pilot: Pilot[None]) -> None:
    await at_once(pilot, *["space"] * 5)
    await press(pilot, "s")


@scene("bulk-result")
async def bulk_result(pilot: Pilot[None]) -> None:
    await at_once(pilot, *["space"] * 5)
    await press(pilot, "s", "y")
    screen = pilot.app.screen
    assert isinstance(screen, BulkRun)
    for _ in range(100):
        if screen.results is not None:
            return
        await steady(pilot)
    raise AssertionError("the bulk change never showed its results")


@scene("mail-outbox")
async def outbox(pilot: Pilot[None]) -> None:
    await press(pilot, "m")


@scene("audit-log", prepare=suspended)
async def audit(pilot: Pilot[None]) -> None:
    await press(pilot, "l")


@scene("people")
async def people(pilot: Pilot[None]) -> None:
    await press(pilot, "p")


@scene("add-person")
async def add_person(pilot: Pilot[None]) -> None:
    await press(pilot, "p", "a")


@scene("help")
async def help_(pilot: Pilot[None]) -> None:
    await press(pilot, "question_mark")


@scene("message-unknown-user", user="nobody@example.org")
async def message(pilot: Pilot[None]) -> None:
    pass


# -- the snapshots


def still(pilot: Pilot[None]) -> None:
    """Text boxes' cursors shown, not blinking: a blink would make the picture depend on
    the moment it is taken."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def snapshot(snap_compare, hub: Hub, settings: Settings, name: str, size: str) -> bool:  # type: ignore[no-untyped-def]
    shown = SCENES[name]

    async def run_before(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await shown.steps(pilot)
        still(pilot)
        await steady(pilot)

    # no mail delivered: the outbox stays as queued, and no notice comes up part-way
    quiet = Hub(settings.model_copy(update={"deliver_mail": False}), hub.engine)
    with time_machine.travel(NOW, tick=False):
        world = build_world(hub)
        if shown.prepare is not None:
            shown.prepare(hub, world)
        app = make_app(quiet, shown.user)
        return bool(snap_compare(app, terminal_size=SIZES[size], run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SCENES)
def test_screen(snap_compare, hub: Hub, settings: Settings, name: str, size: str) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, hub, settings, name, size)
