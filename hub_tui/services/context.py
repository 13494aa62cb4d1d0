"""Who is acting, inside which transaction, at what time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, Select
from sqlmodel import Session, col, select

from hub_tui.config import Settings
from hub_tui.db import WRITE_WAIT_SECONDS, transaction
from hub_tui.errors import Forbidden
from hub_tui.formatting import role_label
from hub_tui.models import (
    ADMIN_ROLES,
    AccountStatus,
    AuditEvent,
    Centre,
    OutboxMessage,
    Role,
    User,
    person_label,
    utcnow,
)
from hub_tui.validation import lookup_key

SYSTEM = "system"


@dataclass
class Ctx:
    session: Session
    settings: Settings
    actor: User | None  # None: an operator's command (demo, imports), not a person's
    now: datetime = field(default_factory=utcnow)

    @property
    def actor_label(self) -> str:
        return self.actor.email if self.actor else SYSTEM

    @property
    def actor_display(self) -> str:
        actor = self.actor
        return person_label(actor.name, actor.email) if actor else "School Support Hub"

    @property
    def actor_role(self) -> str:
        return self.actor.role if self.actor else "operator"

    @property
    def signed_in_as(self) -> str:
        """Who is signed in, with their role, as the header shows it."""
        return f"{self.actor_display} ({self._role_label})"

    @property
    def signed_in_short(self) -> str:
        """As `signed_in_as`, without the e-mail address: for a narrow window."""
        name = self.actor.name if self.actor else "School Support Hub"
        return f"{name} ({self._role_label})"

    @property
    def _role_label(self) -> str:
        return role_label(self.actor.role) if self.actor else "operator"

    def scoped(self, stmt: Select) -> Select:  # type: ignore[type-arg]
        """Limit a query over centres to those the actor may see: support sees all, anyone
        else only their own associate's centres."""
        if self.actor is None or self.actor.role == Role.SUPPORT:
            return stmt
        return stmt.where(col(Centre.associate_id) == self.actor.associate_id)

    def scoped_through(self, model: type[OutboxMessage | AuditEvent]) -> Select:  # type: ignore[type-arg]
        """Rows of `model` about centres the actor may see (rows about none: support only)."""
        stmt = select(model).outerjoin(Centre, col(Centre.id) == col(model.centre_id))
        return self.scoped(stmt)


def resolve_actor(session: Session, email: str) -> User:
    """The signed-in admin, or `Forbidden` saying why they cannot use hub-tui."""
    user = session.exec(select(User).where(col(User.email_key) == lookup_key(email))).first()
    if user is None:
        raise Forbidden(f"No hub user has the e-mail address {email.strip()!r}.")
    check_can_sign_in(user)
    return user


def check_can_sign_in(user: User) -> None:
    """`Forbidden`, saying why, unless `user` may use hub-tui now."""
    if user.role not in ADMIN_ROLES:
        raise Forbidden(
            f"{user.email} has no admin rights: hub-tui is for associate "
            "coordinators and support staff."
        )
    if user.status != AccountStatus.ACTIVE:
        raise Forbidden(f"The account {user.email} is {user.status}; it cannot sign in.")


class Hub:
    """Settings and engine together: what every front end opens its work with.

    `write_wait`: how long a change waits its turn on a SQLite database that another writer
    holds before it is refused as busy (see `transaction`)."""

    def __init__(
        self, settings: Settings, engine: Engine, *, write_wait: float = WRITE_WAIT_SECONDS
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.write_wait = write_wait

    @contextmanager
    def as_user(self, email: str, *, write: bool = False) -> Iterator[Ctx]:
        with transaction(self.engine, write=write, wait=self.write_wait) as session:
            yield Ctx(session, self.settings, resolve_actor(session, email))

    @contextmanager
    def as_system(self, *, write: bool = False) -> Iterator[Ctx]:
        with transaction(self.engine, write=write, wait=self.write_wait) as session:
            yield Ctx(session, self.settings, None)
