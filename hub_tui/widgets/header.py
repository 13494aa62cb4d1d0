"""The title line at the top of a screen, as Textual's header shows it."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
LEFT = 8  # the icon's room, as in Textual's header
RIGHT = 10  # the room its clock would take


class TitleBar(Widget):
    """The screen's title and subtitle (as the app formats them), centred, with the icon
    that opens the command palette at the left.

    One widget: Textual's header is four (itself, the icon, the title and the clock's
    room), each styled, laid out and drawn, on every screen."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self.retitle, init=False)
            self.watch(node, "sub_title", self.retitle, init=False)

    def retitle(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(
            screen.title if screen.title is not None else app.title,
            screen.sub_title if screen.sub_title is not None else app.sub_title,
        )
        room = max(0, self.size.width - LEFT - RIGHT)
        title = title.truncate(room, ellipsis=True)
        before = (room - title.cell_length) // 2
        icon = f" {ICON}".ljust(LEFT)
        return Content.assemble(icon, " " * before, title).pad_right(
            self.size.width - LEFT - before - title.cell_length
        )

    async def on_click(self, event: events.Click) -> None:
        if event.x < LEFT and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
