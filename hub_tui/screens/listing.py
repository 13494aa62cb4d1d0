"""A read-only table of rows from a service, refreshed on `f5` (and on a timer if asked);
below it, if the screen says how, the highlighted row in full, following the cursor."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from hub_tui.screens.base import HubScreen
from hub_tui.services.context import Ctx
from hub_tui.validation import printable
from hub_tui.widgets.cells import cell, fill
from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.header import TitleBar
from hub_tui.widgets.table import Table


class ListingScreen(HubScreen):
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    REFRESH_SECONDS: ClassVar[float | None] = None
    LIMIT: ClassVar[int] = 500  # the newest
    DEFAULT_CSS = """
    ListingScreen #caption { height: auto; padding: 0 1; color: $text-muted; }
    ListingScreen #rows { height: 1fr; }
    ListingScreen #full {
        height: auto; max-height: 50%; padding: 0 1; border-top: solid $primary;
        display: none;
    }
    ListingScreen #full.shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="listing.back"),
        Binding("f5", "reload", "Refresh", id="listing.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, ...]] | None = None  # none yet
        self.rows: list[Any] = []  # as shown

    def fetch(self, ctx: Ctx, limit: int) -> list[Any]:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def full(self, row: Any) -> Content | None:
        """`row` whole, for the pane below the table (which wraps what the table's columns
        cut); None, as here, for no pane."""
        return None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="caption", markup=False)
        yield Table(id="rows", cursor_type="row", zebra_stripes=True)
        yield Static("", id="full", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self.COLUMNS)
        table.focus()
        self.action_reload()
        if self.REFRESH_SECONDS:
            self.set_interval(self.REFRESH_SECONDS, self.action_reload)

    def action_reload(self) -> None:
        self.call(lambda ctx: self.fetch(ctx, self.LIMIT), self.show, group="load")

    def show(self, rows: list[Any]) -> None:
        lines = [self.cells(row) for row in rows]
        if lines == self.shown:
            return  # a refresh that found nothing new leaves the view (and its scrolling) be
        self.shown = lines
        self.rows = rows
        more = f"The newest {self.LIMIT} are shown. " if len(rows) >= self.LIMIT else ""
        self.query_one("#caption", Static).update(f"{more}f5 refreshes.")
        table = self.query_one(DataTable)
        cursor, scroll = table.cursor_row, table.scroll_offset
        fill(table, self.COLUMNS, [[cell(value) for value in line] for line in lines])
        table.move_cursor(row=min(cursor, max(0, len(rows) - 1)), animate=False, scroll=False)
        table.call_after_refresh(table.scroll_to, scroll.x, scroll.y, animate=False)
        self.show_full()

    @on(DataTable.RowHighlighted, "#rows")
    def show_full(self) -> None:
        """The pane shows the row under the cursor (and is hidden when there is none)."""
        row = self.query_one("#rows", DataTable).cursor_row
        whole = self.full(self.rows[row]) if 0 <= row < len(self.rows) else None
        pane = self.query_one("#full", Static)
        pane.set_class(whole is not None, "shown")
        pane.update(whole or "")


def labelled(fields: dict[str, str | None]) -> Content:
    """`When: …    Who: ann@x.org` on one line, for the pane; the values as they are (never
    markup), those that are None left out."""
    return Content("    ").join(
        Content.assemble((f"{label}: ", "dim"), printable(value))
        for label, value in fields.items()
        if value is not None
    )
