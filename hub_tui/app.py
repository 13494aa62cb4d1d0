"""The Textual application: signs the user in, opens Associate Centres, delivers mail."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from hub_tui.errors import HubError
from hub_tui.models import person_label
from hub_tui.services.context import Hub

if TYPE_CHECKING:
    from hub_tui.mail.worker import Deliverer


def commands() -> type[Provider]:
    from hub_tui.commands import HubCommands  # loaded when the palette first opens

    return HubCommands


class HubApp(App[None]):
    TITLE = "Administration"
    COMMANDS = App.COMMANDS | {commands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("m", "open('outbox')", "Mail outbox", id="app.outbox"),
        Binding("l", "open('audit')", "Audit log", id="app.audit"),
        # priority: focus moves before the app routes the next keys, so what is typed
        # straight after tab (in one burst, as over SSH) lands in the next field
        Binding("tab", "focus_next", show=False, priority=True, id="app.next"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="app.previous"),
    ]

    def __init__(self, hub: Hub, user_email: str) -> None:
        super().__init__()
        self.hub = hub
        self.user_email = user_email
        self.signed_in = False
        self.refused = False  # told that they may not use it: the exit status says so too
        self.deliverer: Deliverer | None = None

    def on_mount(self) -> None:
        self.sign_in()

    @work(thread=True, exit_on_error=False)
    def sign_in(self) -> None:
        try:
            with self.hub.as_user(self.user_email) as ctx:
                actor = ctx.actor
                assert actor is not None
                role = actor.role.replace("_", " ")
                signed_in = f"{person_label(actor.name, actor.email)} ({role})"
        except HubError as exc:
            self.call_from_thread(self._refuse, exc.message)
            return
        self.call_from_thread(self._open, signed_in)

    def _open(self, signed_in: str) -> None:
        from hub_tui.screens.centres import CentresScreen

        self.signed_in = True
        self.sub_title = signed_in  # Header shows it as Content: never markup
        self.push_screen(CentresScreen())
        if self.hub.settings.deliver_mail:  # mail can wait a moment: the first screen comes first
            self.set_timer(1.0, self.start_mail)

    def _refuse(self, message: str) -> None:
        from hub_tui.screens.message import MessageScreen

        self.refused = True
        self.use_command_palette = False  # one message and nothing else
        self.push_screen(MessageScreen(message))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "command_palette"):
            # not over a dialog or form: its answer, or its save, must close it and not
            # whatever was opened on top meanwhile
            return self.signed_in and not isinstance(self.screen, ModalScreen)
        if action == "help":
            return self.signed_in
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        # over SSH a screenshot would be saved on the server; ? shows the keys, and Textual's
        # keys panel cannot be closed with escape
        for command in super().get_system_commands(screen):
            if command.title not in ("Screenshot", "Keys"):
                yield command

    def action_help(self) -> None:
        from hub_tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_open(self, name: str) -> None:
        self.open(name)

    def open(self, name: str) -> None:
        """Open a screen by name: the centres list under all, or a listing (the outbox and
        the audit log replace each other, so escape always leads back)."""
        from hub_tui.screens.audit import AuditScreen
        from hub_tui.screens.centres import CentresScreen
        from hub_tui.screens.listing import ListingScreen
        from hub_tui.screens.outbox import OutboxScreen

        kinds = {"outbox": OutboxScreen, "audit": AuditScreen, "centres": CentresScreen}
        kind = kinds[name]
        if isinstance(self.screen, kind):
            return
        if kind is CentresScreen:
            while len(self.screen_stack) > 2:  # the default screen, then the centres
                self.pop_screen()
            return
        if isinstance(self.screen, ListingScreen):  # outbox and audit log take turns
            self.pop_screen()
        self.push_screen(kind())

    def open_centre(self, number: str) -> None:
        from hub_tui.screens.centre import CentreScreen

        self.push_screen(CentreScreen(number))

    def start_mail(self) -> None:
        from hub_tui.mail.transport import describe

        if not self.hub.settings.smtp_host:
            self.notify(describe(self.hub.settings), title="Mail", markup=False, timeout=6)
        self.deliver_mail()

    @work(group="mail", exclusive=True, exit_on_error=False)
    async def deliver_mail(self) -> None:
        """Deliver the outbox in the background for as long as the app runs."""
        from hub_tui.mail.worker import Deliverer, Report

        def tell(report: Report) -> None:
            if report.failed:
                title = f"{report.failed} e-mail(s) failed"
                errors = "\n".join(report.errors[-3:])
                self.notify(errors, title=title, severity="error", markup=False)

        def failed(error: Exception) -> None:
            self.notify(
                f"{type(error).__name__}: {error}; trying again in a while",
                title="Mail delivery stopped",
                severity="error",
                markup=False,
            )

        self.deliverer = Deliverer(self.hub.engine, self.hub.settings)
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


def make_app(hub: Hub, user_email: str) -> HubApp:
    return HubApp(hub, user_email)


def run_tui(hub: Hub, user_email: str) -> int:
    app = make_app(hub, user_email)
    app.run()
    return app.return_code or (1 if app.refused else 0)
