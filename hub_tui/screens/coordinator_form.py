"""Add coordinator: Name and Email, problems shown beside them, nothing saved until right."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Static

from hub_tui.screens.dialogs import FormDialog
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome
from hub_tui.widgets.person_fields import PersonFields
from hub_tui.widgets.text_input import TextInput

Submit = Callable[[Ctx, str, str], Outcome]


class CoordinatorForm(FormDialog):
    BINDINGS = [
        Binding("enter", "enter_field", "Send invitation", priority=True, id="coordinator.send")
    ]

    def __init__(self, title: str, intro: Content, submit: Submit) -> None:
        super().__init__(title)
        self.intro = intro
        self.submit = submit

    def compose_body(self) -> ComposeResult:
        yield Static(self.intro, classes="intro")
        yield PersonFields()
        yield Static("", id="form-problem", classes="problem", markup=False)
        with Horizontal():
            yield Button("Send invitation (enter)", id="submit", variant="primary")
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.focus_first(self.query_one("#name", TextInput))  # see HubScreen.open

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def send(self) -> None:
        fields = self.query_one(PersonFields)
        self.query_one("#form-problem", Static).update("")
        if not self.busy and fields.check():
            name, email = fields.values
            self.run_change(lambda ctx: self.submit(ctx, name, email))

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()
