"""The signed-in person's own account, looked at every second while the TUI runs: once it
is suspended (or loses its admin rights) the TUI ends, with one line that says why."""

from __future__ import annotations

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.app import App

from hub_tui.errors import Forbidden, HubError
from hub_tui.services.context import Hub

WATCH_SECONDS = 1.0  # a suspension ends the session well within 2 seconds


class WatchesAccount(App[None]):
    hub: Hub
    user_email: str

    def watch_account(self) -> None:
        self.set_interval(WATCH_SECONDS, self.tick)

    def tick(self) -> None:
        # one check at a time: a database that hangs must not gather a thread a second
        if not any(w.group == "account" and w.is_running for w in self.workers):
            self.check_account()

    @work(thread=True, group="account", exit_on_error=False)
    def check_account(self) -> None:
        try:
            with self.hub.as_user(self.user_email):
                pass  # signing in again is the check: it refuses a suspended account
        except Forbidden as exc:
            self.call_from_thread(self.signed_out, exc.message)
        except (HubError, SQLAlchemyError, OSError):  # the database is away: next time, then
            return

    def signed_out(self, why: str) -> None:
        self.exit(return_code=1, message=Text(f"{why} You are signed out."))  # not markup
