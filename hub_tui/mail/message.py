"""An outbox row as an RFC 5322 message, with the headers SPEC §3 asks for."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from hub_tui.config import Settings
from hub_tui.services.outbox import Claimed


def build_message(claimed: Claimed, settings: Settings, *, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    # Address, not formataddr(): it quotes and encodes names such as 'Zoë "Z", Jr' correctly
    msg["To"] = Address(display_name=claimed.to_name, addr_spec=claimed.to_email)
    if settings.mail_reply_to:
        msg["Reply-To"] = settings.mail_reply_to
    msg["Subject"] = claimed.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = claimed.message_id  # fixed when queued: a retry is the same message
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(claimed.body_text)
    if claimed.body_html:
        msg.add_alternative(claimed.body_html, subtype="html")
    return msg
