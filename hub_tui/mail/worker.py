"""Delivering the outbox: claim due messages, send them, record each outcome.

Database work runs in threads (`asyncio.to_thread`) so that a worker inside the TUI never
blocks the screen. Each message's outcome is committed as soon as it is known, so a crash
re-sends at most the message that was in flight.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from hub_tui.config import Settings
from hub_tui.mail.message import build_message
from hub_tui.mail.transport import SendError, Transport, make_transport
from hub_tui.models import utcnow
from hub_tui.services import outbox

BATCH = 20
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)


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
        # long enough for a whole batch to time out message by message
        self.lease = timedelta(seconds=settings.smtp_timeout_seconds * (BATCH + 2))

    async def deliver_due(self, *, connections: int = 1) -> Report:
        """Deliver everything due now, over `connections` parallel connections; then return."""
        report = Report()
        await asyncio.gather(*(self._drain(report) for _ in range(max(1, connections))))
        return report

    async def _drain(self, report: Report) -> None:
        transport = self.transport_factory()
        try:
            while report.unreachable is None:
                batch = await asyncio.to_thread(
                    outbox.claim_due,
                    self.engine,
                    worker=self.worker,
                    limit=BATCH,
                    lease=self.lease,
                )
                if not batch:
                    return
                for index, claimed in enumerate(batch):
                    try:
                        await transport.send(build_message(claimed, self.settings, now=utcnow()))
                    except SendError as error:
                        await self._failed(claimed, error, report)
                        if error.connection:
                            rest = [c.id for c in batch[index + 1 :]]
                            await asyncio.to_thread(
                                outbox.release, self.engine, rest, worker=self.worker
                            )
                            report.unreachable = error.reason
                            return
                        continue
                    await asyncio.to_thread(
                        outbox.mark_sent,
                        self.engine,
                        claimed.id,
                        worker=self.worker,
                        now=utcnow(),
                    )
                    report.sent += 1
        finally:
            await transport.close()

    async def _failed(self, claimed: outbox.Claimed, error: SendError, report: Report) -> None:
        report.errors.append(f"{claimed.to_email}: {error.reason}")
        attempts = claimed.attempts + 1
        if error.temporary and attempts < self.settings.mail_max_attempts:
            retry_at: datetime = utcnow() + retry_delay(attempts, self.rng)
            await asyncio.to_thread(
                outbox.mark_retry,
                self.engine,
                claimed.id,
                worker=self.worker,
                error=error.reason,
                retry_at=retry_at,
            )
            report.retrying += 1
            return
        reason = (
            error.reason
            if not error.temporary
            else f"gave up after {attempts} attempts: {error.reason}"
        )
        await asyncio.to_thread(
            outbox.mark_failed, self.engine, claimed.id, worker=self.worker, error=reason
        )
        report.failed += 1

    async def run_forever(
        self,
        *,
        poll_seconds: float = 2.0,
        connections: int = 1,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        """Keep delivering; after the server was unreachable, wait before trying again."""
        while True:
            report = await self.deliver_due(connections=connections)
            if on_report and (report.sent or report.failed or report.retrying):
                on_report(report)
            await asyncio.sleep(poll_seconds if report.unreachable is None else poll_seconds * 5)
