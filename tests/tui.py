"""Helpers for driving the real app with Textual's Pilot."""

from __future__ import annotations

import asyncio
import unicodedata

import pytest
from textual import events
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.widgets import DataTable

from hub_tui.app import HubApp

# For a test that looks only at the screen: what it drives below the screen is the same on
# both databases, and the services' own tests run on both; once is enough for the screen.
screen_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def settle(pilot: Pilot[None], *, timeout: float = 10.0) -> None:
    """Wait until the screens' database work is done (the mail worker runs for ever)."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "mail" and w.is_running]
        if not busy:
            await pilot.pause()
            return
        if loop.time() > deadline:
            raise AssertionError(f"workers still running: {busy}")
        await asyncio.sleep(0.02)


def table_text(app: HubApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(app: HubApp) -> str:
    """Every Static and Label on the screen (and any open dialog), as plain text."""
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def burst(app: HubApp, *keys: str) -> None:
    """Keys sent all at once, as a paste or a slow link delivers them: the app reads each
    before it has acted on the last (Pilot's press waits in between). Key names as Pilot's,
    or single characters."""
    assert app._driver is not None
    for key in keys:
        char: str | None
        if len(key) == 1:
            char = key
            key = key if key.isalnum() else unicodedata.name(key).lower().replace(" ", "_")
        else:
            char = key_to_character(key)
        app._driver.send_message(events.Key(key, char))
