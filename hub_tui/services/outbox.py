"""The outbox: messages written in the same transaction as the change that causes them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy import Engine, Select, bindparam, delete, func, or_, update
from sqlmodel import col, select

from hub_tui.db import table_of, transaction
from hub_tui.mail.compose import Composed
from hub_tui.mail.message import render
from hub_tui.models import (
    MailStatus,
    OutboxMessage,
    OutboxPayload,
    UTCDateTime,
    person_label,
    utcnow,
)
from hub_tui.services.context import Ctx
from hub_tui.validation import clean_text


def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


# a setup code, as `invitations.new_code` writes it
SETUP_CODE = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}\b")
REDACTED = "[setup code]"


def redact(text: str) -> str:
    """The copy of a message kept for people to read never holds a setup code."""
    return SETUP_CODE.sub(REDACTED, text)


def new_message_id(mail_from: str) -> str:
    # short enough that the header is never folded onto a second line
    return f"<{uuid.uuid4().hex}@{sender_domain(mail_from)}>"


def enqueue(
    ctx: Ctx, composed: Composed, *, to_name: str, to_email: str, centre_id: int | None
) -> OutboxMessage:
    message_id = new_message_id(ctx.settings.mail_from)
    message = OutboxMessage(
        message_id=message_id,
        kind=composed.kind,
        to_name=to_name,
        to_email=to_email,
        subject=clean_text(composed.subject, field="subject", label="Subject", max_length=255),
        # the setup code lives only in the payload, deleted once the message is delivered
        body_text=redact(composed.text),
        body_html=redact(composed.html),
        centre_id=centre_id,
        status=MailStatus.QUEUED,
        created_at=ctx.now,
        next_attempt_at=ctx.now,
    )
    ctx.session.add(message)
    ctx.session.flush()
    raw = render(
        composed,
        ctx.settings,
        to_name=to_name,
        to_email=to_email,
        message_id=message_id,
        now=ctx.now,
    )
    ctx.session.add(OutboxPayload(outbox_id=message.id or 0, raw=raw))
    return message


def withdraw(ctx: Ctx, *, to_email: str, centre_id: int | None, kind: str, why: str) -> None:
    """Stop queued messages that no longer hold (an invitation replaced by a newer one)."""
    t, p = table_of(OutboxMessage), table_of(OutboxPayload)
    queued = select(t.c.id).where(
        t.c.to_email == to_email,
        t.c.centre_id == centre_id,
        t.c.kind == kind,
        t.c.status == MailStatus.QUEUED.value,
    )
    ids = list(ctx.session.execute(queued).scalars())
    if ids:
        ctx.session.execute(
            update(t)
            .where(t.c.id.in_(ids))
            .values(status=MailStatus.FAILED.value, last_error=f"not sent: {why}")
        )
        ctx.session.execute(delete(p).where(p.c.outbox_id.in_(ids)))


@dataclass(frozen=True)
class MailRow:
    message_id: str
    to: str
    subject: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "to": self.to,
            "subject": self.subject,
            "kind": self.kind,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "next_attempt_at": _iso(self.next_attempt_at),
            "sent_at": _iso(self.sent_at),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def list_mail(ctx: Ctx, *, status: str | None = None, limit: int = 500) -> list[MailRow]:
    """Newest first; an associate coordinator sees only mail about their own centres."""
    stmt: Select[Any] = ctx.scoped_through(OutboxMessage)
    if status:
        stmt = stmt.where(col(OutboxMessage.status) == MailStatus(status))
    stmt = stmt.order_by(col(OutboxMessage.id).desc()).limit(limit)
    return [
        MailRow(
            message_id=m.message_id,
            to=person_label(m.to_name, m.to_email),
            subject=m.subject,
            kind=m.kind,
            status=m.status,
            attempts=m.attempts,
            last_error=m.last_error,
            created_at=m.created_at,
            next_attempt_at=m.next_attempt_at if m.status == MailStatus.QUEUED else None,
            sent_at=m.sent_at,
        )
        for m in ctx.session.execute(stmt).scalars()
    ]


# -- delivery: claiming and settling messages ------------------------------------------
#
# A worker claims a few due messages at a time by stamping them with its name and a lease.
# On PostgreSQL the claim skips rows another worker holds (FOR UPDATE SKIP LOCKED); on
# SQLite the write transaction (BEGIN IMMEDIATE) makes the claim atomic. A worker that dies
# leaves its claim to run out, and another worker then takes the message. An outcome is
# written only while the worker still holds the claim.


@dataclass(frozen=True)
class Claimed:
    id: int
    to_email: str
    raw: bytes
    attempts: int
    until: datetime  # the end of this worker's claim: not to be sent after it


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
        .returning(t.c.id, t.c.to_email, t.c.attempts)
    )
    p = table_of(OutboxPayload)
    with transaction(engine) as session:
        rows = session.execute(claim).all()
        ids = [row.id for row in rows]
        payloads = select(p.c.outbox_id, p.c.raw).where(p.c.outbox_id.in_(ids))
        raw: dict[int, bytes] = {row.outbox_id: row.raw for row in session.execute(payloads)}
    return sorted(
        (Claimed(row.id, row.to_email, raw[row.id], row.attempts, now + lease) for row in rows),
        key=lambda c: c.id,
    )


@dataclass(frozen=True)
class Attempt:
    """How one attempt ended: sent, failed for good, or to be retried at `retry_at`."""

    claimed: Claimed
    status: MailStatus
    at: datetime
    error: str | None = None
    retry_at: datetime | None = None


def settle(engine: Engine, attempts: list[Attempt], *, worker: str) -> int:
    """Record how attempts ended, in one transaction; returns how many this worker still held."""
    if not attempts:
        return 0
    t = table_of(OutboxMessage)
    stmt = (
        update(t)
        .where(
            t.c.id == bindparam("o_id"),
            t.c.claimed_by == worker,
            t.c.status == MailStatus.QUEUED.value,
        )
        .values(
            status=bindparam("o_status"),
            attempts=t.c.attempts + 1,
            claimed_until=None,
            last_error=bindparam("o_error"),
            sent_at=bindparam("o_sent_at"),
            next_attempt_at=func.coalesce(
                bindparam("o_retry_at", type_=UTCDateTime()), t.c.next_attempt_at
            ),
        )
    )
    # a delivered or failed message needs its setup code no longer: drop the payload
    p = table_of(OutboxPayload)
    finished = [o.claimed.id for o in attempts if o.status != MailStatus.QUEUED]
    # where the update took (a message another worker has taken over stays queued); looked
    # up among `finished` only, not the whole history of sent mail
    drop = delete(p).where(
        p.c.outbox_id.in_(
            select(t.c.id).where(t.c.id.in_(finished), t.c.status != MailStatus.QUEUED.value)
        )
    )
    rows = [
        {
            "o_id": o.claimed.id,
            "o_status": o.status.value,
            "o_error": o.error,
            "o_sent_at": o.at if o.status == MailStatus.SENT else None,
            "o_retry_at": o.retry_at,
        }
        for o in attempts
    ]
    with transaction(engine) as session:
        if len(rows) == 1:
            held = int(session.execute(stmt, rows[0]).rowcount)  # type: ignore[attr-defined]
        else:
            session.execute(stmt, rows)
            held = len(rows)
        if finished:
            session.execute(drop)
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
