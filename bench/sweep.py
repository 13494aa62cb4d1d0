"""The sweep that writes reminders and expiry notices, over 100,000 centres.

1. Nothing due: the check each worker's pass makes first (read only) against a bare
   indexed query on the same table. Ratio = check / bare (1.0: as cheap as the bare query).
2. 1,000 reminders due: the sweep against queuing 1,000 invitations (what writing the
   reminders amounts to). Ratio = sweep / queuing.

    python bench/sweep.py [--centres N] [--due N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._util import fresh_hub, timed
from hub_tui.demo import load_demo
from hub_tui.models import Invitation, utcnow
from hub_tui.services import invitations
from hub_tui.services.context import Hub
from hub_tui.services.sweep import anything_due, sweep
from hub_tui.setup_codes import installation_key


def pending(hub: Hub) -> int:
    with hub.as_system() as ctx:
        stmt = select(func.count()).where(
            Invitation.used_at.is_(None),  # type: ignore[union-attr]
            Invitation.revoked_at.is_(None),  # type: ignore[union-attr]
        )
        return int(ctx.session.execute(stmt).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    hub = fresh_hub(folder / "sweep.db")
    installation_key(hub.settings.secret_key_path)
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=args.centres)
    with hub.as_system(write=True) as ctx:  # everything already reminded and noticed
        ctx.session.execute(
            update(Invitation).values(reminded_at=utcnow(), expiry_noticed_at=utcnow())
        )
    print(f"{args.centres:,} centres, {pending(hub):,} pending invitations")

    def nothing_due() -> None:  # what each worker's pass does first: a read-only check
        with hub.as_system() as ctx:
            assert not anything_due(ctx)

    def bare() -> None:
        with hub.as_system() as ctx:
            ctx.session.execute(
                select(col(Invitation.id)).where(col(Invitation.expires_at) <= utcnow()).limit(1)
            ).all()

    s, b = timed(nothing_due), timed(bare)
    print(
        f"  nothing due: check {s * 1000:.2f} ms, bare query {b * 1000:.2f} ms, ratio {s / b:.2f}"
    )

    # `due` invitations whose reminder hour has come, not yet reminded
    with hub.as_system(write=True) as ctx:
        ids = (
            ctx.session.execute(
                select(col(Invitation.id))
                .where(col(Invitation.used_at).is_(None), col(Invitation.expires_at) > utcnow())
                .limit(args.due)
            )
            .scalars()
            .all()
        )
        ctx.session.execute(
            update(Invitation)
            .where(Invitation.id.in_(ids))  # type: ignore[union-attr]
            .values(
                code_seed=b"bench-seed",  # the demo's have none: a reminder needs one
                reminded_at=None,
                sent_at=utcnow() - timedelta(hours=30),
                expires_at=utcnow() + timedelta(hours=18),
            )
        )
    start = time.perf_counter()
    done = 0
    while True:  # batches of SWEEP_BATCH, as workers would take them
        with hub.as_system(write=True) as ctx:
            n = sweep(ctx).reminders
        if not n:
            break
        done += n
    s = time.perf_counter() - start
    with hub.as_system(write=True) as ctx:
        users = ctx.session.execute(
            select(col(Invitation.user_id), col(Invitation.centre_id)).where(Invitation.id.in_(ids))  # type: ignore[union-attr]
        ).all()
    from hub_tui.models import Centre, User

    start = time.perf_counter()
    with hub.as_system(write=True) as ctx:
        for user_id, centre_id in users:
            user = ctx.session.get_one(User, user_id)
            centre = ctx.session.get(Centre, centre_id) if centre_id else None
            invitations.invite(ctx, user, centre)
    q = time.perf_counter() - start
    print(
        f"  {done:,} due: sweep {s:.2f} s, queuing {len(users):,} invitations {q:.2f} s,"
        f" ratio {s / q:.2f}"
    )


if __name__ == "__main__":
    main()
