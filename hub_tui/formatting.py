"""How times, counts and names are written for a person to read: one place for each."""

from __future__ import annotations

from datetime import datetime

STATUS_LABELS = {
    "not_activated": "Not activated",
    "invited": "Invited",
    "invitation_expired": "Invitation expired",
    "active": "Active",
    "suspended": "Suspended",
}


def status_label(status: str) -> str:
    """A centre's status as the screens show it."""
    return STATUS_LABELS.get(status, status)


def utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def centre_label(name: str, number: str) -> str:
    """`Ashford Academy (GB001)`: a centre as the e-mails name it."""
    return f"{name} ({number})"


def role_label(role: str) -> str:
    """`associate coordinator`, `support`: a role as a person reads it."""
    return role.replace("_", " ")


def count(n: int, one: str, many: str) -> str:
    """`1 person`, `2 people`: every count a person reads goes through here."""
    return f"{n:,} {one if n == 1 else many}"


def people(n: int) -> str:
    return count(n, "person", "people")
