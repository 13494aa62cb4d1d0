"""`ssh setup@HOST`: the invited person types the setup code from their e-mail, and the key
they connected with becomes their sign-in key. No Textual: a prompt and a line. Wrong codes
are counted per connection; the third ends the connection. A try over the front end's rate
limits (Front.setup_limit) is not checked at all: it too ends the connection."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import asyncssh
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.errors import HubError
from hub_tui.services import invitations
from hub_tui.ssh.channel import DB_AWAY, DB_ERRORS, Channel, Phases

if TYPE_CHECKING:
    from hub_tui.services.context import Hub
    from hub_tui.ssh.connection import Connection
    from hub_tui.ssh.server import Front

log = logging.getLogger(__name__)

TRIES = 3
WRONG = "That code does not set up an account. Check it against your invitation e-mail."
TOO_MANY = "Too many wrong codes. Ask for a new invitation if yours no longer works."
TOO_FAST = "Too many set-up tries; wait a minute and try again."  # for either rate limit
WRONG_CODE_PAUSE = 1.0  # seconds before the next try: guessing is slow as well as hopeless
MAX_LINE = 200


@dataclass(frozen=True)
class SetUp:
    name: str
    account: str  # "your account for GB042", "your support account"


def accept(hub: Hub, code: str, public_key: str) -> SetUp | None:
    """The account set up with this key, or None: one answer for every wrong code
    (unknown, used, replaced, expired), so a guesser learns nothing."""
    try:
        with hub.as_system(write=True) as ctx:
            accepted = invitations.accept(ctx, code, ssh_key=public_key)
            return SetUp(accepted.user.name, accepted.account)
    except HubError:
        return None


class LineEditor:
    """Enough of a line editor for a code typed at a raw terminal: echo, backspace, enter."""

    def __init__(self, echo: bool) -> None:
        self.echo = echo
        self.line = bytearray()
        self.after_cr = False

    def feed(self, data: bytes) -> tuple[bytes, list[str | None]]:
        """(what to echo, the lines finished: None for ctrl+c or ctrl+d)."""
        shown = bytearray()
        done: list[str | None] = []
        for byte in data:
            after_cr, self.after_cr = self.after_cr, byte == 13
            if byte in (3, 4):  # ctrl+c, ctrl+d
                done.append(None)
            elif byte in (13, 10):
                if byte == 10 and after_cr:
                    continue  # the \n of a \r\n
                done.append(self.line.decode("utf-8", "replace"))
                self.line.clear()
                shown += b"\r\n"
            elif byte in (8, 127):
                if self.line:
                    self.line.pop()
                    shown += b"\b \b"
            elif 32 <= byte < 127 and len(self.line) < MAX_LINE:
                self.line.append(byte)
                shown.append(byte)
        return (bytes(shown) if self.echo else b""), done


class Phase(Enum):
    OPENING = "opening"  # the client's requests, then whether its key is new is looked up
    ASKING = "asking"  # the prompt is shown: a line is being typed
    CHECKING = "checking"  # a code is being checked: what is typed meanwhile is dropped
    CLOSING = "closing"  # ended after it asked; its channel has not gone yet
    CLOSED = "closed"  # turned away before it asked, or its channel has gone


PHASES = Phases(
    first=Phase.OPENING,
    moves={
        Phase.OPENING: frozenset({Phase.ASKING, Phase.CLOSED}),
        Phase.ASKING: frozenset({Phase.CHECKING, Phase.CLOSING, Phase.CLOSED}),
        Phase.CHECKING: frozenset({Phase.ASKING, Phase.CLOSING, Phase.CLOSED}),
        Phase.CLOSING: frozenset({Phase.CLOSED}),
        Phase.CLOSED: frozenset(),
    },
    ran=frozenset({Phase.ASKING, Phase.CHECKING, Phase.CLOSING}),
    closing=Phase.CLOSING,
    closed=Phase.CLOSED,
)


class SetupDialogue(Channel[Phase]):
    """A session channel of a `setup@` connection: the code asked for, checked, and the
    connection's key registered with the account it sets up."""

    def __init__(self, front: Front, connection: Connection) -> None:
        super().__init__(front, connection, PHASES)
        self.editor = LineEditor(echo=False)  # echo is decided when the dialogue begins

    @property
    def key(self) -> asyncssh.SSHKey:
        key = self.connection.offered_key
        assert key is not None
        return key

    def begin(self) -> None:
        if self.connection.opened > 1:
            setup = self.front.settings.ssh_setup
            self.end(f"One set-up per connection: connect again with {setup}.")
        else:
            self.front.spawn(self.ask())

    async def ask(self) -> None:
        try:
            holder = await asyncio.to_thread(self.front.holder, self.key.get_fingerprint("sha256"))
        except DB_ERRORS:
            self.end(DB_AWAY)
            return
        if holder is not None:
            address = self.front.settings.ssh_address
            self.end(f"This key already signs in to a hub account: connect with {address}.")
            return
        if self.ended:
            return
        self.to(Phase.ASKING)
        self.editor.echo = self.term_type is not None
        self.say("Welcome to the School Support Hub. To set up your account,")
        self.say("enter the setup code from your invitation e-mail.")
        self.prompt()

    def prompt(self) -> None:
        self.write(b"Setup code: ")

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        if self.phase not in (Phase.ASKING, Phase.CHECKING):
            return
        echo, lines = self.editor.feed(data)
        if echo:
            self.write(echo)
        for line in lines:
            if self.phase is not Phase.ASKING:
                continue  # a code being checked may already have set it up
            if line is None:  # ctrl+c, ctrl+d
                self.write(b"\r\n")  # off the line typed so far
                self.end("Set-up cancelled: nothing was changed.")
            elif not line.strip():  # enter alone is no try
                self.prompt()
            elif not self.front.setup_limit.allow(self.connection.address):
                log.warning("set-up tries from %s over the limit", self.connection.address)
                self.hang_up(TOO_FAST)
            else:
                self.to(Phase.CHECKING)
                self.front.spawn(self.check(line))

    async def check(self, code: str) -> None:
        public_key = self.key.export_public_key("openssh").decode()
        try:
            done = await asyncio.to_thread(accept, self.front.hub, code, public_key)
        except SQLAlchemyError:
            log.exception("set-up failed")
            self.end(DB_AWAY)
            return
        if done is not None:
            log.info("set up over SSH: %s, %s", done.name, done.account)
            self.say(f"Welcome, {done.name}: {done.account} is set up,")
            address = self.front.settings.ssh_address
            self.end(f"and this key now signs you in: {address}", status=0)
            return
        self.connection.setup_tries += 1
        await asyncio.sleep(WRONG_CODE_PAUSE)
        if self.connection.setup_tries >= TRIES:
            self.hang_up(TOO_MANY)
            return
        if self.ended:
            return
        self.say(WRONG)
        self.to(Phase.ASKING)
        self.prompt()

    def hang_up(self, message: str) -> None:
        """Say `message` and end the whole connection, not just this channel: the client
        can open no other channel on it to go on trying."""
        self.end(message)
        self.connection.close()
