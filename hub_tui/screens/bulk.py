"""A change to many centres: one confirmation with the totals, then the change centre by
centre with its progress, and a result that lists what each centre came to."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, ProgressBar, Static

from hub_tui.formatting import count
from hub_tui.rules import Action
from hub_tui.screens.base import host
from hub_tui.screens.dialogs import ConfirmDialog, Dialog, SuspendDialog
from hub_tui.services import bulk
from hub_tui.services.bulk import VERB, BulkPlan, CentreResult
from hub_tui.widgets.cells import cell
from hub_tui.widgets.table import Table

log = logging.getLogger(__name__)
RESULT_ROWS = 200  # of the outcomes listed, at most


def confirmation(plan: BulkPlan) -> ConfirmDialog | SuspendDialog:
    """One question with the totals; to suspend, with one reason for every centre."""
    question = Content("\n".join(plan.lines))
    heading = f"{VERB[plan.action]} {count(len(plan.versions), 'centre', 'centres')}"
    if plan.action is Action.SUSPEND:
        return SuspendDialog(question, heading=heading)
    return ConfirmDialog(heading, question, yes=VERB[plan.action])


class BulkRun(Dialog[list[CentreResult]]):
    """The change, centre by centre, off the event loop; then each centre's outcome."""

    # priority: enter closes, rather than select a row of the results
    BINDINGS = [
        Binding("enter", "close", "Close", priority=True, id="bulk.close"),
        Binding("escape", "stop_or_close", "Stop / close", priority=True, id="bulk.stop"),
    ]
    CSS = """
    BulkRun.dialog > #box { width: 90%; max-width: 120; }
    BulkRun DataTable { height: auto; max-height: 12; margin-top: 1; }
    BulkRun ProgressBar { margin-top: 1; }
    BulkRun #detail { margin-top: 1; height: auto; }
    """

    def __init__(self, plan: BulkPlan, reason: str | None = None) -> None:
        doing = bulk.DOING[plan.action]
        super().__init__(f"{doing} {count(len(plan.versions), 'centre', 'centres')}")
        self.plan = plan
        self.reason = reason
        self.results: list[CentreResult] | None = None  # once the change is over
        self.by_number: dict[str, CentreResult] = {}
        self.stopping = threading.Event()  # asked to stop before the next centre

    def compose_body(self) -> ComposeResult:
        yield ProgressBar(total=len(self.plan.versions), show_eta=False, id="progress")
        yield Static("", id="summary", markup=False)
        yield Table(id="results", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail", markup=False)  # the highlighted outcome, in full

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_column("Centre", width=8)
        table.add_column("Outcome", width=8)
        table.add_column("What happened", width=80)
        table.display = False
        self.bar = self.query_one(ProgressBar)  # found here: the worker's thread only uses it
        self.run_changes(list(self.plan.versions))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.results is not None
        return True

    def action_stop_or_close(self) -> None:
        """Before the end: stop once the centre being changed is done (never half-way)."""
        if self.results is not None:
            self.action_close()
        elif not self.stopping.is_set():
            self.stopping.set()
            self.query_one("#summary", Static).update("Stopping after this centre…")

    @work(thread=True, exit_on_error=False, group="bulk")
    def run_changes(self, numbers: Sequence[str]) -> None:
        app = host(self)

        shown = [0.0]  # when the bar was last moved: a few times a second is enough

        def advance(_what: str, done: int, total: int) -> None:
            if done == total or time.monotonic() - shown[0] > 0.1:
                shown[0] = time.monotonic()
                self.app.call_from_thread(self.bar.update, progress=done)

        try:
            results = bulk.change_each(
                app.hub,
                app.user_email,
                self.plan.action,
                numbers,
                reason=self.reason,
                versions=self.plan.versions,
                progress=advance,
                stop=self.stopping.is_set,
            )
        except Exception:  # a fault, not a refusal (those are each centre's result)
            log.exception("bulk %s stopped", self.plan.action.value)
            self.app.call_from_thread(self.show_fault)
            return
        self.app.call_from_thread(self.show_results, results)

    def show_fault(self) -> None:
        self.results = []
        self.query_one("#summary", Static).update(
            "Something went wrong and the change stopped; the centres changed before it stay "
            "changed (the audit log lists them). The details are in the log."
        )
        self.refresh_bindings()

    def show_results(self, results: list[CentreResult]) -> None:
        self.results = results
        self.by_number = {r.centre_number: r for r in results}
        stopped = sum(r.stopped for r in results)
        refused = sum(not r.ok for r in results) - stopped
        done = len(results) - refused - stopped
        text = f"{count(done, 'centre', 'centres')} changed, {refused} refused"
        text += f", {stopped} left as they were." if stopped else "."
        table = self.query_one("#results", DataTable)
        # the refusals first, as they are what a person has to look at; then those left as
        # they were. A page of them: a table of thousands of rows would freeze the screen.
        ordered = sorted(results, key=lambda r: (r.ok, r.stopped))
        if len(ordered) > RESULT_ROWS:
            text += f" The first {RESULT_ROWS} are listed; the audit log has every change."
            ordered = ordered[:RESULT_ROWS]
        self.query_one("#summary", Static).update(text + "  (enter or escape closes)")
        for result in ordered:
            if result.ok:
                outcome = Text("done")
            elif result.stopped:
                outcome = Text("stopped", style="yellow")
            else:
                outcome = Text("refused", style="bold red")
            table.add_row(
                cell(result.centre_number), outcome, cell(result.message), key=result.centre_number
            )
        table.display = True
        self.set_focus(table)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#results")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.results is not None and event.row_key.value is not None:
            result = self.by_number[event.row_key.value]
            self.query_one("#detail", Static).update(f"{result.centre_number}: {result.message}")

    def action_close(self) -> None:
        self.dismiss(self.results or [])
