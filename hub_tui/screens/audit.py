"""Audit log: who changed what, where and when (UTC), newest first, within the user's scope."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from hub_tui.mail.compose import utc_text
from hub_tui.screens.base import HubScreen
from hub_tui.services.audit import AuditRow, list_events
from hub_tui.widgets.cells import cell


class AuditScreen(HubScreen):
    TITLE = "Administration › Audit log"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="audit.back"),
        Binding("f5", "reload", "Refresh", id="audit.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("When (UTC)", "Who", "What", "Centre", "Person", "Detail"):
            table.add_column(label)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call(lambda ctx: list_events(ctx), self.show, group="load")

    def show(self, rows: list[AuditRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            cells = (
                utc_text(r.at),
                r.actor,
                r.action.replace(".", " "),
                r.centre or "",
                r.target or "",
                r.detail or "",
            )
            table.add_row(*(cell(c) for c in cells))
