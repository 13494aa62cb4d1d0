"""My Associate Centre: one centre, its school coordinator, the actions, and its people."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Label, Static

from hub_tui.errors import HubError, Stale
from hub_tui.formatting import people, status_label
from hub_tui.models import CentreStatus, person_label
from hub_tui.rules import Action
from hub_tui.screens.base import HubScreen, show_refusal
from hub_tui.screens.change_coordinator import ChangeCoordinatorScreen
from hub_tui.screens.coordinator_form import CoordinatorForm
from hub_tui.screens.dialogs import ConfirmDialog, SuspendAnswer, SuspendDialog
from hub_tui.services import coordinators
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome
from hub_tui.services.views import CentreDetail
from hub_tui.widgets.cells import cell, fill
from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.header import TitleBar
from hub_tui.widgets.table import Table

# each change's button, in the order shown (which apply: CentreDetail.actions)
BUTTONS: dict[Action, str] = {
    Action.SUSPEND: "Suspend account (s)",
    Action.RESTORE: "Restore account (r)",
    Action.CHANGE: "Change coordinator (c)",
    Action.RESEND: "Resend invitation (i)",
    Action.ADD: "Add coordinator (a)",
}


PEOPLE_COLUMNS = ("Name", "Email", "Role", "Account", "Hub access")


class CentreScreen(HubScreen):
    TITLE = "Administration › Associate Centres › My Associate Centre"
    DEFAULT_CSS = """
    CentreScreen #body { padding: 0 1; }
    CentreScreen .section { margin-top: 1; text-style: bold; color: $accent; }
    CentreScreen #actions { height: auto; margin-top: 1; }
    CentreScreen #actions Button { margin-right: 1; }
    CentreScreen #people { height: auto; max-height: 20; margin-top: 1; }
    """
    # priority, so that the app opens the dialog, or goes back, before it routes the keys
    # typed after (see HubScreen.open)
    BINDINGS = [
        Binding("s", "suspend", "Suspend account", priority=True, id="centre.suspend"),
        Binding("r", "restore", "Restore account", priority=True, id="centre.restore"),
        Binding("c", "change", "Change coordinator", priority=True, id="centre.change"),
        Binding("i", "resend", "Resend invitation", priority=True, id="centre.resend"),
        Binding("a", "add", "Add coordinator", priority=True, id="centre.add"),
        Binding("escape", "app.pop_screen", "Back", priority=True, id="centre.back"),
    ]

    def __init__(self, centre_number: str) -> None:
        super().__init__()
        self.centre_number = centre_number
        self.detail: CentreDetail | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="body"):
            yield Static("Loading…", id="centre")
            yield Label("School coordinator", classes="section")
            yield Static("", id="coordinator")
            with Horizontal(id="actions"):
                for action, label in BUTTONS.items():
                    yield Button(label, id=action.value, classes="action")
            yield Label("People at this centre", classes="section")
            yield Table(id="people", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        for button in self.query(".action"):
            button.display = False
        self.load()

    def load(self) -> None:
        number = self.centre_number
        self.call(lambda ctx: centre_detail(ctx, number), self.show, group="load")

    def show(self, detail: CentreDetail) -> None:
        self.detail = detail
        row = detail.row
        self.query_one("#centre", Static).update(
            Content.from_markup(
                "[b]$number  $name[/b]\nCountry: $country    Associate: $associate    "
                "Status: [b]$status[/b]",
                number=row.centre_number,
                name=row.name,
                country=row.country,
                associate=row.associate,
                status=status_label(row.status),
            )
        )
        self.query_one("#coordinator", Static).update(self.coordinator_text(detail))
        for action in BUTTONS:
            self.query_one(f"#{action}", Button).display = action in detail.actions
        rows = []
        for p in detail.people:
            role = p.person.role + (" (coordinator)" if p.is_coordinator else "")
            access = "yes" if p.has_access else "no"
            texts = (p.person.name, p.person.email, role, p.person.status, access)
            rows.append([cell(c) for c in texts])
        fill(self.query_one("#people", DataTable), PEOPLE_COLUMNS, rows)
        self.refresh_bindings()

    @staticmethod
    def coordinator_text(detail: CentreDetail) -> Content:
        c = detail.row.coordinator
        if c is None:
            return Content("None yet. Add a coordinator to activate this centre (a).")
        parts = [
            Content.from_markup(
                "Name: $name\nEmail: $email\nAccount: $status",
                name=c.name,
                email=c.email,
                status=c.status,
            )
        ]
        # Content, not markup: names and reasons are shown as typed
        if (invitation := detail.invitation_text) is not None:
            parts.append(Content(invitation))
        if (s := detail.suspension) is not None:
            parts.append(Content(s.describe()))
        parts.append(Content(detail.access_summary))
        return Content("\n").join(parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BUTTONS:
            return self.detail is not None and Action(action) in self.detail.actions
        return True

    @on(Button.Pressed, ".action")
    async def button(self, event: Button.Pressed) -> None:
        await self.run_action(event.button.id or "")

    # -- the actions ----------------------------------------------------------------

    def done(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            self.notify(outcome.message, title="Done", markup=False, timeout=8)
        self.load()

    def refused(self, exc: HubError) -> None:
        show_refusal(self, exc)
        if isinstance(exc, Stale):
            self.load()  # show what changed

    def change_now(self, change: object) -> None:
        self.call(change, self.done, write=True, refused=self.refused)  # type: ignore[arg-type]

    async def action_suspend(self) -> None:
        d = self.detail
        if d is None or d.row.coordinator is None:
            return
        c, number, version = d.row.coordinator, d.row.centre_number, d.row.version
        question = Content.from_markup(
            "Suspend $who? While the account is suspended, none of the teachers and "
            "administrators of $number can use the hub: [b]$count[/b] will lose access.",
            who=person_label(c.name, c.email),
            number=number,
            count=people(d.people_with_access),
        )

        def answered(answer: SuspendAnswer | None) -> None:
            if answer is not None:
                self.change_now(
                    lambda ctx: coordinators.suspend(
                        ctx, centre_number=number, reason=answer.reason, expected_version=version
                    )
                )

        await self.open(SuspendDialog(question), answered)

    async def action_restore(self) -> None:
        d = self.detail
        if d is None or d.row.coordinator is None:
            return
        c, number, version = d.row.coordinator, d.row.centre_number, d.row.version
        question = Content.from_markup(
            "Restore $who? $count at $number will have hub access again.",
            who=person_label(c.name, c.email),
            number=number,
            count=people(d.regain_on_restore),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.change_now(
                    lambda ctx: coordinators.restore(
                        ctx, centre_number=number, expected_version=version
                    )
                )

        await self.open(ConfirmDialog("Restore account", question), answered)

    async def action_resend(self) -> None:
        d = self.detail
        if d is None or d.row.coordinator is None:
            return
        c, number, version = d.row.coordinator, d.row.centre_number, d.row.version
        # asked first: the code in the invitation already sent stops working
        question = resend_question(
            person_label(c.name, c.email),
            expired=d.row.status == CentreStatus.INVITATION_EXPIRED,
            hours=self.hub_app.hub.settings.invite_ttl_hours,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.change_now(
                    lambda ctx: coordinators.resend_invitation(
                        ctx, centre_number=number, expected_version=version
                    )
                )

        await self.open(ConfirmDialog("Resend invitation", question, yes="Resend"), answered)

    async def action_change(self) -> None:
        if self.detail is not None:
            await self.open(ChangeCoordinatorScreen(self.detail), self.done)

    async def action_add(self) -> None:
        if (d := self.detail) is not None:
            hours = self.hub_app.hub.settings.invite_ttl_hours
            form = add_coordinator_form(d.row.centre_number, d.row.name, d.row.version, hours=hours)
            await self.open(form, self.done)


def resend_question(who: str, *, hours: float, expired: bool = False) -> Content:
    """What a resend does, for its confirmation (the People screen's too)."""
    before = (
        ", in place of the one that ran out" if expired else "; the code sent before stops working"
    )
    return Content.from_markup(
        "A new invitation goes to [b]$who[/b]$before. The new one works for $hours hours.",
        who=who,
        before=before,
        hours=f"{hours:g}",
    )


def add_coordinator_form(
    number: str, name: str, version: int | None, *, hours: float
) -> CoordinatorForm:
    """The Activate form; `version` is the centre as shown, so a stale view is refused."""

    def submit(ctx: Ctx, person_name: str, email: str) -> Outcome:
        return coordinators.add_coordinator(
            ctx, centre_number=number, name=person_name, email=email, expected_version=version
        )

    intro = Content.from_markup(
        "Activate [b]$number $name[/b]: the new school coordinator gets an invitation "
        "e-mail and has $hours hours to set up the account.",
        number=number,
        name=name,
        hours=f"{hours:g}",
    )
    return CoordinatorForm("Add coordinator", intro, submit)
