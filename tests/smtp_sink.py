"""An SMTP sink in its own process, for tests and benchmarks that kill mail workers.

    python -m tests.smtp_sink --port P --out FILE [--data-delay SECONDS] [--seed S]

It accepts every message and appends its Message-ID to FILE, one a line, *before* it
answers 250: a line in FILE is a message the server took, whatever became of the worker
afterwards. With --data-delay each DATA waits a random 0..SECONDS first, so a worker that
is killed at a random moment is often killed mid-message. `--port 0` picks a free port;
the sink prints `ready PORT` once it listens.

In its own process it does not compete with the test for the GIL, and a worker's crash
cannot take it down.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

REPO = Path(__file__).resolve().parent.parent
NO_ID = "<no Message-ID>"


class Sink:
    """An aiosmtpd handler that records each message's Message-ID and accepts it."""

    def __init__(self, out: Path, data_delay: float, rng: random.Random) -> None:
        # O_APPEND and one write a line: lines from concurrent sessions never interleave,
        # and each is in the file (the kernel's page cache) before the 250 goes out
        self.fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.data_delay = data_delay
        self.rng = rng
        self.headers = BytesHeaderParser(policy=compat32)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_delay:
            await asyncio.sleep(self.rng.uniform(0, self.data_delay))
        content = envelope.original_content or envelope.content
        message_id = self.headers.parsebytes(content)["Message-ID"] or NO_ID
        os.write(self.fd, f"{message_id.strip()}\n".encode())
        return "250 Message accepted"


async def serve(port: int, out: Path, data_delay: float, seed: int | None) -> None:
    loop = asyncio.get_running_loop()
    sink = Sink(out, data_delay, random.Random(seed))
    server = await loop.create_server(
        # a fixed hostname: aiosmtpd's default asks the resolver, which can be slow
        lambda: SMTP(sink, hostname="smtp-sink", enable_SMTPUTF8=True),
        "127.0.0.1",
        port,
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"ready {server.sockets[0].getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.smtp_sink")
    parser.add_argument("--port", type=int, required=True, help="0: any free port")
    parser.add_argument("--out", type=Path, required=True, help="Message-IDs are appended here")
    parser.add_argument("--data-delay", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--seed", type=int, help="for the delays (default: unseeded)")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.out, args.data_delay, args.seed))


# -- for the parent process --------------------------------------------------------------


def received(out: Path) -> list[str]:
    """The Message-IDs the sink has accepted so far, in order, repeats included."""
    try:
        text = out.read_text()
    except FileNotFoundError:
        return []
    # a line is written whole, but read it only once its newline is there
    return text.split("\n")[:-1]


def repeats(ids: list[str]) -> int:
    """How many deliveries were a second (or later) copy of a message."""
    return sum(n - 1 for n in Counter(ids).values())


@contextmanager
def sink_process(
    out: Path, *, data_delay: float = 0.0, seed: int | None = None, timeout: float = 20.0
) -> Iterator[int]:
    """Run the sink in a child process until the block ends; yields its port."""
    command = [sys.executable, "-m", "tests.smtp_sink", "--port", "0", "--out", str(out)]
    command += ["--data-delay", str(data_delay)]
    if seed is not None:
        command += ["--seed", str(seed)]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        yield _wait_ready(proc, timeout)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen[str], timeout: float) -> int:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(left):
                line = proc.stdout.readline()
                if line.startswith("ready "):
                    return int(line.split()[1])
                if not line:  # the sink ended: its traceback is on our stderr
                    break
    raise RuntimeError(f"the SMTP sink did not start (exit status {proc.poll()})")


if __name__ == "__main__":
    main()
