"""Open the TUI for one person: what `hub-tui` does at a terminal, and each SSH session's
child. Textual and the database are loaded only when it is called."""

from __future__ import annotations

from hub_tui.config import Settings


def open_tui(settings: Settings, user_email: str) -> int:
    """Run the TUI signed in as `user_email` until it quits; its exit status (1: refused).
    The schema is checked first (SQLite is migrated); a database that cannot be used raises
    HubError."""
    from hub_tui.app import run_tui
    from hub_tui.db import ensure_schema, make_engine
    from hub_tui.services.context import Hub

    engine = make_engine(settings.resolved_database_url)
    try:
        ensure_schema(engine)
        return run_tui(Hub(settings, engine), user_email)
    finally:
        engine.dispose()
