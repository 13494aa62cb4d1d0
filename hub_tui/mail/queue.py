"""The delivery queue: claiming due messages, renewing the claims, settling outcomes.

A worker claims a few due messages at a time by stamping them with its name and a short
lease, which it renews while it lives (`renew`). On PostgreSQL the claim skips rows
another worker holds (FOR UPDATE SKIP LOCKED); on SQLite the write transaction (BEGIN
IMMEDIATE) makes the claim atomic. A worker that dies stops renewing: its claims run out
within a lease and another worker takes the messages. An outcome is written only while
the worker still holds the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, bindparam, delete, func, or_, select, update

from hub_tui.db import table_of, transaction, write_connection
from hub_tui.models import Invitation, MailStatus, OutboxMessage, OutboxPayload, UTCDateTime, utcnow


@dataclass(frozen=True)
class Claimed:
    id: int
    to_email: str
    raw: bytes  # as sent, but for a setup code's slot
    attempts: int
    code_seed: bytes | None = None  # for the code that goes in the slot
    code_hash: str | None = None


def claim_due(
    engine: Engine, *, worker: str, limit: int, lease: timedelta, now: datetime | None = None
) -> list[Claimed]:
    """Stamp up to `limit` due messages as this worker's, in one statement, and return them."""
    now = now or utcnow()
    t = table_of(OutboxMessage)
    due = (
        select(t.c.id)
        .where(
            t.c.status == MailStatus.QUEUED.value,
            t.c.next_attempt_at <= now,
            or_(t.c.claimed_until.is_(None), t.c.claimed_until < now),
        )
        .order_by(t.c.next_attempt_at, t.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = (
        update(t)
        .where(t.c.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(t.c.id, t.c.to_email, t.c.attempts, t.c.invitation_id)
    )
    p, i = table_of(OutboxPayload), table_of(Invitation)
    with transaction(engine) as session:
        rows = session.execute(claim).all()
        ids = [row.id for row in rows]
        payloads = select(p.c.outbox_id, p.c.raw).where(p.c.outbox_id.in_(ids))
        raw: dict[int, bytes] = {row.outbox_id: row.raw for row in session.execute(payloads)}
        invitation_ids = {row.invitation_id for row in rows} - {None}
        seeds = {
            row.id: (row.code_seed, row.code_hash)
            for row in session.execute(
                select(i.c.id, i.c.code_seed, i.c.code_hash).where(i.c.id.in_(invitation_ids))
            )
        }
    return sorted(
        (
            Claimed(
                row.id,
                row.to_email,
                raw[row.id],
                row.attempts,
                *seeds.get(row.invitation_id, (None, None)),
            )
            for row in rows
        ),
        key=lambda c: c.id,
    )


def renew(engine: Engine, message_ids: list[int], *, worker: str, until: datetime) -> set[int]:
    """Extend this worker's claims to `until`; returns the ones it still held."""
    if not message_ids:
        return set()
    t = table_of(OutboxMessage)
    with transaction(engine) as session:
        held = session.execute(
            update(t)
            .where(
                t.c.id.in_(message_ids),
                t.c.claimed_by == worker,
                t.c.status == MailStatus.QUEUED.value,
                t.c.claimed_until.is_not(None),
            )
            .values(claimed_until=until)
            .returning(t.c.id)
        ).scalars()
        return set(held)


@dataclass(frozen=True)
class Attempt:
    """How one attempt ended: sent, failed for good, or to be retried at `retry_at`."""

    claimed: Claimed
    status: MailStatus
    at: datetime
    error: str | None = None
    retry_at: datetime | None = None


_messages, _payloads = table_of(OutboxMessage), table_of(OutboxPayload)
# Built once: the worker settles every message on its own, as soon as its reply is in, so
# each statement is cheap to run again (a plain `id = ?`, no IN list to expand).
_SETTLE = (
    update(_messages)
    .where(
        _messages.c.id == bindparam("o_id"),
        _messages.c.claimed_by == bindparam("o_worker"),
        _messages.c.status == MailStatus.QUEUED.value,
    )
    .values(
        status=bindparam("o_status"),
        attempts=_messages.c.attempts + 1,
        claimed_until=None,
        last_error=bindparam("o_error"),
        sent_at=bindparam("o_sent_at", type_=UTCDateTime()),
        next_attempt_at=func.coalesce(
            bindparam("o_retry_at", type_=UTCDateTime()), _messages.c.next_attempt_at
        ),
    )
)
# a delivered or failed message needs its payload no longer; but only where the update
# took (a message another worker has taken over stays queued)
_DROP = delete(_payloads).where(
    _payloads.c.outbox_id == bindparam("o_id"),
    select(_messages.c.status).where(_messages.c.id == bindparam("o_id")).scalar_subquery()
    != MailStatus.QUEUED.value,
)


def settle(bind: Engine | Connection, attempts: list[Attempt], *, worker: str) -> int:
    """Record how attempts ended, in one transaction; returns how many this worker still held.

    `bind` may be a connection the caller keeps open (the worker's recorder does: a message
    is settled as soon as its reply is in, and a connection from the pool each time would
    cost as much again as the writing)."""
    if not attempts:
        return 0
    attempts = sorted(attempts, key=lambda o: o.claimed.id)  # rows locked in one order: no deadlock
    rows = [
        {
            "o_id": o.claimed.id,
            "o_worker": worker,
            "o_status": o.status.value,
            "o_error": o.error,
            "o_sent_at": o.at if o.status == MailStatus.SENT else None,
            "o_retry_at": o.retry_at,
        }
        for o in attempts
    ]
    finished = [{"o_id": o.claimed.id} for o in attempts if o.status != MailStatus.QUEUED]
    with write_connection(bind) as conn:
        if len(rows) == 1:
            held = int(conn.execute(_SETTLE, rows[0]).rowcount)
        else:
            conn.execute(_SETTLE, rows)
            held = len(rows)
        if finished:
            conn.execute(_DROP, finished)
    return held


def release(engine: Engine, message_ids: list[int], *, worker: str) -> None:
    """Give back claimed messages that were not attempted (the connection was lost)."""
    if not message_ids:
        return
    t = table_of(OutboxMessage)
    with transaction(engine) as session:
        session.execute(
            update(t)
            .where(t.c.id.in_(message_ids), t.c.claimed_by == worker)
            .values(claimed_until=None)
        )
