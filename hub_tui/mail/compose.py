"""The text of each automated e-mail. Names arrive already cleaned (no control characters)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from hub_tui.config import Settings
from hub_tui.formatting import utc_text
from hub_tui.kinds import (
    ACCOUNT_RESTORED,
    ACCOUNT_SET_UP,
    ACCOUNT_SUSPENDED,
    COORDINATOR_REPLACED,
    INVITATION,
    INVITATION_EXPIRED,
    INVITATION_REVOKED,
    NOW_COORDINATOR,
    REMINDER,
)


@dataclass(frozen=True)
class Composed:
    kind: str
    subject: str
    text: str
    html: str


def _html(paragraphs: list[str]) -> str:
    body = "\n".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)
    return f"<!DOCTYPE html>\n<html><body>\n{body}\n</body></html>\n"


def _compose(kind: str, subject: str, paragraphs: list[str]) -> Composed:
    return Composed(kind, subject, "\n\n".join(paragraphs) + "\n", _html(paragraphs))


FOOTER = "This message was sent automatically by the School Support Hub; replies are not read."


def invitation(
    *,
    settings: Settings,
    to_name: str,
    centre_name: str,
    centre_number: str,
    invited_by: str,
    expires_at: datetime,
    code: str,
) -> Composed:
    return _invitation(
        settings,
        INVITATION,
        f"Set up your School Support Hub account for {centre_name} ({centre_number})",
        f"Dear {to_name},",
        f"{invited_by} has made you the school coordinator of {centre_name} "
        f"({centre_number}) on the School Support Hub.",
        expires_at,
        code,
    )


def admin_invitation(
    *,
    settings: Settings,
    to_name: str,
    role: str,
    associate: str | None,
    invited_by: str,
    expires_at: datetime,
    code: str,
) -> Composed:
    """An invitation to a support or associate coordinator account (no centre)."""
    what = f"an associate coordinator for {associate}" if associate else "a member of support staff"
    return _invitation(
        settings,
        INVITATION,
        f"Set up your School Support Hub {role} account",
        f"Dear {to_name},",
        f"{invited_by} has added you to the School Support Hub's administration as {what}.",
        expires_at,
        code,
    )


def _invitation(
    settings: Settings,
    kind: str,
    subject: str,
    greeting: str,
    why: str,
    expires_at: datetime,
    code: str,
) -> Composed:
    ssh = settings.ssh_setup
    return _compose(
        kind,
        subject,
        [
            greeting,
            why,
            f"Please set up your account by {utc_text(expires_at)}. "
            "After that this code stops working and you will need a new invitation.",
            "To set up your account, either:\n"
            f"- connect with the SSH key you will sign in with: {ssh}\n"
            "  and enter the setup code when asked, or\n"
            f"- run: hub-tui invite accept {code}",
            f"Setup code: {code}",
            FOOTER,
        ],
    )


def now_coordinator(
    *, to_name: str, centre_name: str, centre_number: str, changed_by: str
) -> Composed:
    return _compose(
        NOW_COORDINATOR,
        f"You are now the school coordinator of {centre_name} ({centre_number})",
        [
            f"Dear {to_name},",
            f"{changed_by} has made you the school coordinator of {centre_name} "
            f"({centre_number}) on the School Support Hub.",
            "You now manage your centre's teachers and their access to the hub. "
            "Your sign-in details have not changed.",
            FOOTER,
        ],
    )


def reminder(
    *, settings: Settings, to_name: str, account: str, expires_at: datetime, code: str
) -> Composed:
    """The invitation again, shortly before it runs out: the same deadline, a code that works."""
    return _invitation(
        settings,
        REMINDER,
        f"Reminder: set up your hub account by {utc_text(expires_at)}",
        f"Dear {to_name},",
        f"You were invited to set up {account} on the School Support Hub, and have not yet "
        "done so. This is a reminder: your invitation is still open.",
        expires_at,
        code,
    )


def invitation_expired(
    *, to_name: str, invitee: str, account: str, expired_at: datetime, resend: str
) -> Composed:
    return _compose(
        INVITATION_EXPIRED,
        f"Invitation not taken up: {invitee}",
        [
            f"Dear {to_name},",
            f"The invitation you sent to {invitee} for {account} expired at "
            f"{utc_text(expired_at)} without being used.",
            f"To send a new one, {resend}.",
            FOOTER,
        ],
    )


def account_suspended(
    *, to_name: str, centre: str, by: str, at: datetime, reason: str | None
) -> Composed:
    why = f" The reason given: {reason}" if reason else ""
    return _compose(
        ACCOUNT_SUSPENDED,
        f"Your School Support Hub account for {centre} is suspended",
        [
            f"Dear {to_name},",
            f"{by} suspended your account as school coordinator of {centre} at "
            f"{utc_text(at)}.{why}",
            "While it is suspended, none of the teachers and administrators of your centre "
            "can use the hub. Your associate or the hub's support can restore it.",
            FOOTER,
        ],
    )


def account_restored(*, to_name: str, centre: str, by: str, at: datetime) -> Composed:
    return _compose(
        ACCOUNT_RESTORED,
        f"Your School Support Hub account for {centre} is restored",
        [
            f"Dear {to_name},",
            f"{by} restored your account as school coordinator of {centre} at "
            f"{utc_text(at)}. Everyone at your centre has hub access again.",
            FOOTER,
        ],
    )


def coordinator_replaced(*, to_name: str, centre: str, by: str, successor: str) -> Composed:
    return _compose(
        COORDINATOR_REPLACED,
        f"No longer school coordinator of {centre}",
        [
            f"Dear {to_name},",
            f"{by} made {successor} the school coordinator of {centre} on the School "
            "Support Hub. You stay an administrator of the centre.",
            FOOTER,
        ],
    )


def invitation_revoked(*, to_name: str, centre: str, by: str) -> Composed:
    return _compose(
        INVITATION_REVOKED,
        f"Your invitation for {centre} was withdrawn",
        [
            f"Dear {to_name},",
            f"{by} chose another school coordinator for {centre}, so your invitation was "
            "withdrawn: its setup code no longer works. Nothing else is needed from you.",
            FOOTER,
        ],
    )


def account_set_up(*, to_name: str, account: str) -> Composed:
    return _compose(
        ACCOUNT_SET_UP,
        "Your School Support Hub account is set up",
        [
            f"Dear {to_name},",
            f"{account[0].upper()}{account[1:]} on the School Support Hub is set up. If you "
            "did not do this yourself, tell the hub's support at once.",
            FOOTER,
        ],
    )
