"""Loading centres, against the `sqlite3` shell's own `.import` (and PostgreSQL's `\\copy`).

1. `hub-tui demo --centres N` (centres, their people and invitations) against `.import` of
   exactly the rows it wrote into a fresh database with the same schema.
2. `hub-tui centres import` of an N-row CSV (the demo's centres) against `.import` of the
   same file plus the one INSERT … SELECT that files the rows under their associates.
3. The cost of `centres import` as files grow: 10,000 and 100,000 rows, and with --large
   every centre number there is (676,000: two letters and three digits), each against
   `.import` of the same file.
4. With HUB_TEST_POSTGRES_URL (or --postgres) set: `centres import` of N rows into
   PostgreSQL against psql's `\\copy` of the same file into a staging table and the same
   INSERT … SELECT.

Times are wall-clock for whole commands, each the median of 3 runs, every ratio against a
reference measured in the same run.

    python bench/load.py [--centres N] [--large] [--postgres URL]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import make_url

from bench._util import EVERY_NUMBER, fresh_hub
from hub_tui.db import make_engine, upgrade
from hub_tui.demo.countries import COUNTRIES
from tests.postgres import postgres_schema

HUB = [sys.executable, "-m", "hub_tui"]
TABLES = ("associates", "centres", "users", "invitations")
CURVE = (10_000, 100_000)
RUNS = 3


def run(cmd: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, input=stdin, text=True, capture_output=True)
    return time.perf_counter() - start


def median_of(n: int, prepare: Callable[[], object], measure: Callable[[], float]) -> float:
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


# what `centres import` does, in SQL: the associates first, then the centres filed under them
FILE_CENTRES = (
    "INSERT INTO associates (name) SELECT DISTINCT associate FROM stage;\n"
    "INSERT INTO centres (centre_number, name, name_key, country, associate_id, version) "
    "SELECT upper(centre_number), name, lower(name), country, "
    "(SELECT id FROM associates WHERE associates.name = stage.associate), 1 FROM stage;\n"
)


def sqlite_file_script(source: Path) -> str:
    return f"BEGIN;\n.mode csv\n.import {source} stage\n{FILE_CENTRES}COMMIT;\n"


def psql_file_script(source: Path) -> str:
    return (
        "\\set ON_ERROR_STOP on\nBEGIN;\n"
        "CREATE TEMP TABLE stage (centre_number text, name text, country text, associate text);\n"
        f"\\copy stage FROM '{source}' WITH (FORMAT csv, HEADER true)\n{FILE_CENTRES}COMMIT;\n"
    )


def write_centres(path: Path, count: int, seed: int = 7) -> None:
    """`count` centres as a CSV to import: numbers in order from AA000, schools named as the
    demo names them, under three associates."""
    rng = random.Random(seed)
    letters = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
    schools = [
        (t.format(place=p), c.name) for c in COUNTRIES for t in c.names.schools for p in c.places
    ]
    associates = ("Northern Schools Network", "Southern Learning Trust", "Eastern Academies")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["centre_number", "name", "country", "associate"])
        for i in range(count):
            name, country = rng.choice(schools)
            number = f"{letters[i // 1000]}{i % 1000:03d}"
            writer.writerow([number, name, country, associates[i % len(associates)]])


def import_ratio(work: Path, source: Path, env: dict[str, str], label: str) -> None:
    db, ref = work / "hub.db", work / "ref.db"
    ours = median_of(
        RUNS, lambda: fresh_hub(db), lambda: run([*HUB, "centres", "import", str(source)], env=env)
    )
    theirs = median_of(
        RUNS,
        lambda: fresh_hub(ref),
        lambda: run(["sqlite3", str(ref)], stdin=sqlite_file_script(source)),
    )
    print(f"centres import of {label} rows")
    print(f"  hub-tui centres import {ours:7.2f} s")
    print(f"  sqlite3 .import        {theirs:7.2f} s   ratio {ours / theirs:.2f}")


def postgres_ratio(url: str, source: Path, label: str) -> None:
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(RUNS):
        for samples, psql in ((ours, False), (theirs, True)):
            with postgres_schema(url, prefix="bench") as schema_url:
                upgrade(make_engine(schema_url))
                if psql:
                    libpq = make_url(schema_url).set(drivername="postgresql")
                    cmd = ["psql", "-q", libpq.render_as_string(hide_password=False)]
                    samples.append(run(cmd, stdin=psql_file_script(source)))
                else:
                    env = {**os.environ, "HUB_DATABASE_URL": schema_url}
                    samples.append(run([*HUB, "centres", "import", str(source)], env=env))
    mine, reference = statistics.median(ours), statistics.median(theirs)
    print(f"centres import of {label} rows into PostgreSQL")
    print(f"  hub-tui centres import {mine:7.2f} s")
    print(f"  psql \\copy             {reference:7.2f} s   ratio {mine / reference:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    parser.add_argument(
        "--large", action="store_true", help=f"the curve also at {EVERY_NUMBER:,} rows"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("HUB_TEST_POSTGRES_URL"),
        help="a PostgreSQL URL (default HUB_TEST_POSTGRES_URL); a schema of its own is made",
    )
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        sys.exit("needs the sqlite3 shell: apt-get install sqlite3")
    work = Path(tempfile.mkdtemp())
    db, ref = work / "hub.db", work / "ref.db"
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{db}"}

    demo = median_of(
        RUNS,
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
        RUNS, lambda: fresh_hub(ref), lambda: run(["sqlite3", str(ref)], stdin=script)
    )
    print(f"demo --centres {args.centres}: {counts}")
    print(f"  hub-tui demo        {demo:7.2f} s")
    print(f"  sqlite3 .import     {reference:7.2f} s   ratio {demo / reference:.2f}")

    # 2. the demo's centres as a CSV through `hub-tui centres import`
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
    import_ratio(work, source, env, f"{args.centres:,} demo")

    # 3. the cost curve
    for count in (*CURVE, EVERY_NUMBER) if args.large else CURVE:
        generated = work / f"centres_{count}.csv"
        write_centres(generated, count)
        import_ratio(work, generated, env, f"{count:,}")

    # 4. PostgreSQL
    if args.postgres:
        if shutil.which("psql") is None:
            sys.exit("needs psql for the PostgreSQL reference: apt-get install postgresql-client")
        postgres_ratio(args.postgres, source, f"{args.centres:,} demo")
    else:
        print("PostgreSQL not measured: set HUB_TEST_POSTGRES_URL or give --postgres URL")


if __name__ == "__main__":
    main()
