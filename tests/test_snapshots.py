"""Pictures of the main screens at a fixed size and a fixed time (pytest-textual-snapshot).

After a deliberate change to a screen: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the new SVGs before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from textual.pilot import Pilot

from hub_tui.app import make_app
from hub_tui.config import Settings
from hub_tui.services.context import Hub
from tests.smtp_servers import free_port
from tests.tui import settle
from tests.world import SUPPORT, build_world

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIZE = (120, 36)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def quiet_hub(hub: Hub, settings: Settings) -> Hub:
    # an SMTP server that is not there: no Maildir notice with a temporary path in it
    return Hub(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port()}),
               hub.engine)  # fmt: skip


def snapshot(snap_compare, hub: Hub, settings: Settings, *keys: str) -> bool:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    with time_machine.travel(NOW, tick=False):
        build_world(hub)
        app = make_app(quiet_hub(hub, settings), SUPPORT)
        return bool(snap_compare(app, terminal_size=SIZE, run_before=run_before))


def test_associate_centres(snap_compare, hub: Hub, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, hub, settings)


def test_my_associate_centre(snap_compare, hub: Hub, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, hub, settings, "down", "enter")


def test_add_coordinator_form_with_a_problem(snap_compare, hub: Hub, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(snap_compare, hub, settings, "a", *"Ann", "tab", *"not-an-email", "enter")
