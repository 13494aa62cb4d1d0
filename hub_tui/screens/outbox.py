"""Mail outbox: every message, its status, attempts and last error (within the user's scope)."""

from __future__ import annotations

from hub_tui.formatting import utc_text
from hub_tui.screens.listing import ListingScreen
from hub_tui.services.context import Ctx
from hub_tui.services.outbox import MailRow, list_mail


class OutboxScreen(ListingScreen):
    TITLE = "Administration › Mail outbox"
    # what a reader looks for first, then the long texts
    COLUMNS = ("Queued", "Status", "Kind", "Tries", "Next try", "To", "Subject", "Last error")
    REFRESH_SECONDS = 3.0  # delivery goes on meanwhile

    def fetch(self, ctx: Ctx, limit: int) -> list[MailRow]:
        return list_mail(ctx, limit=limit)

    def cells(self, row: MailRow) -> tuple[str, ...]:
        next_try = utc_text(row.next_attempt_at) if row.next_attempt_at else ""
        return (
            utc_text(row.created_at),
            row.status,
            row.kind.replace("_", " "),
            str(row.attempts),
            next_try,
            row.to,
            row.subject,
            row.last_error or "",
        )
