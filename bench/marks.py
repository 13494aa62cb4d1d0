"""Marking every invited centre of a 100,000-centre database, as a person would (the status
filter, then `*`), and then every centre of it, while a watcher on the event loop records
its longest stall.

The figure is the longest stall while marking against the longest stall of the same app
idling for as long (the reference): what the marking adds to the screen's wait, if
anything. A person notices a freeze of about 100 ms.

    python bench/marks.py [--centres N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub
from hub_tui.app import make_app
from hub_tui.db import checkpoint
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.screens.centres import ALL, FILTERS, CentresScreen
from hub_tui.services.centres import list_numbers
from hub_tui.services.context import Hub

TICK = 0.002


class Watcher:
    """The longest time the event loop took to come back to a task that sleeps TICK."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.task: asyncio.Task[None] | None = None

    async def watch(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            self.longest = max(self.longest, time.perf_counter() - start - TICK)

    def start(self) -> None:
        self.longest = 0.0
        self.task = asyncio.get_running_loop().create_task(self.watch())

    def stop(self) -> float:
        assert self.task is not None
        self.task.cancel()
        return self.longest


async def mark_all(hub: Hub, status: str, expected: int) -> tuple[float, float, float]:
    """(idle stall, marking stall, seconds from `*` to every centre marked)."""
    app = make_app(hub, SUPPORT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while not (isinstance(screen, CentresScreen) and screen.rows):
            await asyncio.sleep(0.01)
            screen = app.screen
        await pilot.press("f")
        await pilot.pause()
        steps = [value for _, value in FILTERS].index(status)
        await pilot.press("home", *["down"] * steps, "enter")
        while (screen.status or ALL) != status or (
            status != ALL and screen.rows[0].status != status
        ):
            await asyncio.sleep(0.01)
        watcher = Watcher()
        await asyncio.sleep(0.5)
        start = time.perf_counter()
        await pilot.press("asterisk")
        watcher.start()
        while len(screen.marked) < expected:
            await asyncio.sleep(0.001)
        took = time.perf_counter() - start
        await pilot.pause()  # the marks painted
        marking = watcher.stop()
        watcher.start()
        await asyncio.sleep(max(took, 1.0))
        idle = watcher.stop()
    return idle, marking, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    args = parser.parse_args()
    hub = fresh_hub(Path(tempfile.mkdtemp()) / "marks.db")
    hub = Hub(
        hub.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 9}), hub.engine
    )
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=args.centres)
    checkpoint(hub.engine)
    for status in ("invited", ALL):
        print(f"{status}...", flush=True)
        with hub.as_user(SUPPORT) as ctx:
            count = len(list_numbers(ctx, status=None if status == ALL else status))
        runs = [asyncio.run(mark_all(hub, status, count)) for _ in range(3)]
        idle, marking = max(r[0] for r in runs), max(r[1] for r in runs)
        took = sorted(r[2] for r in runs)[1]
        print(
            f"marking {count:,} {status} centres of {args.centres:,}: {took * 1000:.0f} ms to "
            f"mark; longest stall {marking * 1000:.1f} ms against {idle * 1000:.1f} ms idle "
            f"(ratio {marking / idle:.1f}; a freeze is about 100 ms)"
        )


if __name__ == "__main__":
    main()
