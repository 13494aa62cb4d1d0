"""Draining 1,000 queued invitations: against raw aiosmtplib, and across worker processes.

An aiosmtpd sink runs in its own process (in-process it would compete for the GIL).

1. hub-tui's worker claims, sends and records each message; the reference sends the same
   1,000 messages with bare aiosmtplib over the same number of connections and records
   nothing. Ratio = reference time / hub-tui time (1.0: as fast as raw; the aim is at
   least 0.8).
2. On PostgreSQL, 4 `hub-tui mail deliver --once` processes against 1 (2 connections each),
   timed from the first message at the sink to the last; ratio = 4 processes' messages/s
   over 1 process's, measured in the same run (1.0: no gain from more processes). Skipped,
   with a line, when PostgreSQL cannot be reached.

    python bench/mail.py [--messages N] [--runs R] [--database URL] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub
from hub_tui.config import Settings
from hub_tui.db import make_engine, upgrade
from hub_tui.mail import compose, queue
from hub_tui.mail.worker import Deliverer
from hub_tui.models import AccountStatus, Associate, Centre, Invitation, Role
from hub_tui.services import coordinators, outbox
from hub_tui.services.context import Hub
from hub_tui.setup_codes import CODE_SLOT, derive, fill, hash_code, installation_key, new_seed
from tests.postgres import postgres_schema
from tests.smtp_servers import free_port
from tests.smtp_sink import received, repeats, sink_process

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PROCESSES = (1, 4)
PROCESS_CONNECTIONS = 2


def queue_invitations(hub: Hub, count: int) -> None:
    """`count` invitations, each with its own setup code put in as it is sent (as the
    services queue them; the invitations are marked replaced, so one person can hold them
    all without clashing with the one-pending-invitation rule)."""
    key = installation_key(hub.settings.secret_key_path)
    now = datetime.now(UTC)
    with hub.as_system(write=True) as ctx:
        associate = Associate(name="Bench")
        ctx.session.add(associate)
        ctx.session.flush()
        centre = Centre(
            centre_number="BE001",
            name="Bench School",
            name_key="bench school",
            country="UK",
            associate_id=associate.id or 0,
        )
        ctx.session.add(centre)
        ctx.session.flush()
        person = coordinators.create_user(
            ctx, name="Bench Person", email="bench@x.org", role=Role.ADMINISTRATOR,
            status=AccountStatus.INVITED, centre=centre,
        )  # fmt: skip
        for i in range(count):
            seed = new_seed()
            invitation = Invitation(
                user_id=person.id or 0,
                centre_id=centre.id or 0,
                code_hash=hash_code(derive(key, seed)),
                code_seed=seed,
                invited_by="support@example.org",
                sent_at=now,
                expires_at=now + timedelta(hours=48),
                revoked_at=now,
            )
            ctx.session.add(invitation)
            ctx.session.flush()
            message = compose.invitation(
                settings=hub.settings,
                to_name=f"Person {i}",
                centre_name=f"Centre {i}",
                centre_number="GB001",
                invited_by="Sam Support <support@example.org>",
                expires_at=now + timedelta(hours=48),
                code=CODE_SLOT,
            )
            outbox.enqueue(
                ctx,
                message,
                to_name=f"Person {i}",
                to_email=f"p{i}@x.org",
                centre_id=None,
                invitation_id=invitation.id,
            )


async def raw_send(messages: list[tuple[str, bytes]], port: int, connections: int) -> None:
    async def one(share: list[tuple[str, bytes]]) -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            for to, raw in share:
                await smtp.sendmail("noreply@cambridgeinternational.org", [to], raw)

    await asyncio.gather(*(one(messages[i::connections]) for i in range(connections)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("HUB_TEST_POSTGRES_URL", POSTGRES_URL),
        help=f"for the worker processes; a schema of its own is made (default {POSTGRES_URL})",
    )
    args = parser.parse_args()
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    time.sleep(1.0)
    try:
        folder = Path(tempfile.mkdtemp())
        print(f"{args.messages} invitations to an aiosmtpd sink; median of {args.runs} runs")
        for connections in (1, 4, 8):
            ours, theirs = [], []
            for _ in range(args.runs):
                hub = fresh_hub(folder / "mail.db", url=args.database)
                settings = hub.settings.model_copy(
                    update={"smtp_host": "127.0.0.1", "smtp_port": port}
                )
                queue_invitations(hub, args.messages)
                claimed = queue.claim_due(
                    hub.engine, worker="bench", limit=args.messages, lease=timedelta(seconds=1)
                )
                key = installation_key(hub.settings.secret_key_path)
                messages = [  # the very bytes hub-tui sends, codes put in
                    (c.to_email, fill(c.raw, key=key, seed=c.code_seed, code_hash=c.code_hash))
                    for c in claimed
                    if c.code_seed and c.code_hash
                ]
                start = time.perf_counter()
                asyncio.run(raw_send(messages, port, connections))
                theirs.append(time.perf_counter() - start)
                time.sleep(1.1)  # let the bench's own claim run out

                deliverer = Deliverer(hub.engine, settings)
                start = time.perf_counter()
                report = asyncio.run(deliverer.deliver_due(connections=connections))
                ours.append(time.perf_counter() - start)
                assert report.sent == args.messages, report
            o, t = statistics.median(ours), statistics.median(theirs)
            print(
                f"  {connections} connection(s): hub-tui {o:6.2f} s  raw aiosmtplib {t:6.2f} s"
                f"  ratio {t / o:.2f}  ({args.messages / o:.0f} msg/s)"
            )
    finally:
        sink.terminate()
        sink.wait()
    worker_processes(args.postgres, args.messages, args.runs)


# -- worker processes on PostgreSQL ------------------------------------------------------


def reachable(url: str) -> str | None:
    """None if PostgreSQL answers at `url`, else why not."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except OperationalError as exc:
        return str(exc.orig or exc).splitlines()[0]
    finally:
        engine.dispose()


def drain_with_processes(url: str, count: int, processes: int, folder: Path) -> tuple[float, float]:
    """Queue `count` invitations, deliver them with `processes` `mail deliver --once`
    processes; returns (first-to-last message at the sink, launch-to-last-exit) seconds."""
    with postgres_schema(url, prefix="bench") as schema_url:
        engine = make_engine(schema_url)
        upgrade(engine)
        settings = Settings(_env_file=None, database_url=schema_url)
        queue_invitations(Hub(settings, engine), count)
        engine.dispose()
        out = folder / f"sink-{uuid.uuid4().hex}.txt"
        with sink_process(out) as port:
            env = {
                **os.environ,
                "HUB_DATABASE_URL": schema_url,
                "HUB_SMTP_HOST": "127.0.0.1",
                "HUB_SMTP_PORT": str(port),
            }
            command = [sys.executable, "-m", "hub_tui", "mail", "deliver", "--once"]
            command += ["--connections", str(PROCESS_CONNECTIONS)]
            launched = time.perf_counter()
            workers = [
                subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(processes)
            ]
            # the sink is watched, not the workers: their start-up (a second or more of
            # Python loading) is not delivery. Only new bytes are read, every 10 ms: the
            # watching must not take CPU from the workers.
            first = last = None
            n = 0
            with out.open("rb") as lines:
                while last is None and any(w.poll() is None for w in workers):
                    n += lines.read().count(b"\n")
                    now = time.perf_counter()
                    if n and first is None:
                        first = now
                    if n >= count:
                        last = now
                    time.sleep(0.01)
            outputs = [w.communicate() for w in workers]
            ended = time.perf_counter()
        ids = received(out)
        for w, (_, err) in zip(workers, outputs, strict=True):
            if w.returncode != 0:
                raise SystemExit(f"a worker exited {w.returncode}: {err.decode()}")
        if len(set(ids)) != count or repeats(ids):
            raise SystemExit(f"{len(set(ids))} of {count} at the sink, {repeats(ids)} twice")
        sent = [int(m.group(1)) for o, _ in outputs if (m := re.search(rb"Sent (\d+)", o))]
        if sum(sent) != count:
            raise SystemExit(f"the workers say they sent {sent}, not {count}")
    assert first is not None
    last = last or ended  # the count was reached as the last worker ended
    return last - first, ended - launched


def worker_processes(url: str, count: int, runs: int) -> None:
    why = reachable(url)
    if why is not None:
        print(f"PostgreSQL at {url} cannot be reached ({why}): worker processes not measured")
        return
    print(
        f"{count} invitations on PostgreSQL, `mail deliver --once` processes "
        f"({PROCESS_CONNECTIONS} connections each); median of {runs} runs"
    )
    folder = Path(tempfile.mkdtemp())
    drains: dict[int, list[float]] = {p: [] for p in PROCESSES}
    walls: dict[int, list[float]] = {p: [] for p in PROCESSES}
    for _ in range(runs):
        for processes in PROCESSES:  # taken in turn, so a busy spell hurts both alike
            drain, wall = drain_with_processes(url, count, processes, folder)
            drains[processes].append(drain)
            walls[processes].append(wall)
    rate = {p: count / statistics.median(drains[p]) for p in PROCESSES}
    for p in PROCESSES:
        print(
            f"  {p} process(es): {statistics.median(drains[p]):6.2f} s first to last message"
            f"  ({rate[p]:.0f} msg/s; {statistics.median(walls[p]):.2f} s with start-up)"
        )
    many, one = PROCESSES[-1], PROCESSES[0]
    print(f"  ratio {many} processes / {one}: {rate[many] / rate[one]:.2f}")


if __name__ == "__main__":
    main()
