"""Name and Email inputs with their problems shown beside them: what the form's checks or
the database refused, and a paste the box refused."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from hub_tui.errors import HubError, Invalid
from hub_tui.limits import EMAIL_MAX, NAME_MAX
from hub_tui.validation import clean_email, clean_name
from hub_tui.widgets.text_input import TextInput


class PersonFields(Vertical):
    DEFAULT_CSS = """
    PersonFields { height: auto; }
    PersonFields .field-label { margin-top: 1; }
    PersonFields .problem { color: $error; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.paste_refused_in: set[str] = set()  # the fields whose problem is a refused paste

    def compose(self) -> ComposeResult:
        yield Label("Name", classes="field-label")
        yield TextInput(id="name", max_length=NAME_MAX, placeholder="Full name")
        yield Static("", id="name-problem", classes="problem", markup=False)
        yield Label("Email", classes="field-label")
        yield TextInput(id="email", max_length=EMAIL_MAX, placeholder="name@school.org")
        yield Static("", id="email-problem", classes="problem", markup=False)

    @property
    def values(self) -> tuple[str, str]:
        return self.query_one("#name", Input).value, self.query_one("#email", Input).value

    @on(TextInput.Refused)
    def paste_refused(self, event: TextInput.Refused) -> None:
        event.stop()
        field = event.text_input.id or ""
        self.query_one(f"#{field}-problem", Static).update(event.message)
        self.paste_refused_in.add(field)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        # what is typed or pasted next makes the refusal old news; a problem the checks
        # found stays until the next check
        field = event.input.id or ""
        if field in self.paste_refused_in:
            self.paste_refused_in.discard(field)
            self.query_one(f"#{field}-problem", Static).update("")

    def check(self) -> bool:
        """The form's own checks, before any round trip to the database."""
        self.clear()
        name, email = self.values
        problems: list[Invalid] = []
        for check, value in ((clean_name, name), (clean_email, email)):
            try:
                check(value)
            except Invalid as problem:
                problems.append(problem)
        for each in reversed(problems):  # the first field with a problem ends with the focus
            self.show(each)
        return not problems

    def show(self, exc: HubError) -> bool:
        """Put a refusal beside its field; False when it belongs to no field here."""
        if exc.field not in ("name", "email"):
            return False
        self.paste_refused_in.discard(exc.field)
        self.query_one(f"#{exc.field}-problem", Static).update(exc.message)
        self.query_one(f"#{exc.field}", Input).focus()
        return True

    def clear(self) -> None:
        self.paste_refused_in.clear()
        for field in ("name", "email"):
            self.query_one(f"#{field}-problem", Static).update("")
