"""What every hub-tui screen shares: running a service off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar, cast

from textual.screen import Screen
from textual.worker import get_current_worker

from hub_tui.errors import HubError
from hub_tui.services.context import Ctx, Hub

T = TypeVar("T")


class HubHost(Protocol):
    """What screens need of the app they run in (the app is not imported: it imports them)."""

    hub: Hub
    user_email: str
    role: str | None  # once signed in

    def signed_in_for(self, width: int) -> str:
        """Who is signed in, as the header shows it in a window `width` columns wide."""
        ...


def host(screen: Screen[Any]) -> HubHost:
    return cast(HubHost, screen.app)


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
    event loop. The screen never waits on the database. A newer call in the same `group`
    replaces an older one: a read's result that arrives late is dropped."""
    app = host(screen)

    def work() -> None:
        try:
            with app.hub.as_user(app.user_email, write=write) as ctx:
                result = fn(ctx)
        except Exception as exc:  # a refusal, or a fault: either way said, never a crash
            refusal = (
                exc
                if isinstance(exc, HubError)
                else HubError(
                    f"Something went wrong, and nothing was changed: {type(exc).__name__}: {exc}"
                )
            )
            screen.app.call_from_thread(refused or partial(show_refusal, screen), refusal)
            return
        if not write and get_current_worker().is_cancelled:
            return  # a newer read in this group replaced this one (a search typed further)
        screen.app.call_from_thread(then, result)

    screen.run_worker(work, thread=True, group=group, exclusive=True, exit_on_error=False)


def show_refusal(screen: Screen[Any], exc: HubError) -> None:
    # through the app: the screen may have been closed meanwhile
    screen.app.notify(exc.message, title="Not done", severity="error", markup=False, timeout=8)


class HubScreen(Screen[None]):
    """A screen that calls services."""

    @property
    def hub_app(self) -> HubHost:
        return host(self)

    async def open(
        self, screen: Screen[T], callback: Callable[[T | None], None] | None = None
    ) -> None:
        """Push `screen` and return once it has mounted and given focus (with set_focus).

        Called from a priority binding, this holds the app's keys back meanwhile: what is
        typed straight after the key that opened a form (a paste, or keys over a slow
        link) goes into its fields rather than to the screen being left.
        """
        await self.app.push_screen(screen, callback)

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
