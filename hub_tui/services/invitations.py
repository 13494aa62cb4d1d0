"""Invitations: a setup code sent once by e-mail, single use, for 48 hours (by default).

The code is never stored: see `hub_tui.setup_codes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from hub_tui.errors import Conflict, Invalid, NotFound
from hub_tui.formatting import role_label, utc_text
from hub_tui.kinds import INVITATION
from hub_tui.mail import compose
from hub_tui.models import AccountStatus, Associate, Centre, Invitation, User
from hub_tui.services import audit, keys, notices, outbox
from hub_tui.services.centres import pending_invitation_clause
from hub_tui.services.context import Ctx
from hub_tui.setup_codes import CODE_SLOT, derive, hash_code, installation_key, new_seed, normalise


def revoke_pending(ctx: Ctx, user: User, centre: Centre | None) -> None:
    """Make `user`'s pending invitation (for `centre`, or for an admin account) worthless."""
    centre_id = centre.id if centre else None
    pending = select(Invitation).where(pending_invitation_clause(user.id, centre_id))
    why = "a newer invitation replaced it"
    # one queued before messages named their invitation is found by its address and kind
    outbox.withdraw(ctx, to_email=user.email, centre_id=centre_id, kind=INVITATION, why=why)
    revoked = []
    for invitation in ctx.session.exec(pending):
        invitation.revoked_at = ctx.now
        ctx.session.add(invitation)
        revoked.append(invitation.id or 0)
    outbox.withdraw_codes(ctx, revoked, why=why)  # its reminder too


def invite(ctx: Ctx, user: User, centre: Centre | None) -> Invitation:
    """A new invitation (any earlier one made worthless) and its e-mail, in this transaction:
    to be the coordinator of `centre`, or (None) to an admin account."""
    revoke_pending(ctx, user, centre)
    seed = new_seed()
    code = derive(installation_key(ctx.settings.secret_key_path), seed)
    expires_at = ctx.now + timedelta(hours=ctx.settings.invite_ttl_hours)
    invitation = Invitation(
        user_id=user.id or 0,
        centre_id=centre.id if centre else None,
        code_hash=hash_code(code),
        code_seed=seed,
        invited_by=ctx.actor_label,
        sent_at=ctx.now,
        expires_at=expires_at,
    )
    ctx.session.add(invitation)
    ctx.session.flush()
    send_code(ctx, user, centre, invitation, _invitation_message(ctx, user, centre, expires_at))
    return invitation


def _invitation_message(
    ctx: Ctx, user: User, centre: Centre | None, expires_at: datetime
) -> compose.Composed:
    # CODE_SLOT: the worker puts the code in as it sends the message
    if centre is not None:
        return compose.invitation(
            settings=ctx.settings,
            to_name=user.name,
            centre_name=centre.name,
            centre_number=centre.centre_number,
            invited_by=ctx.actor_display,
            expires_at=expires_at,
            code=CODE_SLOT,
        )
    associate = ctx.session.get(Associate, user.associate_id) if user.associate_id else None
    return compose.admin_invitation(
        settings=ctx.settings,
        to_name=user.name,
        role=role_label(user.role),
        associate=associate.name if associate else None,
        invited_by=ctx.actor_display,
        expires_at=expires_at,
        code=CODE_SLOT,
    )


def send_code(
    ctx: Ctx,
    user: User,
    centre: Centre | None,
    invitation: Invitation,
    message: compose.Composed,
) -> None:
    """Queue `message`, whose setup code is put in for `invitation` as it is sent."""
    outbox.enqueue(
        ctx,
        message,
        to_name=user.name,
        to_email=user.email,
        centre_id=centre.id if centre else None,
        invitation_id=invitation.id,
    )


def account_text(user: User, centre: Centre | None) -> str:
    """What an invitation sets up: "your account for GB042", "your support account"."""
    if centre is not None:
        return f"your account for {centre.centre_number}"
    return f"your {role_label(user.role)} account"


@dataclass(frozen=True)
class Accepted:
    user: User
    account: str  # "your account for GB042", "your support account"


def accept(ctx: Ctx, code: str, *, ssh_key: str | None = None) -> Accepted:
    """Set up an invited account, and let `ssh_key` sign it in. Expired, used, replaced and
    unknown codes change nothing."""
    if not normalise(code):
        raise Invalid("Enter the setup code from your invitation e-mail.")
    if ssh_key is not None:
        keys.parse_key(ssh_key)  # a bad key is refused before anything changes
    found = ctx.session.exec(
        select(Invitation.id, Invitation.centre_id).where(
            col(Invitation.code_hash) == hash_code(code)
        )
    ).first()
    if found is None:
        raise NotFound("That setup code is not valid. Check it against your invitation e-mail.")
    # the centre is locked first, as every other change does, so no two changes deadlock
    # (an admin account's invitation is for no centre: its user row is locked below)
    centre = (
        ctx.session.exec(select(Centre).where(col(Centre.id) == found[1]).with_for_update()).one()
        if found[1] is not None
        else None
    )
    invitation = ctx.session.exec(
        select(Invitation).where(col(Invitation.code_hash) == hash_code(code))
    ).first()
    if invitation is None:
        raise NotFound("That setup code is not valid. Check it against your invitation e-mail.")
    if invitation.used_at is not None:
        raise Conflict("That setup code has already been used; sign in instead.")
    if invitation.revoked_at is not None:
        raise Conflict("That setup code was replaced by a newer invitation; use the latest one.")
    if ctx.now >= invitation.expires_at:
        raise Conflict(
            f"That setup code expired at {utc_text(invitation.expires_at)}; "
            "ask your associate or support for a new invitation."
        )
    user = ctx.session.get_one(User, invitation.user_id, with_for_update=True)
    if user.status != AccountStatus.INVITED:
        raise Conflict(f"The account {user.email} is {user.status}; the code cannot be used.")
    invitation.used_at = ctx.now
    outbox.withdraw_codes(ctx, [invitation.id or 0], why="the account is set up")
    user.status = AccountStatus.ACTIVE
    ctx.session.add_all([invitation, user])
    if centre is not None:
        centre.version += 1
        ctx.session.add(centre)
    audit.record(ctx, "invitation.accepted", centre=centre, target=user.email, actor=user.email)
    if ssh_key is not None:
        keys.add_key(ctx, user, ssh_key, actor=user.email)
    notices.notify(
        ctx, compose.account_set_up(to_name=user.name, account=account_text(user, centre)),
        to=user, centre=centre,
    )  # fmt: skip
    return Accepted(user, account_text(user, centre))
