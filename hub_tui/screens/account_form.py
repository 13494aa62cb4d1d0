"""Add person: name, e-mail, role and (for an associate coordinator) the associate; each
problem beside its field, nothing saved until all are right. An invitation goes out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from hub_tui.errors import HubError
from hub_tui.models import Role
from hub_tui.screens.base import call_service
from hub_tui.screens.dialogs import FormDialog
from hub_tui.services import accounts
from hub_tui.widgets.cells import cell
from hub_tui.widgets.person_fields import PersonFields
from hub_tui.widgets.text_input import TextInput

ROLES = [
    ("Support staff", Role.SUPPORT.value),
    ("Associate coordinator", Role.ASSOCIATE_COORDINATOR.value),
]


class AccountForm(FormDialog):
    BINDINGS = [
        Binding("enter", "enter_field", "Send invitation", priority=True, id="account.send")
    ]

    def __init__(self) -> None:
        super().__init__("Add person")

    def compose_body(self) -> ComposeResult:
        yield Static(
            Content("They get an invitation e-mail with a setup code, as a coordinator does."),
            classes="intro",
        )
        yield PersonFields()
        yield Label("Role", classes="field-label")
        yield Select(ROLES, id="role", allow_blank=False, value=Role.SUPPORT.value)
        yield Label("Associate", classes="field-label", id="associate-label")
        yield Select([], id="associate", prompt="Choose the associate")
        yield Static("", id="associate-problem", classes="problem", markup=False)
        yield Static("", id="form-problem", classes="problem", markup=False)
        with Horizontal():
            yield Button("Send invitation (enter)", id="submit", variant="primary")
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.focus_first(self.query_one("#name", TextInput))
        self.show_associate(False)
        call_service(self, accounts.associate_names, self.fill_associates)

    def fill_associates(self, names: list[str]) -> None:
        self.query_one("#associate", Select).set_options((cell(n), n) for n in names)

    def show_associate(self, shown: bool) -> None:
        for widget in self.query("#associate-label, #associate, #associate-problem"):
            widget.display = shown

    @on(Select.Changed, "#role")
    def role_changed(self, event: Select.Changed) -> None:
        self.show_associate(event.value == Role.ASSOCIATE_COORDINATOR.value)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def send(self) -> None:
        fields = self.query_one(PersonFields)
        for problem in ("#form-problem", "#associate-problem"):
            self.query_one(problem, Static).update("")
        if self.busy or not fields.check():
            return
        name, email = fields.values
        role = str(self.query_one("#role", Select).value)
        chosen = self.query_one("#associate", Select).value
        associate = chosen if isinstance(chosen, str) and role != Role.SUPPORT else None
        self.run_change(
            lambda ctx: accounts.add_account(
                ctx, name=name, email=email, role=role, associate=associate
            )
        )

    def refused(self, exc: HubError) -> None:
        if exc.field == "associate":
            self.busy = False
            self.query_one("#associate-problem", Static).update(exc.message)
            self.query_one("#associate", Select).focus()
            return
        super().refused(exc)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()
