"""Associate Centres: the paged, searchable table of centres that opens first."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input
from textual.worker import get_current_worker

from hub_tui.errors import HubError
from hub_tui.services.centres import PAGE, CentreRow, list_centres
from hub_tui.validation import printable

COLUMNS = ("Centre number", "Centre name", "Country", "School coordinator", "Status")
STATUS_LABELS = {
    "not_activated": "Not activated",
    "invited": "Invited",
    "invitation_expired": "Invitation expired",
    "active": "Active",
    "suspended": "Suspended",
}


def cells(row: CentreRow) -> tuple[Text, ...]:
    # Text, not str: a str cell would be read as markup; printable() in case a row came in
    # by some other road than hub-tui's own checks
    coordinator = row.coordinator.name if row.coordinator else "—"
    return tuple(
        Text(printable(value), no_wrap=True, overflow="ellipsis")
        for value in (
            row.centre_number,
            row.name,
            row.country,
            coordinator,
            STATUS_LABELS.get(row.status, row.status),
        )
    )


class CentresScreen(Screen[None]):
    TITLE = "Administration › Associate Centres"
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("escape", "leave_search", "Back to table", show=False, id="leave_search"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CentreRow] = []
        self.search_text = ""
        self.exhausted = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search: centre number or name  (/)", id="search")
        yield DataTable(id="centres", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label)
        table.focus()  # letter keys act on the table, not typed into the search box
        self.load()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#centres", DataTable)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.table.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.load()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.table.focus()

    @on(DataTable.RowHighlighted, "#centres")
    def maybe_next_page(self, event: DataTable.RowHighlighted) -> None:
        if not self.exhausted and not self.search_text and event.cursor_row >= len(self.rows) - 20:
            self.load(after=self.rows[-1].centre_number if self.rows else None)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, after: str | None = None) -> None:
        app = self.app
        search = self.search_text
        try:
            with app.hub.as_user(app.user_email) as ctx:  # type: ignore[attr-defined]
                rows = list_centres(ctx, search=search or None, after=after, limit=PAGE)
        except HubError as exc:
            app.call_from_thread(app.notify, exc.message, severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show_rows, rows, after is not None)

    def show_rows(self, rows: list[CentreRow], append: bool) -> None:
        table = self.table
        if not append:
            table.clear()
            self.rows = []
        self.exhausted = len(rows) < PAGE
        self.rows += rows
        for row in rows:
            table.add_row(*cells(row), key=row.centre_number)
