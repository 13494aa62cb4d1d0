"""The outbox: messages written in the same transaction as the change that causes them."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from sqlalchemy import Select, delete, update
from sqlmodel import col, select

from hub_tui.db import table_of
from hub_tui.limits import SUBJECT_MAX
from hub_tui.mail.compose import Composed
from hub_tui.mail.message import render
from hub_tui.models import (
    MailStatus,
    OutboxMessage,
    OutboxPayload,
    person_label,
)
from hub_tui.services.context import Ctx
from hub_tui.services.views import Time, View
from hub_tui.setup_codes import CODE_SLOT
from hub_tui.validation import clean_text


def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


REDACTED = "[setup code]"


def redact(text: str) -> str:
    """The copy of a message kept for people to read shows where its setup code goes."""
    return text.replace(CODE_SLOT, REDACTED)


def new_message_id(mail_from: str) -> str:
    # short enough that the header is never folded onto a second line
    return f"<{uuid.uuid4().hex}@{sender_domain(mail_from)}>"


def enqueue(
    ctx: Ctx,
    composed: Composed,
    *,
    to_name: str,
    to_email: str,
    centre_id: int | None,
    invitation_id: int | None = None,
) -> OutboxMessage:
    """Queue a message in the caller's transaction. One that carries a setup code names
    its invitation and holds `CODE_SLOT` where the code goes."""
    message_id = new_message_id(ctx.settings.mail_from)
    message = OutboxMessage(
        message_id=message_id,
        kind=composed.kind,
        to_name=to_name,
        to_email=to_email,
        subject=clean_text(
            composed.subject, field="subject", label="Subject", max_length=SUBJECT_MAX
        ),
        body_text=redact(composed.text),
        body_html=redact(composed.html),
        centre_id=centre_id,
        invitation_id=invitation_id,
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
    slots = composed.text.count(CODE_SLOT) + composed.html.count(CODE_SLOT)
    if bool(slots) != (invitation_id is not None) or raw.count(CODE_SLOT.encode()) != slots:
        raise ValueError("a setup code's slot needs its invitation, and must stay whole")
    ctx.session.add(OutboxPayload(outbox_id=message.id or 0, raw=raw))
    return message


def withdraw_codes(ctx: Ctx, invitation_ids: list[int], *, why: str) -> None:
    """Stop queued messages that carry these invitations' setup codes (the invitation, its
    reminder): the codes no longer work."""
    t = table_of(OutboxMessage)
    queued = select(t.c.id).where(
        t.c.invitation_id.in_(invitation_ids), t.c.status == MailStatus.QUEUED.value
    )
    _fail(ctx, list(ctx.session.execute(queued).scalars()), why)


def _fail(ctx: Ctx, ids: list[int], why: str) -> None:
    t, p = table_of(OutboxMessage), table_of(OutboxPayload)
    if ids:
        ctx.session.execute(
            update(t)
            .where(t.c.id.in_(ids))
            .values(status=MailStatus.FAILED.value, last_error=f"not sent: {why}")
        )
        ctx.session.execute(delete(p).where(p.c.outbox_id.in_(ids)))


def withdraw(ctx: Ctx, *, to_email: str, centre_id: int | None, kind: str, why: str) -> None:
    """Stop queued messages that no longer hold (an invitation replaced by a newer one)."""
    t = table_of(OutboxMessage)
    queued = select(t.c.id).where(
        t.c.to_email == to_email,
        t.c.centre_id == centre_id,
        t.c.kind == kind,
        t.c.status == MailStatus.QUEUED.value,
    )
    _fail(ctx, list(ctx.session.execute(queued).scalars()), why)


SENDING = "sending"  # shown for a queued message a live worker holds


class MailRow(View):
    message_id: str
    to: str
    subject: str
    kind: str
    status: str  # queued, sending, sent or failed
    attempts: int
    last_error: str | None
    created_at: Time
    next_attempt_at: Time | None
    sent_at: Time | None
    claimed_by: str | None  # the worker sending it, while one is
    claimed_until: Time | None


def list_mail(ctx: Ctx, *, status: str | None = None, limit: int = 500) -> list[MailRow]:
    """Newest first; an associate coordinator sees only mail about their own centres."""
    stmt: Select[Any] = ctx.scoped_through(OutboxMessage)
    if status:
        stmt = stmt.where(col(OutboxMessage.status) == MailStatus(status))
    stmt = stmt.order_by(col(OutboxMessage.id).desc()).limit(limit)
    return [_mail_row(m, ctx.now) for m in ctx.session.execute(stmt).scalars()]


def _mail_row(m: OutboxMessage, now: datetime) -> MailRow:
    queued = m.status == MailStatus.QUEUED
    held = queued and m.claimed_until is not None and m.claimed_until > now
    return MailRow(
        message_id=m.message_id,
        to=person_label(m.to_name, m.to_email),
        subject=m.subject,
        kind=m.kind,
        status=SENDING if held else m.status,
        attempts=m.attempts,
        last_error=m.last_error,
        created_at=m.created_at,
        next_attempt_at=m.next_attempt_at if queued and not held else None,
        sent_at=m.sent_at,
        claimed_by=m.claimed_by if held else None,
        claimed_until=m.claimed_until if held else None,
    )
