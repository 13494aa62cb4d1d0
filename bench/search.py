"""Issue 2: `centres list --search` and `centres show` on 100,000 centres.

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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub, ms, timed
from hub_tui.demo import ASSOCIATE, SUPPORT, load_demo
from hub_tui.services.centres import centre_detail, list_centres


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    hub = fresh_hub(path)
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=args.centres)
    with hub.as_user(SUPPORT) as ctx:
        rows = list_centres(ctx, limit=args.centres)
    middle = rows[len(rows) // 2].centre_number
    cases = {
        "exact number": middle,
        "number prefix": middle[:3],
        "name substring": "ipoh acad",
        "name, rare": "quetta high",
    }
    print(f"{args.centres} centres; each figure is the median of 30 runs")
    print(f"{'search':<16}{'hub-tui':>12}{'raw sqlite3':>14}{'ratio':>8}  rows  plan")
    raw = sqlite3.connect(path)
    for label, text in cases.items():
        for who in (SUPPORT, ASSOCIATE):
            statements: list[tuple[str, Any]] = []

            def run(text: str = text, who: str = who) -> int:
                with hub.as_user(who) as ctx:
                    return len(list_centres(ctx, search=text))

            from sqlalchemy import event

            def capture(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _m: Any) -> None:
                if "FROM centres" in sql:
                    statements.append((sql, params))

            event.listen(hub.engine, "before_cursor_execute", capture)
            found = run()
            event.remove(hub.engine, "before_cursor_execute", capture)

            def run_raw(statements: list[tuple[str, Any]] = statements) -> None:
                # the same statements, plus resolving the user, as the service does
                raw.execute("SELECT * FROM users WHERE email_key = ?", (who,)).fetchall()
                for sql, params in statements:
                    raw.execute(sql, params).fetchall()

            ours = timed(run)
            theirs = timed(run_raw)
            plan = " | ".join(
                next(
                    str(r[3]).replace("USING INDEX ", "")
                    for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params)
                    if " centres " in f" {r[3]} "
                )
                for sql, params in statements
            )
            scope = "support" if who == SUPPORT else "associate"
            print(
                f"{label + ' ' + scope[:3]:<16}{ms(ours):>12}{ms(theirs):>14}"
                f"{ours / theirs:>8.2f}  {found:>4}  {plan}"
            )

    def show() -> None:
        with hub.as_user(SUPPORT) as ctx:
            centre_detail(ctx, middle)

    statements = []

    def capture_all(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _m: Any) -> None:
        statements.append((sql, params))

    from sqlalchemy import event

    event.listen(hub.engine, "before_cursor_execute", capture_all)
    show()
    event.remove(hub.engine, "before_cursor_execute", capture_all)

    def show_raw() -> None:
        for sql, params in statements:
            if sql.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
                raw.execute(sql, params).fetchall()

    ours, theirs = timed(show), timed(show_raw)
    print(f"{'centres show':<16}{ms(ours):>12}{ms(theirs):>14}{ours / theirs:>8.2f}")


if __name__ == "__main__":
    main()
