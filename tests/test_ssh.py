"""The SSH front end, driven by a real asyncssh client against `Front` on
127.0.0.1; each session's TUI is a real child process on its own pty."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import asyncssh
import pytest
import pytest_asyncio
import time_machine
from sqlmodel import select

from hub_tui.errors import HubError
from hub_tui.logs import CRASHED
from hub_tui.models import AccountStatus, SshKey, User, utcnow
from hub_tui.services import accounts, coordinators, keys
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from hub_tui.ssh import server, setup_dialogue
from hub_tui.ssh.host_key import load_host_key
from hub_tui.ssh.rate_limit import RateLimit, client_key
from hub_tui.ssh.server import Front
from hub_tui.ssh.session import Session
from tests.conftest import Cli
from tests.smtp_servers import Recorder, smtp_server
from tests.ssh_client import Terminal, connect, new_key, public_text, start_front
from tests.world import NORTH_AC, SUPPORT, World, user

pytestmark = pytest.mark.asyncio


def register(hub: Hub, email: str) -> asyncssh.SSHKey:
    key = new_key()
    with hub.as_system(write=True) as ctx:
        keys.add_key_for(ctx, email, public_text(key))
    return key


def set_status(hub: Hub, email: str, status: AccountStatus) -> None:
    with hub.as_system(write=True) as ctx:
        person = ctx.session.get_one(User, user(hub, email).id)
        person.status = status
        ctx.session.add(person)


def status_of(hub: Hub, number: str) -> str:
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number).row.status


async def until(check: object, timeout: float = 20.0) -> None:
    """Poll the database (off the loop, which serves the SSH session) until `check()`."""
    assert callable(check)
    async with asyncio.timeout(timeout):
        while not await asyncio.to_thread(check):
            await asyncio.sleep(0.1)


@pytest_asyncio.fixture
async def front(hub: Hub, world: World, tmp_path: Path) -> AsyncIterator[Front]:
    front = await start_front(hub, tmp_path)
    yield front
    await front.close()


async def turned_away(
    front: Front, key: asyncssh.SSHKey, message: str, *, username: str = "hub"
) -> None:
    """The session shows `message` and ends with exit status 1."""
    async with await connect(front, key, username=username) as conn:
        term = await Terminal.open(conn)
        await term.wait_for(message)
        assert await term.ended() == 1


async def signed_in(
    front: Front, key: asyncssh.SSHKey, env: dict[str, str] | None = None
) -> tuple[Terminal, object]:
    conn = await connect(front, key)
    term = await Terminal.open(conn, env=env)
    await term.wait_for("Associate Centres")
    return term, conn


async def test_sign_in_by_key_then_suspend_and_restore_in_scope(
    front: Front, hub: Hub, world: World
) -> None:
    key = register(hub, NORTH_AC)
    term, _ = await signed_in(front, key)
    screen = await term.wait_for("Bangor Grammar School")
    # no COLORTERM from this client: the 256 colours of its TERM, not 24-bit ones
    assert b"\x1b[38;5;" in term.received and b"\x1b[38;2;" not in term.received
    assert "Nora North <north@example.org>" in screen or NORTH_AC in screen
    assert world.active in screen and world.south not in screen  # North's centres only
    term.send(f"/{world.active.lower()}")
    await term.wait_for(world.active.lower())
    term.send("\r\r")
    await term.wait_for("Suspend account (s)")
    term.send("s")
    await term.wait_for("4 people will lose access")
    term.send("y")
    await until(lambda: status_of(hub, world.active) == "suspended")
    await term.wait_for("Restore account (r)")
    term.send("r")
    await term.wait_for("Restore account")
    term.send("y")
    await until(lambda: status_of(hub, world.active) == "active")
    term.send("\x11")  # ctrl+q: the TUI ends, and so does the session
    assert await term.ended() == 0


async def test_an_associate_cannot_reach_another_associates_centre(
    front: Front, hub: Hub, world: World
) -> None:
    term, _ = await signed_in(front, register(hub, NORTH_AC))
    await term.wait_for(world.active)
    term.send(f"/{world.south.lower()}")
    # the search has answered once North's rows have gone; South's centre must not come
    await term.wait_until(lambda screen: world.active not in screen, "the search's answer")
    await asyncio.sleep(0.5)
    await term.wait_for("Centre number")
    assert world.south.lower() in term.text() and "Delhi Public School" not in term.text()
    await term.close()


async def test_resize_redraws_at_the_new_size(front: Front, hub: Hub, world: World) -> None:
    term, _ = await signed_in(front, register(hub, SUPPORT), env={"COLORTERM": "truecolor"})
    await term.wait_for("palette")
    assert "palette" in term.screen.display[29]  # the first frame fits the client's window
    assert b"\x1b[38;2;" in term.received  # in 24-bit colour: TERM and COLORTERM came through
    term.resize(72, 18)  # the emulator's screen is blank now: what shows was drawn after
    await term.wait_until(lambda _: "palette" in term.screen.display[17], "footer on row 18")
    await term.wait_for("School coordinator")  # the table, at the new width
    await term.close()


async def test_unknown_keys_passwords_and_keyboard_interactive_are_refused(
    front: Front, hub: Hub
) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(front, new_key())
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(front, None, password="secret", preferred_auth="password")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(front, None, kbdint_auth=True, preferred_auth="keyboard-interactive")


async def test_commands_sftp_forwarding_and_no_terminal_are_refused(front: Front, hub: Hub) -> None:
    key = register(hub, SUPPORT)
    async with await connect(front, key) as conn:
        done = await conn.run("cat /etc/passwd", encoding="utf-8")
        assert done.exit_status == 1 and "runs no commands" in str(done.stderr)
        assert "root:" not in str(done.stdout)
        done = await conn.run(encoding="utf-8")  # a shell without a terminal (ssh -T)
        assert done.exit_status == 1 and "needs a terminal" in str(done.stderr)
        done = await conn.run(subsystem="sftp", encoding="utf-8")
        assert done.exit_status == 1 and "no file transfer" in str(done.stderr)
        with pytest.raises(asyncssh.SFTPError):
            await conn.start_sftp_client()
        with pytest.raises(asyncssh.ChannelOpenError, match="does not forward"):
            await conn.open_connection("127.0.0.1", front.port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
    assert front.sessions == set()


async def test_agent_forwarding_is_refused(front: Front, hub: Hub, tmp_path: Path) -> None:
    key = register(hub, SUPPORT)
    agent = await asyncio.start_unix_server(lambda r, w: None, path=str(tmp_path / "agent"))
    forward = str(tmp_path / "agent")  # the agent the client asks to forward
    async with agent, await connect(front, key, agent_forwarding=forward) as conn:
        term = await Terminal.open(conn)
        await term.wait_for("Associate Centres")
        (session,) = front.sessions
        assert session.chan is not None and session.chan.get_agent_path() is None
        await term.close()


@pytest.mark.parametrize("status", [AccountStatus.SUSPENDED, AccountStatus.INVITED])
async def test_people_who_cannot_sign_in_are_told_why(
    front: Front, hub: Hub, world: World, status: AccountStatus
) -> None:
    await turned_away(front, register(hub, "t1@gb002.example.org"), "has no admin rights")
    north = register(hub, NORTH_AC)
    set_status(hub, NORTH_AC, status)
    await turned_away(front, north, f"is {status.value}; it cannot sign in")


async def test_sessions_per_user_are_capped(hub: Hub, world: World, tmp_path: Path) -> None:
    hub.settings = hub.settings.model_copy(update={"ssh_max_sessions": 1})
    front = await start_front(hub, tmp_path)
    try:
        key = register(hub, SUPPORT)
        first, _ = await signed_in(front, key)
        await turned_away(front, key, "You already have 1 hub-tui sessions open")
        await first.close()
    finally:
        await front.close()


@pytest.mark.parametrize("how", ["suspended", "key removed"])
async def test_suspension_or_key_removal_ends_a_live_session(
    front: Front, hub: Hub, world: World, how: str
) -> None:
    key = register(hub, NORTH_AC)
    term, _ = await signed_in(front, key)
    (session,) = front.sessions
    assert isinstance(session, Session) and session.child is not None
    child = session.child.process
    if how == "suspended":
        set_status(hub, NORTH_AC, AccountStatus.SUSPENDED)
        expected = "is suspended; it cannot sign in. You are signed out."
    else:
        with hub.as_user(SUPPORT, write=True) as ctx:
            keys.remove_key_for(ctx, NORTH_AC, public_text(key))
        expected = "Your SSH key no longer signs you in"
    async with asyncio.timeout(10):  # "within seconds"
        await term.wait_for(expected)
        assert await term.ended() == 1
    await asyncio.wait_for(child.wait(), 5)  # its TUI has ended too


async def test_idle_sessions_are_closed(front: Front, hub: Hub, world: World) -> None:
    term, _ = await signed_in(front, register(hub, SUPPORT))
    # shortened once signed in: a slow first start on a busy machine is not idleness
    front.settings = front.settings.model_copy(update={"ssh_idle_minutes": 0.05})  # 3 s
    await term.wait_for("without a key press", timeout=15)
    assert await term.ended() == 1


async def test_a_stopped_server_ends_its_sessions_and_their_children(
    hub: Hub, world: World, tmp_path: Path
) -> None:
    front = await start_front(hub, tmp_path)
    term, _ = await signed_in(front, register(hub, SUPPORT))
    (session,) = front.sessions
    assert isinstance(session, Session) and session.child is not None
    pid = session.child.process.pid
    await front.close()
    await term.wait_for("SSH server is stopping")

    def gone() -> bool:  # neither the TUI nor anything it started is left
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        return False

    await until(gone)  # killed at once; reaped (no longer found) a moment later


async def test_the_host_key_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "host"
    first = load_host_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_host_key(path).get_fingerprint() == first.get_fingerprint()
    assert [p.name for p in path.parent.iterdir()] == ["host"]  # no draft left behind
    path.write_bytes(b"")  # a key that cannot be used is said, in one line; and kept
    with pytest.raises(HubError, match="Cannot use the host key"):
        load_host_key(path)
    assert path.read_bytes() == b""


async def test_a_session_that_dies_leaves_the_terminal_usable(front: Front, hub: Hub) -> None:
    term, _ = await signed_in(front, register(hub, SUPPORT))
    (session,) = front.sessions
    assert isinstance(session, Session) and session.child is not None
    os.killpg(session.child.process.pid, signal.SIGKILL)
    await term.wait_for("ended unexpectedly")
    assert await term.ended() == 1
    # the alternate screen left, line wrap back on, the cursor shown, mouse reports off
    tail = bytes(term.received[-400:])
    assert all(code in tail for code in (b"\x1b[?1049l", b"\x1b[?7h", b"\x1b[?25h", b"\x1b[?1003l"))


async def test_a_session_whose_tui_crashes_shows_one_line_and_logs_why(
    front: Front, hub: Hub
) -> None:
    """A newer hub-tui has migrated the database since this server started: signing in
    still works, but the TUI cannot open a schema it does not know. The person sees one
    line; the traceback is in the log file, not on their screen."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL is not migrated on start: a newer schema is a refusal")
    key = register(hub, SUPPORT)
    with hub.engine.begin() as db:
        db.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00d'")
    async with await connect(front, key) as conn:
        term = await Terminal.open(conn)
        await term.wait_for(CRASHED)
        assert await term.ended() == 1
    assert [line.rstrip() for line in term.screen.display if line.strip()] == [CRASHED]
    assert b"Traceback" not in term.received
    logged = front.settings.log_file.read_text()
    assert "ERROR hub_tui.ssh.session: the TUI of support@" in logged
    assert "Traceback" in logged and "Can't locate revision identified by 'f00d'" in logged


async def test_the_server_side_imports_neither_the_cli_nor_textual() -> None:
    """The server side of ssh/ imports no Textual (only the sessions' children run it), and
    no part of it imports the command line (which starts the server: a cycle)."""
    code = (
        "import importlib, sys\n"
        "import hub_tui.ssh.server, hub_tui.ssh.template_child as child\n"
        "found = lambda: sorted(m for m in sys.modules if m == 'hub_tui.cli' or"
        " m.partition('.')[0] == 'textual')\n"
        "assert not found(), found()\n"
        "for name in child.PRELOAD:\n"
        "    try: importlib.import_module(name)\n"
        "    except ImportError: pass  # psycopg: only for PostgreSQL\n"
        "assert 'hub_tui.cli' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_what_a_client_says_of_its_terminal_is_kept_in_bounds(front: Front, hub: Hub) -> None:
    """A terminal name is a name (not 100 KB, nor control characters), and a window is at
    most 2000 cells either way: the session starts, and so does the next one."""
    key = register(hub, SUPPORT)
    async with await connect(front, key) as conn:
        process = await conn.create_process(
            term_type="xterm\x00" + "x" * 100_000, term_size=(70_000, 30), encoding=None
        )
        term = Terminal(process, (100, 30))
        await term.wait_for("Search: centre number")  # drawn 2000 wide: the left of it
        await term.close()
    term, _ = await signed_in(front, key)
    await term.close()


async def test_a_connection_without_a_session_is_closed(
    front: Front, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "SESSIONLESS_SECONDS", 0.5)
    conn = await connect(front, register(hub, SUPPORT))  # as ssh -N: no session asked for
    async with asyncio.timeout(15):
        await conn.wait_closed()


# -- set-up over SSH ----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def mailing_front(hub: Hub, tmp_path: Path, **settings: object) -> AsyncIterator[MailFront]:
    """A front end that delivers the outbox, as `ssh serve` does, to a real SMTP server."""
    with smtp_server() as (recorder, port):
        front = await start_front(hub, tmp_path, smtp_host="127.0.0.1", smtp_port=port, **settings)
        try:
            yield MailFront(front, recorder)
        finally:
            await front.close()


@pytest_asyncio.fixture
async def mail_front(hub: Hub, world: World, tmp_path: Path) -> AsyncIterator[MailFront]:
    async with mailing_front(hub, tmp_path) as mail_front:
        yield mail_front


ZED = "zed@example.org"  # the invitee of the set-up tests


@dataclass
class MailFront:
    front: Front
    recorder: Recorder

    async def invite(self, number: str, email: str) -> str:
        """Add a coordinator; the server mails the invitation: its setup code."""
        with self.front.hub.as_user(SUPPORT, write=True) as ctx:
            coordinators.add_coordinator(ctx, centre_number=number, name="Zed Ward", email=email)
        return await self.code_sent_to(email)

    async def code_sent_to(self, email: str) -> str:
        async with asyncio.timeout(20):
            while not (
                mail := [
                    m for m in self.recorder.messages if m["To"].addresses[0].addr_spec == email
                ]
            ):
                await asyncio.sleep(0.1)
        (message,) = mail
        body = message.get_body(("plain",))
        assert body is not None
        line = next(x for x in body.get_content().splitlines() if x.startswith("Setup code: "))
        return str(line.removeprefix("Setup code: "))


async def setup_connection(
    front: Front, key: asyncssh.SSHKey, source: str = "127.0.0.1"
) -> tuple[asyncssh.SSHClientConnection, Terminal]:
    """A `setup@` connection from the address `source` (any of 127/8), at its prompt."""
    conn = await connect(front, key, username="setup", local_addr=(source, 0))
    term = await Terminal.open(conn)
    await term.wait_for("Setup code: ")
    return conn, term


async def setup_session(front: Front, key: asyncssh.SSHKey) -> Terminal:
    return (await setup_connection(front, key))[1]


async def test_set_up_an_account_over_ssh_then_sign_in_with_that_key(
    mail_front: MailFront, hub: Hub, world: World
) -> None:
    code = await mail_front.invite(world.empty, ZED)
    front, key = mail_front.front, new_key()
    term = await setup_session(front, key)
    term.send("WRONG-CODE\r")
    await term.wait_for(setup_dialogue.WRONG)
    assert user(hub, ZED).status == AccountStatus.INVITED
    term.send(code.lower().replace("-", " ") + "\r")  # as a person might type it
    await term.wait_for("Welcome, Zed Ward: your account for GB001 is set up")
    assert await term.ended() == 0
    assert user(hub, ZED).status == AccountStatus.ACTIVE
    with hub.as_system() as ctx:
        assert keys.key_holder(ctx, key.get_fingerprint("sha256")) == user(hub, ZED)

    # the key now signs Zed in: a school's administrator, who has no admin screens
    await turned_away(front, key, f"{ZED} has no admin rights")


async def test_an_invited_associate_coordinator_sets_up_over_ssh_and_signs_in(
    mail_front: MailFront, hub: Hub, world: World
) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        accounts.add_account(
            ctx, name="Zed Ward", email=ZED, role="associate_coordinator", associate="North"
        )
    code = await mail_front.code_sent_to(ZED)
    front, key = mail_front.front, new_key()
    term = await setup_session(front, key)
    term.send(code + "\r")
    await term.wait_for("Welcome, Zed Ward: your associate coordinator account is set up")
    assert await term.ended() == 0
    assert user(hub, ZED).status == AccountStatus.ACTIVE
    term, _ = await signed_in(front, key)  # the key signs an admin in: the TUI opens
    assert "Zed Ward" in term.text()


async def test_an_expired_code_sets_nothing_up(
    mail_front: MailFront, hub: Hub, world: World
) -> None:
    code = await mail_front.invite(world.empty, ZED)
    with time_machine.travel(utcnow() + timedelta(hours=48, seconds=1), tick=True):
        term = await setup_session(mail_front.front, new_key())
        term.send(code + "\r")
        await term.wait_for(setup_dialogue.WRONG)  # the same answer as for any wrong code
    assert user(hub, ZED).status == AccountStatus.INVITED
    with hub.as_system() as ctx:
        assert ctx.session.exec(select(SshKey)).all() == []
    await term.close()


async def test_a_client_that_closes_its_input_ends_its_session(front: Front, hub: Hub) -> None:
    term = await setup_session(front, new_key())
    term.process.stdin.write_eof()
    assert await term.ended(timeout=10) is not None
    await until(lambda: front.sessions == set())
    await front.check_sessions()  # the watch goes on for everyone else
    assert not any(task.done() for task in front.tasks)


async def test_one_set_up_per_connection(front: Front, hub: Hub) -> None:
    """Tries are counted per connection: a second channel on it gets no fresh ones."""
    async with await connect(front, new_key(), username="setup") as conn:
        first = await Terminal.open(conn)
        await first.wait_for("Setup code: ")
        second = await Terminal.open(conn)
        await second.wait_for("One set-up per connection")
        assert await second.ended() == 1


async def test_a_few_wrong_codes_end_the_connection(front: Front, hub: Hub) -> None:
    conn, term = await setup_connection(front, new_key())
    term.send("\r")  # enter alone asks again, and is no try
    await term.wait_until(lambda s: s.count("Setup code:") == 2, "prompt")
    for tries in range(1, setup_dialogue.TRIES + 1):
        term.send("AAAA-BBBB-CCCC\r")
        if tries < setup_dialogue.TRIES:
            await term.wait_for_count("Setup code:", tries + 2)
    await term.wait_for(setup_dialogue.TOO_MANY, timeout=15)
    assert await term.ended() == 1
    # the whole connection has gone, not just the channel: no other channel to go on with
    await asyncio.wait_for(conn.wait_closed(), 10)
    with pytest.raises((asyncssh.Error, OSError)):
        await Terminal.open(conn)


async def test_a_key_that_already_signs_in_cannot_set_up_another_account(
    front: Front, hub: Hub
) -> None:
    key = register(hub, SUPPORT)
    await turned_away(front, key, "This key already signs in to a hub account", username="setup")


# -- how many codes a front end checks -------------------------------------------------------


class Clock:
    """The rate limit's clock, moved by the test rather than by time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def checked_codes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes checked against the database from now on, and no wait after a wrong one."""
    monkeypatch.setattr(setup_dialogue, "WRONG_CODE_PAUSE", 0.0)
    checked: list[str] = []
    real = setup_dialogue.accept

    def accept(hub: Hub, code: str, public_key: str) -> setup_dialogue.SetUp | None:
        checked.append(code)
        return real(hub, code, public_key)

    monkeypatch.setattr(setup_dialogue, "accept", accept)
    return checked


async def refused(conn: asyncssh.SSHClientConnection, term: Terminal, code: str) -> None:
    """The try of `code` gets the one line of a rate limit, and the connection ends."""
    term.send(code + "\r")
    await term.wait_for(setup_dialogue.TOO_FAST)
    assert await term.ended() == 1
    await asyncio.wait_for(conn.wait_closed(), 10)


async def test_set_up_tries_from_one_address_are_limited(
    hub: Hub, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = checked_codes(monkeypatch)
    async with mailing_front(hub, tmp_path, ssh_setup_tries_per_minute=2) as mail_front:
        front, clock, key = mail_front.front, Clock(), new_key()
        front.setup_limit.clock = clock
        code = await mail_front.invite(world.empty, ZED)
        first, term = await setup_connection(front, key)
        for tries in (1, 2):
            term.send("AAAA-BBBB-CCCC\r")
            await term.wait_for_count(setup_dialogue.WRONG, tries)
        clock.now += 59  # both still within the minute
        # another connection from the address, with the right code: it is not checked
        await refused(*await setup_connection(front, key), code)
        await refused(first, term, code)  # nor the third try of the first connection
        assert len(checked) == 2
        assert user(hub, ZED).status == AccountStatus.INVITED
        clock.now += 1  # a minute after the first two: the code works, and was not spent
        second = await setup_session(front, key)
        second.send(code + "\r")
        await second.wait_for("your account for GB001 is set up")
        assert await second.ended() == 0
        assert checked == ["AAAA-BBBB-CCCC", "AAAA-BBBB-CCCC", code]
        assert user(hub, ZED).status == AccountStatus.ACTIVE


async def test_set_up_tries_from_all_addresses_are_limited(
    hub: Hub, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = checked_codes(monkeypatch)
    settings = {"ssh_setup_tries_per_minute": 100, "ssh_setup_tries_per_minute_total": 2}
    async with mailing_front(hub, tmp_path, **settings) as mail_front:
        front, key = mail_front.front, new_key()
        front.setup_limit.clock = Clock()
        code = await mail_front.invite(world.empty, ZED)
        for tries, source in enumerate(("127.0.0.2", "127.0.0.3"), 1):
            _, term = await setup_connection(front, key, source)
            term.send("AAAA-BBBB-CCCC\r")
            await term.wait_for(setup_dialogue.WRONG)
            assert len(checked) == tries
        await refused(*await setup_connection(front, key, "127.0.0.4"), code)
        assert len(checked) == 2
        assert user(hub, ZED).status == AccountStatus.INVITED


async def test_the_rate_limit_counts_by_address_in_a_sliding_minute() -> None:
    clock = Clock()
    limit = RateLimit(2, 3, clock=clock)
    assert [limit.allow("a") for _ in range(3)] == [True, True, False]  # 2 for a
    clock.now += 30
    assert [limit.allow("b") for _ in range(2)] == [True, False]  # 3 in all
    clock.now += 30  # a's two are a minute old: forgotten; b's is not
    assert [limit.allow("b"), limit.allow("a"), limit.allow("a")] == [True, True, False]
    assert len(limit.allowed) == 3 and set(limit.by_key) == {"a", "b"}
    clock.now += 60
    assert limit.allow("c") and set(limit.by_key) == {"c"}  # nothing else is kept
    # an IPv6 client holds a /64: it counts as one address
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff:2") == "2001:db8::/64"
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7" == client_key("192.0.2.7")


async def test_users_suspend_ends_an_associate_coordinators_session_within_2_s(
    front: Front, hub: Hub, world: World, cli: Cli
) -> None:
    key = register(hub, NORTH_AC)
    term, _ = await signed_in(front, key)
    # the command line in a thread: the server runs on this loop
    code, _, err = await asyncio.to_thread(
        cli, "--user", SUPPORT, "users", "suspend", NORTH_AC, "--reason", "left"
    )
    assert code == 0, err
    loop = asyncio.get_running_loop()
    start = loop.time()
    await term.wait_for("is suspended; it cannot sign in. You are signed out.", timeout=5)
    assert loop.time() - start < 2.0
    assert await term.ended() == 1
    await turned_away(front, key, "is suspended; it cannot sign in")
    assert (await asyncio.to_thread(cli, "--user", SUPPORT, "users", "restore", NORTH_AC))[0] == 0
    term, _ = await signed_in(front, key)  # back in
    assert "Nora North" in term.text()
