"""`hub-tui ssh serve`: every SSH session gets its own TUI, signed in as the person whose
key it is; `setup@` sets up an invited account. Nothing else is offered.

`Front` is one server: its listener, the template that forks the sessions' children, the
watch over idle and no-longer-allowed sessions, and the delivery of the outbox."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Coroutine, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import asyncssh

from hub_tui import logs
from hub_tui.errors import Forbidden, HubError
from hub_tui.models import User
from hub_tui.services import keys
from hub_tui.services.context import Hub, check_can_sign_in
from hub_tui.signals import on_stop_signals
from hub_tui.ssh.channel import DB_ERRORS, Channel
from hub_tui.ssh.connection import Connection, Identity
from hub_tui.ssh.host_key import load_host_key
from hub_tui.ssh.pty import Spawn, exec_spawn
from hub_tui.ssh.rate_limit import RateLimit
from hub_tui.ssh.template_parent import Template

if TYPE_CHECKING:
    from hub_tui.mail.worker import Deliverer

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0  # how soon a suspension, a removed key or an idle session is acted on
# COLUMNS and LINES would pin Textual's size; the operator's agent is not the sessions'
CHILD_ENV_DROPPED = frozenset({"COLUMNS", "LINES", "HUB_USER", "SSH_AUTH_SOCK"})
COLORTERMS = frozenset({"truecolor", "24bit"})
# a connection with no session running (ssh -N, or every session over) is closed after; as
# long as asyncssh gives a client to sign in
SESSIONLESS_SECONDS = 120.0

ChildArgv = Callable[[Identity], list[str]]


class Front:
    """One `ssh serve` process: its listener, its sessions and the watch over them."""

    def __init__(
        self, hub: Hub, *, host: str, port: int, child_argv: ChildArgv | None = None
    ) -> None:
        """Sessions run the TUI forked from the template; or, given `child_argv`, that
        program (the benchmark's bare reference app)."""
        self.hub = hub
        # what it listens on is what its messages tell people to connect to
        self.settings = hub.settings.model_copy(update={"ssh_host": host, "ssh_port": port})
        self.host = host
        self.port = port
        self.child_argv = child_argv
        self.template = Template()
        self.sessions: set[Channel[Any]] = set()
        self.connections: set[Connection] = set()
        self.setup_limit = RateLimit(  # setup codes checked, by client address and in all
            self.settings.ssh_setup_tries_per_minute,
            self.settings.ssh_setup_tries_per_minute_total,
        )
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
            self.settings = self.settings.model_copy(update={"ssh_port": self.port})
        if self.child_argv is None:
            self.template.start()
        self.tasks.append(asyncio.create_task(self.watch()))
        if self.settings.deliver_mail:
            from hub_tui.delivery import deliverer

            self.deliverer = deliverer(Hub(self.settings, self.hub.engine))  # before any close()
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
        return sum(1 for s in self.sessions if (w := s.signed_in_as) and w.user_id == user_id)

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
            if session.idle(now) > idle:
                minutes = f"{self.settings.ssh_idle_minutes:g}"
                session.end(f"Closed after {minutes} minutes without a key press.")
        for connection in list(self.connections):  # e.g. ssh -N: connected, but no session
            if not connection.running and now - connection.since > SESSIONLESS_SECONDS:
                connection.close()
        live = {s: who for s in self.sessions if (who := s.signed_in_as) is not None}
        if not live:
            return
        try:
            fingerprints = {who.fingerprint for who in live.values()}
            holders = await asyncio.to_thread(self.holders, fingerprints)
        except DB_ERRORS as exc:  # the database is away: look again next time
            log.warning("cannot check sessions: %s", exc)
            return
        for session, who in live.items():
            user = holders.get(who.fingerprint)
            if user is None or user.id != who.user_id:
                session.end("Your SSH key no longer signs you in to the hub; you are signed out.")
                continue
            try:
                check_can_sign_in(user)
            except Forbidden as exc:
                session.end(f"{exc.message} You are signed out.")

    def holders(self, fingerprints: set[str]) -> dict[str, User]:
        with self.hub.as_system() as ctx:
            return keys.holders(ctx, fingerprints)


def serve(hub: Hub, *, host: str | None = None, port: int | None = None) -> int:
    """Run the SSH front end until SIGINT or SIGTERM; then end every session's child."""
    logs.to_stderr(hub.settings.log_level)
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
