"""Bulk resend of 1,000 expired invitations against 1,000 single resends in one process.

Both resend the same invitations (made expired again in between) with the same rules:
each centre in its own transaction. Ratio = single calls / bulk (2.0: bulk twice as fast).

    python bench/bulk.py [--centres N] [--expired N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.models import Centre, Invitation, User, utcnow
from hub_tui.rules import Action
from hub_tui.services import bulk
from hub_tui.services import coordinators as c
from hub_tui.services.context import Hub
from hub_tui.setup_codes import installation_key


def expire(hub: Hub, numbers: list[str]) -> None:
    """Every pending invitation of these centres' coordinators: expired an hour ago."""
    with hub.as_system(write=True) as ctx:
        centre_ids = select(col(Centre.id)).where(col(Centre.centre_number).in_(numbers))
        ctx.session.execute(
            update(Invitation)
            .where(
                col(Invitation.centre_id).in_(centre_ids),
                col(Invitation.used_at).is_(None),
                col(Invitation.revoked_at).is_(None),
            )
            .values(
                sent_at=utcnow() - timedelta(hours=49), expires_at=utcnow() - timedelta(hours=1)
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=10_000)
    parser.add_argument("--expired", type=int, default=1000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure instead of SQLite")
    args = parser.parse_args()
    hub = fresh_hub(Path(tempfile.mkdtemp()) / "bulk.db", url=args.postgres)
    installation_key(hub.settings.secret_key_path)
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=args.centres)
    with hub.as_system() as ctx:
        numbers = list(
            ctx.session.execute(
                select(col(Centre.centre_number))
                .join(User, col(User.id) == col(Centre.coordinator_id))
                .where(col(User.status) == "invited")
                .order_by(col(Centre.centre_number))
                .limit(args.expired)
            ).scalars()
        )
    print(f"{args.centres:,} centres; resending {len(numbers):,} expired invitations")

    def single() -> None:
        for number in numbers:
            with hub.as_user(SUPPORT, write=True) as ctx:
                c.resend_invitation(ctx, centre_number=number)

    def together() -> None:
        results = bulk.change_each(hub, SUPPORT, Action.RESEND, numbers)
        assert all(r.ok for r in results), [r for r in results if not r.ok][:3]

    timings: dict[str, list[float]] = {"single": [], "bulk": []}
    for _ in range(3):  # alternately, so that both see the same machine
        for name, run in (("single", single), ("bulk", together)):
            expire(hub, numbers)
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    s, b = min(timings["single"]), min(timings["bulk"])
    print(
        f"  single calls {s:.2f} s ({s / len(numbers) * 1000:.2f} ms each), "
        f"bulk {b:.2f} s ({b / len(numbers) * 1000:.2f} ms each), ratio {s / b:.2f}"
    )


if __name__ == "__main__":
    main()
