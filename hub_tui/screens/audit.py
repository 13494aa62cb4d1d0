"""Audit log: who changed what, where and when (UTC), newest first, within the user's scope."""

from __future__ import annotations

from hub_tui.formatting import utc_text
from hub_tui.screens.listing import ListingScreen
from hub_tui.services.audit import AuditRow, list_events
from hub_tui.services.context import Ctx


class AuditScreen(ListingScreen):
    TITLE = "Administration › Audit log"
    COLUMNS = ("When (UTC)", "Who", "What", "Centre", "Person", "Detail")

    def fetch(self, ctx: Ctx, limit: int) -> list[AuditRow]:
        return list_events(ctx, limit=limit)

    def cells(self, row: AuditRow) -> tuple[str, ...]:
        return (
            utc_text(row.at),
            row.actor,
            row.action.replace(".", " "),
            row.centre or "",
            row.target or "",
            row.detail or "",
        )
