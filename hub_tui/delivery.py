"""The outbox as the TUI, `ssh serve` and `mail deliver` each deliver it: every pass
first sweeps for what the clock has made due (reminders, expiry notices), then sends."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from hub_tui.errors import HubError
from hub_tui.mail.worker import Deliverer
from hub_tui.services.context import Hub
from hub_tui.services.sweep import anything_due, sweep

log = logging.getLogger("hub_tui.mail")


def deliverer(hub: Hub, **options: object) -> Deliverer:
    def sweep_now() -> None:
        try:
            with hub.as_system() as ctx:  # most passes find nothing: no write lock for that
                if not anything_due(ctx):
                    return
            with hub.as_system(write=True) as ctx:
                sweep(ctx)
        except Exception as exc:  # what is due stays due: the next pass sweeps again
            expected = isinstance(exc, HubError | SQLAlchemyError)  # the database away
            log.warning(
                "the sweep for reminders and notices failed: %s", exc, exc_info=not expected
            )

    return Deliverer(hub.engine, hub.settings, before_each_run=sweep_now, **options)  # type: ignore[arg-type]
