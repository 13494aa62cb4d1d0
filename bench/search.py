"""`centres list --search` and `centres show` on 100,000 centres.

For each search, the time through hub-tui's service (SQLAlchemy, status CASE, row objects)
against the very same SQL run through the raw `sqlite3` module, as a ratio; and the query
plan, to show that number searches walk an index.

    python bench/search.py [--centres N]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub, ms, timed
from hub_tui.db import checkpoint
from hub_tui.demo import ASSOCIATE, SUPPORT, load_demo
from hub_tui.services.centres import centre_detail, list_centres
from hub_tui.services.context import Hub


def captured(hub: Hub, run: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SQL statements (and parameters) that `run` sends to the database."""
    statements: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _m: Any) -> None:
        if sql.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            statements.append((sql, params))

    event.listen(hub.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(hub.engine, "before_cursor_execute", capture)
    return statements


def compare(
    hub: Hub, raw: sqlite3.Connection, run: Callable[[], object]
) -> tuple[float, float, str]:
    """(hub-tui's time, raw sqlite3's time for the same statements, the centres query plans)."""
    statements = captured(hub, run)

    def run_raw() -> None:
        for sql, params in statements:
            raw.execute(sql, params).fetchall()

    plans = []
    for sql, params in statements:
        for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params):
            if " centres " in f" {row[3]} ":
                plans.append(str(row[3]).replace("USING INDEX ", ""))
                break
    return timed(run), timed(run_raw), " | ".join(plans)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    hub = fresh_hub(path)
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=args.centres)
    checkpoint(hub.engine)
    with hub.as_user(SUPPORT) as ctx:
        rows = list_centres(ctx, limit=args.centres)
    middle = rows[len(rows) // 2].centre_number
    cases = {
        "exact number": middle,
        "number prefix": middle[:3],
        "name substring": "ipoh inter",
        "name, no match": "zzz",
    }
    print(f"{args.centres} centres; each figure is the median of 30 runs")
    print(f"{'search':<22}{'hub-tui':>12}{'raw sqlite3':>14}{'ratio':>8}  rows  plan")
    raw = sqlite3.connect(path)
    for label, text in cases.items():
        for who, scope in ((SUPPORT, "support"), (ASSOCIATE, "associate")):

            def search(text: str = text, who: str = who) -> int:
                with hub.as_user(who) as ctx:
                    return len(list_centres(ctx, search=text))

            ours, theirs, plan = compare(hub, raw, search)
            print(
                f"{label + ', ' + scope:<22}{ms(ours):>12}{ms(theirs):>14}"
                f"{ours / theirs:>8.2f}  {search():>4}  {plan}"
            )

    def show() -> None:
        with hub.as_user(SUPPORT) as ctx:
            centre_detail(ctx, middle)

    ours, theirs, _ = compare(hub, raw, show)
    print(f"{'centres show':<22}{ms(ours):>12}{ms(theirs):>14}{ours / theirs:>8.2f}")


if __name__ == "__main__":
    main()
