"""Mail outbox: every message, its status, attempts and last error (within the user's scope).

The pane below the table shows the highlighted message whole: its subject and last error
wrapped, and the worker sending it."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from hub_tui.formatting import count, utc_text
from hub_tui.screens.listing import ListingScreen, labelled
from hub_tui.services.context import Ctx
from hub_tui.services.outbox import MailRow, list_mail
from hub_tui.validation import printable


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

    def full(self, row: MailRow) -> Content:
        def at(moment: datetime | None) -> str | None:
            return utc_text(moment) if moment else None

        tries = f"{row.status}, {count(row.attempts, 'try', 'tries')}"
        sending = f"{row.claimed_by} until {at(row.claimed_until)}" if row.claimed_by else None
        lines = [
            Content.assemble((row.kind.replace("_", " "), "bold"), " to ", printable(row.to)),
            labelled({"Subject": row.subject}),
            labelled(
                {
                    "Status": tries,
                    "Queued": at(row.created_at),
                    "Next try": at(row.next_attempt_at),
                    "Sent": at(row.sent_at),
                    "Sending by": sending,
                }
            ),
        ]
        if row.last_error:
            lines.append(labelled({"Last error": row.last_error}))
        return Content("\n").join(lines)
