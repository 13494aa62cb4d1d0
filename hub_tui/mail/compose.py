"""The text of each automated e-mail. Names arrive already cleaned (no control characters)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from hub_tui.config import Settings
from hub_tui.formatting import utc_text

INVITATION = "invitation"
NOW_COORDINATOR = "now_coordinator"


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
        f"Set up your School Support Hub {role} account",
        f"Dear {to_name},",
        f"{invited_by} has added you to the School Support Hub's administration as {what}.",
        expires_at,
        code,
    )


def _invitation(
    settings: Settings,
    subject: str,
    greeting: str,
    why: str,
    expires_at: datetime,
    code: str,
) -> Composed:
    ssh = settings.ssh_setup
    return _compose(
        INVITATION,
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
