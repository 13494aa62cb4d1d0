"""A screen that says one thing: for people who may not use the application."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from hub_tui.widgets.footer import KeysFooter


class MessageScreen(Screen[None]):
    BINDINGS = [Binding("ctrl+q,q,escape", "app.quit", "Quit", id="quit")]
    DEFAULT_CSS = """
    MessageScreen Static { width: auto; max-width: 80; padding: 1 2; border: round $error; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.message, markup=False, id="message")
        yield KeysFooter()
