"""The outbox: messages written in the same transaction as the change that causes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid, parseaddr
from typing import Any

from sqlalchemy import Select
from sqlmodel import col, select

from hub_tui.mail.compose import Composed
from hub_tui.models import Centre, MailStatus, OutboxMessage
from hub_tui.services.context import Ctx
from hub_tui.validation import clean_text


def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def enqueue(
    ctx: Ctx, composed: Composed, *, to_name: str, to_email: str, centre_id: int | None
) -> OutboxMessage:
    message = OutboxMessage(
        message_id=make_msgid(domain=sender_domain(ctx.settings.mail_from)),
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
