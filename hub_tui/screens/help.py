"""Keys help: built from the real bindings of the screen underneath, never a kept list."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 70; height: auto; max-height: 90%; padding: 1 2; border: thick $primary;
        background: $surface;
    }
    HelpScreen DataTable { height: auto; max-height: 100%; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.under = screen
        # read now, while that screen is in front: what applies there, not over this one
        self.actives = list(screen.active_bindings.values())

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled(f"Keys — {self.under.title or self.app.title}", "bold"))
            yield DataTable(cursor_type="none", show_header=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        seen: set[str] = set()
        # the screen's own keys and the app's first, then those of the focused widget
        first = (self.under, self.app)
        actives = sorted(self.actives, key=lambda active: 0 if active.node in first else 1)
        for active in actives:
            binding = active.binding
            if not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            label = self.app.get_key_display(binding)
            note = "" if active.enabled else " (not now)"
            table.add_row(Text(label), Text(binding.description + note))
