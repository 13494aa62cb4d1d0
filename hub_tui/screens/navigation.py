"""Opening a screen by name: from a key, the command palette or the help."""

from __future__ import annotations

from typing import Any

from textual.app import App


def open_centre(app: App[Any], number: str) -> None:
    from hub_tui.screens.centre import CentreScreen

    app.push_screen(CentreScreen(number))


def open_named(app: App[Any], name: str) -> None:
    """The centres list under all, or a listing (the outbox and the audit log replace
    each other, so escape always leads back)."""
    from hub_tui.screens.audit import AuditScreen
    from hub_tui.screens.centres import CentresScreen
    from hub_tui.screens.listing import ListingScreen
    from hub_tui.screens.outbox import OutboxScreen
    from hub_tui.screens.people import PeopleScreen

    kinds = {
        "outbox": OutboxScreen,
        "audit": AuditScreen,
        "centres": CentresScreen,
        "people": PeopleScreen,
    }
    kind = kinds[name]
    if isinstance(app.screen, kind):
        return
    if kind is CentresScreen:
        while len(app.screen_stack) > 2:  # the default screen, then the centres
            app.pop_screen()
        return
    if isinstance(app.screen, ListingScreen):  # the listings take turns
        app.pop_screen()
    app.push_screen(kind())
