"""A real asyncssh client for the SSH tests, and a terminal emulator (pyte) to read what the
TUI drew."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pyte

from hub_tui.services.context import Hub
from hub_tui.ssh.server import Front


def new_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


def public_text(key: asyncssh.SSHKey) -> str:
    return str(key.export_public_key().decode())


async def start_front(hub: Hub, tmp_path: Path, **settings_: object) -> Front:
    update = {"ssh_host_key": tmp_path / "host_key", **settings_}
    settings = hub.settings.model_copy(update=update)
    front = Front(Hub(settings, hub.engine), host="127.0.0.1", port=0)
    await front.start()
    return front


async def connect(
    front: Front, key: asyncssh.SSHKey | None, username: str = "hub", **options: object
) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        front.port,
        username=username,
        client_keys=[key] if key is not None else [],
        known_hosts=None,
        agent_path=None,
        **options,
    )


ALTERNATE_SCREEN = 1049


class Screen(pyte.Screen):
    """pyte's screen with the alternate screen of xterm, which pyte lacks: leaving it brings
    back the main screen and its cursor, so what a session writes after the TUI has gone
    lands where a real terminal shows it, not wherever the TUI's cursor last was."""

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self.main: tuple[object, pyte.screens.Cursor] | None = None

    def set_mode(self, *modes: int, **kwargs: object) -> None:
        if kwargs.get("private") and ALTERNATE_SCREEN in modes and self.main is None:
            self.main = (copy.deepcopy(self.buffer), copy.copy(self.cursor))
            self.erase_in_display(2)
        super().set_mode(*(m for m in modes if m != ALTERNATE_SCREEN), **kwargs)

    def reset_mode(self, *modes: int, **kwargs: object) -> None:
        if kwargs.get("private") and ALTERNATE_SCREEN in modes and self.main is not None:
            buffer, self.cursor = self.main
            self.buffer = buffer  # type: ignore[assignment]
            self.main = None
            self.dirty.update(range(self.lines))
        super().reset_mode(*(m for m in modes if m != ALTERNATE_SCREEN), **kwargs)


class Terminal:
    """An SSH session with a terminal of its own, as `ssh` gives one."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes], size: tuple[int, int]):
        self.process = process
        self.screen = Screen(*size)
        self.stream = pyte.ByteStream(self.screen)
        self.received = bytearray()

    @classmethod
    async def open(
        cls,
        conn: asyncssh.SSHClientConnection,
        size: tuple[int, int] = (100, 30),
        env: dict[str, str] | None = None,
    ) -> Terminal:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=size, encoding=None, env=env or {}
        )
        return cls(process, size)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Read until `text` is on the screen."""
        return await self.wait_until(lambda screen: text in screen, text, timeout)

    async def wait_for_count(self, text: str, count: int, timeout: float = 20.0) -> str:
        """Until `text` is on the screen exactly `count` times (a prompt shown again)."""
        return await self.wait_until(
            lambda s: s.count(text) == count, f"{count} × {text!r}", timeout
        )

    async def wait_until(
        self, check: Callable[[str], bool], what: str, timeout: float = 20.0
    ) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        text = what
        while not check(self.text()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{self.text()}")
            try:
                data = await asyncio.wait_for(self.process.stdout.read(65536), remaining)
            except TimeoutError:
                continue
            if not data:
                raise AssertionError(f"{text!r}: the session ended; the screen:\n{self.text()}")
            self.received += data
            self.stream.feed(data)
        return self.text()

    def send(self, keys: str) -> None:
        self.process.stdin.write(keys.encode())

    def resize(self, columns: int, rows: int) -> None:
        self.screen.resize(rows, columns)
        self.screen.erase_in_display(2)  # only what is drawn after the change counts
        self.process.change_terminal_size(columns, rows)

    async def ended(self, timeout: float = 20.0) -> int | None:
        """The exit status, once the server has closed the session; all output read."""
        async with asyncio.timeout(timeout):
            while data := await self.process.stdout.read(65536):
                self.received += data
                self.stream.feed(data)
            await self.process.wait_closed()
        return self.process.exit_status

    async def close(self) -> None:
        self.process.close()
        with contextlib.suppress(Exception):
            await self.process.wait_closed()
