"""Issue 3: draining 1,000 queued invitations, against raw aiosmtplib.

An aiosmtpd sink runs in its own process (in-process it would compete for the GIL). hub-tui's
worker claims, sends and records each message; the reference sends the same 1,000 messages
with bare aiosmtplib over the same number of connections and records nothing. Ratio =
reference time / hub-tui time (1.0: as fast as raw; the aim is at least 0.8).

    python bench/mail.py [--messages N] [--runs R]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub
from hub_tui.mail import compose
from hub_tui.mail.worker import Deliverer
from hub_tui.services import outbox
from hub_tui.services.context import Hub
from tests.smtp_servers import free_port


def queue(hub: Hub, count: int) -> None:
    with hub.as_system(write=True) as ctx:
        for i in range(count):
            message = compose.invitation(
                settings=hub.settings,
                to_name=f"Person {i}",
                centre_name=f"Centre {i}",
                centre_number="GB001",
                invited_by="Sam Support <support@example.org>",
                expires_at=datetime.now(UTC) + timedelta(hours=48),
                code="ABCD-" * 7 + "ABCD",
            )
            outbox.enqueue(
                ctx, message, to_name=f"Person {i}", to_email=f"p{i}@x.org", centre_id=None
            )


async def raw_send(messages: list[tuple[str, bytes]], port: int, connections: int) -> None:
    async def one(share: list[tuple[str, bytes]]) -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            for to, raw in share:
                await smtp.sendmail("noreply@cambridgeinternational.org", [to], raw)

    await asyncio.gather(*(one(messages[i::connections]) for i in range(connections)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    time.sleep(1.0)
    try:
        folder = Path(tempfile.mkdtemp())
        print(f"{args.messages} invitations to an aiosmtpd sink; median of {args.runs} runs")
        for connections in (1, 4, 8):
            ours, theirs = [], []
            for _ in range(args.runs):
                hub = fresh_hub(folder / "mail.db", url=args.database)
                settings = hub.settings.model_copy(
                    update={"smtp_host": "127.0.0.1", "smtp_port": port}
                )
                queue(hub, args.messages)
                claimed = outbox.claim_due(
                    hub.engine, worker="bench", limit=args.messages, lease=timedelta(seconds=1)
                )
                messages = [(c.to_email, c.raw) for c in claimed]
                start = time.perf_counter()
                asyncio.run(raw_send(messages, port, connections))
                theirs.append(time.perf_counter() - start)
                time.sleep(1.1)  # let the bench's own claim run out

                deliverer = Deliverer(hub.engine, settings)
                start = time.perf_counter()
                report = asyncio.run(deliverer.deliver_due(connections=connections))
                ours.append(time.perf_counter() - start)
                assert report.sent == args.messages, report
            o, t = statistics.median(ours), statistics.median(theirs)
            print(
                f"  {connections} connection(s): hub-tui {o:6.2f} s  raw aiosmtplib {t:6.2f} s"
                f"  ratio {t / o:.2f}  ({args.messages / o:.0f} msg/s)"
            )
    finally:
        sink.terminate()
        sink.wait()


if __name__ == "__main__":
    main()
