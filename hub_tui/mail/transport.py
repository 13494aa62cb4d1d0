"""Where delivered mail goes: an SMTP server (aiosmtplib), or a local Maildir."""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib

from hub_tui.config import Settings
from hub_tui.files import create_once, private_dir


@dataclass(frozen=True)
class SendError(Exception):
    """A failed attempt. `temporary` ones are retried; `connection` ones end the session."""

    reason: str
    temporary: bool
    connection: bool = False

    def __str__(self) -> str:
        return self.reason


# Awaited once the server has taken a message's envelope, just before its content goes:
# False abandons the message, unsent. The server takes a message only with its content,
# so a worker may do other work up to that point without risking a second copy.
Ready = Callable[[], Awaitable[bool]]


class Transport(Protocol):
    async def open(self) -> None: ...
    async def send(self, sender: str, recipient: str, raw: bytes, ready: Ready) -> bool:
        """True once the message was accepted; False if `ready` abandoned it."""
        ...

    async def close(self) -> None: ...


def _code_is_temporary(code: int) -> bool:
    return 400 <= code < 500


def classify(exc: Exception) -> SendError:
    """SMTP's own verdict on one message: 4xx, refused sessions, drops and time-outs are
    temporary; a 5xx reply to its recipient or its content is not."""
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        temporary = _code_is_temporary(exc.code)
        return SendError(f"recipient refused: {exc.code} {exc.message}", temporary)
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
            if client.is_ehlo_or_helo_needed:  # the extensions are needed before MAIL
                try:
                    await client.ehlo()
                except aiosmtplib.SMTPHeloError:
                    await client.helo()
        except Exception as exc:
            client.close()
            raise classify(exc) from exc
        self.client = client

    async def send(self, sender: str, recipient: str, raw: bytes, ready: Ready) -> bool:
        if self.client is None or not self.client.is_connected:
            await self.open()
        client = self.client
        assert client is not None
        try:
            # sendmail(), in three steps so that `ready` comes between envelope and content
            options = [f"SIZE={len(raw)}"] if client.supports_extension("size") else []
            encoding = "ascii"
            if not recipient.isascii():
                if not client.supports_extension("smtputf8"):
                    raise aiosmtplib.SMTPNotSupported("SMTPUTF8 is not supported by this server")
                options.append("SMTPUTF8")
                encoding = "utf-8"
            await client.mail(sender, options=options, encoding=encoding)
            await client.rcpt(recipient, encoding=encoding)
            if not await ready():
                await self._reset()
                return False
            await client.data(raw)
            return True
        except Exception as exc:
            error = classify(exc)
            if error.connection:
                await self.close()
            elif client.is_connected and self.client is client:
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
    """Delivery into a Maildir: for a new user with no SMTP server, so mail still arrives.

    Written here, not by `mailbox`, which makes message files 0666 less the umask: an
    invitation holds a setup code, so its file is 0600 from its first byte (folders 0700).
    """

    count = itertools.count()  # one of the parts making a message's name unique

    def __init__(self, path: Path) -> None:
        self.path = path

    async def open(self) -> None:
        await asyncio.to_thread(self._folders)

    def _folders(self) -> None:
        for folder in ("tmp", "new", "cur"):
            private_dir(self.path / folder)

    def _name(self) -> str:
        """Maildir's unique name: time, microseconds, process, counter, random, host."""
        now = time.time()
        host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
        unique = f"P{os.getpid()}Q{next(self.count)}R{secrets.token_hex(4)}"
        return f"{int(now)}.M{int(now % 1 * 1e6)}{unique}.{host}"

    async def send(self, sender: str, recipient: str, raw: bytes, ready: Ready) -> bool:
        if not await ready():
            return False

        def add() -> None:
            self._folders()
            name = self._name()
            # written whole in tmp/, then linked into new/: a reader never sees half of it
            if not create_once(self.path / "new" / name, raw, drafts=self.path / "tmp"):
                raise FileExistsError(f"a message named {name} is already there")

        try:
            await asyncio.to_thread(add)
        except OSError as exc:
            raise SendError(f"cannot write to {self.path}: {exc}", True, connection=True) from exc
        return True

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
