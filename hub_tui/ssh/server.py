"""`hub-tui ssh serve`: every SSH session gets its own TUI, signed in as the person whose
key it is; `setup@` sets up an invited account. Nothing else is offered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncssh
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.errors import Forbidden, HubError
from hub_tui.files import create_once
from hub_tui.models import User
from hub_tui.services import keys
from hub_tui.services.context import Hub, check_can_sign_in
from hub_tui.signals import on_stop_signals
from hub_tui.ssh import setup
from hub_tui.ssh.pty import PtyChild, Spawn, exec_spawn
from hub_tui.ssh.template_parent import Template
from hub_tui.validation import printable

if TYPE_CHECKING:
    from hub_tui.mail.worker import Deliverer

log = logging.getLogger("hub_tui.ssh")

SETUP_USER = "setup"
WATCH_SECONDS = 2.0  # how soon a suspension, a removed key or an idle session is acted on
WRONG_CODE_PAUSE = 1.0  # seconds before the next try: guessing is slow as well as hopeless
DB_ERRORS = (SQLAlchemyError, HubError)
EARLY_KEYS = 4096
DB_AWAY = "The hub's database cannot be reached just now; try again in a minute."
# COLUMNS and LINES would pin Textual's size; the operator's agent is not the sessions'
CHILD_ENV_DROPPED = frozenset({"COLUMNS", "LINES", "HUB_USER", "SSH_AUTH_SOCK"})
TERM_NAME = re.compile(r"[A-Za-z0-9._+-]{1,64}")
COLORTERMS = frozenset({"truecolor", "24bit"})
MAX_WINDOW = 2000  # columns or rows: a pty holds 16 bits, and no screen is wider
# a connection with no session running (ssh -N, or every session over) is closed after; as
# long as asyncssh gives a client to sign in
SESSIONLESS_SECONDS = 120.0
# What Textual writes when it stops, for a TUI ended from outside: paste, mouse and in-band
# resize reports off, line wrap back on (without it the farewell is drawn over itself in the
# last column), the kitty keyboard mode popped before the alternate screen is left, cursor shown
RESET_TERMINAL = (
    b"\x1b[?2004l\x1b[?7h\x1b[?2048l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l"
    b"\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[0m"
)


def window(columns: int, rows: int) -> tuple[int, int]:
    return min(max(columns, 1), MAX_WINDOW), min(max(rows, 1), MAX_WINDOW)


@dataclass(frozen=True)
class Identity:
    """Whom a connection's key signs in."""

    user_id: int
    email: str
    fingerprint: str


ChildArgv = Callable[[Identity], list[str]]


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's host key: made on the first start (mode 0600) and kept, so that clients
    that trusted it once keep trusting it."""
    if not path.exists():
        create_once(path, asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    try:
        return asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise HubError(
            f"Cannot use the host key {path} ({exc}): fix it, or move it away to make a new one "
            "(clients will then be told the host key changed)."
        ) from None


class Front:
    """One `ssh serve` process: its listener, its sessions and the watch over them."""

    def __init__(
        self, hub: Hub, *, host: str, port: int, child_argv: ChildArgv | None = None
    ) -> None:
        """Sessions run the TUI forked from the template; or, given `child_argv`, that
        program (the benchmark's bare reference app)."""
        self.hub = hub
        self.settings = hub.settings
        self.host = host
        self.port = port
        self.child_argv = child_argv
        self.template = Template()
        self.sessions: set[Session] = set()
        self.connections: set[Connection] = set()
        self.server: asyncssh.SSHAcceptor | None = None
        self.tasks: list[asyncio.Task[None]] = []  # cancelled when the server stops
        self.mail: asyncio.Task[None] | None = None  # stopped, not cancelled
        self.deliverer: Deliverer | None = None
        self.background: set[asyncio.Task[None]] = set()  # held, or asyncio may drop them

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    @property
    def public_host(self) -> str:
        """The name people connect to (HUB_SSH_PUBLIC_HOST), or the address listened on."""
        return self.settings.ssh_public_host or self.host

    @property
    def address(self) -> str:
        return f"ssh -p {self.port} {self.public_host}"

    @property
    def setup_command(self) -> str:
        return f"ssh -p {self.port} {SETUP_USER}@{self.public_host}"

    async def start(self) -> None:
        host_key = load_host_key(self.settings.host_key_path)
        try:
            self.server = await asyncssh.create_server(
                lambda: Connection(self),
                self.host,
                self.port,
                server_host_keys=[host_key],
                agent_forwarding=False,  # asyncssh allows it unless told not to
                x11_forwarding=False,
                allow_scp=False,
                line_editor=False,  # keys such as ctrl+q go to the TUI as they are
                encoding=None,
                keepalive_interval=60,
            )
        except OSError as exc:
            raise HubError(f"Cannot listen on {self.host}:{self.port}: {exc.strerror}.") from None
        if self.port == 0:  # an ephemeral port: say which
            self.port = self.server.sockets[0].getsockname()[1]
        if self.child_argv is None:
            self.template.start()
        self.tasks.append(asyncio.create_task(self.watch()))
        if self.settings.deliver_mail:
            from hub_tui.mail.worker import Deliverer

            self.deliverer = Deliverer(self.hub.engine, self.settings)  # before any close()
            self.mail = asyncio.create_task(self.deliverer.keep_delivering())
        fingerprint = host_key.get_fingerprint("sha256")
        log.info("listening on %s:%d, host key %s", self.host, self.port, fingerprint)

    async def close(self) -> None:
        """Stop listening and end every session and its child."""
        if self.server is not None:
            self.server.close()
        if self.deliverer is not None:  # the e-mail being sent goes, and is recorded
            self.deliverer.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for session in list(self.sessions):
            session.end("The hub's SSH server is stopping.")  # and stops its child
        while self.background:
            await asyncio.gather(*self.background, return_exceptions=True)
        for connection in list(self.connections):  # none may open a session any more
            connection.close()
        self.template.close()
        if self.mail is not None:
            await asyncio.gather(self.mail, return_exceptions=True)

    # -- what the sessions ask of it ------------------------------------------------------

    def holder(self, fingerprint: str) -> User | None:
        with self.hub.as_system() as ctx:
            return keys.key_holder(ctx, fingerprint)

    def open_sessions(self, user_id: int) -> int:
        return sum(1 for s in self.sessions if s.signed_in and s.who and s.who.user_id == user_id)

    def spawner(self, who: Identity, env: Mapping[str, str]) -> Spawn:
        if self.child_argv is not None:
            return exec_spawn(self.child_argv(who), env)
        return partial(self.template.spawn, who.email, env)

    def child_env(self, term_type: str, client_env: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CHILD_ENV_DROPPED}
        env.update(
            TERM=term_type or "xterm-256color",
            HUB_DATABASE_URL=self.settings.resolved_database_url,
            HUB_SSH_HOST=self.host,
            HUB_SSH_PUBLIC_HOST=self.public_host,  # invitations sent from a session say it
            HUB_SSH_PORT=str(self.port),
            HUB_DELIVER_MAIL="false",  # this process delivers for all its sessions
        )
        # 24-bit colour only for a client that says it has it (ssh -o SetEnv=COLORTERM=…);
        # the others get the colours their TERM names
        if (colorterm := client_env.get("COLORTERM", "")) in COLORTERMS:
            env["COLORTERM"] = colorterm
        else:
            env.pop("COLORTERM", None)
        return env

    # -- in the background ---------------------------------------------------------------

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            try:
                await self.check_sessions()
            except Exception:  # one bad round must not end the watch over every session
                log.exception("checking the sessions failed")

    async def check_sessions(self) -> None:
        """Close idle sessions, and those whose user was suspended or lost the key."""
        idle = self.settings.ssh_idle_minutes * 60
        now = time.monotonic()
        for session in list(self.sessions):
            starting = session.signed_in and session.child is None
            if now - session.last_input > idle and not starting:
                minutes = f"{self.settings.ssh_idle_minutes:g}"
                session.end(f"Closed after {minutes} minutes without a key press.")
        for connection in list(self.connections):  # e.g. ssh -N: connected, but no session
            running = any(not session.ended for session in connection.sessions)
            if not running and now - connection.since > SESSIONLESS_SECONDS:
                connection.close()
        live = [s for s in self.sessions if s.signed_in and s.who is not None]
        if not live:
            return
        try:
            fingerprints = {s.who.fingerprint for s in live if s.who}
            holders = await asyncio.to_thread(self.holders, fingerprints)
        except DB_ERRORS as exc:  # the database is away: look again next time
            log.warning("cannot check sessions: %s", exc)
            return
        for session in live:
            assert session.who is not None
            user = holders.get(session.who.fingerprint)
            if user is None or user.id != session.who.user_id:
                session.end("Your SSH key no longer signs you in to the hub; you are signed out.")
                continue
            try:
                check_can_sign_in(user)
            except Forbidden as exc:
                session.end(f"{exc.message} You are signed out.")

    def holders(self, fingerprints: set[str]) -> dict[str, User]:
        with self.hub.as_system() as ctx:
            return keys.holders(ctx, fingerprints)


class Connection(asyncssh.SSHServer):
    """One client connection: public keys only, and only sessions."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.conn: asyncssh.SSHServerConnection | None = None
        self.username = ""
        self.who: Identity | None = None
        self.offered_key: asyncssh.SSHKey | None = None
        self.sessions: set[Session] = set()
        self.opened = 0  # session channels asked for, ever
        self.since = time.monotonic()  # without a session running since
        self.setup_tries = 0  # wrong codes: counted per connection, not per channel

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
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
            f"Invited? Set up your account with: {self.front.setup_command}\r\n"
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

    def session_requested(self) -> Session:
        self.opened += 1
        return Session(self.front, self)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "hub-tui does not forward connections"
        )

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False  # no remote forwarding either


class Session(asyncssh.SSHServerSession[bytes]):
    """A session channel: the TUI on a pty, the set-up dialogue, or a refusal."""

    def __init__(self, front: Front, connection: Connection) -> None:
        self.front = front
        self.connection = connection
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term_type: str | None = None
        self.size = (80, 24)
        self.refusal: str | None = None
        self.child: PtyChild | None = None
        self.editor: setup.LineEditor | None = None
        self.checking = False
        self.signed_in = False
        self.ran = False  # the TUI or the set-up dialogue ran in it
        self.ended = False
        self.last_input = time.monotonic()
        self.early = bytearray()  # keys typed while the TUI starts

    @property
    def who(self) -> Identity | None:
        return self.connection.who

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
        if self.child is not None:
            self.child.resize(*self.size)

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.refusal = f"hub-tui runs no commands: connect without one ({self.front.address})."
        return True  # accepted only to say so: a refused request shows the client no reason

    def subsystem_requested(self, subsystem: str) -> bool:
        self.refusal = f"hub-tui offers no file transfer or other subsystems ({subsystem!r})."
        return True

    def session_started(self) -> None:
        self.front.sessions.add(self)
        if self.refusal:
            self.end(self.refusal)
        elif self.connection.username == SETUP_USER and self.connection.opened > 1:
            self.end(f"One set-up per connection: connect again with {self.front.setup_command}.")
        elif self.connection.username == SETUP_USER:
            self.front.spawn(self.begin_setup())
        elif self.term_type is None:
            self.end(f"hub-tui needs a terminal: connect with {self.front.address}, without -T.")
        else:
            self.front.spawn(self.start_tui())

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)
        elif self.editor is not None:
            self.typed(data)
        elif self.signed_in and len(self.early) < EARLY_KEYS:
            self.early += data

    def eof_received(self) -> bool:
        self.end()  # the client closed its input: the session is over
        return False

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_reading()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.front.sessions.discard(self)
        self.connection.sessions.discard(self)
        if self.ran:  # only a session that ran (not one refused at once) restarts the clock
            self.connection.since = time.monotonic()
        if self.signed_in and self.who is not None:
            log.info("%s signed out", self.who.email)
        self.front.spawn(self.stop_child())

    # -- the session's life --------------------------------------------------------------

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
            self.ended = True

    def end(self, message: str | None = None, status: int = 1) -> None:
        if self.ended or self.chan is None:
            return
        if self.child is not None and message:  # the TUI cannot tidy the terminal up now
            self.write(RESET_TERMINAL)
        if message:
            self.say(message)
        self.ended = True
        with contextlib.suppress(OSError, asyncssh.Error):
            self.chan.exit(status)
        self.front.spawn(self.stop_child())

    async def stop_child(self) -> None:
        if self.child is not None:
            await self.child.stop()

    async def start_tui(self) -> None:
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
        self.signed_in = self.ran = True
        env = self.front.child_env(self.term_type, self.chan.get_environment())
        try:
            child = await PtyChild.start(
                self.front.spawner(who, env), self.size, self.output, self.child_exited
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
        child.resize(*self.size)  # the window may have changed while it started
        child.write(bytes(self.early))  # and keys typed meanwhile
        self.early.clear()
        self.last_input = time.monotonic()  # a slow start is not time spent idle

    def output(self, data: bytes) -> None:
        self.write(data)

    def child_exited(self, status: int) -> None:
        if status < 0:  # killed by a signal: it could not tidy the terminal up
            self.end("Your hub-tui session ended unexpectedly; sorry. Connect again to go on.")
        else:  # it quit, having said why if it was not fine (a refusal it showed, say)
            self.end(status=0 if status == 0 else 1)

    # -- set-up --------------------------------------------------------------------------

    async def begin_setup(self) -> None:
        key = self.connection.offered_key
        assert key is not None
        try:
            holder = await asyncio.to_thread(self.front.holder, key.get_fingerprint("sha256"))
        except DB_ERRORS:
            self.end(DB_AWAY)
            return
        if holder is not None:
            self.end(
                f"This key already signs in to a hub account: connect with {self.front.address}."
            )
            return
        self.ran = True
        self.editor = setup.LineEditor(echo=self.term_type is not None)
        self.say("Welcome to the School Support Hub. To set up your account,")
        self.say("enter the setup code from your invitation e-mail.")
        self.prompt()

    def prompt(self) -> None:
        if self.chan is not None and not self.ended:
            self.chan.write(b"Setup code: ")

    def typed(self, data: bytes) -> None:
        assert self.editor is not None and self.chan is not None
        echo, lines = self.editor.feed(data)
        if echo:
            self.chan.write(echo)
        for line in lines:
            if line is None:
                if not self.checking:  # a code being checked may already have set it up
                    self.write(b"\r\n")  # off the line typed so far
                    self.end("Set-up cancelled: nothing was changed.")
            elif not line.strip():  # enter alone is no try
                if not self.checking:
                    self.prompt()
            elif not self.checking:  # what is typed while a code is checked is dropped
                self.checking = True
                self.front.spawn(self.check_code(line))

    async def check_code(self, code: str) -> None:
        key = self.connection.offered_key
        assert key is not None
        public_key = key.export_public_key("openssh").decode()
        try:
            done = await asyncio.to_thread(setup.accept, self.front.hub, code, public_key)
        except SQLAlchemyError:
            log.exception("set-up failed")
            self.end(DB_AWAY)
            return
        if done is not None:
            log.info("an account for %s was set up over SSH", done.centre)
            self.say(f"Welcome, {done.name}: your account for {done.centre} is set up,")
            self.end(f"and this key now signs you in: {self.front.address}", status=0)
            return
        self.connection.setup_tries += 1
        await asyncio.sleep(WRONG_CODE_PAUSE)
        if self.connection.setup_tries >= setup.TRIES:
            self.end(setup.TOO_MANY)
            return
        self.say(setup.WRONG)
        self.checking = False
        self.prompt()


def serve(hub: Hub, *, host: str | None = None, port: int | None = None) -> int:
    """Run the SSH front end until SIGINT or SIGTERM; then end every session's child."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s hub-tui ssh: %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    front = Front(hub, host=host or hub.settings.ssh_host, port=port or hub.settings.ssh_port)

    async def run() -> None:
        stop = asyncio.Event()
        on_stop_signals(stop.set)
        await front.start()
        try:
            await stop.wait()
        finally:
            log.info("stopping: ending %d session(s)", len(front.sessions))
            await front.close()

    asyncio.run(run())
    return 0
