"""Where delivered mail goes: an SMTP server (aiosmtplib), or a local Maildir."""

from __future__ import annotations

import asyncio
import mailbox
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib

from hub_tui.config import Settings


@dataclass(frozen=True)
class SendError(Exception):
    """A failed attempt. `temporary` ones are retried; `connection` ones end the session."""

    reason: str
    temporary: bool
    connection: bool = False

    def __str__(self) -> str:
        return self.reason


class Transport(Protocol):
    async def open(self) -> None: ...
    async def send(self, sender: str, recipient: str, raw: bytes) -> None: ...
    async def close(self) -> None: ...


def _code_is_temporary(code: int) -> bool:
    return 400 <= code < 500


def classify(exc: Exception) -> SendError:
    """SMTP's own verdict on one message: 4xx, refused sessions, drops and time-outs are
    temporary; a 5xx reply to its recipient or its content is not."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        return SendError(f"recipient refused: {detail}", all(_code_is_temporary(c) for c in codes))
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return SendError(f"the server cannot take this message: {exc}", temporary=False)
    session_refused = (
        aiosmtplib.SMTPConnectResponseError,  # the greeting, e.g. 421 or 554
        aiosmtplib.SMTPAuthenticationError,  # e.g. 535: a wrong password
        aiosmtplib.SMTPHeloError,
        aiosmtplib.SMTPSenderRefused,  # our noreply address, not this message
    )
    if isinstance(exc, session_refused):
        # the server refuses us, not this message: stop the run, fail no message for good
        return SendError(
            f"the server refused the session: {exc.code} {exc.message}",
            temporary=True,
            connection=True,
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        temporary = _code_is_temporary(exc.code)
        return SendError(f"{exc.code} {exc.message}", temporary, connection=exc.code == 421)
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError | TimeoutError):
        return SendError(f"time-out: {exc}", True, connection=True)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPConnectError | OSError):
        return SendError(f"connection failed: {exc}", True, connection=True)
    return SendError(f"{type(exc).__name__}: {exc}", True, connection=True)


class SmtpTransport:
    """One SMTP connection, reused for many messages (about twice as fast as one each)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: aiosmtplib.SMTP | None = None

    async def open(self) -> None:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.resolved_smtp_port,
            username=s.smtp_username,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            use_tls=s.smtp_tls,
            start_tls=s.smtp_starttls,
            timeout=s.smtp_timeout_seconds,
        )
        try:
            await client.connect()
        except Exception as exc:
            raise classify(exc) from exc
        self.client = client

    async def send(self, sender: str, recipient: str, raw: bytes) -> None:
        if self.client is None or not self.client.is_connected:
            await self.open()
        assert self.client is not None
        try:
            utf8 = [] if recipient.isascii() else ["SMTPUTF8"]
            await self.client.sendmail(sender, [recipient], raw, mail_options=utf8)
        except Exception as exc:
            error = classify(exc)
            if error.connection:
                await self.close()
            elif self.client.is_connected:
                # a refused message leaves the session mid-transaction on some servers
                await self._reset()
            raise error from exc

    async def _reset(self) -> None:
        assert self.client is not None
        try:
            await self.client.rset()
        except Exception:
            await self.close()

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await client.quit()
        except Exception:
            client.close()


class MaildirTransport:
    """Delivery into a Maildir: for a new user with no SMTP server, so mail still arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def open(self) -> None:
        await asyncio.to_thread(self.path.mkdir, parents=True, exist_ok=True)

    async def send(self, sender: str, recipient: str, raw: bytes) -> None:
        def add() -> None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            mailbox.Maildir(self.path, create=True).add(raw)

        try:
            await asyncio.to_thread(add)
        except OSError as exc:
            raise SendError(f"cannot write to {self.path}: {exc}", True, connection=True) from exc

    async def close(self) -> None:
        return None


def make_transport(settings: Settings) -> Transport:
    if settings.smtp_host:
        return SmtpTransport(settings)
    return MaildirTransport(settings.maildir)


def describe(settings: Settings) -> str:
    if settings.smtp_host:
        return f"Mail is sent through {settings.smtp_host}:{settings.resolved_smtp_port}."
    return (
        f"No SMTP server is set (HUB_SMTP_HOST), so mail is delivered to the Maildir "
        f"{settings.maildir}"
    )
