"""What every session channel does, whether it runs the TUI (session.py) or the set-up
dialogue (setup_dialogue.py): take the terminal the client asks for, refuse commands and
subsystems, write lines to the client, and end with an exit status.

Each kind has its phases in an enum of its own, and a `Phases` table of the moves between
them; a channel changes phase only through `to`, which holds it to that table."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Generic, TypeVar

import asyncssh
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.errors import HubError
from hub_tui.validation import printable

if TYPE_CHECKING:
    from hub_tui.ssh.connection import Connection, Identity
    from hub_tui.ssh.server import Front

log = logging.getLogger(__name__)

DB_ERRORS = (SQLAlchemyError, HubError)
DB_AWAY = "The hub's database cannot be reached just now; try again in a minute."
TERM_NAME = re.compile(r"[A-Za-z0-9._+-]{1,64}")
MAX_WINDOW = 2000  # columns or rows: a pty holds 16 bits, and no screen is wider

P = TypeVar("P", bound=Enum)


@dataclass(frozen=True)
class Phases(Generic[P]):
    """A kind of channel's phases: where it starts, the moves it may make, the phases of a
    channel that ran (it was not turned away at once), and its two ended phases."""

    first: P
    moves: Mapping[P, frozenset[P]]
    ran: frozenset[P]
    closing: P  # ended after it ran: its place is held until its channel has gone
    closed: P  # turned away before it ran, or its channel has gone


def window(columns: int, rows: int) -> tuple[int, int]:
    return min(max(columns, 1), MAX_WINDOW), min(max(rows, 1), MAX_WINDOW)


class Channel(asyncssh.SSHServerSession[bytes], Generic[P]):
    """A session channel of `connection`, in one of `phases`. Subclasses say what runs once
    the client's shell starts (`begin`) and what it does with what is typed
    (`data_received`)."""

    def __init__(self, front: Front, connection: Connection, phases: Phases[P]) -> None:
        self.phases = phases
        self.phase = phases.first
        self.front = front
        self.connection = connection
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term_type: str | None = None  # None: the client asked for no terminal
        self.size = (80, 24)
        self.refusal: str | None = None  # what it asked for that is not offered
        self.last_input = time.monotonic()

    # -- its phase -----------------------------------------------------------------------

    def to(self, phase: P) -> None:
        if phase not in self.phases.moves[self.phase]:
            raise RuntimeError(f"a session cannot go from {self.phase.value} to {phase.value}")
        self.phase = phase

    @property
    def ended(self) -> bool:
        return self.phase in (self.phases.closing, self.phases.closed)

    @property
    def ran(self) -> bool:
        """The TUI or the dialogue ran in it (it was not turned away at once)."""
        return self.phase in self.phases.ran

    def finish(self, *, lost: bool) -> None:
        """Enter the phase of an ended session (`lost`: the channel has gone)."""
        phase = self.phases.closing if self.ran and not lost else self.phases.closed
        if self.phase is not phase:
            self.to(phase)

    @property
    def signed_in_as(self) -> Identity | None:
        """Whom it signed in, from then until its channel has gone: they hold one of their
        sessions, and lose it if they can no longer sign in."""
        return None

    def idle(self, now: float) -> float:
        """Seconds without a key press."""
        return now - self.last_input

    def begin(self) -> None:
        raise NotImplementedError

    # -- asyncssh's calls ----------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan
        self.connection.sessions.add(self)

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        # what the client says its terminal is goes into the child's environment: a name
        self.term_type = term_type if TERM_NAME.fullmatch(term_type) else "xterm-256color"
        self.size = window(term_size[0] or 80, term_size[1] or 24)
        return True

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = window(width, height)

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        address = self.front.settings.ssh_address
        self.refusal = f"hub-tui runs no commands: connect without one ({address})."
        return True  # accepted only to say so: a refused request shows the client no reason

    def subsystem_requested(self, subsystem: str) -> bool:
        self.refusal = f"hub-tui offers no file transfer or other subsystems ({subsystem!r})."
        return True

    def session_started(self) -> None:
        self.front.sessions.add(self)
        if self.refusal:
            self.end(self.refusal)
        else:
            self.begin()

    def eof_received(self) -> bool:
        self.end()  # the client closed its input: the session is over
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        ran = self.ran
        self.finish(lost=True)
        self.front.sessions.discard(self)
        self.connection.sessions.discard(self)
        if ran:  # only a session that ran (not one refused at once) restarts the clock
            self.connection.since = time.monotonic()

    # -- to the client -------------------------------------------------------------------

    def say(self, text: str) -> None:
        """A line to the client's terminal; on stderr when it has none (e.g. a command)."""
        data = f"{printable(text)}\r\n".encode()
        self.write(data, stderr=self.term_type is None)

    def write(self, data: bytes, *, stderr: bool = False) -> None:
        if self.chan is None or self.ended:
            return
        try:
            (self.chan.write_stderr if stderr else self.chan.write)(data)
        except (OSError, asyncssh.Error) as exc:  # the client has gone meanwhile
            log.debug("write to a closed channel: %s", exc)
            self.finish(lost=False)

    def end(self, message: str | None = None, status: int = 1) -> None:
        """Say `message`, if any, and end the session with exit `status`."""
        if self.ended or self.chan is None:
            return
        if message:
            self.say(message)
        self.finish(lost=False)
        with contextlib.suppress(OSError, asyncssh.Error):
            self.chan.exit(status)
