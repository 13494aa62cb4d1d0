"""Writing delivery outcomes as they come: each before its connection sends the next
message's content, all that are waiting in one transaction (a group commit)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging

from sqlalchemy import Connection, Engine

from hub_tui.db import write_bind
from hub_tui.mail import queue

log = logging.getLogger("hub_tui.mail")

RECORD_RETRY_SECONDS = (0.1, 0.2, 0.5, 1.0, 2.0)  # then every 2 s while the database is away
CLOSE_SECONDS = 30.0  # how long a stop waits for outcomes to be written


class Recorder:
    """Writes outcomes as they come, all that are waiting in one transaction.

    `record` returns a future that is done once the outcome is in the database. An outcome
    that cannot be written (the database is busy or away) is tried again until it is: an
    outcome lost would mean a message sent twice.
    """

    def __init__(self, engine: Engine, worker: str) -> None:
        self.engine = engine
        self.worker = worker
        self.pending: list[tuple[queue.Attempt, asyncio.Future[None]]] = []
        self.idle = asyncio.Event()  # nothing waiting, nothing being written
        self.idle.set()
        self.wake = asyncio.Event()
        self.writer: asyncio.Task[None] | None = None
        self.writing = False  # a write is running in a thread
        self.conn: Connection | None = None  # kept between writes, used by one thread at once

    def record(self, attempt: queue.Attempt) -> asyncio.Future[None]:
        done = asyncio.get_running_loop().create_future()
        self.pending.append((attempt, done))
        self.idle.clear()
        self.wake.set()
        if self.writer is None:
            self.writer = asyncio.create_task(self._write_forever())
        return done

    async def _write_forever(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                batch, self.pending = self.pending, []
                await self._write([attempt for attempt, _ in batch])
                for _, done in batch:
                    if not done.done():  # one its waiter gave up on is cancelled
                        done.set_result(None)
            self.idle.set()

    def _settle(self, batch: list[queue.Attempt]) -> None:
        conn = self.conn = self.conn or write_bind(self.engine)
        try:
            queue.settle(conn, batch, worker=self.worker)
        except Exception:
            self.conn = None
            conn.close()  # a new one next time: this one may be broken
            raise

    async def _write(self, batch: list[queue.Attempt]) -> None:
        for tries in itertools.count():
            self.writing = True
            try:
                await asyncio.to_thread(self._settle, batch)
                return
            except Exception as exc:
                delay = RECORD_RETRY_SECONDS[min(tries, len(RECORD_RETRY_SECONDS) - 1)]
                log.warning(
                    "cannot record %d outcome(s) yet, again in %s s: %s", len(batch), delay, exc
                )
            finally:
                self.writing = False
            await asyncio.sleep(delay)

    async def close(self) -> None:
        """Wait, a bounded time, for everything recorded to be written; then stop writing."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle.wait(), CLOSE_SECONDS)
        if self.writer is not None:
            self.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.writer
        # not while a write still runs in its thread: the connection is that thread's now
        if self.conn is not None and not self.writing:
            await asyncio.to_thread(self.conn.close)
