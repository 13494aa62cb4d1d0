"""Small helpers shared by the benchmarks: fresh databases and robust timings."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from hub_tui.config import Settings
from hub_tui.db import make_engine, upgrade
from hub_tui.services.context import Hub

EVERY_NUMBER = 26 * 26 * 1000  # every centre number there can be: AA000 … ZZ999


def fresh_hub(path: Path, *, url: str | None = None) -> Hub:
    """An empty, migrated database: a new SQLite file at `path`, or the PostgreSQL `url`
    emptied (its hub tables dropped and made again)."""
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    if not url.startswith("sqlite"):
        from alembic import command

        from hub_tui.db import alembic_config

        command.downgrade(alembic_config(engine), "base")
    upgrade(engine)
    return Hub(Settings(_env_file=None, database_url=url), engine)


def timed(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    """Median seconds of `repeat` runs after `warmup` runs: robust to a noisy machine."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"
