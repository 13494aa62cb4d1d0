"""Domain rules that are pure functions of stored facts."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from hub_tui.models import AccountStatus, CentreStatus


class Action(StrEnum):
    """A change to a centre's school coordinator."""

    SUSPEND = "suspend"
    RESTORE = "restore"
    CHANGE = "change"
    RESEND = "resend"
    ADD = "add"


_HAS_COORDINATOR = frozenset(CentreStatus) - {CentreStatus.NOT_ACTIVATED}
# which centre statuses each change applies to: the services refuse, and the screens and
# the command line offer, by this one table
APPLIES_TO: dict[Action, frozenset[CentreStatus]] = {
    Action.SUSPEND: frozenset({CentreStatus.ACTIVE}),
    Action.RESTORE: frozenset({CentreStatus.SUSPENDED}),
    Action.CHANGE: _HAS_COORDINATOR,
    Action.RESEND: frozenset({CentreStatus.INVITED, CentreStatus.INVITATION_EXPIRED}),
    Action.ADD: frozenset({CentreStatus.NOT_ACTIVATED}),
}


def allows(action: Action, status: str) -> bool:
    return status in APPLIES_TO[action]


def actions_for(status: str) -> list[Action]:
    return [action for action in Action if allows(action, status)]


def count_with_access(person_statuses: Iterable[str], coordinator_status: str | None) -> int:
    return sum(has_access(s, coordinator_status) for s in person_statuses)


def has_access(person_status: str, coordinator_status: str | None) -> bool:
    """A person at a centre has hub access ⇔ their own account is active and the centre
    has a coordinator whose account is not suspended."""
    return (
        person_status == AccountStatus.ACTIVE
        and coordinator_status is not None
        and coordinator_status != AccountStatus.SUSPENDED
    )
