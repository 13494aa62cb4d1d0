"""Open the TUI for one person: what `hub-tui` does at a terminal, and each SSH session's
child. Textual and the database are loaded only when it is called."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hub_tui.config import Settings


def open_tui(
    settings: Settings,
    user_email: str,
    *,
    engine: Engine | None = None,
    watches_account: bool = True,
) -> int:
    """Run the TUI signed in as `user_email` until it quits; its exit status (1: refused).
    The schema is checked first (SQLite is migrated); a database that cannot be used raises
    HubError. `engine`: the database's, if made already (else one is made); disposed of
    at the end. `watches_account`: end it once the account is suspended (an SSH session's
    is watched by the server, with every other session's)."""
    with starting():
        from hub_tui.app import make_app
        from hub_tui.db import ensure_schema, make_engine
        from hub_tui.services.context import Hub
        from hub_tui.terminal import keep_pastes_whole

    keep_pastes_whole()
    engine = make_engine(settings.resolved_database_url) if engine is None else engine
    try:
        ensure_schema(engine)
        app = make_app(Hub(settings, engine), user_email, watches_account=watches_account)
        app.run()
        return app.return_code or (1 if app.refused else 0)
    finally:
        engine.dispose()


@contextmanager
def starting() -> Iterator[None]:
    """No garbage collection while the program loads, then collection as usual: the imports
    make some 150,000 objects that live as long as the program, and the collector went
    through them again and again (a sixth of the CPU to the first frame). They are left out
    of every later collection too, which only the objects made afterwards go through."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
