"""How the cost of finding and opening a centre grows with the number of centres.

At 1,000, 100,000 and 676,000 centres (SQLite), each figure the median of several runs, with
its ratio to the same figure at 1,000 centres (measured in the same run). 676,000 is every
centre number there can be (two letters, three digits): a million centres cannot exist. Past
the demo's 111,888 centres, the rest are imported (`centres import`) under every number left,
named after the demo's centres in turn.
- through the service: a search by exact number, by number prefix, by a name substring,
  and one that matches nothing; and a centre's details (`centres show`);
- in the TUI (Pilot, 120x40): the app started to the first page of rows, and a keystroke
  in the search box to the repainted table.

    python bench/curves.py [--sizes 1000,100000,676000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import EVERY_NUMBER, fresh_hub, timed
from bench.tui import open_and_search
from hub_tui.db import checkpoint
from hub_tui.demo import MOST_CENTRES, SUPPORT, load_demo
from hub_tui.models import Associate, Centre
from hub_tui.services.centres import centre_detail, list_centres
from hub_tui.services.context import Hub
from hub_tui.services.imports import import_centres

SIZES = (1_000, 100_000, EVERY_NUMBER)


def fill_up(hub: Hub, folder: Path, count: int) -> None:
    """Centres imported under the numbers the demo left unused, until there are `count`."""
    from sqlmodel import col, select

    with hub.as_system() as ctx:
        taken = set(ctx.session.exec(select(Centre.centre_number)).all())
        named = ctx.session.exec(
            select(Centre.name, Centre.country, Associate.name)
            .join(Associate, Associate.id == Centre.associate_id)  # type: ignore[arg-type]
            .order_by(col(Centre.id))
        ).all()
    numbers = (f"{a}{b}{d:03d}" for a, b in itertools.product(string.ascii_uppercase, repeat=2)
               for d in range(1000))  # fmt: skip
    free = (n for n in numbers if n not in taken)
    path = folder / "more.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        for number, (name, country, associate) in zip(
            itertools.islice(free, count - len(taken)), itertools.cycle(named), strict=False
        ):
            writer.writerow([number, name, country, associate])
    with hub.as_system(write=True) as ctx:
        import_centres(ctx, path)
    path.unlink()


def loaded(folder: Path, count: int) -> tuple[Hub, float]:
    """A fresh database with `count` demo centres, and the seconds the load took."""
    hub = fresh_hub(folder / f"c{count}.db")
    hub = Hub(hub.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 9}),
              hub.engine)  # fmt: skip
    start = time.perf_counter()
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=min(count, MOST_CENTRES))
    if count > MOST_CENTRES:
        fill_up(hub, folder, count)
    checkpoint(hub.engine)
    return hub, time.perf_counter() - start


def service_figures(hub: Hub) -> dict[str, float]:
    with hub.as_user(SUPPORT) as ctx:
        numbers = [c.centre_number for c in list_centres(ctx, limit=1000)]
    middle = numbers[len(numbers) // 2]

    def search(text: str) -> Callable[[], object]:
        def run() -> object:
            with hub.as_user(SUPPORT) as ctx:
                return list_centres(ctx, search=text)

        return run

    def show() -> object:
        with hub.as_user(SUPPORT) as ctx:
            return centre_detail(ctx, middle)

    return {
        "search: exact number": timed(search(middle), repeat=15),
        "search: number prefix": timed(search(middle[:3]), repeat=15),
        "search: name substring": timed(search("ipoh inter"), repeat=15),
        "search: no match": timed(search("zzz"), repeat=15),
        "centres show": timed(show, repeat=15),
    }


def tui_figures(hub: Hub) -> dict[str, float]:
    runs = [asyncio.run(open_and_search(hub)) for _ in range(5)]
    opened, searched = (statistics.median(x) for x in zip(*runs, strict=True))
    return {"TUI: start to rows": opened, "TUI: keystroke to rows": searched}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    folder = Path(tempfile.mkdtemp())
    table: dict[int, dict[str, float]] = {}
    for count in sizes:
        hub, seconds = loaded(folder, count)
        print(f"{count:>9,} centres loaded in {seconds:.1f} s", flush=True)
        table[count] = {**service_figures(hub), **tui_figures(hub)}
        hub.engine.dispose()
        for suffix in ("", "-wal", "-shm"):  # a million centres take a gigabyte of disk
            Path(f"{folder}/c{count}.db{suffix}").unlink(missing_ok=True)

    first = sizes[0]
    print()
    print("| figure | " + " | ".join(f"{n:,} centres" for n in sizes) + " |")
    print("| --- |" + " ---: |" * len(sizes))
    for name in table[first]:
        cells = []
        for count in sizes:
            value = table[count][name]
            ratio = "" if count == first else f" ({value / table[first][name]:.2f}×)"
            cells.append(f"{value * 1000:.1f} ms{ratio}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
