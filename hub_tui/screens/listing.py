"""A read-only table of rows from a service, refreshed on `f5` (and on a timer if asked)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from hub_tui.screens.base import HubScreen
from hub_tui.services.context import Ctx
from hub_tui.widgets.cells import cell


class ListingScreen(HubScreen):
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    REFRESH_SECONDS: ClassVar[float | None] = None
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="listing.back"),
        Binding("f5", "reload", "Refresh", id="listing.reload"),
    ]

    def fetch(self, ctx: Ctx) -> list[Any]:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.COLUMNS)
        table.focus()
        self.action_reload()
        if self.REFRESH_SECONDS:
            self.set_interval(self.REFRESH_SECONDS, self.action_reload)

    def action_reload(self) -> None:
        self.call(self.fetch, self.show, group="load")

    def show(self, rows: list[Any]) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*(cell(value) for value in self.cells(row)))
        table.move_cursor(row=min(cursor, max(0, len(rows) - 1)), animate=False)
