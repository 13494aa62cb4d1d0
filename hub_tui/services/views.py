"""What the services hand out: each output shape declared once, as a pydantic model.

The screens read the fields; `--json` prints `to_json()` and `--csv` flattens it, so the
three never drift apart."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from hub_tui.formatting import people, utc_text
from hub_tui.models import AccountStatus, CentreStatus, Role, person_label
from hub_tui.rules import Action, actions_for, count_with_access

# ISO 8601 with the offset written out (+00:00), as the command line has always printed
Time = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class PersonView(View):
    id: int = Field(exclude=True)
    name: str
    email: str
    role: str = Field(exclude=True)
    status: str


class CentreRow(View):
    id: int = Field(exclude=True)
    centre_number: str
    name: str
    country: str
    associate: str
    status: str
    version: int = Field(exclude=True)
    coordinator: PersonView | None


class InvitationView(View):
    sent_at: Time
    expires_at: Time
    invited_by: str = Field(exclude=True)

    def describe(self, *, expired: bool) -> str:
        ends = "expired" if expired else "expires"
        return (
            f"Invitation sent {utc_text(self.sent_at)} by {self.invited_by}; "
            f"it {ends} {utc_text(self.expires_at)}"
        )


def absent(value: object) -> bool:
    return value is None


class SuspensionView(View):
    at: Time
    by: str
    reason: str | None
    # shown only when there is something to show
    restored_at: Time | None = Field(default=None, exclude_if=absent)
    restored_by: str | None = Field(default=None, exclude_if=absent)
    # whose, when not the coordinator's now: a replaced coordinator
    former: str | None = Field(
        default=None, exclude_if=absent, serialization_alias="former_coordinator"
    )

    @property
    def current(self) -> bool:
        """The centre's coordinator is suspended now: its people have no access."""
        return self.restored_at is None and self.former is None

    def describe(self) -> str:
        """One line for people: when, by whom and why; and when restored."""
        text = f"Suspended {utc_text(self.at)} by {self.by}"
        if self.former is not None:  # a coordinator since replaced: it stays on the record
            text = f"Former coordinator {self.former}: s{text[1:]}"
        if self.reason:
            text += f": {self.reason}"
        if self.restored_at is not None:
            text += f"; restored {utc_text(self.restored_at)} by {self.restored_by}"
        return text


class PersonAccess(View):
    person: PersonView
    has_access: bool
    is_coordinator: bool

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The person's own fields beside their access, role included."""
        data: dict[str, Any] = handler(self)
        del data["person"]
        p = self.person
        return {"name": p.name, "email": p.email, "role": p.role, "status": p.status} | data


class CentreDetail(View):
    row: CentreRow
    people: list[PersonAccess]
    invitation: InvitationView | None
    # the coordinator's latest, current or restored; else a replaced coordinator's (it stays
    # visible on the centre)
    suspension: SuspensionView | None

    @property
    def people_with_access(self) -> int:
        return sum(p.has_access for p in self.people)

    @property
    def actions(self) -> list[Action]:
        """The changes that apply to the centre as it is."""
        return actions_for(self.row.status)

    @property
    def access_summary(self) -> str:
        return (
            f"{people(len(self.people))} at this centre; {self.people_with_access} with hub access."
        )

    @property
    def invitation_text(self) -> str | None:
        """The pending invitation, when sent and when it ends (or ended)."""
        if self.invitation is None:
            return None
        return self.invitation.describe(expired=self.row.status == CentreStatus.INVITATION_EXPIRED)

    @property
    def change_note(self) -> str | None:
        """What a change of coordinator does beyond the change itself, if anything."""
        current = self.row.coordinator
        if current is None or current.status != AccountStatus.SUSPENDED:
            return None
        who = person_label(current.name, current.email)
        return f"The centre's people get hub access again; {who} stays suspended."

    @property
    def regain_on_restore(self) -> int:
        """How many would have access again, were the coordinator restored now."""
        after = [AccountStatus.ACTIVE if p.is_coordinator else p.person.status for p in self.people]
        return count_with_access(after, AccountStatus.ACTIVE)

    @property
    def eligible_coordinators(self) -> list[PersonView]:
        """Who the coordinator may be changed to: active administrators, not the current one."""
        return [
            p.person
            for p in self.people
            if p.person.role == Role.ADMINISTRATOR
            and p.person.status == AccountStatus.ACTIVE
            and not p.is_coordinator
        ]

    @model_serializer(mode="wrap")
    def _shape(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The centre's row, with its people, the changes that apply, and the suspension:
        one in force as `suspension`, one since lifted (or a replaced coordinator's) as
        `last_suspension`."""
        data: dict[str, Any] = handler(self)
        row: dict[str, Any] = data.pop("row")
        suspension = data.pop("suspension")
        current = self.suspension is not None and self.suspension.current
        return row | {
            "actions": [a.value for a in self.actions],
            "people": data["people"],
            "people_with_access": self.people_with_access,
            "invitation": data["invitation"],
            "suspension": suspension if current else None,
            "last_suspension": None if current else suspension,
        }
