"""The outbox: messages written in the same transaction as the change that causes them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy import Engine, Select, func, or_
from sqlmodel import col, select

from hub_tui.db import transaction
from hub_tui.mail.compose import Composed
from hub_tui.models import Centre, MailStatus, OutboxMessage, utcnow
from hub_tui.services.context import Ctx
from hub_tui.validation import clean_text


def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id(mail_from: str) -> str:
    # short enough that the header is never folded onto a second line
    return f"<{uuid.uuid4().hex}@{sender_domain(mail_from)}>"


def enqueue(
    ctx: Ctx, composed: Composed, *, to_name: str, to_email: str, centre_id: int | None
) -> OutboxMessage:
    message = OutboxMessage(
        message_id=new_message_id(ctx.settings.mail_from),
        kind=composed.kind,
        to_name=to_name,
        to_email=to_email,
        subject=clean_text(composed.subject, field="subject", label="Subject", max_length=255),
        body_text=composed.text,
        body_html=composed.html,
        centre_id=centre_id,
        status=MailStatus.QUEUED,
        created_at=ctx.now,
        next_attempt_at=ctx.now,
    )
    ctx.session.add(message)
    return message


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
    stmt: Select[Any] = select(OutboxMessage).outerjoin(
        Centre, col(Centre.id) == col(OutboxMessage.centre_id)
    )
    stmt = ctx.scoped(stmt)
    if status:
        stmt = stmt.where(col(OutboxMessage.status) == MailStatus(status))
    stmt = stmt.order_by(col(OutboxMessage.id).desc()).limit(limit)
    return [
        MailRow(
            message_id=m.message_id,
            to=f"{m.to_name} <{m.to_email}>",
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
# leaves its claim to run out, and another worker then takes the message.


@dataclass(frozen=True)
class Claimed:
    id: int
    message_id: str
    kind: str
    to_name: str
    to_email: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int


def claim_due(
    engine: Engine, *, worker: str, limit: int, lease: timedelta, now: datetime | None = None
) -> list[Claimed]:
    now = now or utcnow()
    with transaction(engine) as session:
        due = (
            select(OutboxMessage)
            .where(
                col(OutboxMessage.status) == MailStatus.QUEUED,
                col(OutboxMessage.next_attempt_at) <= now,
                or_(
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.claimed_until) < now,
                ),
            )
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for m in session.exec(due).all():
            m.claimed_by, m.claimed_until = worker, now + lease
            session.add(m)
            claimed.append(
                Claimed(m.id or 0, m.message_id, m.kind, m.to_name, m.to_email, m.subject,
                        m.body_text, m.body_html, m.attempts)
            )  # fmt: skip
        return claimed


# a setup code, as `invitations.new_code` writes it
SETUP_CODE = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}\b")
REDACTED = "[removed after delivery]"


def _settle(engine: Engine, message_id: int, worker: str, **values: Any) -> bool:
    """Write the outcome of one attempt, if this worker still holds the message."""
    with transaction(engine) as session:
        m = session.get(OutboxMessage, message_id)
        if m is None or m.claimed_by != worker or m.status != MailStatus.QUEUED:
            return False
        for key, value in values.items():
            setattr(m, key, value)
        m.attempts += 1
        m.claimed_until = None
        if m.status != MailStatus.QUEUED:
            # the setup code was needed only to send the message: keep no copy of it
            m.body_text = SETUP_CODE.sub(REDACTED, m.body_text)
            m.body_html = m.body_html and SETUP_CODE.sub(REDACTED, m.body_html)
        session.add(m)
        return True


def mark_sent(engine: Engine, message_id: int, *, worker: str, now: datetime) -> bool:
    return _settle(engine, message_id, worker, status=MailStatus.SENT, sent_at=now, last_error=None)


def mark_failed(engine: Engine, message_id: int, *, worker: str, error: str) -> bool:
    return _settle(engine, message_id, worker, status=MailStatus.FAILED, last_error=error)


def mark_retry(
    engine: Engine, message_id: int, *, worker: str, error: str, retry_at: datetime
) -> bool:
    return _settle(engine, message_id, worker, last_error=error, next_attempt_at=retry_at)


def release(engine: Engine, message_ids: list[int], *, worker: str) -> None:
    """Give back claimed messages that were not attempted (the connection was lost)."""
    if not message_ids:
        return
    with transaction(engine) as session:
        for m in session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.id).in_(message_ids), col(OutboxMessage.claimed_by) == worker
            )
        ):
            m.claimed_until = None
            session.add(m)


def count_due(engine: Engine, *, now: datetime | None = None) -> int:
    now = now or utcnow()
    with transaction(engine, write=False) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == MailStatus.QUEUED,
                    col(OutboxMessage.next_attempt_at) <= now,
                )
            ).one()
        )
