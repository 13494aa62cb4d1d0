"""Domain rules that are pure functions of stored facts."""

from __future__ import annotations

from collections.abc import Iterable

from hub_tui.models import AccountStatus


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
