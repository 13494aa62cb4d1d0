"""The sweep: what the clock makes due, written exactly once however many workers run it.

A reminder goes to an invitee `HUB_INVITE_REMINDER_HOURS` before their invitation runs out
(with a code that works and the same deadline); a notice goes to whoever sent an
invitation once it has run out unused. Each invitation is stamped (reminded_at,
expiry_noticed_at) by a conditional UPDATE in the same transaction as its e-mail: of two
workers sweeping at once, one stamp takes and one e-mail is written, and the other's
UPDATE finds the stamp and writes nothing. What fell due while nothing ran is caught up on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from hub_tui.db import table_of
from hub_tui.formatting import role_label
from hub_tui.kinds import INVITATION_EXPIRED, REMINDER
from hub_tui.mail import compose
from hub_tui.models import Centre, Invitation, User
from hub_tui.services import invitations, outbox
from hub_tui.services.context import Ctx
from hub_tui.setup_codes import CODE_SLOT
from hub_tui.validation import lookup_key

SWEEP_BATCH = 500  # invitations stamped a transaction at a time


@dataclass
class Swept:
    reminders: int = 0
    expiry_notices: int = 0


def _pending() -> list[Any]:
    return [col(Invitation.used_at).is_(None), col(Invitation.revoked_at).is_(None)]


def _stamp(ctx: Ctx, column: str, ids: list[int], *still: Any) -> list[int]:
    """Stamp the invitations in `ids` whose `column` is still empty and which still meet
    `still`; the ones that took. Re-checked in the UPDATE itself: on PostgreSQL a row
    accepted or resent since it was selected (another snapshot) is left alone."""
    if not ids:
        return []
    t = table_of(Invitation)
    stamped = ctx.session.execute(
        update(t)
        .where(t.c.id.in_(ids), t.c[column].is_(None), *still)
        .values({column: ctx.now})
        .returning(t.c.id)
    )
    return sorted(row.id for row in stamped)


def _to_remind(ctx: Ctx) -> list[Any]:
    lead = timedelta(hours=ctx.settings.invite_reminder_hours)
    return [
        *_pending(),
        col(Invitation.reminded_at).is_(None),
        # a code made before codes were derived cannot be put in a reminder
        col(Invitation.code_seed).is_not(None),
        col(Invitation.expires_at) > ctx.now,
        col(Invitation.expires_at) <= ctx.now + lead,
    ]


def _to_tell(ctx: Ctx) -> list[Any]:
    return [
        *_pending(),
        col(Invitation.expiry_noticed_at).is_(None),
        col(Invitation.expires_at) <= ctx.now,
    ]


def _reminding(ctx: Ctx) -> bool:
    return ctx.settings.invite_reminder_hours > 0 and ctx.settings.sends(REMINDER)


def anything_due(ctx: Ctx) -> bool:
    """Whether a sweep would write anything: read only, so a worker with nothing due
    takes no write lock for it."""
    checks = [_to_tell(ctx)] + ([_to_remind(ctx)] if _reminding(ctx) else [])
    return any(
        ctx.session.exec(select(Invitation.id).where(*where).limit(1)).first() is not None
        for where in checks
    )


def sweep(ctx: Ctx) -> Swept:
    """Write what is due now: reminders and expiry notices, each exactly once. It catches
    up on whatever fell due while nothing ran (a reminder only while its code still works)."""
    done = Swept()
    settings = ctx.settings
    lead = timedelta(hours=settings.invite_reminder_hours)
    if _reminding(ctx):
        where = _to_remind(ctx)
        window = ctx.session.exec(
            select(Invitation.id, Invitation.sent_at, Invitation.expires_at)
            .where(*where)
            .limit(SWEEP_BATCH)
        ).all()
        # one sent less than `lead` before its deadline gets no reminder at all: stamped
        # without one, so that it is not looked at again (nor keeps others waiting)
        short = [i for i, sent, expires in window if i and expires - sent <= lead]
        _stamp(ctx, "reminded_at", short, *where)
        due = [i for i, sent, expires in window if i and expires - sent > lead]
        for invitation in _load(ctx, _stamp(ctx, "reminded_at", due, *where)):
            user, centre = _people(ctx, invitation)
            message = compose.reminder(
                settings=settings,
                to_name=user.name,
                account=invitations.account_text(user, centre),
                expires_at=invitation.expires_at,
                code=CODE_SLOT,
            )
            invitations.send_code(ctx, user, centre, invitation, message)
            done.reminders += 1
    # stamped even while the notice is switched off: switching it on again sends no flood
    where = _to_tell(ctx)
    expired = ctx.session.exec(select(Invitation.id).where(*where).limit(SWEEP_BATCH)).all()
    ids = [i for i in expired if i]
    for invitation in _load(ctx, _stamp(ctx, "expiry_noticed_at", ids, *where)):
        if settings.sends(INVITATION_EXPIRED):
            done.expiry_notices += _expiry_notice(ctx, invitation)
    return done


def _load(ctx: Ctx, ids: list[int]) -> list[Invitation]:
    if not ids:
        return []
    return list(ctx.session.exec(select(Invitation).where(col(Invitation.id).in_(ids))).all())


def _people(ctx: Ctx, invitation: Invitation) -> tuple[User, Centre | None]:
    user = ctx.session.get_one(User, invitation.user_id)
    centre = ctx.session.get(Centre, invitation.centre_id) if invitation.centre_id else None
    return user, centre


def _expiry_notice(ctx: Ctx, invitation: Invitation) -> int:
    """Tell whoever sent `invitation` that it ran out; 0 if nobody can be told (an
    operator's command sent it, or its sender's account is gone)."""
    sender = ctx.session.exec(
        select(User).where(col(User.email_key) == lookup_key(invitation.invited_by))
    ).first()
    if sender is None:
        return 0
    user, centre = _people(ctx, invitation)
    if centre is not None:
        account = f"the school coordinator's account of {centre.name} ({centre.centre_number})"
        resend = (
            f"open {centre.centre_number} in hub-tui and press i (Resend invitation), or run "
            f"hub-tui coordinator resend {centre.centre_number}"
        )
    else:
        account = f"a {role_label(user.role)} account"
        resend = f"press i on the People screen, or run hub-tui users resend {user.email}"
    message = compose.invitation_expired(
        to_name=sender.name,
        invitee=f"{user.name} <{user.email}>",
        account=account,
        expired_at=invitation.expires_at,
        resend=resend,
    )
    outbox.enqueue(
        ctx, message, to_name=sender.name, to_email=sender.email, centre_id=invitation.centre_id
    )
    return 1
