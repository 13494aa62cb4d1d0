"""Mail outbox: every message, its status, attempts and last error (within the user's scope)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from hub_tui.mail.compose import utc_text
from hub_tui.screens.base import HubScreen
from hub_tui.services.outbox import MailRow, list_mail
from hub_tui.widgets.cells import cell

REFRESH_SECONDS = 3.0


class OutboxScreen(HubScreen):
    TITLE = "Administration › Mail outbox"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="outbox.back"),
        Binding("f5", "reload", "Refresh", id="outbox.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="mail", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("Queued", "To", "Subject", "Status", "Tries", "Next try", "Last error"):
            table.add_column(label)
        table.focus()
        self.action_reload()
        self.set_interval(REFRESH_SECONDS, self.action_reload)  # delivery goes on meanwhile

    def action_reload(self) -> None:
        self.call(lambda ctx: list_mail(ctx), self.show, group="load")

    def show(self, rows: list[MailRow]) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for r in rows:
            cells = (
                utc_text(r.created_at),
                r.to,
                r.subject,
                r.status,
                str(r.attempts),
                utc_text(r.next_attempt_at) if r.next_attempt_at else "",
                r.last_error or "",
            )
            table.add_row(*(cell(c) for c in cells))
        table.move_cursor(row=min(cursor, max(0, len(rows) - 1)))
