"""The reference for start-up: the barest Textual app, one Static, launched the same way."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("READY-TO-GO")


if __name__ == "__main__":
    Bare().run()
