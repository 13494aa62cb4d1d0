"""Delivering the outbox: claim due messages, send them, record each outcome.

Database work runs in threads (`asyncio.to_thread`), so a worker inside the TUI never
blocks the screen, and outcomes are recorded in small batches while sending goes on: a
crash can re-send only the few messages whose outcome was not yet written.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from hub_tui.config import Settings
from hub_tui.mail.message import envelope_sender
from hub_tui.mail.transport import SendError, Transport, make_transport
from hub_tui.models import MailStatus, utcnow
from hub_tui.services import outbox

BATCH = 50
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)
FLUSH_EVERY = 50  # outcomes
FLUSH_SECONDS = 0.2


def retry_delay(attempts: int, rng: random.Random) -> timedelta:
    """Exponential back-off after the `attempts`-th failure, ±20% jitter so workers spread."""
    delay: timedelta = min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_CAP)
    return delay * rng.uniform(0.8, 1.2)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    unreachable: str | None = None  # why the server could not be reached, if it could not
    errors: list[str] = field(default_factory=list)


class Recorder:
    """Writes outcomes in batches, one batch at a time, without holding up the sending.

    A batch that cannot be written (the database is busy or away) is kept and tried
    again with the next one: an outcome that is lost would mean a message sent twice.
    """

    def __init__(self, engine: Engine, worker: str) -> None:
        self.engine = engine
        self.worker = worker
        self.pending: list[outbox.Attempt] = []
        self.writing: asyncio.Task[None] | None = None
        self.last = time.monotonic()

    def add(self, outcome: outbox.Attempt) -> None:
        self.pending.append(outcome)
        due = len(self.pending) >= FLUSH_EVERY or time.monotonic() - self.last > FLUSH_SECONDS
        if due and (self.writing is None or self.writing.done()):
            self.writing = asyncio.create_task(self._write())

    async def _write(self) -> None:
        batch, self.pending = self.pending, []
        self.last = time.monotonic()
        try:
            await asyncio.to_thread(outbox.settle, self.engine, batch, worker=self.worker)
        except Exception:
            self.pending = batch + self.pending  # kept for the next write
            raise

    async def close(self, *, tries: int = 5) -> None:
        """Write everything still pending, trying a few times before giving up."""
        if self.writing is not None:
            with contextlib.suppress(Exception):
                await self.writing
        for attempt in range(tries):
            if not self.pending:
                return
            try:
                await self._write()
            except Exception:
                if attempt == tries - 1:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)


class Feed:
    """Claimed messages, handed to the connections one at a time.

    One feeder claims a batch whenever the queue runs low, so every connection stays busy
    to the end and the number of claims does not grow with the number of connections.
    """

    def __init__(self, deliverer: Deliverer, report: Report, connections: int) -> None:
        self.deliverer = deliverer
        self.report = report
        self.connections = connections
        self.queue: asyncio.Queue[outbox.Claimed | None] = asyncio.Queue()
        self.low = asyncio.Event()

    async def run(self) -> None:
        d = self.deliverer
        try:
            while self.report.unreachable is None:
                batch = await asyncio.to_thread(
                    outbox.claim_due, d.engine, worker=d.worker, limit=BATCH, lease=d.lease
                )
                if not batch:
                    return
                for claimed in batch:
                    self.queue.put_nowait(claimed)
                while self.queue.qsize() > BATCH // 2 and self.report.unreachable is None:
                    self.low.clear()
                    await self.low.wait()
        finally:
            for _ in range(self.connections):
                self.queue.put_nowait(None)  # one "no more" for each connection

    async def take(self) -> outbox.Claimed | None:
        claimed = await self.queue.get()
        if self.queue.qsize() <= BATCH // 2:
            self.low.set()
        return claimed

    def stop(self) -> None:
        self.low.set()  # the feeder sees `unreachable` and ends

    def leftovers(self) -> list[int]:
        """Claimed but never attempted: to be given back."""
        ids = []
        while not self.queue.empty():
            claimed = self.queue.get_nowait()
            if claimed is not None:
                ids.append(claimed.id)
        return ids


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        transport_factory: Callable[[], Transport] | None = None,
        worker: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.transport_factory = transport_factory or (lambda: make_transport(settings))
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.rng = rng or random.Random()
        self.sender = envelope_sender(settings)
        # Long enough for all that the feed holds (at most 1.5 batches) to time out message by
        # message, each over a few round trips; a message whose claim ran out is not sent.
        self.lease = timedelta(seconds=settings.smtp_timeout_seconds * 4 * (BATCH * 3 // 2))

    async def deliver_due(self, *, connections: int = 1) -> Report:
        """Deliver everything due now, over `connections` parallel connections; then return."""
        report = Report()
        recorder = Recorder(self.engine, self.worker)
        feed = Feed(self, report, max(1, connections))
        try:
            # a TaskGroup: if one task fails, the others are cancelled and awaited
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(feed.run())
                for _ in range(feed.connections):
                    tasks.create_task(self._send(feed, report, recorder))
        except ExceptionGroup as group:
            raise group.exceptions[0] from None  # e.g. Busy: callers show one line
        finally:
            try:
                await recorder.close()
            finally:
                await asyncio.to_thread(
                    outbox.release, self.engine, feed.leftovers(), worker=self.worker
                )
        return report

    async def _send(self, feed: Feed, report: Report, recorder: Recorder) -> None:
        transport = self.transport_factory()
        try:
            while report.unreachable is None and (claimed := await feed.take()) is not None:
                if utcnow() >= claimed.until:
                    continue  # the claim ran out: another worker may have it now
                try:
                    await transport.send(self.sender, claimed.to_email, claimed.raw)
                except SendError as error:
                    recorder.add(self._failure(claimed, error, report))
                    if error.connection:
                        report.unreachable = error.reason
                        feed.stop()
                    continue
                recorder.add(outbox.Attempt(claimed, MailStatus.SENT, utcnow()))
                report.sent += 1
        finally:
            await transport.close()

    def _failure(self, claimed: outbox.Claimed, error: SendError, report: Report) -> outbox.Attempt:
        report.errors.append(f"{claimed.to_email}: {error.reason}")
        attempts = claimed.attempts + 1
        now = utcnow()
        if error.temporary and attempts < self.settings.mail_max_attempts:
            report.retrying += 1
            retry_at = now + retry_delay(attempts, self.rng)
            return outbox.Attempt(claimed, MailStatus.QUEUED, now, error.reason, retry_at)
        report.failed += 1
        reason = error.reason
        if error.temporary:
            reason = f"gave up after {attempts} attempts: {reason}"
        return outbox.Attempt(claimed, MailStatus.FAILED, now, reason)

    async def run_forever(
        self,
        *,
        poll_seconds: float = 2.0,
        connections: int = 1,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        """Keep delivering; after the server was unreachable, wait longer before trying again."""
        while True:
            report = await self.deliver_due(connections=connections)
            if on_report and (report.sent or report.failed or report.retrying):
                on_report(report)
            await asyncio.sleep(poll_seconds if report.unreachable is None else poll_seconds * 5)
