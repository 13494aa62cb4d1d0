"""Notices: the e-mails that tell people what a change did to them, each written in the
same transaction as the change (what the clock makes due is `sweep`'s)."""

from __future__ import annotations

from hub_tui.mail import compose
from hub_tui.models import Centre, User
from hub_tui.services import outbox
from hub_tui.services.context import Ctx


def notify(ctx: Ctx, message: compose.Composed, *, to: User, centre: Centre | None) -> None:
    """Queue a notice to `to` in the caller's transaction, unless its kind is switched off."""
    if ctx.settings.sends(message.kind):
        outbox.enqueue(
            ctx,
            message,
            to_name=to.name,
            to_email=to.email,
            centre_id=centre.id if centre else None,
        )
