"""Delivering the outbox: claim due messages, send them, record each outcome.

What keeps a message from going twice:
- A connection records each message's outcome before the next message's content goes.
  It sends the next envelope (MAIL, RCPT) while the outcome is written, so the write
  costs no round trip; but a server takes a message only with its content, so a crash
  can send again at most the one message per connection whose reply was not yet written.
- One recorder writes the outcomes of all connections together (a group commit).
- Claims have a short lease (`HUB_MAIL_LEASE_SECONDS`) that a heartbeat renews while the
  worker lives, and a message is begun only while its lease has at least half its length
  to run: a dead worker's messages are taken over within a lease, a live one's never.
- `stop()` (SIGTERM, ctrl+c, quitting the TUI, stopping `ssh serve`) starts no new
  message, lets the one being sent finish (bounded by the SMTP time-out), records every
  reply, and gives back the claims it did not try.

Database work runs in threads (`asyncio.to_thread`), so a worker inside the TUI never
blocks the screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.config import Settings
from hub_tui.errors import HubError
from hub_tui.mail import queue
from hub_tui.mail.message import envelope_sender
from hub_tui.mail.recorder import Recorder
from hub_tui.mail.transport import SendError, Transport, make_transport
from hub_tui.models import MailStatus, utcnow
from hub_tui.setup_codes import WrongKey, fill, installation_key

log = logging.getLogger("hub_tui.mail")

BATCH = 50
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=2)
RESTART_SECONDS = 30.0  # after delivery fails as a whole (the database away, say)


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
    stopped: bool = False  # stop() ended the run before everything due was tried
    errors: list[str] = field(default_factory=list)


class Claims:
    """The messages this worker holds, each until when; renewed while the worker lives."""

    def __init__(self, deliverer: Deliverer) -> None:
        self.deliverer = deliverer
        self.until: dict[int, datetime] = {}

    def add(self, batch: list[queue.Claimed], until: datetime) -> None:
        for claimed in batch:
            self.until[claimed.id] = until

    def usable(self, message_id: int) -> bool:
        """Held with at least half a lease to run: time to finish sending before another
        worker could take it over."""
        until = self.until.get(message_id)
        return until is not None and utcnow() + self.deliverer.lease / 2 < until

    def done(self, message_id: int) -> None:
        self.until.pop(message_id, None)

    async def keep_renewed(self) -> None:
        d = self.deliverer
        while True:
            await asyncio.sleep(d.lease.total_seconds() / 4)
            ids = list(self.until)
            until = utcnow() + d.lease
            try:
                held = await asyncio.to_thread(
                    queue.renew, d.engine, ids, worker=d.worker, until=until
                )
            except Exception as exc:  # the next beat tries again; meanwhile leases run down
                log.warning("cannot renew the claims on %d message(s): %s", len(ids), exc)
                continue
            for message_id in held:
                if message_id in self.until:
                    self.until[message_id] = until


class Feed:
    """Claimed messages, handed to the connections one at a time.

    One feeder claims a batch whenever the queue runs low, so every connection stays busy
    to the end and the number of claims does not grow with the number of connections.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.queue: asyncio.Queue[queue.Claimed | None] = asyncio.Queue()
        self.low = asyncio.Event()

    def ending(self) -> bool:
        return self.run.report.unreachable is not None or self.run.deliverer.stopping.is_set()

    async def feed(self) -> None:
        d = self.run.deliverer
        try:
            while not self.ending():
                until = utcnow() + d.lease
                batch = await asyncio.to_thread(
                    queue.claim_due, d.engine, worker=d.worker, limit=BATCH, lease=d.lease
                )
                if not batch:
                    return
                self.run.claims.add(batch, until)
                for claimed in batch:
                    self.queue.put_nowait(claimed)
                while self.queue.qsize() > BATCH // 2 and not self.ending():
                    self.low.clear()
                    await self.low.wait()
        finally:
            for _ in range(self.run.connections):
                self.queue.put_nowait(None)  # one "no more" for each connection

    async def take(self) -> queue.Claimed | None:
        if self.ending():
            return None
        claimed = await self.queue.get()
        if self.queue.qsize() <= BATCH // 2:
            self.low.set()
        return None if self.ending() else claimed  # one not taken is given back at the end

    def wake(self) -> None:
        self.low.set()  # the feeder sees that the run is ending, and ends


class Run:
    """One pass over what is due: its report, claims, feed and recorder."""

    def __init__(self, deliverer: Deliverer, connections: int) -> None:
        self.deliverer = deliverer
        self.connections = connections
        self.report = Report()
        self.claims = Claims(deliverer)
        self.feed = Feed(self)
        self.recorder = Recorder(deliverer.engine, deliverer.worker)
        self.in_doubt: set[int] = set()  # cut off mid-send: left to their lease, not given back

    def record(self, attempt: queue.Attempt) -> asyncio.Future[None]:
        self.claims.done(attempt.claimed.id)
        return self.recorder.record(attempt)

    def untried(self) -> list[int]:
        return [i for i in self.claims.until if i not in self.in_doubt]


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        transport_factory: Callable[[], Transport] | None = None,
        worker: str | None = None,
        rng: random.Random | None = None,
        before_each_run: Callable[[], object] | None = None,
    ) -> None:
        self.engine = engine
        # run in a thread before each pass (the sweep that writes reminders and notices)
        self.before_each_run = before_each_run
        self.settings = settings
        self.transport_factory = transport_factory or (lambda: make_transport(settings))
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.rng = rng or random.Random()
        self.sender = envelope_sender(settings)
        self.lease = timedelta(seconds=settings.mail_lease_seconds)
        self.key_path = settings.secret_key_path  # worked out once: it is asked per message
        self.stopping = asyncio.Event()

    def stop(self) -> None:
        """Start no new message; the run in progress ends once what is in flight is done."""
        self.stopping.set()

    async def deliver_due(self, *, connections: int = 1) -> Report:
        """Deliver everything due now, over `connections` parallel connections; then return."""
        if self.before_each_run is not None:
            await asyncio.to_thread(self.before_each_run)
        run = Run(self, max(1, connections))
        try:
            # a TaskGroup: if one task fails, the others are cancelled and awaited
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(run.feed.feed())
                beat = tasks.create_task(run.claims.keep_renewed())
                sending = [tasks.create_task(self._connection(run)) for _ in range(run.connections)]
                await asyncio.wait(sending)
                run.feed.wake()  # a feeder waiting for room sees the run has ended
                beat.cancel()
        except ExceptionGroup as group:
            raise group.exceptions[0] from None  # e.g. Busy: callers show one line
        finally:
            try:
                await run.recorder.close()
            finally:
                await asyncio.to_thread(
                    queue.release, self.engine, run.untried(), worker=self.worker
                )
        run.report.stopped = self.stopping.is_set()
        return run.report

    async def _connection(self, run: Run) -> None:
        transport = self.transport_factory()
        recorded: asyncio.Future[None] | None = None  # the last outcome, being written
        try:
            while (claimed := await run.feed.take()) is not None:
                outcome = await self._send_one(run, transport, claimed, recorded)
                if outcome is not None:
                    recorded = outcome
        finally:  # the last outcome is the recorder's to finish writing
            await transport.close()

    async def _send_one(
        self,
        run: Run,
        transport: Transport,
        claimed: queue.Claimed,
        recorded: asyncio.Future[None] | None,
    ) -> asyncio.Future[None] | None:
        """Send one message and start recording how it went; None if it was not tried."""

        async def ready() -> bool:
            if recorded is not None and not recorded.done():  # on disk before the content goes
                try:
                    await asyncio.wait_for(asyncio.shield(recorded), self.lease.total_seconds() / 2)
                except TimeoutError:  # the database is away: this one waits for another time
                    return False
            return not self.stopping.is_set() and run.claims.usable(claimed.id)

        try:
            raw = self._sendable(claimed)
            run.in_doubt.add(claimed.id)  # until the attempt ends, however it ends
            sent = await transport.send(self.sender, claimed.to_email, raw, ready)
        except SendError as error:
            run.in_doubt.discard(claimed.id)
            outcome = run.record(self._failure(claimed, error, run.report))
            if error.connection:
                run.report.unreachable = error.reason
                run.feed.wake()
            return outcome
        run.in_doubt.discard(claimed.id)
        if not sent:
            return None  # stopping, or the claim is running out: given back at the end
        run.report.sent += 1
        return run.record(queue.Attempt(claimed, MailStatus.SENT, utcnow()))

    def _sendable(self, claimed: queue.Claimed) -> bytes:
        if claimed.code_seed is None or claimed.code_hash is None:
            return claimed.raw
        path = self.key_path
        try:
            key = installation_key(path)
            return fill(claimed.raw, key=key, seed=claimed.code_seed, code_hash=claimed.code_hash)
        except HubError as exc:
            raise SendError(exc.message, temporary=True) from exc
        except WrongKey:
            raise SendError(
                f"the secret key {path} did not make this invitation's setup code: every "
                "host of the installation must share one key file (HUB_SECRET_KEY_FILE)",
                temporary=True,
            ) from None

    def _failure(self, claimed: queue.Claimed, error: SendError, report: Report) -> queue.Attempt:
        report.errors.append(f"{claimed.to_email}: {error.reason}")
        attempts = claimed.attempts + 1
        now = utcnow()
        if error.temporary and attempts < self.settings.mail_max_attempts:
            report.retrying += 1
            retry_at = now + retry_delay(attempts, self.rng)
            return queue.Attempt(claimed, MailStatus.QUEUED, now, error.reason, retry_at)
        report.failed += 1
        reason = error.reason
        if error.temporary:
            reason = f"gave up after {attempts} attempts: {reason}"
        return queue.Attempt(claimed, MailStatus.FAILED, now, reason)

    async def run_forever(
        self,
        *,
        poll_seconds: float = 2.0,
        connections: int = 1,
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        """Keep delivering until `stop()`; after the server was unreachable, wait longer
        before trying again."""
        while not self.stopping.is_set():
            report = await self.deliver_due(connections=connections)
            if on_report and (report.sent or report.failed or report.retrying):
                on_report(report)
            pause = poll_seconds if report.unreachable is None else poll_seconds * 5
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), pause)

    async def keep_delivering(
        self,
        *,
        connections: int = 1,
        on_report: Callable[[Report], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        """`run_forever` until `stop()`, started again a while after anything goes wrong:
        the mail of a long-running TUI or SSH front end must not stop for good."""
        while not self.stopping.is_set():
            try:
                await self.run_forever(connections=connections, on_report=on_report)
                return
            except Exception as exc:
                expected = isinstance(exc, HubError | SQLAlchemyError)
                log.warning(
                    "mail delivery stopped, trying again in %.0f s: %s",
                    RESTART_SECONDS,
                    exc,
                    exc_info=not expected,
                )
                if on_failure is not None:
                    on_failure(exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), RESTART_SECONDS)
