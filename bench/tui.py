"""The TUI's figures, each as a ratio against a reference measured in the same run.

1. Launch to the first paint of the Associate Centres table with rows, against a bare Textual
   app (one Static) launched the same way (a real pseudo-terminal, median of 5); and the CPU
   (user and system) each process used until then, the part of a session's start that the
   SSH front end's forked children pay too.
2. Opening the list, and a search, with 100,000 centres against 1,000 (Pilot, median of 7).
3. A keystroke in the search box to the repainted table at 100,000 centres, against adding
   and painting one 100-row page in a bare DataTable (Pilot, median of 7).

    python bench/tui.py
"""

from __future__ import annotations

import asyncio
import os
import select
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from bench._util import fresh_hub
from hub_tui.app import make_app
from hub_tui.db import checkpoint
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.services.context import Hub

HERE = Path(__file__).resolve().parent


def time_to_text(command: list[str], text: bytes, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting `command` on a 120x40 pseudo-terminal until `text` is drawn, and
    the CPU seconds the process had used by then."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)  # fmt: skip
    os.close(slave)
    seen = b""
    try:
        while text not in seen:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                raise TimeoutError(f"{text!r} never appeared")
            seen += os.read(master, 65536)
        drawn = time.perf_counter() - start
    finally:
        proc.kill()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        os.close(master)
    return drawn, usage.ru_utime + usage.ru_stime


def launch_figures(db: Path) -> None:
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{db}", "TERM": "xterm-256color",
           "HUB_SMTP_HOST": "127.0.0.1", "HUB_SMTP_PORT": "9"}  # fmt: skip
    ours, bare = [], []
    with sqlite3.connect(db) as conn:  # the first centre's name, as its row shows it
        (name,) = conn.execute("SELECT name FROM centres ORDER BY centre_number").fetchone()
    first_row = name[:20].encode()
    for _ in range(5):
        ours.append(time_to_text([sys.executable, "-m", "hub_tui", "--user", SUPPORT],
                                 first_row, env))  # fmt: skip
        bare.append(time_to_text([sys.executable, str(HERE / "bare_app.py")], b"READY-TO-GO", env))
    o, b = (statistics.median(wall for wall, _ in runs) for runs in (ours, bare))
    oc, bc = (statistics.median(cpu for _, cpu in runs) for runs in (ours, bare))
    print(
        f"1. launch to first paint with rows: hub-tui {o * 1000:.0f} ms, bare app "
        f"{b * 1000:.0f} ms, ratio {o / b:.2f} (aim: at most 2)"
    )
    print(
        f"   CPU to first paint: hub-tui {oc * 1000:.0f} ms, bare app {bc * 1000:.0f} ms, "
        f"ratio {oc / bc:.2f}"
    )


async def open_and_search(hub: Hub) -> tuple[float, float]:
    """(app start to the first page of rows, one keystroke in the search box to new rows)."""
    from hub_tui.screens.centres import CentresScreen

    app = make_app(hub, SUPPORT)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, CentresScreen) and app.screen.rows):
            await asyncio.sleep(0.001)
        await pilot.pause()
        opened = time.perf_counter() - start
        screen = app.screen
        await pilot.press("slash", "q", "u", "e", "t")
        while (
            screen.search_text != "quet" or not screen.rows or "Quetta" not in screen.rows[0].name
        ):
            await asyncio.sleep(0.001)
        before = screen.rows
        start = time.perf_counter()
        await pilot.press("t")  # "quett": one keystroke
        while screen.rows is before:
            await asyncio.sleep(0.001)
        await pilot.pause()  # painted
        searched = time.perf_counter() - start
    return opened, searched


class BareTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def bare_page() -> float:
    rows = [(f"AB{i:03d}", f"School number {i}", "Country", f"Person {i}", "Active")
            for i in range(100)]  # fmt: skip
    app = BareTable()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Centre number", "Centre name", "Country", "Coordinator", "Status")
        await pilot.pause()
        start = time.perf_counter()
        table.clear()
        table.add_rows(rows)
        await pilot.pause()
        return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    hubs = {}
    for count in (1_000, 100_000):
        hubs[count] = fresh_hub(folder / f"c{count}.db")
        hubs[count] = hubs[count].__class__(
            hubs[count].settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 9}),
            hubs[count].engine,
        )
        with hubs[count].as_system(write=True) as ctx:
            load_demo(ctx, centres=count)
        checkpoint(hubs[count].engine)
    launch_figures(folder / "c100000.db")

    figures = {count: [asyncio.run(open_and_search(hub)) for _ in range(7)]
               for count, hub in hubs.items()}  # fmt: skip
    small = [statistics.median(x) for x in zip(*figures[1_000], strict=True)]
    large = [statistics.median(x) for x in zip(*figures[100_000], strict=True)]
    print(
        f"2. open the list: 1,000 centres {small[0] * 1000:.0f} ms, 100,000 "
        f"{large[0] * 1000:.0f} ms, ratio {large[0] / small[0]:.2f} (aim: at most 1.2)"
    )
    print(
        f"   search keystroke: 1,000 centres {small[1] * 1000:.1f} ms, 100,000 "
        f"{large[1] * 1000:.1f} ms, ratio {large[1] / small[1]:.2f} (aim: at most 1.2)"
    )
    bare = statistics.median(asyncio.run(bare_page()) for _ in range(7))
    print(
        f"3. keystroke to repainted table at 100,000: {large[1] * 1000:.1f} ms; a bare "
        f"DataTable's 100-row page: {bare * 1000:.1f} ms; ratio {large[1] / bare:.2f}"
    )


if __name__ == "__main__":
    main()
