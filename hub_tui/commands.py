"""The command palette (ctrl+p): go to a centre by its number, or open a screen."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from functools import partial
from typing import cast

from rich.text import Text
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from hub_tui.errors import HubError
from hub_tui.formatting import status_label
from hub_tui.models import Role
from hub_tui.screens.base import HubHost
from hub_tui.screens.navigation import open_centre, open_named
from hub_tui.services.centres import list_centres
from hub_tui.services.views import CentreRow
from hub_tui.validation import printable

SCREENS = {
    "Associate centres": ("centres", "The list of centres"),
    "Mail outbox": ("outbox", "Every e-mail and whether it was delivered"),
    "Audit log": ("audit", "Who changed what, and when"),
    "People": ("people", "The accounts of support staff and associate coordinators"),
}


def useful(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own commands, less two: over SSH a screenshot would be saved on the server,
    and its keys panel cannot be closed with escape (? shows the keys instead)."""
    return (command for command in commands if command.title not in ("Screenshot", "Keys"))


class HubCommands(Provider):
    @property
    def hub_app(self) -> HubHost:
        return cast(HubHost, self.app)

    async def discover(self) -> Hits:
        for name, (screen, help_text) in self.screens():
            yield DiscoveryHit(
                f"Open {name.lower()}", partial(open_named, self.app, screen), help=help_text
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, (screen, help_text) in self.screens():
            label = f"Open {name.lower()}"
            if (score := matcher.match(label)) > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(open_named, self.app, screen),
                    help=help_text,
                )
        text = query.strip().removeprefix("go to").strip()
        if not text:
            return
        for row in await asyncio.to_thread(self.find, text):
            goto = Text(printable(f"Go to centre {row.centre_number}  {row.name}"))
            yield Hit(
                1.0 if row.centre_number == text.upper() else 0.8,
                goto,
                partial(open_centre, self.app, row.centre_number),
                help=status_label(row.status),
            )

    def screens(self) -> Iterator[tuple[str, tuple[str, str]]]:
        """The screens this person may open (People is for support only)."""
        for name, (screen, help_text) in SCREENS.items():
            if screen != "people" or self.hub_app.role == Role.SUPPORT:
                yield name, (screen, help_text)

    def find(self, text: str) -> list[CentreRow]:
        app = self.hub_app
        try:
            with app.hub.as_user(app.user_email) as ctx:
                return list_centres(ctx, search=text, limit=8)
        except HubError:
            return []
