"""Loading 100,000 centres, against the `sqlite3` shell's own `.import`.

1. `hub-tui demo --centres N` (centres, their people and invitations) against `.import` of
   exactly the rows it wrote into a fresh database with the same schema.
2. `hub-tui centres import` of an N-row CSV against `.import` of the same file plus the one
   INSERT … SELECT that files the rows under their associates.

Times are wall-clock for whole commands, each the median of 3 runs.

    python bench/load.py [--centres N]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub

HUB = [sys.executable, "-m", "hub_tui"]
TABLES = ("associates", "centres", "users", "invitations")


def run(cmd: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, input=stdin, text=True, capture_output=True)
    return time.perf_counter() - start


def median_of(n: int, prepare, measure) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(n):
        prepare()
        samples.append(measure())
    return float(statistics.median(samples))


def columns(db: Path, table: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def import_script(db: Path, folder: Path, tables: tuple[str, ...]) -> str:
    lines = [".mode csv"]
    for table in tables:
        cols = columns(db, table)
        lines.append(f".import {folder / table}.csv stage_{table}")
        picked = ", ".join(f"NULLIF({c}, '')" for c in cols)
        lines.append(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM stage_{table};")
        lines.append(f"DROP TABLE stage_{table};")
    return "BEGIN;\n" + "\n".join(lines) + "\nCOMMIT;\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        sys.exit("needs the sqlite3 shell: apt-get install sqlite3")
    work = Path(tempfile.mkdtemp())
    db, ref = work / "hub.db", work / "ref.db"
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{db}"}

    demo = median_of(
        3,
        lambda: fresh_hub(db),
        lambda: run([*HUB, "demo", "--centres", str(args.centres)], env=env),
    )
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        for table in TABLES:
            with open(work / f"{table}.csv", "w", newline="") as f:
                cur = conn.execute(f"SELECT * FROM {table}")
                writer = csv.writer(f)
                writer.writerow([d[0] for d in cur.description])
                writer.writerows(cur)
    script = import_script(db, work, TABLES)
    reference = median_of(
        3, lambda: fresh_hub(ref), lambda: run(["sqlite3", str(ref)], stdin=script)
    )
    print(f"demo --centres {args.centres}: {counts}")
    print(f"  hub-tui demo        {demo:7.2f} s")
    print(f"  sqlite3 .import     {reference:7.2f} s   ratio {demo / reference:.2f}")

    # 2. a CSV of centres through `hub-tui centres import`
    source = work / "centres_in.csv"
    with sqlite3.connect(db) as conn, open(source, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["centre_number", "name", "country", "associate"])
        writer.writerows(
            conn.execute(
                "SELECT c.centre_number, c.name, c.country, a.name FROM centres c "
                "JOIN associates a ON a.id = c.associate_id"
            )
        )
    ours = median_of(
        3, lambda: fresh_hub(db), lambda: run([*HUB, "centres", "import", str(source)], env=env)
    )
    file_script = (
        f"BEGIN;\n.mode csv\n.import {source} stage\n"
        "INSERT INTO associates (name) SELECT DISTINCT associate FROM stage;\n"
        "INSERT INTO centres (centre_number, name, name_key, country, associate_id, version) "
        "SELECT upper(centre_number), name, lower(name), country, "
        "(SELECT id FROM associates WHERE associates.name = stage.associate), 1 FROM stage;\n"
        "COMMIT;\n"
    )
    theirs = median_of(
        3, lambda: fresh_hub(ref), lambda: run(["sqlite3", str(ref)], stdin=file_script)
    )
    print(f"centres import of {args.centres} rows")
    print(f"  hub-tui centres import {ours:7.2f} s")
    print(f"  sqlite3 .import        {theirs:7.2f} s   ratio {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
