"""The accounts of the people who sign in: support staff and associate coordinators.

Only support manages them. Adding one invites them (a setup code, as for a coordinator);
suspending one turns them away everywhere, and their live sessions end. Nobody suspends
themselves, and the last active support account stays. School accounts (administrators
and teachers) are managed through their centre, not here.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import Select, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from hub_tui.errors import Conflict, Forbidden, Invalid, NotFound
from hub_tui.formatting import role_label, utc_text
from hub_tui.limits import REASON_MAX
from hub_tui.models import ADMIN_ROLES, AccountStatus, Associate, Centre, Role, SshKey, User
from hub_tui.services import audit, invitations
from hub_tui.services.context import Ctx
from hub_tui.services.coordinators import Outcome, create_user
from hub_tui.services.views import Time, View, absent
from hub_tui.validation import clean_text, lookup_key

ADMIN_ROLE_NAMES = ", ".join(sorted(r.value for r in ADMIN_ROLES))


class Account(View):
    """Who an account is: what the list and the detail both show."""

    name: str
    email: str
    role: str
    status: str
    associate: str | None
    centre: str | None


class AccountRow(Account):
    keys: int = Field(exclude=True)  # how many SSH keys sign them in


class AccountSuspension(View):
    at: Time
    by: str
    reason: str | None
    restored_at: Time | None = Field(default=None, exclude_if=absent)
    restored_by: str | None = Field(default=None, exclude_if=absent)


class AccountDetail(Account):
    keys: list[str]  # fingerprints, as OpenSSH shows them
    suspension: AccountSuspension | None  # in force now; else None
    last_suspension: AccountSuspension | None = Field(default=None, exclude_if=absent)


def _require_support(ctx: Ctx) -> None:
    if ctx.actor is not None and ctx.actor.role != Role.SUPPORT:
        raise Forbidden("Only support staff can manage the accounts of support and associates.")


def _rows() -> Select[Any]:
    keys = (
        sa_select(func.count())
        .select_from(SshKey)
        .where(col(SshKey.user_id) == col(User.id))
        .scalar_subquery()
    )
    return (
        sa_select(User, col(Associate.name), col(Centre.centre_number), keys)
        .outerjoin(Associate, col(Associate.id) == col(User.associate_id))
        .outerjoin(Centre, col(Centre.id) == col(User.centre_id))
    )


def _who(user: User, associate: str | None, centre: str | None) -> dict[str, Any]:
    """An `Account`'s fields, from the user and the names `_rows` joins to it."""
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "status": user.status,
        "associate": associate,
        "centre": centre,
    }


def _row(user: User, associate: str | None, centre: str | None, keys: int) -> AccountRow:
    return AccountRow(**_who(user, associate, centre), keys=keys)


def list_accounts(
    ctx: Ctx, *, role: str | None = None, status: str | None = None, limit: int = 500
) -> list[AccountRow]:
    """Support staff and associate coordinators, by name."""
    _require_support(ctx)
    stmt = _rows().where(col(User.role).in_([r.value for r in ADMIN_ROLES]))
    if role is not None:
        if role not in ADMIN_ROLES:
            raise Invalid(f"Unknown role {role!r}; choose one of {ADMIN_ROLE_NAMES}.")
        stmt = stmt.where(col(User.role) == role)
    if status is not None:
        if status not in set(AccountStatus):
            choices = ", ".join(s.value for s in AccountStatus)
            raise Invalid(f"Unknown status {status!r}; choose one of {choices}.")
        stmt = stmt.where(col(User.status) == status)
    stmt = stmt.order_by(col(User.name), col(User.id)).limit(limit)
    return [_row(*r) for r in ctx.session.execute(stmt).all()]


def associate_names(ctx: Ctx) -> list[str]:
    """Every associate an associate coordinator can be added for, by name."""
    _require_support(ctx)
    return list(ctx.session.exec(select(Associate.name).order_by(col(Associate.name))).all())


def _find(ctx: Ctx, email: str, *, lock: bool = False) -> User:
    stmt = select(User).where(col(User.email_key) == lookup_key(email))
    user = ctx.session.exec(stmt.with_for_update() if lock else stmt).first()
    if user is None:
        raise NotFound(f"No hub user has the e-mail address {email.strip()!r}.")
    return user


def _require_admin_account(user: User) -> None:
    if user.role not in ADMIN_ROLES:
        raise Conflict(
            f"{user.email} is a school's {role_label(user.role)}: school accounts are managed "
            "through their centre (suspend or change its school coordinator)."
        )


def show_account(ctx: Ctx, email: str) -> AccountDetail:
    _require_support(ctx)
    found = ctx.session.execute(_rows().where(col(User.email_key) == lookup_key(email))).first()
    if found is None:
        raise NotFound(f"No hub user has the e-mail address {email.strip()!r}.")
    user, associate, centre, _ = found
    fingerprints = ctx.session.exec(
        select(SshKey.fingerprint).where(col(SshKey.user_id) == user.id).order_by(col(SshKey.id))
    ).all()
    suspension = (
        AccountSuspension(
            at=user.suspended_at,
            by=user.suspended_by or "",
            reason=user.suspension_reason,
            restored_at=user.restored_at,
            restored_by=user.restored_by,
        )
        if user.suspended_at is not None
        else None
    )
    current = user.status == AccountStatus.SUSPENDED
    return AccountDetail(
        **_who(user, associate, centre),
        keys=list(fingerprints),
        suspension=suspension if current else None,
        last_suspension=None if current else suspension,
    )


def add_account(
    ctx: Ctx, *, name: str, email: str, role: str, associate: str | None = None
) -> Outcome:
    """A new support or associate coordinator account, invited by e-mail."""
    _require_support(ctx)
    if role not in ADMIN_ROLES:
        raise Invalid(f"Unknown role {role!r}; choose one of {ADMIN_ROLE_NAMES}.", field="role")
    associate_id = None
    if role == Role.ASSOCIATE_COORDINATOR:
        if not associate or not associate.strip():
            raise Invalid("An associate coordinator needs their associate.", field="associate")
        name_of = clean_text(associate, field="associate", label="Associate", max_length=100)
        found = ctx.session.exec(select(Associate).where(col(Associate.name) == name_of)).first()
        if found is None:
            raise NotFound(f"No associate {name_of!r}.", field="associate")
        associate_id = found.id
    elif associate:
        raise Invalid("Only an associate coordinator has an associate.", field="associate")
    user = create_user(
        ctx,
        name=name,
        email=email,
        role=Role(role),
        status=AccountStatus.INVITED,
        associate_id=associate_id,
    )
    invitation = invitations.invite(ctx, user, None)
    audit.record(ctx, "account.added", target=user.email, detail=role)
    return Outcome(
        "",
        f"Invitation sent to {user.email} for their {role_label(role)} account; "
        f"it expires at {utc_text(invitation.expires_at)}.",
    )


def _account_to_change(ctx: Ctx, email: str, status: AccountStatus, refusal: str) -> User:
    """The admin account to change, locked; refused unless its status is `status`."""
    _require_support(ctx)
    user = _find(ctx, email, lock=True)
    _require_admin_account(user)
    if user.status != status:
        raise Conflict(refusal.format(email=user.email, status=user.status))
    return user


def resend_invitation(ctx: Ctx, *, email: str) -> Outcome:
    """A new setup code and 48 hours for an account not yet set up; the old code is void."""
    user = _account_to_change(
        ctx, email, AccountStatus.INVITED, "{email} has already set up their account."
    )
    invitation = invitations.invite(ctx, user, None)
    audit.record(ctx, "account.invitation_resent", target=user.email)
    return Outcome(
        "",
        f"New invitation sent to {user.email}; the earlier code no longer works. "
        f"It expires at {utc_text(invitation.expires_at)}.",
    )


def suspend_account(ctx: Ctx, *, email: str, reason: str | None = None) -> Outcome:
    _require_support(ctx)
    why = (
        clean_text(reason, field="reason", label="Reason", max_length=REASON_MAX)
        if reason and reason.strip()
        else None
    )
    if ctx.actor is not None and lookup_key(email) == ctx.actor.email_key:
        raise Conflict("You cannot suspend your own account.")
    # every active support account locked at once, in one order, before the one to change:
    # two suspensions at once then wait for each other instead of deadlocking, and cannot
    # each leave the other as the last
    active_support = ctx.session.exec(
        select(User.id)
        .where(col(User.role) == Role.SUPPORT, col(User.status) == AccountStatus.ACTIVE)
        .order_by(col(User.id))
        .with_for_update()
    ).all()
    user = _account_to_change(
        ctx,
        email,
        AccountStatus.ACTIVE,
        "The account {email} is {status}; only an active one is suspended.",
    )
    if user.role == Role.SUPPORT and not set(active_support) - {user.id}:
        raise Conflict(f"{user.email} is the last active support account; it cannot be suspended.")
    user.status = AccountStatus.SUSPENDED
    user.suspended_at = ctx.now
    user.suspended_by = ctx.actor_label
    user.suspension_reason = why
    user.restored_at = user.restored_by = None
    ctx.session.add(user)
    audit.record(ctx, "account.suspended", target=user.email, detail=why)
    return Outcome("", f"Suspended {user.email}: they can no longer sign in anywhere.")


def restore_account(ctx: Ctx, *, email: str) -> Outcome:
    user = _account_to_change(
        ctx, email, AccountStatus.SUSPENDED, "The account {email} is not suspended."
    )
    user.status = AccountStatus.ACTIVE
    user.restored_at = ctx.now
    user.restored_by = ctx.actor_label
    ctx.session.add(user)
    audit.record(ctx, "account.restored", target=user.email)
    return Outcome("", f"Restored {user.email}: they can sign in again.")
