"""A TUI session: the person whose key signed the connection in gets the TUI, as a child
process on a pty of its own, until it quits or the session is ended (by the client, by the
server's watch over idle, suspended or removed-key sessions, or by the server stopping)."""

from __future__ import annotations

import asyncio
import logging
import time
from enum import Enum
from typing import TYPE_CHECKING

import asyncssh
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.errors import Forbidden, HubError
from hub_tui.services.context import check_can_sign_in
from hub_tui.ssh.channel import DB_AWAY, Channel, Phases
from hub_tui.ssh.pty import PtyChild

if TYPE_CHECKING:
    from hub_tui.ssh.connection import Connection, Identity
    from hub_tui.ssh.server import Front

log = logging.getLogger(__name__)

EARLY_KEYS = 4096  # typed while the TUI starts: kept for it, up to this many bytes
# What Textual writes when it stops, for a TUI ended from outside: paste, mouse and in-band
# resize reports off, line wrap back on (without it the farewell is drawn over itself in the
# last column), the kitty keyboard mode popped before the alternate screen is left, cursor shown
RESET_TERMINAL = (
    b"\x1b[?2004l\x1b[?7h\x1b[?2048l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l"
    b"\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[0m"
)


class Phase(Enum):
    OPENING = "opening"  # the client's requests (pty, environment) until its shell starts
    SIGNING_IN = "signing in"  # the key's holder looked up again, their sessions counted
    STARTING = "starting"  # signed in: the child is being started
    RUNNING = "running"  # the TUI runs on its pty
    CLOSING = "closing"  # ended once signed in; it holds its place until its channel has gone
    CLOSED = "closed"  # turned away before signing in, or its channel has gone


SIGNED_IN = frozenset({Phase.STARTING, Phase.RUNNING, Phase.CLOSING})
PHASES = Phases(
    first=Phase.OPENING,
    moves={
        Phase.OPENING: frozenset({Phase.SIGNING_IN, Phase.CLOSED}),
        Phase.SIGNING_IN: frozenset({Phase.STARTING, Phase.CLOSED}),
        Phase.STARTING: frozenset({Phase.RUNNING, Phase.CLOSING, Phase.CLOSED}),
        Phase.RUNNING: frozenset({Phase.CLOSING, Phase.CLOSED}),
        Phase.CLOSING: frozenset({Phase.CLOSED}),
        Phase.CLOSED: frozenset(),
    },
    ran=SIGNED_IN,
    closing=Phase.CLOSING,
    closed=Phase.CLOSED,
)


class Session(Channel[Phase]):
    """A session channel of a connection signed in by key: the TUI on a pty."""

    def __init__(self, front: Front, connection: Connection) -> None:
        super().__init__(front, connection, PHASES)
        self.child: PtyChild | None = None
        self.early = bytearray()  # keys typed while the TUI starts

    @property
    def who(self) -> Identity | None:
        return self.connection.who

    @property
    def signed_in_as(self) -> Identity | None:
        return self.who if self.phase in SIGNED_IN else None

    def idle(self, now: float) -> float:
        return 0.0 if self.phase is Phase.STARTING else super().idle(now)

    # -- asyncssh's calls ----------------------------------------------------------------

    def begin(self) -> None:
        if self.term_type is None:
            address = self.front.settings.ssh_address
            self.end(f"hub-tui needs a terminal: connect with {address}, without -T.")
        else:
            self.to(Phase.SIGNING_IN)
            self.front.spawn(self.start_tui())

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        super().terminal_size_changed(width, height, pixwidth, pixheight)
        if self.child is not None:
            self.child.resize(*self.size)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)
        elif self.phase is Phase.STARTING and len(self.early) < EARLY_KEYS:
            self.early += data

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_reading()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        who = self.signed_in_as
        super().connection_lost(exc)
        if who is not None:
            log.info("%s signed out", who.email)
        self.front.spawn(self.stop_child())

    # -- the session's life --------------------------------------------------------------

    def end(self, message: str | None = None, status: int = 1) -> None:
        if self.ended:
            return
        if self.phase is Phase.RUNNING and message:  # the TUI cannot tidy the terminal up now
            self.write(RESET_TERMINAL)
        super().end(message, status)
        self.front.spawn(self.stop_child())

    async def stop_child(self) -> None:
        if self.child is not None:
            await self.child.stop()

    async def start_tui(self) -> None:
        """Sign in (the key's holder may have changed since the connection's sign-in), then
        start the child: with the keys typed meanwhile, at the window's size by then."""
        who = self.who
        assert who is not None and self.chan is not None and self.term_type is not None
        try:
            user = await asyncio.to_thread(self.front.holder, who.fingerprint)
            if user is None or user.id != who.user_id:  # removed, or moved on, since sign-in
                raise Forbidden("Your SSH key no longer signs you in to the hub.")
            check_can_sign_in(user)
        except HubError as exc:
            self.end(exc.message)
            return
        except SQLAlchemyError:
            log.exception("cannot sign %s in", who.email)
            self.end(DB_AWAY)
            return
        cap = self.front.settings.ssh_max_sessions
        if self.front.open_sessions(who.user_id) >= cap:
            self.end(f"You already have {cap} hub-tui sessions open; close one and try again.")
            return
        if self.ended:
            return
        self.to(Phase.STARTING)
        env = self.front.child_env(self.term_type, self.chan.get_environment())
        try:
            child = await PtyChild.start(
                self.front.spawner(who, env), self.size, self.write, self.child_exited
            )
        except (OSError, RuntimeError, TimeoutError) as exc:
            log.error("cannot start a session for %s: %s", who.email, exc)
            self.end("The hub could not start your session; try again in a minute.")
            return
        self.child = child
        log.info("%s signed in with %s", who.email, who.fingerprint)
        if self.ended:  # the client left while the child started
            await child.stop()
            return
        self.to(Phase.RUNNING)
        child.resize(*self.size)  # the window may have changed while it started
        child.write(bytes(self.early))  # and keys typed meanwhile
        self.early.clear()
        self.last_input = time.monotonic()  # a slow start is not time spent idle

    def child_exited(self, status: int) -> None:
        if status < 0:  # killed by a signal: it could not tidy the terminal up
            self.end("Your hub-tui session ended unexpectedly; sorry. Connect again to go on.")
        else:  # it quit, having said why if it was not fine (a refusal it showed, say)
            self.end(status=0 if status == 0 else 1)
