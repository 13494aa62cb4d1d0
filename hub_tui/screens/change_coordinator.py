"""Change coordinator, the two ways of the web: Select existing user, or Create new
coordinator. Either is confirmed before anything changes."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from hub_tui.models import person_label
from hub_tui.screens.dialogs import ConfirmDialog, FormDialog
from hub_tui.services import coordinators
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome
from hub_tui.services.views import CentreDetail
from hub_tui.widgets.cells import cell
from hub_tui.widgets.person_fields import PersonFields


class ChangeCoordinatorScreen(FormDialog):
    BINDINGS = [
        Binding("enter", "enter_field", "Create and invite", priority=True, id="change.create")
    ]

    def __init__(self, detail: CentreDetail) -> None:
        super().__init__("Change coordinator")
        self.detail = detail

    def compose_body(self) -> ComposeResult:
        row = self.detail.row
        current = row.coordinator
        eligible = self.detail.eligible_coordinators
        options = [(cell(person_label(p.name, p.email)), p.email) for p in eligible]
        yield Static(
            Content.from_markup(
                "School coordinator of $number: $name",
                number=row.centre_number,
                name=person_label(current.name, current.email) if current else "none",
            ),
            classes="intro",
        )
        yield Label("Select existing user", classes="way")
        if options:
            yield Select(options, prompt="Choose an administrator of this centre", id="existing")
            with Horizontal():
                yield Button("Make coordinator", id="choose", variant="primary")
        else:
            yield Static("No other active administrator at this centre.")
        yield Label("Create new coordinator", classes="way")
        yield PersonFields()
        yield Static("", id="form-problem", classes="problem", markup=False)
        with Horizontal():
            yield Button("Create and invite", id="create", variant="primary")
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        first = self.query("#existing") or self.query("#name")
        self.focus_first(first.first())  # see HubScreen.open

    @on(Button.Pressed, "#choose")
    def choose(self) -> None:
        value = self.query_one("#existing", Select).value
        if not isinstance(value, str):
            self.notify("Choose an administrator first.", severity="warning")
            return
        chosen = next(p for p in self.detail.eligible_coordinators if p.email == value)
        question = Content.from_markup(
            "Make $who the school coordinator of $number? They will get an e-mail saying so.",
            who=person_label(chosen.name, chosen.email),
            number=self.detail.row.centre_number,
        )
        self.confirm(
            question,
            lambda ctx: coordinators.change_to_existing(
                ctx,
                centre_number=self.detail.row.centre_number,
                email=chosen.email,
                expected_version=self.detail.row.version,
            ),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def create(self) -> None:
        fields = self.query_one(PersonFields)
        if self.busy or not fields.check():
            return
        name, email = fields.values
        question = Content.from_markup(
            "Replace the coordinator of $number with $who? An invitation will be sent.",
            who=person_label(name.strip(), email.strip()),
            number=self.detail.row.centre_number,
        )
        self.confirm(
            question,
            lambda ctx: coordinators.change_to_new(
                ctx,
                centre_number=self.detail.row.centre_number,
                name=name,
                email=email,
                expected_version=self.detail.row.version,
            ),
        )

    def confirm(self, question: Content, change: Callable[[Ctx], Outcome]) -> None:
        if (note := self.detail.change_note) is not None:
            question += Content(f" {note}")

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_change(change)

        self.app.push_screen(ConfirmDialog("Change coordinator", question), answered)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()
