"""The template that forks each SSH session's TUI: every session its own process, with its
own environment, forked from one template that keeps serving; and what the template shares
with its children (parsed CSS) does not mix sessions up."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
import pytest_asyncio
from sqlalchemy import text

from hub_tui.services import keys
from hub_tui.services.context import Hub
from hub_tui.ssh import template_child
from hub_tui.ssh.server import Front
from hub_tui.ssh.session import Session
from hub_tui.ssh.template_child import engine_for
from tests.ssh_client import Terminal, connect, new_key, public_text, start_front
from tests.world import SUPPORT, World

TRUE_COLOUR = b"\x1b[38;2;"


def register(hub: Hub, email: str) -> asyncssh.SSHKey:
    key = new_key()
    with hub.as_system(write=True) as ctx:
        keys.add_key_for(ctx, email, public_text(key))
    return key


@pytest_asyncio.fixture
async def front(hub: Hub, world: World, tmp_path: Path) -> AsyncIterator[Front]:
    front = await start_front(hub, tmp_path)
    yield front
    await front.close()


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def child_pids(front: Front) -> set[int]:
    return {s.child.process.pid for s in front.sessions if isinstance(s, Session) and s.child}


async def open_session(
    front: Front, key: asyncssh.SSHKey, env: dict[str, str] | None = None
) -> Terminal:
    conn = await connect(front, key)
    term = await Terminal.open(conn, env=env)
    await term.wait_for("palette")  # the footer: drawn at the client's window size
    return term


@pytest.mark.asyncio
async def test_sessions_at_once_are_processes_of_their_own_with_their_own_environment(
    front: Front, hub: Hub
) -> None:
    key = register(hub, SUPPORT)
    true_colour, plain = await asyncio.gather(
        open_session(front, key, env={"COLORTERM": "truecolor"}), open_session(front, key)
    )
    assert TRUE_COLOUR in true_colour.received  # what one client said of its terminal...
    assert TRUE_COLOUR not in plain.received  # ...is not the other's
    pids = child_pids(front)
    assert front.template.process is not None
    template = front.template.process.pid
    assert len(pids) == 2 and template not in pids
    assert {parent_of(pid) for pid in pids} == {template}  # forked from it, not each other
    await asyncio.gather(true_colour.close(), plain.close())


@pytest.mark.asyncio
async def test_the_template_serves_on_after_many_sessions(front: Front, hub: Hub) -> None:
    key = register(hub, SUPPORT)
    assert front.template.process is not None
    template = front.template.process.pid
    seen: set[int] = set()
    for _ in range(3):  # waves of sessions, each quitting once drawn
        terms = await asyncio.gather(*(open_session(front, key) for _ in range(3)))
        seen |= child_pids(front)
        for term in terms:
            term.send("\x11")  # ctrl+q
        assert await asyncio.gather(*(term.ended() for term in terms)) == [0, 0, 0]
    assert len(seen) == 9  # a new process each time
    async with asyncio.timeout(10):  # every child reaped: no exit left unheard
        while front.template.exits:
            await asyncio.sleep(0.1)
    last = await open_session(front, key)
    assert front.template.process.pid == template  # the same template, still serving
    await last.close()


def ksm_stat(pid: int) -> str:
    path = Path(f"/proc/{pid}/ksm_stat")
    return path.read_text() if path.exists() else ""


@pytest.mark.asyncio
async def test_the_template_and_its_children_offer_their_pages_for_merging(
    front: Front, hub: Hub
) -> None:
    if "ksm_merge_any" not in ksm_stat(os.getpid()):
        pytest.skip("this kernel has no same-page merging of whole processes (Linux 6.4+)")
    term = await open_session(front, register(hub, SUPPORT))
    (child,) = child_pids(front)
    assert front.template.process is not None
    for pid in (front.template.process.pid, child):
        assert "ksm_merge_any: yes" in ksm_stat(pid)
    await term.close()


def test_the_sessions_engine_is_made_once_and_a_database_that_is_away_is_tried_once(
    hub: Hub, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(template_child, "ENGINES", {})  # this test's own, not the process's
    url = hub.settings.resolved_database_url
    engine = engine_for(url)
    assert engine is not None and engine_for(url) is engine  # one for every session
    assert "Checked out connections: 0" in engine.pool.status()  # none for children to share
    with engine.connect() as conn:  # and it reaches the test's database
        assert conn.execute(text("SELECT count(*) FROM centres")).scalar_one() > 0
    (tmp_path / "a file").write_text("")  # where its folder would have to be
    away = f"sqlite:///{tmp_path / 'a file' / 'hub.db'}"
    assert engine_for(away) is None and template_child.ENGINES[away] is None  # tried once
    engine.dispose()
