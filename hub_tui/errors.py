"""The refusals a service can give. Each carries one line meant for a person."""

from __future__ import annotations


class HubError(Exception):
    """A rule or a missing thing refused the request; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the problem belongs to, when there is one


class NotFound(HubError):
    pass


class Invalid(HubError):
    pass


class Forbidden(HubError):
    pass


class Conflict(HubError):
    """The request contradicts the current state (duplicate e-mail, wrong status)."""


class Stale(Conflict):
    """Someone else changed the centre since the caller looked at it."""


class Busy(HubError):
    """The database could not be reached or stayed locked; try again."""
