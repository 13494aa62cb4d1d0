"""Associate Centres: the paged, searchable table of centres that opens first."""

from __future__ import annotations

from functools import partial
from typing import Literal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static

from hub_tui.errors import HubError, Invalid
from hub_tui.formatting import count, status_label
from hub_tui.models import CentreStatus
from hub_tui.rules import Action, allows
from hub_tui.screens.base import HubScreen, show_refusal
from hub_tui.services.centres import PAGE, list_centres, list_numbers
from hub_tui.services.context import Ctx
from hub_tui.services.views import CentreRow
from hub_tui.validation import clean_centre_number, printable
from hub_tui.widgets.cells import cell
from hub_tui.widgets.choice import Choice
from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.header import TitleBar
from hub_tui.widgets.moves import priority_moves
from hub_tui.widgets.table import Table
from hub_tui.widgets.text_input import TextInput

# (field, heading, width) of each column. The widths are fixed, by the window's width:
# measured widths would change from page to page, and they are measured against the
# console, whose size is not always known yet in a new SSH session.
Columns = tuple[tuple[str, str, int], ...]
WIDE: Columns = (
    ("mark", "", 1),
    ("number", "Centre number", 13),
    ("name", "Centre name", 34),
    ("country", "Country", 14),
    ("coordinator", "School coordinator", 24),
    ("status", "Status", 18),
)
WIDE_FROM = 118  # columns of the window that WIDE fills, with the scroll bar


def columns_for(width: int) -> Columns:
    """All the columns in a wide window; in a narrower one the number, name, coordinator
    and status (the country goes first), with the name taking what room there is, and
    below 96 columns (80, say) the number's heading shortened too."""
    if width >= WIDE_FROM:
        return WIDE
    number = ("number", "Centre number", 13) if width >= 96 else ("number", "Centre", 6)
    name = max(16, min(40, width - 50 - number[2]))  # the rest, with padding and scroll bar
    return (
        ("mark", "", 1),
        number,
        ("name", "Centre name", name),
        ("coordinator", "School coordinator", 19),
        ("status", "Status", 18),
    )


MARK = "✓"
ALL = "all"  # the status filter's choice that filters nothing
FILTERS = [("All statuses", ALL), *((status_label(s), s.value) for s in CentreStatus)]
PREFETCH = 30  # rows from either end of what is loaded when the next page is fetched
Page = Literal["first", "start", "after", "before", "last"]


def cells(row: CentreRow, columns: Columns, *, marked: bool = False) -> tuple[Text, ...]:
    values = {
        "mark": MARK if marked else "",
        "number": row.centre_number,
        "name": row.name,
        "country": row.country,
        "coordinator": row.coordinator.name if row.coordinator else "—",
        "status": status_label(row.status),
    }
    return tuple(cell(values[field], width) for field, _, width in columns)


class CentresScreen(HubScreen):
    TITLE = "Administration › Associate Centres"

    class Opened(Message):
        """The first page of centres is shown (or could not be read): what the app does
        in the background may start now, not before the first screen."""

    DEFAULT_CSS = """
    CentresScreen #bar { height: auto; }
    CentresScreen #search { width: 1fr; }
    CentresScreen #activate { margin-left: 1; }
    CentresScreen #filter { width: 26; margin-left: 1; }
    CentresScreen #centres { height: 1fr; }
    CentresScreen #found { height: auto; padding: 0 1; color: $text-muted; display: none; }
    """
    BINDINGS = [
        # priority: the app acts on these at once, before it routes the next keys, so what
        # is typed straight after / reaches the search box, and after a the form (check_action
        # says where each applies; elsewhere the key goes on to the focused widget)
        Binding("slash", "search", "Search", priority=True, id="centres.search"),
        Binding("enter", "open", "Open centre", priority=True, id="centres.open"),
        Binding("a", "activate", "Activate", priority=True, id="centres.activate"),
        Binding("escape", "leave_search", "Leave search", priority=True, id="centres.leave"),
        # with centres marked, what can be done to them comes first: in a narrow window the
        # footer shows the keys it has room for, in this order
        Binding("i", "bulk('resend')", "Resend marked", priority=True, id="centres.resend"),
        Binding("s", "bulk('suspend')", "Suspend marked", priority=True, id="centres.suspend"),
        Binding("r", "bulk('restore')", "Restore marked", priority=True, id="centres.restore"),
        Binding("u", "unmark_all", "Clear marks", priority=True, id="centres.unmark_all"),
        Binding("f", "filter", "Filter", priority=True, id="centres.filter"),
        Binding("space", "mark", "Mark", priority=True, id="centres.mark"),
        Binding("asterisk", "mark_all", "Mark all shown", priority=True, id="centres.mark_all"),
        # priority: before the table's own home/end, which know only the rows loaded so far
        Binding("home", "first", "First centre", show=False, priority=True, id="centres.first"),
        Binding("end", "last", "Last centre", show=False, priority=True, id="centres.last"),
        # the table's moves, priority too: in a burst (down a), a acts on the row moved to
        *priority_moves("centres"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CentreRow] = []
        self.search_text = ""
        self.status: str | None = None  # the status filter, if any
        self.marked: set[str] = set()  # centre numbers
        self.shown_search = ""  # the search whose results the table holds
        self.open_when_shown = False
        self.at_start = True  # the rows shown begin with the very first centre
        self.at_end = False  # ... and end with the very last
        self.loading_more = False
        self.reload_cursor = 0  # where the cursor goes in the rows read again
        self.columns: Columns = ()
        self.generation = 0  # of the moves asked for: see load()
        self.clears = 0  # times the marks were cleared: a * answered later marks nothing
        self.keys_for: tuple[object, ...] = ()  # what the footer's keys were worked out for
        self.open_number: str | None = None  # a centre number to open once it is shown
        self.opened = False  # the first page has been answered: see Opened

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="bar"):
            yield TextInput(placeholder="Search: centre number or name  (/)", id="search")
            yield Choice(FILTERS, ALL, id="filter")
            yield Button("Activate (a)", id="activate", disabled=True)
        yield Static("", id="found", markup=False)
        yield Table(id="centres", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.watch(self.query_one("#filter", Choice), "expanded", self.filter_closed, init=False)
        self.fit_columns(self.app.size.width)
        self.set_focus(self.table)  # letter keys act on the table, not typed into the search box
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns(event.size.width)
        self.show_marks()  # the header, too, fits the window

    def fit_columns(self, width: int) -> None:
        """The columns that fit `width`, with the rows loaded drawn again if they change."""
        columns = columns_for(width)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.table
        cursor = table.cursor_row
        table.clear(columns=True)
        for _, heading, each in columns:
            table.add_column(Text(heading), width=each)  # not markup: nothing to parse
        for row in self.rows:
            table.add_row(*self.cells(row), key=row.centre_number)
        if self.rows:
            table.move_cursor(row=cursor, animate=False)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#centres", DataTable)

    def can_activate(self, row: CentreRow | None) -> bool:
        return not self.stale and row is not None and allows(Action.ADD, row.status)

    @property
    def stale(self) -> bool:
        """The table still shows the results of an earlier search than the one typed."""
        return self.shown_search != self.search_text

    @property
    def current(self) -> CentreRow | None:
        row = self.table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # focused, not has_focus: has_focus follows a moment later, after a message
        searching = self.focused is self.query_one("#search", Input)
        on_table = self.focused is self.table
        if action == "activate":  # in the search box, a is text: shown, but dimmed
            return (None if searching else True) if self.can_activate(self.current) else False
        if action == "search":
            return not searching  # in the search box, / is text
        if action == "leave_search":
            return searching
        if action == "open":
            return on_table and (self.current is not None or self.stale)
        if action == "move":
            return on_table
        if action in ("first", "last"):  # in the search box, home and end move the cursor
            return on_table and not self.search_text
        if action in ("mark", "mark_all"):
            return on_table if action == "mark_all" or self.current else False
        if action in ("unmark_all", "bulk"):
            return bool(self.marked) and (None if searching else on_table)
        if action == "filter":
            return not searching
        return True

    # -- keys -----------------------------------------------------------------------

    # set_focus, not focus(): focus() would wait for the keys already queued
    def action_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    def action_leave_search(self) -> None:
        self.set_focus(self.table)

    def action_open(self) -> None:
        # imported here: the first screen paints without the rest of the app's screens
        from hub_tui.screens.centre import CentreScreen

        if self.stale:
            # enter straight after typing: open from the results of what was typed
            self.open_when_shown = True
            return
        if (current := self.current) is not None:
            self.app.push_screen(
                CentreScreen(current.centre_number),
                lambda _: self.refresh_row(current.centre_number),
            )

    async def action_filter(self) -> None:
        choice = self.query_one("#filter", Choice)
        self.set_focus(choice)
        await choice.action_open_list()

    @on(Choice.Changed, "#filter")
    def filter_changed(self, event: Choice.Changed) -> None:
        self.status = None if event.value == ALL else event.value
        self.load("first")

    def filter_closed(self, expanded: bool) -> None:
        """Back to the table once a status is chosen (the same one, too) or the list closed:
        after the filter's own focus, which comes next."""
        if not expanded:
            self.call_after_refresh(self.leave_filter)

    def leave_filter(self) -> None:
        focused = self.focused
        if focused is not None and self.query_one("#filter") in focused.ancestors_with_self:
            self.set_focus(self.table)  # not if a key after the choice moved it (/, say)

    # -- marks and bulk changes ---------------------------------------------------------

    def action_mark(self) -> None:
        if (current := self.current) is None:
            return
        self.marked ^= {current.centre_number}
        self.show_marks(only=current.centre_number)
        self.table.action_cursor_down()  # marking runs down the list, as in a file manager

    def action_mark_all(self) -> None:
        """Every centre the search and filter show: all of them, not only those loaded."""
        search, status = self.search_text or None, self.status
        clears = self.clears

        def numbers(ctx: Ctx) -> list[str]:
            return list_numbers(ctx, search=search, status=status)

        def mark(found: list[str]) -> None:
            if clears != self.clears:
                return  # the marks were cleared after * was pressed: * came first
            self.marked.update(found)
            self.show_marks()
            self.notify(
                f"{count(len(found), 'centre', 'centres')} marked.", timeout=4, markup=False
            )

        self.call(numbers, mark, group="marks")

    def action_unmark_all(self) -> None:
        self.clears += 1
        self.marked.clear()
        self.show_marks()

    def show_marks(self, only: str | None = None) -> None:
        """The mark on each row loaded whose mark changed (or on the row of centre `only`),
        and how many are marked in the header."""
        for index, row in enumerate(self.rows):
            if only is not None and row.centre_number != only:
                continue
            mark = MARK if row.centre_number in self.marked else ""
            if str(self.table.get_cell_at(Coordinate(index, 0))) != mark:
                self.table.update_cell_at(Coordinate(index, 0), cell(mark))
        who = self.hub_app.signed_in_for(self.size.width or self.app.size.width)
        self.sub_title = f"{who} · {len(self.marked):,} marked" if self.marked else None
        self.refresh_keys()

    def action_bulk(self, name: str) -> None:
        from hub_tui.screens.bulk import BulkRun, confirmation
        from hub_tui.screens.dialogs import SuspendAnswer
        from hub_tui.services import bulk

        action = Action(name)
        numbers = sorted(self.marked)

        def confirm(plan: bulk.BulkPlan) -> None:
            if not self.is_current:
                return  # another screen was opened meanwhile: this question is not for it
            if not plan.versions:
                why = plan.skipped_line or ""
                self.notify(
                    f"{bulk.VERB[action]} applies to none of the marked centres. {why}",
                    title="Nothing to do",
                    markup=False,
                    timeout=8,
                )
                return

            def run(answer: SuspendAnswer | bool | None) -> None:
                if isinstance(answer, SuspendAnswer):
                    self.app.push_screen(BulkRun(plan, answer.reason), finished)
                elif answer:
                    self.app.push_screen(BulkRun(plan), finished)

            self.app.push_screen(confirmation(plan), run)

        def finished(results: list[bulk.CentreResult] | None) -> None:
            # what was done is unmarked; the refusals stay marked, to look at or try again
            self.marked -= {r.centre_number for r in results or [] if r.ok}
            self.reload()

        self.call(lambda ctx: bulk.plan(ctx, action, numbers), confirm, group="plan")

    @on(DataTable.RowSelected, "#centres")
    def row_selected(self) -> None:
        self.action_open()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        # enter goes to the results. Enter pressed twice before the box has read the
        # first (keys come in one burst over a slow link) opens, as it would on the table.
        # The box's keys, and so its Changed messages, are all handled before this.
        if self.focused is self.table:
            self.action_open()
            return
        self.set_focus(self.table)
        try:  # a whole centre number: enter opens it, once found
            self.open_number = clean_centre_number(self.search_text)
        except Invalid:
            return
        if not self.stale:
            self.open_found()

    def open_found(self) -> None:
        number, self.open_number = self.open_number, None
        if self.rows and self.rows[0].centre_number == number:
            self.action_open()

    async def action_activate(self) -> None:
        current = self.current
        if current is None or not self.can_activate(current):
            return
        from hub_tui.screens.centre import add_coordinator_form
        from hub_tui.services.coordinators import Outcome

        number = current.centre_number

        def done(outcome: Outcome | None) -> None:
            if outcome is not None:
                self.notify(outcome.message, title="Done", markup=False, timeout=8)
            self.set_focus(self.table)  # not the Activate button, if clicked: it is disabled now
            self.refresh_row(number)

        hours = self.hub_app.hub.settings.invite_ttl_hours
        form = add_coordinator_form(number, current.name, current.version, hours=hours)
        await self.open(form, done)

    @on(Button.Pressed, "#activate")
    async def activate_pressed(self) -> None:
        await self.action_activate()

    # -- loading ----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.sync()
        self.load("first")

    @on(TextInput.Refused, "#search")
    def paste_refused(self, event: TextInput.Refused) -> None:
        self.show_found(event.message)

    def sync(self) -> None:
        """Activate (button and key) only on a centre that is not activated, as now found."""
        self.query_one("#activate", Button).disabled = not self.can_activate(self.current)
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """The footer's keys again, but only if what check_action answers may have changed:
        the footer is built anew each time, which costs more than a cursor move."""
        state = (
            self.focused,
            self.can_activate(self.current),
            self.current is None,
            self.stale,
            bool(self.search_text),
            bool(self.marked),
        )
        if state != self.keys_for:
            self.keys_for = state
            self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#centres")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.sync()
        if self.search_text or self.loading_more or not self.rows:
            return
        row = self.table.cursor_row  # where it is now: the event may be older than the rows
        if row >= len(self.rows) - PREFETCH and not self.at_end:
            self.loading_more = True
            self.load("after", self.rows[-1].centre_number)
        elif row < PREFETCH and not self.at_start:
            self.loading_more = True
            self.load("before", self.rows[0].centre_number)

    def action_move(self, move: str) -> None:
        getattr(self.table, f"action_{move}")()

    def action_first(self) -> None:
        self.load("first")

    def action_last(self) -> None:
        self.load("last")

    def load(self, page: Page = "first", key: str | None = None) -> None:
        """One page from the database (keyset paging): the first page, the one after or
        before `key`, or the last. The table holds the pages read so far, in order.

        A page read to extend the table ("after", "before") never replaces a move that the
        person asked for (a search, home, end): each move starts a new generation, and what
        was read for an older one is dropped, so moves are answered in the order made."""
        search, status = self.search_text or None, self.status
        more = page in ("after", "before")
        if not more:
            self.generation += 1
            self.loading_more = False
        generation = self.generation

        def fetch(ctx: Ctx) -> list[CentreRow]:
            return list_centres(
                ctx,
                search=search,
                status=status,
                start=key if page == "start" else None,
                after=key if page == "after" else None,
                before=key if page == "before" else None,
                last=page == "last" and search is None,
                limit=PAGE,
            )

        shown = partial(self.show_rows, page=page, search=self.search_text, generation=generation)
        self.call(fetch, shown, refused=self.load_failed, group="more" if more else "load")

    def load_failed(self, exc: HubError) -> None:
        self.loading_more = False  # moving the cursor tries again
        self.open_when_shown = False
        self.open_number = None
        show_refusal(self, exc)
        self.say_opened()

    def say_opened(self) -> None:
        if not self.opened:
            self.opened = True
            self.post_message(self.Opened())

    def show_rows(self, rows: list[CentreRow], page: Page, search: str, generation: int) -> None:
        if generation != self.generation:
            return  # read for a move that a later one replaced
        table = self.table
        self.loading_more = False
        self.shown_search = search
        full = len(rows) == PAGE
        if page == "after":
            self.at_end = not full
            self.rows += rows
            for row in rows:
                table.add_row(*self.cells(row), key=row.centre_number)
        else:
            cursor = {
                "first": 0,
                "last": len(rows) - 1,
                "start": min(self.reload_cursor, len(rows) - 1),
            }.get(page, table.cursor_row + len(rows))
            if page == "before":
                self.at_start = not full
                rows = rows + self.rows
            elif page == "start":
                self.at_start = False  # moving up reads the rows before, if there are any
                self.at_end = not full
            else:
                self.at_start = page == "first" or not full
                self.at_end = page == "last" or not full
            self.rows = rows
            table.clear()
            for row in rows:
                table.add_row(*self.cells(row), key=row.centre_number)
            table.move_cursor(row=max(0, cursor), animate=False)
        self.say_found(rows if page == "first" else self.rows, search)
        self.sync()
        self.say_opened()
        if self.open_when_shown and not self.stale:
            self.open_when_shown = False
            self.action_open()
        elif self.open_number and not self.stale:
            self.open_found()

    def say_found(self, rows: list[CentreRow], search: str) -> None:
        """A search shows one page of matches (a name search reads every name): say when
        there may be more, or none."""
        if not search:
            text = ""
        elif not rows:
            text = f"No centre matches “{printable(search)}”."
        elif len(rows) >= PAGE:
            text = f"The first {PAGE} matches are shown: type more to narrow the search."
        else:
            text = ""
        self.show_found(text)

    def show_found(self, text: str) -> None:
        found = self.query_one("#found", Static)
        found.update(text)
        found.display = bool(text)

    def cells(self, row: CentreRow) -> tuple[Text, ...]:
        return cells(row, self.columns, marked=row.centre_number in self.marked)

    def reload(self) -> None:
        """After a change to many centres: the rows around the cursor, read again."""
        if self.search_text or not self.rows:
            self.load("first")
            return
        top = max(0, self.table.cursor_row - PREFETCH)
        self.reload_cursor = self.table.cursor_row - top
        self.load("start", self.rows[top].centre_number)
        self.show_marks()

    def refresh_row(self, number: str) -> None:
        """After a change: show that centre's new coordinator and status."""

        def fresh(rows: list[CentreRow]) -> None:
            for index, old in enumerate(self.rows):
                if old.centre_number == number and rows and rows[0].centre_number == number:
                    self.rows[index] = rows[0]
                    for column, each in enumerate(self.cells(rows[0])):
                        self.table.update_cell_at(Coordinate(index, column), each)
            self.sync()

        self.call(lambda ctx: list_centres(ctx, search=number, limit=1), fresh, group="row")
