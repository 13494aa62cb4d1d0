"""The changes an admin makes to a centre's school coordinator.

Each function runs inside the caller's write transaction: it locks the centre, refuses a
change based on a stale view (`expected_version`), and writes the change, its audit event
and its e-mail together, so that either all of them are kept or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from hub_tui.errors import Conflict, NotFound, Stale
from hub_tui.formatting import centre_label, people, status_label, utc_text
from hub_tui.limits import REASON_MAX
from hub_tui.mail import compose
from hub_tui.models import AccountStatus, Centre, CentreStatus, Role, User, person_label
from hub_tui.rules import Action, allows, count_with_access
from hub_tui.services import audit, invitations, notices, outbox
from hub_tui.services.centres import find_centre, status_of
from hub_tui.services.context import Ctx
from hub_tui.validation import clean_email, clean_name, clean_text


@dataclass(frozen=True)
class Outcome:
    """What happened, in one sentence for a person, and which centre it touched."""

    centre_number: str
    message: str


def _lock(ctx: Ctx, centre_number: str, expected_version: int | None) -> Centre:
    centre = find_centre(ctx, centre_number, lock=True)
    if expected_version is not None and centre.version != expected_version:
        last = audit.latest_for_centre(ctx, centre.id or 0)
        what = (
            f"{last.action.replace('.', ' ')} by {last.actor} at {utc_text(last.at)}"
            if last
            else "it was changed"
        )
        raise Stale(
            f"{centre.centre_number} changed since you opened it ({what}); "
            "nothing was overwritten. Look again and retry."
        )
    return centre


# why a change does not apply to a centre in the status it is in
REFUSALS: dict[Action, str] = {
    Action.ADD: "{number} already has a school coordinator; use Change coordinator.",
    Action.SUSPEND: "{number} is {status}: only an active coordinator's account can be suspended.",
    Action.RESTORE: "{number} is {status}: the coordinator of {number} is not suspended.",
    Action.RESEND: "{number} is {status}: the coordinator of {number} has already set up "
    "their account.",
    Action.CHANGE: "{number} has no school coordinator; add one first.",
}


def _require(ctx: Ctx, centre: Centre, action: Action) -> None:
    """Refuse `action` unless it applies to the centre as it is now (rules.APPLIES_TO)."""
    status = status_of(ctx, centre)
    if status == CentreStatus.NOT_ACTIVATED and action != Action.ADD:
        action = Action.CHANGE  # whatever was asked, the centre has nobody to change
    if not allows(action, status):
        label = status_label(status).lower()
        raise Conflict(REFUSALS[action].format(number=centre.centre_number, status=label))


def _coordinator(ctx: Ctx, centre: Centre) -> User | None:
    return ctx.session.get(User, centre.coordinator_id) if centre.coordinator_id else None


def _touch(ctx: Ctx, *objects: object) -> None:
    for obj in objects:
        ctx.session.add(obj)
    ctx.session.flush()


def create_user(
    ctx: Ctx,
    *,
    name: str,
    email: str,
    role: Role,
    status: AccountStatus,
    centre: Centre | None = None,
    associate_id: int | None = None,
) -> User:
    """A new user; a duplicate e-mail (in any case or Unicode form) is refused."""
    clean = clean_name(name)
    address, key = clean_email(email)
    taken = Conflict(f"Another user already has the e-mail address {address}.", field="email")
    if ctx.session.exec(select(User.id).where(col(User.email_key) == key)).first() is not None:
        raise taken
    user = User(
        name=clean,
        email=address,
        email_key=key,
        role=role,
        status=status,
        centre_id=centre.id if centre else None,
        associate_id=associate_id,
        created_at=ctx.now,
    )
    try:
        with ctx.session.begin_nested():  # the UNIQUE key settles a race with another writer
            ctx.session.add(user)
            ctx.session.flush()
    except IntegrityError:
        raise taken from None
    return user


def _check_form(name: str, email: str) -> None:
    """Refuse a bad form before touching the database (raises `Invalid`)."""
    clean_name(name)
    clean_email(email)


def _invite_new_coordinator(ctx: Ctx, centre: Centre, name: str, email: str) -> User:
    user = create_user(
        ctx,
        name=name,
        email=email,
        role=Role.ADMINISTRATOR,
        status=AccountStatus.INVITED,
        centre=centre,
    )
    invitations.invite(ctx, user, centre)
    centre.coordinator_id = user.id
    centre.version += 1
    _touch(ctx, centre)
    return user


def add_coordinator(
    ctx: Ctx, *, centre_number: str, name: str, email: str, expected_version: int | None = None
) -> Outcome:
    """Activate a centre that has no coordinator: invite a new administrator to be it."""
    _check_form(name, email)
    centre = _lock(ctx, centre_number, expected_version)
    _require(ctx, centre, Action.ADD)
    user = _invite_new_coordinator(ctx, centre, name, email)
    audit.record(ctx, "coordinator.added", centre=centre, target=user.email)
    return Outcome(
        centre.centre_number,
        f"{person_label(user.name, user.email)} is the school coordinator of "
        f"{centre.centre_number}; invitation sent to {user.email}.",
    )


def _require_coordinator(ctx: Ctx, centre: Centre) -> User:
    coordinator = _coordinator(ctx, centre)
    if coordinator is None:  # as _require(..., Action.CHANGE) would say
        raise Conflict(REFUSALS[Action.CHANGE].format(number=centre.centre_number))
    return coordinator


def people_with_access(ctx: Ctx, centre: Centre) -> int:
    coordinator = _coordinator(ctx, centre)
    statuses = ctx.session.exec(select(User.status).where(col(User.centre_id) == centre.id)).all()
    return count_with_access(statuses, coordinator.status if coordinator else None)


def suspend(
    ctx: Ctx,
    *,
    centre_number: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Outcome:
    """Suspend the coordinator's account, which cuts off everyone at the centre."""
    why = (
        clean_text(reason, field="reason", label="Reason", max_length=REASON_MAX)
        if (reason and reason.strip())
        else None
    )
    centre = _lock(ctx, centre_number, expected_version)
    _require(ctx, centre, Action.SUSPEND)
    coordinator = _require_coordinator(ctx, centre)
    losing = people_with_access(ctx, centre)
    coordinator.status = AccountStatus.SUSPENDED
    coordinator.suspended_at = ctx.now
    coordinator.suspended_by = ctx.actor_label
    coordinator.suspension_reason = why
    coordinator.restored_at = coordinator.restored_by = None
    centre.version += 1
    _touch(ctx, coordinator, centre)
    audit.record(ctx, "coordinator.suspended", centre=centre, target=coordinator.email, detail=why)
    notices.notify(
        ctx,
        compose.account_suspended(
            to_name=coordinator.name,
            centre=centre_label(centre.name, centre.centre_number),
            by=ctx.actor_display,
            at=ctx.now,
            reason=why,
        ),
        to=coordinator,
        centre=centre,
    )
    return Outcome(
        centre.centre_number,
        f"Suspended {person_label(coordinator.name, coordinator.email)}: "
        f"{people(losing)} at {centre.centre_number} lost access.",
    )


def restore(ctx: Ctx, *, centre_number: str, expected_version: int | None = None) -> Outcome:
    centre = _lock(ctx, centre_number, expected_version)
    _require(ctx, centre, Action.RESTORE)
    coordinator = _require_coordinator(ctx, centre)
    coordinator.status = AccountStatus.ACTIVE
    coordinator.restored_at = ctx.now
    coordinator.restored_by = ctx.actor_label
    centre.version += 1
    _touch(ctx, coordinator, centre)
    audit.record(ctx, "coordinator.restored", centre=centre, target=coordinator.email)
    notices.notify(
        ctx,
        compose.account_restored(
            to_name=coordinator.name,
            centre=centre_label(centre.name, centre.centre_number),
            by=ctx.actor_display,
            at=ctx.now,
        ),
        to=coordinator,
        centre=centre,
    )
    return Outcome(
        centre.centre_number,
        f"Restored {person_label(coordinator.name, coordinator.email)}: "
        f"access again for {people(people_with_access(ctx, centre))} at "
        f"{centre.centre_number}.",
    )


def resend_invitation(
    ctx: Ctx, *, centre_number: str, expected_version: int | None = None
) -> Outcome:
    centre = _lock(ctx, centre_number, expected_version)
    _require(ctx, centre, Action.RESEND)
    coordinator = _require_coordinator(ctx, centre)
    invitation = invitations.invite(ctx, coordinator, centre)
    centre.version += 1
    _touch(ctx, centre)
    audit.record(ctx, "invitation.resent", centre=centre, target=coordinator.email)
    return Outcome(
        centre.centre_number,
        f"New invitation sent to {coordinator.email}; the earlier code no longer works. "
        f"It expires at {utc_text(invitation.expires_at)}.",
    )


def _replace(ctx: Ctx, centre: Centre) -> User:
    """Ready the centre for a new coordinator: the old one's pending invitation is revoked."""
    _require(ctx, centre, Action.CHANGE)
    previous = _require_coordinator(ctx, centre)
    invitations.revoke_pending(ctx, previous, centre)
    return previous


def _tell_replaced(ctx: Ctx, centre: Centre, previous: User, *, successor: User) -> None:
    """The replaced coordinator hears of it: an invitee that their code no longer works."""
    where = centre_label(centre.name, centre.centre_number)
    message = (
        compose.invitation_revoked(to_name=previous.name, centre=where, by=ctx.actor_display)
        if previous.status == AccountStatus.INVITED
        else compose.coordinator_replaced(
            to_name=previous.name,
            centre=where,
            by=ctx.actor_display,
            successor=person_label(successor.name, successor.email),
        )
    )
    notices.notify(ctx, message, to=previous, centre=centre)


def change_to_existing(
    ctx: Ctx, *, centre_number: str, email: str, expected_version: int | None = None
) -> Outcome:
    """Make an active administrator of the same centre its coordinator, and tell them."""
    centre = _lock(ctx, centre_number, expected_version)
    _, key = clean_email(email)
    target = ctx.session.exec(select(User).where(col(User.email_key) == key)).first()
    if target is None or target.centre_id != centre.id or target.role != Role.ADMINISTRATOR:
        raise NotFound(
            f"{email.strip()} is not an administrator of {centre.centre_number}.", field="email"
        )
    if target.id == centre.coordinator_id:
        raise Conflict(f"{target.email} is already the coordinator of {centre.centre_number}.")
    if target.status != AccountStatus.ACTIVE:
        raise Conflict(
            f"{target.email} is {target.status}; only an active administrator "
            "can become the coordinator."
        )
    previous = _replace(ctx, centre)
    _tell_replaced(ctx, centre, previous, successor=target)
    centre.coordinator_id = target.id
    centre.version += 1
    _touch(ctx, centre)
    message = compose.now_coordinator(
        to_name=target.name,
        centre_name=centre.name,
        centre_number=centre.centre_number,
        changed_by=ctx.actor_display,
    )
    outbox.enqueue(ctx, message, to_name=target.name, to_email=target.email, centre_id=centre.id)
    audit.record(
        ctx,
        "coordinator.changed",
        centre=centre,
        target=target.email,
        detail=f"previously {previous.email}",
    )
    return Outcome(
        centre.centre_number,
        f"{person_label(target.name, target.email)} is now the school coordinator of "
        f"{centre.centre_number}; an e-mail telling them so was sent to {target.email}.",
    )


def change_to_new(
    ctx: Ctx,
    *,
    centre_number: str,
    name: str,
    email: str,
    expected_version: int | None = None,
) -> Outcome:
    """Replace the coordinator with a new person, who is invited as on activation."""
    _check_form(name, email)
    centre = _lock(ctx, centre_number, expected_version)
    previous = _replace(ctx, centre)
    user = _invite_new_coordinator(ctx, centre, name, email)
    _tell_replaced(ctx, centre, previous, successor=user)
    audit.record(
        ctx,
        "coordinator.changed",
        centre=centre,
        target=user.email,
        detail=f"previously {previous.email}; new coordinator invited",
    )
    return Outcome(
        centre.centre_number,
        f"{person_label(user.name, user.email)} replaces {previous.email} as school coordinator of "
        f"{centre.centre_number}; invitation sent to {user.email}.",
    )
