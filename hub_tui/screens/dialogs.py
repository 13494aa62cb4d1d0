"""Confirmations: `y` confirms, `n` or `escape` cancels."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from hub_tui.limits import REASON_MAX

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 72; height: auto; padding: 1 2; border: thick $primary; background: $surface;
}}
{name} .question {{ margin-bottom: 1; }}
{name} Horizontal {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} Button {{ margin-left: 2; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question. The question is Content, so names in it are never markup."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: Content, *, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled(self.title_text, "bold"))
            yield Static(self.question, classes="question")
            with Horizontal():
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass(frozen=True)
class SuspendAnswer:
    reason: str


class SuspendDialog(ModalScreen[SuspendAnswer | None]):
    """Suspend, with how many people lose access and an optional reason."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SuspendDialog")
    BINDINGS = [
        Binding("y", "confirm", "Suspend", id="suspend.yes"),
        Binding("n,escape", "cancel", "Cancel", id="suspend.no"),
    ]

    def __init__(self, question: Content) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled("Suspend account", "bold"))
            yield Static(self.question, classes="question")
            yield Input(
                placeholder="Reason (optional; tab here, enter to suspend)",
                id="reason",
                max_length=REASON_MAX,
            )
            with Horizontal():
                yield Button("Suspend (y)", id="yes", variant="error")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))  # so y and n answer at once

    def action_confirm(self) -> None:
        self.dismiss(SuspendAnswer(self.query_one("#reason", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#reason")
    def reason_entered(self) -> None:
        self.action_confirm()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_confirm()
        else:
            self.action_cancel()
