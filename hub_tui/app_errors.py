"""How the TUI reports what goes wrong: a worker's failure as a notice, a crash in the log."""

from __future__ import annotations

import logging

from rich.text import Text
from textual.app import App
from textual.worker import Worker, WorkerState

from hub_tui.logs import CRASHED

log = logging.getLogger("hub_tui.app")


class ReportsErrors(App[None]):
    user_email: str

    def _handle_exception(self, error: Exception) -> None:
        # Textual's one hook for a crash. Its own report is a traceback, with local values,
        # on the person's terminal: that goes to the log instead, and they get one line.
        log.error("the TUI of %s stopped unexpectedly", self.user_email, exc_info=error)
        super()._handle_exception(error)
        self._exit_renderables[:] = [Text(CRASHED)]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place that shows a worker's unexpected failure: never a crash."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                markup=False,
                timeout=10,
            )
