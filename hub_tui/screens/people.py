"""People: the accounts of support staff and associate coordinators (support only).

`a` adds one (an invitation goes out), `s` suspends the highlighted one (a reason, `y` to
confirm), `r` restores it and `i` sends it a new invitation (each after `y`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable

from hub_tui.errors import HubError
from hub_tui.formatting import role_label
from hub_tui.models import AccountStatus, person_label
from hub_tui.screens.account_form import AccountForm
from hub_tui.screens.base import show_refusal
from hub_tui.screens.centre import resend_question
from hub_tui.screens.dialogs import ConfirmDialog, SuspendAnswer, SuspendDialog
from hub_tui.screens.listing import ListingScreen
from hub_tui.services import accounts
from hub_tui.services.accounts import AccountRow
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome


class PeopleScreen(ListingScreen):
    TITLE = "Administration › People"
    COLUMNS = ("Name", "Email", "Role", "Associate", "Account", "SSH keys")
    BINDINGS = [
        Binding("a", "add", "Add person", id="people.add"),
        Binding("s", "suspend", "Suspend account", id="people.suspend"),
        Binding("r", "restore", "Restore account", id="people.restore"),
        Binding("i", "resend", "Resend invitation", id="people.resend"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.accounts: list[AccountRow] = []

    def fetch(self, ctx: Ctx, limit: int) -> list[AccountRow]:
        return accounts.list_accounts(ctx, limit=limit)

    def cells(self, row: AccountRow) -> tuple[str, ...]:
        keys = str(row.keys)
        return (row.name, row.email, role_label(row.role), row.associate or "", row.status, keys)

    def show(self, rows: list[Any]) -> None:
        self.accounts = rows
        super().show(rows)
        self.refresh_bindings()

    @property
    def current(self) -> AccountRow | None:
        row = self.query_one(DataTable).cursor_row
        return self.accounts[row] if 0 <= row < len(self.accounts) else None

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()  # which of s and r apply

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self.current
        if action == "suspend":
            return current is not None and current.status == AccountStatus.ACTIVE
        if action == "restore":
            return current is not None and current.status == AccountStatus.SUSPENDED
        if action == "resend":
            return current is not None and current.status == AccountStatus.INVITED
        return True

    def done(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            self.notify(outcome.message, title="Done", markup=False, timeout=8)
        self.action_reload()

    def change(self, fn: Callable[[Ctx], Outcome]) -> None:
        self.call(fn, self.done, write=True, refused=self.refused)

    def refused(self, exc: HubError) -> None:
        show_refusal(self, exc)
        self.action_reload()

    async def action_add(self) -> None:
        await self.open(AccountForm(), self.done)

    async def action_resend(self) -> None:
        if (who := self.current) is None:
            return
        # asked first: the code in the invitation already sent stops working
        question = resend_question(
            person_label(who.name, who.email), hours=self.hub_app.hub.settings.invite_ttl_hours
        )
        email = who.email

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(lambda ctx: accounts.resend_invitation(ctx, email=email))

        await self.open(ConfirmDialog("Resend invitation", question, yes="Resend"), answered)

    async def action_suspend(self) -> None:
        if (who := self.current) is None:
            return
        question = Content.from_markup(
            "Suspend $who? They can no longer sign in anywhere, and their open sessions end.",
            who=person_label(who.name, who.email),
        )
        email = who.email

        def answered(answer: SuspendAnswer | None) -> None:
            if answer is not None:
                self.change(
                    lambda ctx: accounts.suspend_account(ctx, email=email, reason=answer.reason)
                )

        await self.open(SuspendDialog(question), answered)

    async def action_restore(self) -> None:
        if (who := self.current) is None:
            return
        question = Content.from_markup(
            "Restore $who? They can sign in again.", who=person_label(who.name, who.email)
        )
        email = who.email

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(lambda ctx: accounts.restore_account(ctx, email=email))

        await self.open(ConfirmDialog("Restore account", question), answered)
