"""hub-tui in a real terminal (tmux), typed at as a person would, checked in the database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from tests.world import SUPPORT, World

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, server: str) -> None:
        self.server = server

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.server, *args], capture_output=True,
                              text=True, check=True)  # fmt: skip
        return done.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "hub", key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        # a key at a time, as a person types: a burst can reach the app as one read
        for char in text:
            self.tmux("send-keys", "-t", "hub", "-l", char)
        time.sleep(0.2)

    def burst(self, *parts: str) -> None:
        """Text and keys in one go, as a paste or a slow link delivers them: ("text",
        "Tab", "text") types the texts and presses the keys between them."""
        args: list[str] = []
        for i, part in enumerate(parts):
            args += [";"] if args else []
            args += ["send-keys", "-t", "hub"] + (["-l", part] if i % 2 == 0 else [part])
        self.tmux(*args)
        time.sleep(0.2)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "hub")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}")
            time.sleep(0.1)


@contextmanager
def running(database_url: str, *args: str) -> Iterator[Terminal]:
    """`hub-tui ARGS` in a tmux window of its own, 120x40, on `database_url`."""
    server = f"hub-e2e-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = " ".join([sys.executable, "-m", "hub_tui", *args])
    subprocess.run(
        ["tmux", "-L", server, "new-session", "-d", "-s", "hub", "-x", "120", "-y", "40",
         "-e", f"HUB_DATABASE_URL={database_url}", command],
        check=True, env=env,
    )  # fmt: skip
    try:
        yield Terminal(server)
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(database_url: str, world: World) -> Iterator[Terminal]:
    if not database_url.startswith("sqlite"):
        pytest.skip("one end-to-end run is enough: it is about the terminal")
    with running(database_url, "--user", SUPPORT) as term:
        yield term


def test_demo_if_empty_migrates_loads_the_demo_once_and_opens(
    database_url: str, tmp_path: Path
) -> None:
    """What `make run` does, on a database file that does not exist yet, then again."""
    if not database_url.startswith("sqlite"):
        pytest.skip("one end-to-end run is enough: it is about the terminal")
    for _ in range(2):
        with running(database_url, "--user", SUPPORT, "--demo-if-empty") as term:
            screen = term.wait_for("Not activated", timeout=60)  # rows, not just the frame
            assert "Associate Centres" in screen
            term.keys("C-q")
    with sqlite3.connect(tmp_path / "hub.db") as conn:
        assert conn.execute("SELECT count(*) FROM centres").fetchone() == (60,)


def test_activate_a_centre_by_keyboard_in_a_real_terminal(
    terminal: Terminal, hub: Hub, world: World
) -> None:
    terminal.wait_for("Administration › Associate Centres")
    terminal.wait_for("Bangor Grammar School")
    terminal.keys("/")
    terminal.type(world.other_empty.lower())
    terminal.wait_for(world.other_empty.lower())  # in the search box; the results may lag
    terminal.keys("Enter", "Enter")  # leave the search box, open the centre found
    terminal.wait_for("My Associate Centre")
    terminal.wait_for("Add coordinator (a)")
    # a, then the form's fields, in one burst: the form must be there to take them
    terminal.burst("aZed [/] Ward", "Tab", "Zed@Example.org", "Enter")
    # each awaited on its own: a capture can fall between two frames being drawn
    terminal.wait_for("Resend invitation (i)")
    terminal.wait_for("Zed [/] Ward")
    assert "Invited" in terminal.wait_for("i Resend invitation")
    terminal.keys("Escape")
    terminal.wait_for("Associate Centres")
    terminal.keys("C-q")
    time.sleep(0.5)

    with hub.as_user(SUPPORT) as ctx:
        detail = centre_detail(ctx, world.other_empty)
    assert detail.row.status == "invited"
    assert detail.row.coordinator is not None
    assert (detail.row.coordinator.name, detail.row.coordinator.email) == (
        "Zed [/] Ward",
        "Zed@example.org",
    )


def test_a_paste_with_an_escape_is_refused_beside_the_field_in_a_real_terminal(
    terminal: Terminal, hub: Hub, world: World
) -> None:
    terminal.wait_for("Bangor Grammar School")
    terminal.keys("/")
    terminal.type(world.other_empty.lower())
    terminal.keys("Enter")  # a whole centre number: it opens
    terminal.wait_for("Add coordinator (a)")
    terminal.keys("a")
    terminal.wait_for("Full name")
    terminal.tmux("set-buffer", "Eve\x1b[31mMallory")
    terminal.tmux("paste-buffer", "-p", "-t", "hub")  # -p: bracketed, as a terminal pastes
    screen = terminal.wait_for("Not pasted: the text has line breaks or control characters.")
    assert "[31m" not in screen and "Mallory" not in screen  # no part of it typed either
    terminal.keys("Escape")
    terminal.wait_for("Add coordinator (a)")
    assert centre_detail_status(hub, world.other_empty) == "not_activated"


def centre_detail_status(hub: Hub, number: str) -> str:
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number).row.status
