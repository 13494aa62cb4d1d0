"""Exactly once, with real worker processes stopped and killed at random moments.

`hub-tui mail deliver` workers drain a queue into an SMTP sink in its own process, which
writes down each Message-ID before it answers 250: what the sink holds is what the server
took. On PostgreSQL a fleet of four workers (two connections each) shares the queue; on
SQLite there is one worker, started again after each stop or kill.

- SIGTERM (a service manager stopping a worker) must lose nothing and send nothing twice.
- SIGKILL (a crash) may send again only a message whose reply the dead worker had not yet
  recorded, at most one per connection; its other claims go to another worker once the
  lease runs out. The tests use a 5 s lease (HUB_MAIL_LEASE_SECONDS) to be quick: with the
  default 30 s lease the same takeover sends everything within 60 s of a kill.

`pytest -s` shows the counts of each run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from hub_tui.db import table_of
from hub_tui.models import MailStatus, OutboxMessage
from hub_tui.services.context import Hub
from tests.smtp_sink import received, repeats, sink_process
from tests.world import queue_many

LEASE_SECONDS = 5.0  # the smallest lease the settings allow
TAKEOVER_MARGIN = 15.0  # seconds beyond the lease for a takeover: polling, start-up, sending
DATA_DELAY = 0.04  # each DATA waits 0..40 ms at the sink, so kills land mid-message
CONNECTIONS = 2  # per worker
STOP_SECONDS = 35.0  # a stopped worker ends within the SMTP time-out (30 s) and a margin
GIVE_UP_AFTER = 3  # workers that ended by themselves: a broken worker, no use going on
SIGTERM_SECONDS = 45.0  # for everything to reach the sink, stops and all
UP_SECONDS = 30.0  # for a worker to start, on a busy machine


@dataclass(frozen=True)
class Plan:
    """How big the run is on each database."""

    workers: int
    messages: int
    stops: int  # in the SIGTERM test
    kills: int


PLANS = {
    "postgresql": Plan(workers=4, messages=1000, stops=5, kills=3),
    "sqlite": Plan(workers=1, messages=300, stops=3, kills=2),
}


def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def queued_ids(engine: Engine) -> set[str]:
    t = table_of(OutboxMessage)
    with engine.connect() as conn:
        return set(conn.execute(select(t.c.message_id)).scalars())


def statuses(engine: Engine) -> Counter[str]:
    t = table_of(OutboxMessage)
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.status, func.count()).group_by(t.c.status)).all()
    return Counter({str(status): int(n) for status, n in rows})


def poll(done: Callable[[], bool], seconds: float, every: float = 0.05) -> bool:
    """Whether `done()` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)
    return True


@dataclass
class Worker:
    number: int
    proc: subprocess.Popen[bytes]
    err: Path
    signalled: int | None = None  # what the test sent it
    seen_up: float | None = None  # wall-clock time of its first line

    def ready(self) -> bool:
        """Up and delivering: the CLI writes its first line just before it starts. A signal
        before that, while Python is still loading (seconds on a busy machine), would find
        no handler yet, and would test nothing."""
        if self.seen_up is None and self.err.exists() and (found := self.err.stat()).st_size:
            self.seen_up = found.st_mtime  # when that line was written, not when looked at
        # a moment more for the handlers, which are set as the event loop starts
        return self.seen_up is not None and time.time() - self.seen_up > 0.3

    def tail(self) -> str:
        return self.err.read_text()[-2000:] if self.err.exists() else ""


@dataclass
class Fleet:
    """Worker processes of `mail deliver` (without --once: they poll until stopped)."""

    database_url: str
    port: int
    logs: Path
    workers: list[Worker] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def start(self) -> Worker:
        number = len(self.workers)
        env = {
            **os.environ,
            "HUB_DATABASE_URL": self.database_url,
            "HUB_SMTP_HOST": "127.0.0.1",
            "HUB_SMTP_PORT": str(self.port),
            "HUB_MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        err = self.logs / f"worker{number}.err"
        with (self.logs / f"worker{number}.out").open("wb") as out, err.open("wb") as errors:
            command = ["mail", "deliver", "--connections", str(CONNECTIONS)]
            proc = subprocess.Popen(
                [sys.executable, "-m", "hub_tui", *command], env=env, stdout=out, stderr=errors
            )
        worker = Worker(number, proc, err)
        self.workers.append(worker)
        return worker

    def live(self) -> list[Worker]:
        return [w for w in self.workers if w.signalled is None and w.proc.poll() is None]

    def check(self) -> bool:
        """A worker that ended without being told to is a failure; one takes its place.
        False once so many have that the run is pointless."""
        for w in list(self.workers):
            if w.signalled is None and w.proc.poll() is not None:
                w.signalled = 0  # not a signal: counted once, as ended by itself
                self.unexpected.append(f"worker {w.number} ended by itself: {w.tail()}")
                if len(self.unexpected) < GIVE_UP_AFTER:
                    self.start()
        return len(self.unexpected) < GIVE_UP_AFTER

    def signal(self, worker: Worker, signum: int) -> None:
        worker.signalled = signum
        worker.proc.send_signal(signum)

    def stop(self, worker: Worker) -> float:
        """SIGTERM, then wait for the exit; returns how long the worker took to stop."""
        self.signal(worker, signal.SIGTERM)
        sent = time.monotonic()
        self._wait(worker)
        return time.monotonic() - sent

    def _wait(self, worker: Worker) -> None:
        try:
            worker.proc.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.proc.kill()
            worker.proc.wait()
            self.unexpected.append(f"worker {worker.number} did not stop: {worker.tail()}")

    def stop_all(self) -> None:
        # one still loading would die of the signal's default action: let it start first
        poll(lambda: all(w.ready() or w.proc.poll() is not None for w in self.live()), UP_SECONDS)
        for w in self.live():
            self.signal(w, signal.SIGTERM)
        for w in self.workers:
            self._wait(w)

    def one_ready(self) -> list[Worker]:
        """The live workers that are up, once one is; none (and a problem noted) if none
        comes up in time."""
        poll(lambda: not self.check() or any(w.ready() for w in self.live()), UP_SECONDS)
        ready = [w for w in self.live() if w.ready()]
        if not ready and self.check():
            self.unexpected.append(f"no worker printed its first line within {UP_SECONDS} s")
        return ready

    def bad_exits(self) -> list[str]:
        """Every worker stopped by SIGTERM exits 0; a killed one is left out."""
        return [
            f"worker {w.number} exited {w.proc.returncode}: {w.tail()}"
            for w in self.workers
            if w.signalled == signal.SIGTERM and w.proc.returncode != 0
        ]


@dataclass
class Run:
    """The queue, the sink and the fleet of one test."""

    engine: Engine
    sink_out: Path
    fleet: Fleet
    expected: set[str]
    started: float = field(default_factory=time.monotonic)

    def distinct(self) -> int:
        return len(set(received(self.sink_out)))

    def all_arrived(self) -> bool:
        return self.distinct() >= len(self.expected)

    def arrived(self, count: int) -> Callable[[], bool]:
        """For `poll`: `count` messages at the sink, or the fleet is broken (no use waiting)."""
        return lambda: not self.fleet.check() or self.distinct() >= count

    def all_sent(self) -> bool:
        # the database only once the sink has everything: SQLite's worker is left alone
        return self.all_arrived() and statuses(self.engine) == Counter(
            {MailStatus.SENT.value: len(self.expected)}
        )

    def outcome(self) -> dict[str, int]:
        """Counted at the sink and in the database; meant for when every worker has ended."""
        ids = received(self.sink_out)
        t = table_of(OutboxMessage)
        with self.engine.connect() as conn:
            sent = set(
                conn.execute(
                    select(t.c.message_id).where(t.c.status == MailStatus.SENT.value)
                ).scalars()
            )
        return {
            "queued": len(self.expected),
            "deliveries": len(ids),
            "duplicates": repeats(ids),
            "lost": len(self.expected - set(ids)),  # never reached the sink
            "unknown": len(set(ids) - self.expected),  # at the sink but never queued
            "sent_in_db": len(sent),
            # the server took it, the database does not say so: it would go again
            "unrecorded": len(set(ids) - sent),
            "sent_not_received": len(sent - set(ids)),
        }


@pytest.fixture
def run(
    hub: Hub, database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Run]:
    plan = PLANS[backend(database_url)]
    queue_many(hub, plan.messages)
    sink_out = tmp_path / "sink.txt"
    seed = random.Random(request.node.name).randrange(2**32)  # the sink's delays
    with sink_process(sink_out, data_delay=DATA_DELAY, seed=seed) as port:
        fleet = Fleet(database_url, port, tmp_path)
        yield Run(hub.engine, sink_out, fleet, queued_ids(hub.engine))
        fleet.stop_all()  # also when the test failed: no worker outlives it


def report(name: str, database_url: str, run: Run, **extra: object) -> dict[str, int]:
    counts = run.outcome()
    shown = {**counts, **extra, "seconds": round(time.monotonic() - run.started, 1)}
    print(f"\n{name}[{backend(database_url)}]: " + ", ".join(f"{k} {v}" for k, v in shown.items()))
    return counts


def sink_problems(counts: dict[str, int]) -> list[str]:
    """What is wrong at the sink and in the database, duplicates aside."""
    wrong = ("lost", "unknown", "unrecorded", "sent_not_received")
    return [f"{counts[k]} {k.replace('_', ' ')}" for k in wrong if counts[k]]


def test_sigterm_at_random_moments_sends_each_message_once(run: Run, database_url: str) -> None:
    """Stop a random live worker at random points of the drain, starting another each time;
    then stop them all. Nothing may be lost, sent twice, or left unrecorded."""
    rng = random.Random(f"sigterm-{backend(database_url)}")
    plan = PLANS[backend(database_url)]
    fleet = run.fleet
    for _ in range(plan.workers):
        fleet.start()
    # points of the drain, not times: on a fast machine or a busy one, every stop lands
    # while mail is going out
    points = sorted(int(rng.uniform(0.05, 0.85) * plan.messages) for _ in range(plan.stops))
    stops = 0
    slowest_stop = 0.0
    deadline = time.monotonic() + SIGTERM_SECONDS
    everything = run.arrived(len(run.expected))
    for point in points:
        poll(run.arrived(point), max(0.0, deadline - time.monotonic()))
        if run.all_arrived() or not fleet.check():
            break
        ready = fleet.one_ready()  # SQLite's one worker may still be starting
        if not ready:
            break
        # the replacement only once the stopped one has gone: SQLite has one worker
        slowest_stop = max(slowest_stop, fleet.stop(rng.choice(ready)))
        stops += 1
        fleet.start()
    arrived = poll(everything, max(0.0, deadline - time.monotonic())) and run.all_arrived()
    fleet.stop_all()  # every outcome is recorded by the time they have exited
    db = statuses(run.engine)
    counts = report(
        "sigterm",
        database_url,
        run,
        stops=stops,
        slowest_stop_seconds=round(slowest_stop, 1),
        workers=len(fleet.workers),
        db=dict(db),
    )

    problems = fleet.unexpected + fleet.bad_exits() + sink_problems(counts)
    if counts["duplicates"]:
        problems.append(f"{counts['duplicates']} sent twice")
    if not arrived:
        problems.append(f"not everything reached the sink within {SIGTERM_SECONDS:.0f} s")
    if db != Counter({MailStatus.SENT.value: len(run.expected)}):
        problems.append(f"not all sent in the database: {dict(db)}")
    assert not problems, problems
    assert stops == plan.stops, "a stop did not land while mail was going out"


def test_sigkill_at_random_moments_resends_at_most_one_per_connection(
    run: Run, database_url: str
) -> None:
    """Kill -9 a random live worker at random points of the drain (a replacement or not);
    another worker takes over the dead one's claims once the lease runs out."""
    name = backend(database_url)
    rng = random.Random(f"sigkill-{name}")
    plan = PLANS[name]
    fleet = run.fleet
    for _ in range(plan.workers):
        fleet.start()
    # random points of the drain, so every kill lands while mail is going out
    points = sorted(int(rng.uniform(0.1, 0.8) * plan.messages) for _ in range(plan.kills))
    kills = 0
    last_kill = time.monotonic()
    for point in points:
        reached = poll(run.arrived(point), 30)
        if not reached or not fleet.check():
            break
        # one that has not yet printed its first line holds no claim: no use killing it
        ready = fleet.one_ready()
        if not ready:
            break
        fleet.signal(rng.choice(ready), signal.SIGKILL)
        kills += 1
        last_kill = time.monotonic()
        # SQLite's lone worker must come back; on PostgreSQL the others may carry on
        if not fleet.live() or rng.random() < 0.5:
            fleet.start()
    healthy = not fleet.unexpected
    within = LEASE_SECONDS + TAKEOVER_MARGIN
    all_sent = healthy and poll(run.all_sent, within)
    takeover = time.monotonic() - last_kill
    fleet.stop_all()
    db = statuses(run.engine)
    counts = report(
        "sigkill",
        database_url,
        run,
        kills=kills,
        allowed_duplicates=kills * CONNECTIONS,
        seconds_after_last_kill=round(takeover, 1),
        workers=len(fleet.workers),
        db=dict(db),
    )

    problems = fleet.unexpected + fleet.bad_exits() + sink_problems(counts)
    if counts["duplicates"] > kills * CONNECTIONS:
        problems.append(f"{counts['duplicates']} sent twice, for {kills} kills")
    if not all_sent:
        problems.append(
            f"not all sent within {within:.0f} s of the last kill: "
            f"{dict(db)}, {run.distinct()} of {plan.messages} at the sink"
        )
    assert not problems, problems
    assert kills == plan.kills, "a kill did not land while mail was going out"
