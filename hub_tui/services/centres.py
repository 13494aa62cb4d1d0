"""Reading centres: the list, the search, and one centre with its people."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
)
from sqlalchemy import select as sa_select
from sqlalchemy import text as sa_text
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from hub_tui.errors import Invalid, NotFound
from hub_tui.models import (
    AccountStatus,
    Associate,
    Centre,
    CentreStatus,
    Invitation,
    User,
    person_label,
)
from hub_tui.rules import has_access
from hub_tui.services.context import Ctx
from hub_tui.services.views import (
    CentreDetail,
    CentreRow,
    InvitationView,
    PersonAccess,
    PersonView,
    SuspensionView,
)
from hub_tui.validation import clean_centre_number, fold

PAGE = 100
EVERY = 10_000_000  # "every centre": more than any installation holds
Coordinator = aliased(User, name="coordinator")
NUMBER_PREFIX = re.compile(r"[A-Z]{1,2}|[A-Z]{2}[0-9]{1,3}", re.ASCII)


def pending_invitation_clause(user_id: Any, centre_id: Any) -> ColumnElement[bool]:
    return and_(
        col(Invitation.user_id) == user_id,
        col(Invitation.centre_id) == centre_id,
        col(Invitation.used_at).is_(None),
        col(Invitation.revoked_at).is_(None),
    )


def status_expr(now: datetime) -> ColumnElement[str]:
    """A centre's status, derived in SQL from its coordinator (the only definition of it).

    `now` comes from Python: neither time-machine nor a test can move the database's clock.
    """
    live_invitation = exists().where(
        pending_invitation_clause(Coordinator.id, Centre.id), col(Invitation.expires_at) > now
    )
    return case(
        (col(Centre.coordinator_id).is_(None), literal(CentreStatus.NOT_ACTIVATED.value)),
        (col(Coordinator.status) == AccountStatus.SUSPENDED, literal(CentreStatus.SUSPENDED.value)),
        (col(Coordinator.status) == AccountStatus.ACTIVE, literal(CentreStatus.ACTIVE.value)),
        (live_invitation, literal(CentreStatus.INVITED.value)),
        else_=literal(CentreStatus.INVITATION_EXPIRED.value),
    )


def _rows_query(ctx: Ctx) -> Select[Any]:
    columns: list[Any] = [
        Centre.id,
        Centre.centre_number,
        Centre.name,
        Centre.country,
        Associate.name,
        status_expr(ctx.now).label("status"),
        Centre.version,
        Coordinator.id,
        Coordinator.name,
        Coordinator.email,
        Coordinator.role,
        Coordinator.status,
    ]
    stmt = (
        sa_select(*columns)
        .join(Associate, col(Associate.id) == col(Centre.associate_id))
        .outerjoin(Coordinator, col(Coordinator.id) == col(Centre.coordinator_id))
    )
    return ctx.scoped(stmt)


def _to_row(r: Any) -> CentreRow:
    coordinator = (
        PersonView(id=r[7], name=r[8], email=r[9], role=r[10], status=r[11])
        if r[7] is not None
        else None
    )
    return CentreRow(
        id=r[0],
        centre_number=r[1],
        name=r[2],
        country=r[3],
        associate=r[4],
        status=r[5],
        version=r[6],
        coordinator=coordinator,
    )


def status_of(ctx: Ctx, centre: Centre) -> CentreStatus:
    """One centre's status now, derived as the list derives it."""
    stmt = (
        sa_select(status_expr(ctx.now))
        .select_from(Centre)
        .outerjoin(Coordinator, col(Coordinator.id) == col(Centre.coordinator_id))
        .where(col(Centre.id) == centre.id)
    )
    return CentreStatus(ctx.session.execute(stmt).scalar_one())


def _with_status(ctx: Ctx, stmt: Select[Any], status: str | None) -> Select[Any]:
    if status is None:
        return stmt
    try:
        wanted = CentreStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in CentreStatus)
        raise Invalid(f"Unknown status {status!r}; choose one of {choices}.") from None
    return stmt.where(status_expr(ctx.now) == wanted.value)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_centres(
    ctx: Ctx,
    *,
    search: str | None = None,
    status: str | None = None,
    start: str | None = None,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = PAGE,
) -> list[CentreRow]:
    """One page of centres in centre-number order (keyset paging): the first page, the one
    that starts at a centre number, the one `after` or `before` it, or the `last` one.

    With `search`: an exact centre number first, then number prefixes, then names containing
    the text; case-insensitive, `%` and `_` literal. Number searches walk the unique index.
    """
    base = _with_status(ctx, _rows_query(ctx), status)
    text = (search or "").strip()
    if not text:
        number = col(Centre.centre_number)
        if before is not None or last:  # walk the index backwards, then turn the page round
            stmt = base if before is None else base.where(number < before)
            rows = ctx.session.execute(stmt.order_by(number.desc()).limit(limit)).all()
            return [_to_row(r) for r in reversed(rows)]
        stmt = base if after is None else base.where(number > after)
        stmt = stmt if start is None else stmt.where(number >= start)
        rows = ctx.session.execute(stmt.order_by(number).limit(limit)).all()
        return [_to_row(r) for r in rows]

    found: list[CentreRow] = []
    seen: set[int] = set()

    def take(stmt: Select[Any]) -> None:
        if len(found) >= limit:
            return
        for r in ctx.session.execute(stmt.order_by(Centre.centre_number).limit(limit)).all():
            if r[0] not in seen and len(found) < limit:
                seen.add(r[0])
                found.append(_to_row(r))

    upper = text.upper()
    if NUMBER_PREFIX.fullmatch(upper):
        take(base.where(col(Centre.centre_number) == upper))
        # a range on the upper-cased column uses the index; LIKE would not on SQLite
        upper_bound = upper[:-1] + chr(ord(upper[-1]) + 1)
        take(
            base.where(col(Centre.centre_number) >= upper, col(Centre.centre_number) < upper_bound)
        )
    folded = fold(text)
    name_matches = _containing(col(Centre.name_key), folded)
    if len(found) < limit and _few_have(ctx, folded):
        take(base.where(col(Centre.id).in_(_trigram_ids(folded))))
    elif status is None:
        # Find the ids first: that scan is answered from an index holding the number and the
        # name, without reading each row (SQLite's planner would not choose it on its own).
        ids = ctx.scoped(
            select(Centre.id).where(name_matches).order_by(Centre.centre_number).limit(limit)
        )
        take(base.where(col(Centre.id).in_(ids.scalar_subquery())))
    else:
        take(base.where(name_matches))
    return found


TRIGRAM = 3  # the shortest text the trigram index can find
SAMPLE = 3_000  # centres, in number order, that tell whether a name is common


def _containing(column: Any, folded: str) -> ColumnElement[bool]:
    """`column` contains `folded`, `%` and `_` in it taken literally."""
    contains: ColumnElement[bool] = column.like(f"%{escape_like(folded)}%", escape="\\")
    return contains


def _few_have(ctx: Ctx, folded: str) -> bool:
    """Whether so few names contain `folded` that the trigram index (SQLite's) finds them
    faster than reading names in number order would. A name that many centres have is
    found at once by reading; one that few have would take reading every name."""
    if len(folded) < TRIGRAM or ctx.session.get_bind().dialect.name != "sqlite":
        return False
    sample = ctx.scoped(
        select(col(Centre.name_key)).order_by(col(Centre.centre_number)).limit(SAMPLE)
    ).subquery()
    stmt = sa_select(func.count()).select_from(sample).where(_containing(sample.c.name_key, folded))
    return int(ctx.session.execute(stmt).scalar_one()) < PAGE


def _trigram_ids(folded: str) -> Any:
    """The ids of the centres whose names contain `folded`, from the trigram index."""
    phrase = '"' + folded.replace('"', '""') + '"'  # a phrase: the text as it is
    return (
        sa_select(literal_column("rowid"))
        .select_from(sa_text("centre_name_trigrams"))
        .where(literal_column("centre_name_trigrams").op("MATCH")(phrase))
    )


def list_numbers(ctx: Ctx, *, search: str | None = None, status: str | None = None) -> list[str]:
    """The number of every centre the list shows for this search and status: all of them,
    in order, not one page."""
    if (search or "").strip():
        rows = list_centres(ctx, search=search, status=status, limit=EVERY)
        return [row.centre_number for row in rows]
    stmt = (
        sa_select(col(Centre.centre_number))
        .select_from(Centre)
        .outerjoin(Coordinator, col(Coordinator.id) == col(Centre.coordinator_id))
    )
    stmt = _with_status(ctx, ctx.scoped(stmt), status).order_by(col(Centre.centre_number))
    return list(ctx.session.execute(stmt).scalars())


def find_centre(ctx: Ctx, centre_number: str, *, lock: bool = False) -> Centre:
    """A centre the actor may see, or `NotFound` (another associate's centre looks absent)."""
    number = clean_centre_number(centre_number)
    stmt = ctx.scoped(select(Centre).where(col(Centre.centre_number) == number))
    if lock:
        stmt = stmt.with_for_update(of=Centre)
    centre: Centre | None = ctx.session.execute(stmt).scalars().first()
    if centre is None:
        raise NotFound(f"No centre {number}.")
    return centre


def pending_invitation(ctx: Ctx, user_id: int, centre_id: int) -> Invitation | None:
    stmt = (
        select(Invitation)
        .where(pending_invitation_clause(user_id, centre_id))
        .order_by(col(Invitation.sent_at).desc())
    )
    return ctx.session.exec(stmt).first()


def centre_detail(ctx: Ctx, centre_number: str) -> CentreDetail:
    number = clean_centre_number(centre_number)
    found = ctx.session.execute(_rows_query(ctx).where(col(Centre.centre_number) == number)).first()
    if found is None:
        raise NotFound(f"No centre {number}.")
    row = _to_row(found)
    coordinator = row.coordinator
    users = ctx.session.exec(
        select(User).where(col(User.centre_id) == row.id).order_by(col(User.name), col(User.id))
    ).all()
    people = [
        PersonAccess(
            person=PersonView(
                id=u.id or 0, name=u.name, email=u.email, role=u.role, status=u.status
            ),
            has_access=has_access(u.status, coordinator.status if coordinator else None),
            is_coordinator=coordinator is not None and u.id == coordinator.id,
        )
        for u in users
    ]
    invitation = suspension = None
    if coordinator is not None and coordinator.status == AccountStatus.INVITED:
        pending = pending_invitation(ctx, coordinator.id, row.id)
        if pending is not None:
            invitation = InvitationView(
                sent_at=pending.sent_at,
                expires_at=pending.expires_at,
                invited_by=pending.invited_by,
            )
    account = next((u for u in users if coordinator and u.id == coordinator.id), None)
    if account is None or account.suspended_at is None:  # then a former coordinator's, if any
        suspended = [(u.suspended_at, u.id or 0, u) for u in users if u.suspended_at is not None]
        account = max(suspended, key=lambda each: each[:2])[2] if suspended else None
    if account is not None and account.suspended_at is not None:
        former = coordinator is None or account.id != coordinator.id
        suspension = SuspensionView(
            at=account.suspended_at,
            by=account.suspended_by or "",
            reason=account.suspension_reason,
            restored_at=account.restored_at,
            restored_by=account.restored_by,
            former=person_label(account.name, account.email) if former else None,
        )
    return CentreDetail(row=row, people=people, invitation=invitation, suspension=suspension)
