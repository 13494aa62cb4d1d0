"""The outbox as the TUI, `ssh serve` and `mail deliver` each deliver it: every pass
first sweeps for what the clock has made due (reminders, expiry notices), then sends."""

from __future__ import annotations

from hub_tui.mail.worker import Deliverer
from hub_tui.services.context import Hub
from hub_tui.services.sweep import sweep


def deliverer(hub: Hub, **options: object) -> Deliverer:
    def sweep_now() -> None:
        with hub.as_system(write=True) as ctx:
            sweep(ctx)

    return Deliverer(hub.engine, hub.settings, before_each_run=sweep_now, **options)  # type: ignore[arg-type]
