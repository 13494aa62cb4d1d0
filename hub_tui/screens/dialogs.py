"""Dialogs: confirmations (`y` confirms, `n` or `escape` cancels) and forms that make one
change. All share one look, in dialogs.tcss."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from hub_tui.errors import HubError, Stale
from hub_tui.limits import REASON_MAX
from hub_tui.screens.base import call_service, show_refusal
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome
from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.person_fields import PersonFields
from hub_tui.widgets.text_input import TextInput

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A box in the middle of the screen, over the one it was opened from, with its heading
    fixed at the top of the box (the rest scrolls, on a small terminal) and a footer of its
    own keys: a modal screen's keys are not those of the screen underneath, whose footer
    would go on showing them."""

    CSS_PATH = Path(__file__).with_name("dialogs.tcss")  # wherever a subclass is defined
    DEFAULT_CLASSES = "dialog"
    AUTO_FOCUS = ""  # none: each dialog says where the focus starts, with focus_first

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(Content.styled(self.heading, "bold"), id="heading")
            yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        """What the box holds below its heading."""
        yield from ()

    def focus_first(self, widget: Widget) -> None:
        """Where the focus starts, from on_mount. Without scrolling to it: before the first
        layout, Textual would scroll a box taller than the terminal to its end."""
        self.set_focus(widget, scroll_visible=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_field":  # elsewhere enter presses a button or opens a dropdown
            return isinstance(self.focused, TextInput)
        return True

    def action_enter_field(self) -> None:
        """Only names `enter` in the footer, where this priority binding outranks the text
        box's own, hidden one. The box's enter does the work, after the keys before it."""
        raise SkipAction()


class ConfirmDialog(Dialog[bool]):
    """A yes/no question. The question is Content, so names in it are never markup."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", key_display="n/esc", id="confirm.no"),
        Binding("escape", "answer(False)", "No", id="confirm.escape"),
    ]

    def __init__(self, title: str, question: Content, *, yes: str = "Yes") -> None:
        super().__init__(title)
        self.question = question
        self.yes = yes

    def compose_body(self) -> ComposeResult:
        yield Static(self.question, classes="question")
        with Horizontal():
            yield Button(Content(f"{self.yes} (y)"), id="yes", variant="primary")
            yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.focus_first(self.query_one("#no", Button))

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass(frozen=True)
class SuspendAnswer:
    reason: str


class SuspendDialog(Dialog[SuspendAnswer | None]):
    """Suspend, with how many people lose access and an optional reason."""

    BINDINGS = [
        Binding("y", "confirm", "Suspend", id="suspend.yes"),
        Binding("n", "cancel", "Cancel", key_display="n/esc", id="suspend.no"),
        Binding("escape", "cancel", "Cancel", id="suspend.escape"),  # in the reason box too
        Binding("enter", "enter_field", "Suspend", priority=True, id="suspend.enter"),
    ]

    def __init__(self, question: Content, *, heading: str = "Suspend account") -> None:
        super().__init__(heading)
        self.question = question

    def compose_body(self) -> ComposeResult:
        yield Static(self.question, classes="question")
        yield TextInput(
            placeholder="Reason (optional; tab here, enter to suspend)",
            id="reason",
            max_length=REASON_MAX,
        )
        yield Static("", id="reason-problem", classes="problem", markup=False)
        with Horizontal():
            yield Button("Suspend (y)", id="yes", variant="error")
            yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.focus_first(self.query_one("#no", Button))  # so y and n answer at once

    def action_confirm(self) -> None:
        self.dismiss(SuspendAnswer(self.query_one("#reason", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#reason")
    def reason_entered(self) -> None:
        self.action_confirm()

    @on(TextInput.Refused, "#reason")
    def paste_refused(self, event: TextInput.Refused) -> None:
        event.stop()
        self.query_one("#reason-problem", Static).update(event.message)

    @on(Input.Changed, "#reason")
    def reason_changed(self) -> None:
        self.query_one("#reason-problem", Static).update("")  # a refusal no longer applies

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_confirm()
        else:
            self.action_cancel()


class FormDialog(Dialog[Outcome | None]):
    """A dialog that makes one change: busy while it runs, closed by its result.

    While the change runs, cancelling is refused; so the result always closes this dialog
    and never whatever screen happens to be on top.
    """

    DEFAULT_CLASSES = "dialog form"
    # priority: the form is gone before the app routes the keys typed after escape
    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True, id="form.cancel")]

    def __init__(self, heading: str) -> None:
        super().__init__(heading)
        self.busy = False

    def run_change(self, change: Callable[[Ctx], Outcome]) -> None:
        if self.busy:
            return
        self.busy = True
        call_service(self, change, self.finished, write=True, refused=self.refused)

    def finished(self, outcome: Outcome) -> None:
        self.busy = False
        self.dismiss(outcome)

    def refused(self, exc: HubError) -> None:
        self.busy = False
        if isinstance(exc, Stale):  # the screen below reloads, to show what changed
            show_refusal(self, exc)
            self.dismiss(None)
        elif not self.query_one(PersonFields).show(exc):
            self.query_one("#form-problem", Static).update(exc.message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":  # an open dropdown takes escape first, to close
            return not any(select.expanded for select in self.query(Select))
        return super().check_action(action, parameters)

    def action_cancel(self) -> None:
        if self.busy:
            self.notify("Still saving; one moment.", severity="warning")
            return
        self.dismiss(None)
