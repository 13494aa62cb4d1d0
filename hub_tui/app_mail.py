"""The outbox, delivered in the background while the TUI runs; quitting waits for the
e-mail being sent, so that nothing goes twice."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work

from hub_tui.app_errors import ReportsErrors
from hub_tui.formatting import count
from hub_tui.services.context import Hub

if TYPE_CHECKING:
    from hub_tui.mail.worker import Deliverer


class BackgroundMail(ReportsErrors):
    """An app that delivers mail: `start_mail()` once there is a screen to tell."""

    hub: Hub
    deliverer: Deliverer | None = None

    def start_mail(self) -> None:
        from hub_tui.mail.transport import describe

        if not self.hub.settings.smtp_host:
            self.notify(describe(self.hub.settings), title="Mail", markup=False, timeout=6)
        self.deliver_mail()

    @work(group="mail", exclusive=True, exit_on_error=False)
    async def deliver_mail(self) -> None:
        """Deliver the outbox in the background for as long as the app runs."""
        from hub_tui.delivery import deliverer
        from hub_tui.mail.worker import Report

        def tell(report: Report) -> None:
            if report.failed:
                title = f"{count(report.failed, 'e-mail', 'e-mails')} failed"
                errors = "\n".join(report.errors[-3:])
                self.notify(errors, title=title, severity="error", markup=False)

        def failed(error: Exception) -> None:
            self.notify(
                f"{type(error).__name__}: {error}; trying again in a while",
                title="Mail delivery stopped",
                severity="error",
                markup=False,
            )

        self.deliverer = deliverer(self.hub)
        await self.deliverer.keep_delivering(on_report=tell, on_failure=failed)

    async def action_quit(self) -> None:
        """Quit once the e-mail being sent, if any, has gone and is recorded: cut off, it
        might be sent again."""
        if self.deliverer is not None:
            self.deliverer.stop()
        self.run_worker(self._exit_after_mail(), group="quit", exclusive=True)

    async def _exit_after_mail(self) -> None:
        mail = [w.wait() for w in self.workers if w.group == "mail" and w.is_running]
        stopped = asyncio.gather(*mail, return_exceptions=True)
        try:
            await asyncio.wait_for(asyncio.shield(stopped), 0.3)
        except TimeoutError:
            self.notify("Finishing the e-mail being sent…", title="Mail", markup=False)
            await stopped
        self.exit()
