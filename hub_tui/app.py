"""The Textual application: signs the user in and opens Associate Centres."""

from __future__ import annotations

from textual import work
from textual.app import App

from hub_tui.errors import HubError
from hub_tui.services.context import Hub


class HubApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Administration"

    def __init__(self, hub: Hub, user_email: str) -> None:
        super().__init__()
        self.hub = hub
        self.user_email = user_email

    def on_mount(self) -> None:
        self.sign_in()

    @work(thread=True, exit_on_error=False)
    def sign_in(self) -> None:
        try:
            with self.hub.as_user(self.user_email) as ctx:
                actor = ctx.actor
                assert actor is not None
                signed_in = f"{actor.name} <{actor.email}> ({actor.role.replace('_', ' ')})"
        except HubError as exc:
            self.call_from_thread(self._refuse, exc.message)
            return
        self.call_from_thread(self._open, signed_in)

    def _open(self, signed_in: str) -> None:
        from hub_tui.screens.centres import CentresScreen

        self.sub_title = signed_in  # Header shows it as Content: never markup
        self.push_screen(CentresScreen())
        self.deliver_mail()

    @work(group="mail", exclusive=True, exit_on_error=False)
    async def deliver_mail(self) -> None:
        """Deliver the outbox in the background for as long as the app runs."""
        from hub_tui.mail.worker import Deliverer, Report

        def tell(report: Report) -> None:
            if report.failed:
                self.notify(
                    "\n".join(report.errors[-3:]),
                    title=f"{report.failed} message(s) failed",
                    severity="error",
                    markup=False,
                )

        await Deliverer(self.hub.engine, self.hub.settings).run_forever(on_report=tell)

    def _refuse(self, message: str) -> None:
        from hub_tui.screens.message import MessageScreen

        self.push_screen(MessageScreen(message))


def make_app(hub: Hub, user_email: str) -> HubApp:
    return HubApp(hub, user_email)


def run_tui(hub: Hub, user_email: str) -> int:
    make_app(hub, user_email).run()
    return 0
