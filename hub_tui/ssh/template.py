"""A template process: it imports the TUI once, then forks a child for each SSH session.

Starting Python and importing Textual, SQLAlchemy and the screens costs about a second of
CPU and 60 MiB per process; a fork of a process that already holds them costs neither (the
pages are shared until written). The server asks for a child over a socket, passing the
session's pty; the template reports each child's pid, and later its exit status.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fcntl
import gc
import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import termios
from collections.abc import Mapping, Sequence
from typing import Any

MESSAGE = 1 << 20


class Forked:
    """A child of the template, as the server sees it: a pid and a way to wait for it."""

    def __init__(self, pid: int, exited: asyncio.Future[int]) -> None:
        self.pid = pid
        self.exited = exited

    @property
    def returncode(self) -> int | None:
        return self.exited.result() if self.exited.done() else None

    async def wait(self) -> int:
        return await asyncio.shield(self.exited)


class Template:
    """The server's end: start the template, ask it for children, hear when they end."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.process: subprocess.Popen[bytes] | None = None
        # a reply's future gets the pid, and the future of that child's exit status
        self.waiting: collections.deque[asyncio.Future[tuple[int, asyncio.Future[int]]]] = (
            collections.deque()
        )
        self.exits: dict[int, asyncio.Future[int]] = {}
        self.lock = asyncio.Lock()

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hub_tui.ssh.template", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # ctrl+c on `ssh serve` is the server's to handle
        )
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        asyncio.get_running_loop().add_reader(ours.fileno(), self._readable)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def spawn(self, args: Sequence[str], env: Mapping[str, str], tty: int) -> Forked:
        """A new child running `hub-tui ARGS` on `tty`, with `env` as its environment."""
        async with self.lock:  # one request at a time: replies come back in order
            if not self.alive:
                self.close()
                self.start()
            assert self.sock is not None
            loop = asyncio.get_running_loop()
            reply: asyncio.Future[tuple[int, asyncio.Future[int]]] = loop.create_future()
            request = json.dumps({"args": list(args), "env": dict(env)}).encode()
            self.waiting.append(reply)
            try:
                socket.send_fds(self.sock, [request], [tty])
            except OSError:
                self.waiting.remove(reply)  # or the next reply would go to the wrong session
                raise
            # a template that had to start again first loads and warms up: allow for it
            pid, exited = await asyncio.wait_for(reply, 120)
        return Forked(pid, exited)

    def _readable(self) -> None:
        assert self.sock is not None
        loop = asyncio.get_running_loop()
        while True:
            try:
                data = self.sock.recv(MESSAGE)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:  # the template has gone
                self.close()
                return
            message = json.loads(data)
            if "pid" in message:  # its exit may be in the very next message
                pid = message["pid"]
                exited = self.exits[pid] = loop.create_future()
                if (waiter := self.waiting.popleft()).done():  # asked for, then given up on
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
                else:
                    waiter.set_result((pid, exited))
            elif (future := self.exits.pop(message["exited"], None)) is not None:
                future.set_result(message["status"])

    def close(self) -> None:
        """Done with this template (it ended, or is replaced): whoever waits is told."""
        if self.sock is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        while self.waiting:  # a new template's replies must not go to its predecessor's asks
            if not (waiter := self.waiting.popleft()).done():
                waiter.set_exception(RuntimeError("the template ended"))
        for exited in self.exits.values():  # their exits can no longer be heard
            exited.set_result(-1)
        self.exits.clear()
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None


# -- the template process itself ---------------------------------------------------------


PRELOAD = ("hub_tui.cli", "hub_tui.app", "hub_tui.screens.centres", "hub_tui.screens.centre",
           "textual.drivers.linux_driver", "psycopg")  # fmt: skip


def preload() -> None:
    """What every session needs before its first frame, made ready once for all of them."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # psycopg: only for PostgreSQL
            importlib.import_module(name)
    warm_up()
    gc.freeze()  # what is here now is never collected: the children's copies stay shared


def warm_up() -> None:
    """One session's first screen, headless, on a throwaway database: the imports Textual
    and the screens make as they start, and the CSS they parse, are then done once here
    (a forked child paints in 0.15 s, not 0.5 s). Nothing of it is left open to inherit."""
    from hub_tui.app import make_app
    from hub_tui.config import Settings
    from hub_tui.db import make_engine, upgrade
    from hub_tui.demo import SUPPORT, load_demo
    from hub_tui.screens.centres import CentresScreen
    from hub_tui.services.context import Hub

    async def first_screen(hub: Hub) -> None:
        app = make_app(hub, SUPPORT)
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, CentresScreen) and app.screen.rows):
                await pilot.pause(0.01)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/warm-up.db"
        settings = Settings(_env_file=None, database_url=url, deliver_mail=False)
        engine = make_engine(url)
        try:
            upgrade(engine)
            hub = Hub(settings, engine)
            with hub.as_system(write=True) as ctx:
                load_demo(ctx, centres=5)
            asyncio.run(asyncio.wait_for(first_screen(hub), 60))
        finally:
            engine.dispose()


def run(sock: socket.socket) -> None:
    preload()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wake-up fd is written
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        ready, _, _ = select.select([sock.fileno(), wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 4096)
            reap(sock)
        if sock.fileno() in ready:
            try:
                data, fds, _, _ = socket.recv_fds(sock, MESSAGE, 1)
            except ConnectionError:
                data = b""
            if not data:
                return  # the server has gone
            request = json.loads(data)
            pid = os.fork()
            if pid == 0:
                os.close(wake_read)
                os.close(wake_write)
                child(request, fds[0], sock)
            os.close(fds[0])
            sock.send(json.dumps({"pid": pid}).encode())


def reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        sock.send(json.dumps({"exited": pid, "status": os.waitstatus_to_exitcode(status)}).encode())


def child(request: dict[str, Any], tty: int, sock: socket.socket) -> None:
    code: object = 1
    try:
        sock.close()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session and process group: ended as one with killpg
        fcntl.ioctl(tty, termios.TIOCSCTTY, 0)  # the pty is its terminal: SIGWINCH reaches it
        for fd in (0, 1, 2):
            os.dup2(tty, fd)
        os.close(tty)
        os.environ.clear()
        os.environ.update(request["env"])
        from hub_tui.cli import main

        code = main(request["args"])
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run(socket.socket(fileno=int(sys.argv[1])))
