"""One client connection: signed in by public key only, and offering only session channels
(the TUI, or the set-up dialogue for `setup@`); no port forwarding of either kind."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import asyncssh

from hub_tui.ssh.channel import DB_ERRORS, Channel
from hub_tui.ssh.rate_limit import client_key
from hub_tui.ssh.session import Session
from hub_tui.ssh.setup_dialogue import SetupDialogue

if TYPE_CHECKING:
    from hub_tui.ssh.server import Front

log = logging.getLogger(__name__)

SETUP_USER = "setup"  # the user name of the set-up dialogue: Settings.ssh_setup says it


@dataclass(frozen=True)
class Identity:
    """Whom a connection's key signs in."""

    user_id: int
    email: str
    fingerprint: str


class Connection(asyncssh.SSHServer):
    """One client connection: public keys only, and only sessions."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = ""  # the client's, as its set-up tries are counted (rate_limit)
        self.username = ""
        self.who: Identity | None = None
        self.offered_key: asyncssh.SSHKey | None = None  # for set-up: the key to register
        self.sessions: set[Channel[Any]] = set()
        self.opened = 0  # session channels asked for, ever
        self.since = time.monotonic()  # without a session running since
        self.setup_tries = 0  # wrong codes: counted per connection, not per channel

    @property
    def running(self) -> bool:
        """A session of it has not ended."""
        return any(not session.ended for session in self.sessions)

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.address = client_key(str(peer[0])) if peer else ""
        self.front.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.front.connections.discard(self)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def begin_auth(self, username: str) -> bool:
        self.username = username
        assert self.conn is not None
        self.conn.send_auth_banner(
            "School Support Hub administration: sign in with your SSH key.\r\n"
            f"Invited? Set up your account with: {self.front.settings.ssh_setup}\r\n"
        )
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        fingerprint = key.get_fingerprint("sha256")
        if username == SETUP_USER:  # any key: it is the one the code will register
            self.offered_key = key
            return True
        try:
            user = await asyncio.to_thread(self.front.holder, fingerprint)
        except DB_ERRORS as exc:
            log.warning("cannot look up a key: %s", exc)
            return False
        if user is None or user.id is None:
            return False
        self.who = Identity(user.id, user.email, fingerprint)
        return True

    def session_requested(self) -> Session | SetupDialogue:
        self.opened += 1
        if self.username == SETUP_USER:
            return SetupDialogue(self.front, self)
        return Session(self.front, self)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "hub-tui does not forward connections"
        )

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False  # no remote forwarding either
