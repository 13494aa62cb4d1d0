"""The audit log: who changed what, where and when. Append-only (the database refuses edits)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlmodel import col

from hub_tui.models import AuditEvent, Centre
from hub_tui.services.context import Ctx
from hub_tui.services.views import Time, View


def record(
    ctx: Ctx,
    action: str,
    *,
    centre: Centre | None = None,
    target: str | None = None,
    detail: str | None = None,
    actor: str | None = None,
) -> None:
    ctx.session.add(
        AuditEvent(
            at=ctx.now,
            actor=actor or ctx.actor_label,
            action=action,
            centre_id=centre.id if centre else None,
            centre_number=centre.centre_number if centre else None,
            target=target,
            detail=detail,
        )
    )


class AuditRow(View):
    at: Time
    actor: str
    action: str
    centre: str | None
    target: str | None
    detail: str | None


def list_events(ctx: Ctx, *, centre_id: int | None = None, limit: int = 500) -> list[AuditRow]:
    """Newest first, within the actor's scope."""
    stmt: Select[Any] = ctx.scoped_through(AuditEvent)
    if centre_id is not None:
        stmt = stmt.where(col(AuditEvent.centre_id) == centre_id)
    stmt = stmt.order_by(col(AuditEvent.id).desc()).limit(limit)
    return [
        AuditRow(
            at=e.at,
            actor=e.actor,
            action=e.action,
            centre=e.centre_number,
            target=e.target,
            detail=e.detail,
        )
        for e in ctx.session.execute(stmt).scalars()
    ]


def latest_for_centre(ctx: Ctx, centre_id: int) -> AuditRow | None:
    rows = list_events(ctx, centre_id=centre_id, limit=1)
    return rows[0] if rows else None
