"""A child process on its own pseudo-terminal, with its output relayed as it comes."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import struct
import termios
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol

READ_SIZE = 65536
MAX_PENDING = 1 << 20  # typed bytes the child has not read: beyond this, they are dropped


class Child(Protocol):
    """A process started on a pty: by exec (asyncio's Process) or forked by the template."""

    @property
    def pid(self) -> int: ...
    @property
    def returncode(self) -> int | None: ...
    async def wait(self) -> int: ...


Spawn = Callable[[int], Awaitable[Child]]  # given the pty's terminal end


def exec_spawn(argv: Sequence[str], env: Mapping[str, str]) -> Spawn:
    async def spawn(tty: int) -> Child:
        return await asyncio.create_subprocess_exec(
            *argv,
            stdin=tty,
            stdout=tty,
            stderr=tty,
            env=dict(env),
            start_new_session=True,  # its own process group: ended as one with killpg
        )

    return spawn


def set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class PtyChild:
    """A child on a new pseudo-terminal of `size`; `on_output` gets what it writes, `on_exit`
    its exit status once it has ended and its output is read."""

    def __init__(
        self,
        process: Child,
        master: int,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
    ) -> None:
        self.process = process
        self.master = master
        self.on_output = on_output
        self.on_exit = on_exit
        self.pending = bytearray()  # typed keys the child has not read yet
        self.loop = asyncio.get_running_loop()
        self.reading = False
        self.closed = False
        self.reaper: asyncio.Task[None] | None = None
        self.resume_reading()

    @classmethod
    async def start(
        cls,
        spawn: Spawn,
        size: tuple[int, int],
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
    ) -> PtyChild:
        master, slave = os.openpty()
        try:
            set_size(master, *size)  # before the child starts: its first frame fits
            process = await spawn(slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return cls(process, master, on_output, on_exit)

    def resize(self, columns: int, rows: int) -> None:
        if not self.closed:
            set_size(self.master, columns, rows)  # the kernel sends SIGWINCH to the child

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        if self.pending:
            if len(self.pending) < MAX_PENDING:
                self.pending += data
            return
        self.pending += data
        self._write_pending()

    def _write_pending(self) -> None:
        try:
            written = os.write(self.master, self.pending)
        except BlockingIOError:
            written = 0
        except OSError:  # the child has gone
            self.pending.clear()
            return
        del self.pending[:written]
        if self.pending:
            self.loop.add_writer(self.master, self._writable)

    def _writable(self) -> None:
        self.loop.remove_writer(self.master)
        if not self.closed and self.pending:
            self._write_pending()

    def pause_reading(self) -> None:
        """The SSH channel is full: leave the child's output in the pty until it drains."""
        if self.reading:
            self.loop.remove_reader(self.master)
            self.reading = False

    def resume_reading(self) -> None:
        if not self.reading and not self.closed:
            self.loop.add_reader(self.master, self._readable)
            self.reading = True

    def _readable(self) -> None:
        try:
            data = os.read(self.master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every process on the pty has closed it
            data = b""
        if data:
            self.on_output(data)
            return
        self.pause_reading()
        self.reaper = self.loop.create_task(self._reap())

    async def _reap(self) -> None:
        status = await self.process.wait()
        self._close()
        self.on_exit(status)

    def _close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pause_reading()
            self.loop.remove_writer(self.master)
            os.close(self.master)

    async def stop(self, grace: float = 2.0) -> None:
        """End the child and everything it started: hang up, then kill if it lingers."""
        for sig in (signal.SIGHUP, signal.SIGKILL):
            if self.process.returncode is not None:
                break
            # killpg, not send_signal: that would race asyncio's reaping of the child
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), grace)
        self._close()
