"""The server's side of the template process (hub_tui/ssh/template_child.py), which imports
the TUI once and then forks a child for each SSH session.

The server asks for a child over a socket, passing the session's pty and whom it signs in;
the template reports each child's pid, and later its exit status. Messages are JSON, one a
packet (a SOCK_SEQPACKET pair):
    server -> template  {"user": EMAIL, "env": {NAME: VALUE}} and the pty's terminal end
    template -> server  {"pid": PID}, then {"exited": PID, "status": EXIT_STATUS}
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping

MESSAGE = 1 << 20  # the longest message either side reads


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
            [sys.executable, "-m", "hub_tui.ssh.template_child", str(theirs.fileno())],
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

    async def spawn(self, user: str, env: Mapping[str, str], tty: int) -> Forked:
        """A new child running the TUI signed in as `user` on `tty`, with `env` as its
        environment."""
        async with self.lock:  # one request at a time: replies come back in order
            if not self.alive:
                self.close()
                self.start()
            assert self.sock is not None
            loop = asyncio.get_running_loop()
            reply: asyncio.Future[tuple[int, asyncio.Future[int]]] = loop.create_future()
            request = json.dumps({"user": user, "env": dict(env)}).encode()
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
