"""Demo data: associates, admins, and centres in every status, loaded with bulk inserts."""

from __future__ import annotations

import random
import secrets
import string
from datetime import timedelta
from itertools import product
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import select

from hub_tui.db import bulk_insert, table_of
from hub_tui.errors import Conflict
from hub_tui.models import AccountStatus, Associate, CentreStatus, Invitation, Role, User
from hub_tui.models import Centre as CentreModel
from hub_tui.progress import Progress, unseen
from hub_tui.services import audit
from hub_tui.services.context import Ctx
from hub_tui.setup_codes import hash_code
from hub_tui.validation import fold

SUPPORT = "support@example.org"
ASSOCIATE = "associate@example.org"
ASSOCIATES = ("Northern Schools Network", "Southern Learning Trust")
COUNTRIES = ("United Kingdom", "India", "Pakistan", "Egypt", "Spain", "Malaysia", "Nigeria")
PLACES = (
    "Ashford",
    "Bangor",
    "Cairo",
    "Delhi",
    "Ely",
    "Fes",
    "Goa",
    "Hull",
    "Ipoh",
    "Jaipur",
    "Kano",
    "Lahore",
    "Madrid",
    "Nairobi",
    "Oxford",
    "Penang",
    "Quetta",
    "Rye",
)
KINDS = ("Grammar School", "Academy", "International School", "College", "High School")
FIRST = ("Amira", "Ben", "Chen", "Dara", "Elif", "Femi", "Grace", "Hugo", "Isha", "Jon")
LAST = ("Khan", "Lopez", "Mensah", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Singh")
# the first statuses repeat in this cycle, so that even a small demo has each one
CYCLE = (
    CentreStatus.ACTIVE,
    CentreStatus.NOT_ACTIVATED,
    CentreStatus.INVITED,
    CentreStatus.INVITATION_EXPIRED,
    CentreStatus.SUSPENDED,
    CentreStatus.ACTIVE,
    CentreStatus.ACTIVE,
    CentreStatus.NOT_ACTIVATED,
    CentreStatus.ACTIVE,
    CentreStatus.INVITED,
)


def centre_numbers(count: int, rng: random.Random) -> list[str]:
    prefixes = ["".join(p) for p in product(string.ascii_uppercase, repeat=2)]
    picks = rng.sample(range(len(prefixes) * 1000), count)
    return sorted(f"{prefixes[k // 1000]}{k % 1000:03d}" for k in picks)


def is_empty(ctx: Ctx) -> bool:
    return ctx.session.exec(select(CentreModel.id).limit(1)).first() is None


DEMO_STEPS = 3  # centres, people, invitations


def load_demo(ctx: Ctx, *, centres: int = 60, seed: int = 42, progress: Progress = unseen) -> str:
    """Fill an empty database; returns a one-line summary."""
    if not is_empty(ctx):
        raise Conflict("The database already has centres; demo data goes only into an empty one.")
    rng = random.Random(seed)
    now = ctx.now
    session = ctx.session
    bulk_insert(session, Associate, [{"name": n} for n in ASSOCIATES])
    associate_ids = dict(session.exec(select(Associate.name, Associate.id)).all())
    north, south = (associate_ids[n] for n in ASSOCIATES)

    def person(name: str, email: str, role: Role, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "email": email,
            "email_key": fold(email),
            "role": role.value,
            "status": AccountStatus.ACTIVE.value,
            "created_at": now,
            "centre_id": None,
            "associate_id": None,
            "suspended_at": None,
            "suspended_by": None,
            "suspension_reason": None,
        } | extra

    bulk_insert(
        session,
        User,
        [
            person("Sam Support", SUPPORT, Role.SUPPORT),
            person("Alex Associate", ASSOCIATE, Role.ASSOCIATE_COORDINATOR, associate_id=north),
            person(
                "Sol South",
                "associate.south@example.org",
                Role.ASSOCIATE_COORDINATOR,
                associate_id=south,
            ),
        ],
    )

    numbers = centre_numbers(centres, rng)
    centre_rows = []
    for i, number in enumerate(numbers):
        name = f"{PLACES[i % len(PLACES)]} {KINDS[(i // len(PLACES)) % len(KINDS)]}"
        centre_rows.append(
            {
                "centre_number": number,
                "name": name,
                "name_key": fold(name),
                "country": COUNTRIES[rng.randrange(len(COUNTRIES))],
                "associate_id": north if i % 3 else south,
                "version": 1,
            }
        )
    # plain bulk inserts, then read the ids back: RETURNING over many batches is quadratic
    # in SQLAlchemy 2.1 (it splices every batch's rows together again)
    progress("Writing centres", 0, DEMO_STEPS)
    bulk_insert(session, CentreModel, centre_rows)
    centres_table = table_of(CentreModel)
    id_by_number = {
        number: cid
        for number, cid in session.execute(
            select(centres_table.c.centre_number, centres_table.c.id)
        )
    }
    ids = [id_by_number[n] for n in numbers]

    names = [f"{first} {last}" for first in FIRST for last in LAST]

    def random_name() -> str:
        return names[int(rng.random() * len(names))]

    people: list[dict[str, Any]] = []
    coordinators: list[tuple[int | None, str, CentreStatus]] = []  # centre id, email key, status
    for i, (centre_id, number) in enumerate(zip(ids, numbers, strict=True)):
        status = CYCLE[i % len(CYCLE)]
        if status is CentreStatus.NOT_ACTIVATED:
            continue
        domain = f"{number.lower()}.example.org"

        coordinator = person(
            random_name(), f"coordinator@{domain}", Role.ADMINISTRATOR, centre_id=centre_id
        )
        if status in (CentreStatus.INVITED, CentreStatus.INVITATION_EXPIRED):
            coordinator["status"] = AccountStatus.INVITED.value
        if status is CentreStatus.SUSPENDED:
            coordinator |= {
                "status": AccountStatus.SUSPENDED.value,
                "suspended_at": now - timedelta(days=3),
                "suspended_by": SUPPORT,
                "suspension_reason": "Demo: the centre's fees are overdue",
            }
        people.append(coordinator)
        coordinators.append((centre_id, coordinator["email_key"], status))
        people.append(
            person(random_name(), f"admin@{domain}", Role.ADMINISTRATOR, centre_id=centre_id)
        )
        people.append(person(random_name(), f"teacher@{domain}", Role.TEACHER, centre_id=centre_id))
    progress("Writing people", 1, DEMO_STEPS)
    bulk_insert(session, User, people)
    users_table = table_of(User)
    id_by_key = {
        key: uid for key, uid in session.execute(select(users_table.c.email_key, users_table.c.id))
    }

    # Core executemany: the ORM's bulk update is per row
    session.execute(
        update(centres_table)
        .where(centres_table.c.id == bindparam("centre_id"))
        .values(coordinator_id=bindparam("coordinator_id")),
        [{"centre_id": cid, "coordinator_id": id_by_key[key]} for cid, key, _ in coordinators],
    )
    ttl = timedelta(hours=ctx.settings.invite_ttl_hours)
    invitations = []
    for centre_id, key, status in coordinators:
        if status is CentreStatus.INVITED:
            sent = now - timedelta(hours=2)
        elif status is CentreStatus.INVITATION_EXPIRED:
            sent = now - ttl - timedelta(days=1)
        else:
            continue
        invitations.append(
            {
                "user_id": id_by_key[key],
                "centre_id": centre_id,
                # no e-mail carries a demo invitation's code: a resend makes a working one
                "code_hash": hash_code(secrets.token_hex(20)),
                "invited_by": SUPPORT,
                "sent_at": sent,
                "expires_at": sent + ttl,
                # its sender was told long ago: a first sweep sends no flood of notices
                "expiry_noticed_at": sent + ttl
                if status is CentreStatus.INVITATION_EXPIRED
                else None,
            }
        )
    if invitations:
        progress("Writing invitations", 2, DEMO_STEPS)
        bulk_insert(session, Invitation, invitations)
        progress("Writing invitations", 3, DEMO_STEPS)
    audit.record(ctx, "demo.loaded", detail=f"{len(ids)} centres, {len(people)} people")
    return (
        f"Loaded demo data: {len(ids)} centres, {len(people) + 3} users. Sign in as "
        f"{SUPPORT} (support) or {ASSOCIATE} (associate coordinator)."
    )
