"""What every hub-tui screen shares: running a service off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from hub_tui.errors import HubError
from hub_tui.services.context import Ctx

if TYPE_CHECKING:
    from hub_tui.app import HubApp

T = TypeVar("T")


def call_service(
    screen: Screen[Any],
    fn: Callable[[Ctx], T],
    then: Callable[[T], None],
    *,
    write: bool = False,
    refused: Callable[[HubError], None] | None = None,
    group: str = "service",
) -> None:
    """Run `fn` as the signed-in user in a thread; hand its result (or refusal) back to the
    event loop. The screen never waits on the database."""
    app: HubApp = screen.app  # type: ignore[assignment]

    def work() -> None:
        try:
            with app.hub.as_user(app.user_email, write=write) as ctx:
                result = fn(ctx)
        except HubError as exc:
            app.call_from_thread(refused or partial(show_refusal, screen), exc)
            return
        app.call_from_thread(then, result)

    screen.run_worker(work, thread=True, group=group, exclusive=True, exit_on_error=False)


def show_refusal(screen: Screen[Any], exc: HubError) -> None:
    screen.notify(exc.message, title="Not done", severity="error", markup=False, timeout=8)


class HubScreen(Screen[None]):
    """A screen that calls services."""

    @property
    def hub_app(self) -> HubApp:
        return self.app  # type: ignore[return-value]

    def call(
        self,
        fn: Callable[[Ctx], T],
        then: Callable[[T], None],
        *,
        write: bool = False,
        refused: Callable[[HubError], None] | None = None,
        group: str = "service",
    ) -> None:
        call_service(self, fn, then, write=write, refused=refused, group=group)
