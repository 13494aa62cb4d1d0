"""Demo data: associates, admins, and centres in every status, loaded with bulk inserts.

Each centre is in a country of `countries.COUNTRIES`: its number begins with the country's
code, and its school and people are named as they are there."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from hub_tui.db import bulk_insert, loading, table_of
from hub_tui.demo.countries import COUNTRIES, NAMES, Country
from hub_tui.errors import Conflict, Invalid
from hub_tui.models import AccountStatus, Associate, CentreStatus, Invitation, Role, User
from hub_tui.models import Centre as CentreModel
from hub_tui.progress import Progress, unseen
from hub_tui.services import audit
from hub_tui.services.context import Ctx
from hub_tui.validation import fold

SUPPORT = "support@example.org"
ASSOCIATE = "associate@example.org"
ASSOCIATES = ("Northern Schools Network", "Southern Learning Trust")
COORDINATOR_MAILBOX = "coordinator@"  # a centre's coordinator is coordinator@ its domain
NUMBERS_PER_COUNTRY = 999  # a country's centres are XX001 to XX999
MOST_CENTRES = NUMBERS_PER_COUNTRY * len(COUNTRIES)
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


def spread(count: int, rng: random.Random) -> dict[Country, int]:
    """How many centres each country has, by weight and none over its numbers: whole shares
    of what is left while they are most of it, then the rest drawn at random by weight."""
    weights = [country.weight for country in COUNTRIES]
    per = [0] * len(COUNTRIES)
    left = count
    while left:
        room = [i for i, n in enumerate(per) if n < NUMBERS_PER_COUNTRY]
        total = sum(weights[i] for i in room)
        shares = {i: min(NUMBERS_PER_COUNTRY - per[i], left * weights[i] // total) for i in room}
        if 2 * sum(shares.values()) < left:  # mostly fractions of a centre: draw them all
            shares = dict.fromkeys(room, 0)
            for i in rng.choices(room, weights=[weights[i] for i in room], k=left):
                if per[i] + shares[i] < NUMBERS_PER_COUNTRY:  # else drawn again next time
                    shares[i] += 1
        for i, share in shares.items():
            per[i] += share
            left -= share
    return {country: n for country, n in zip(COUNTRIES, per, strict=True) if n}


def centre_numbers(count: int, rng: random.Random) -> list[tuple[str, Country]]:
    """`count` centre numbers, in order, each with its country (whose code begins it)."""
    every = range(1, NUMBERS_PER_COUNTRY + 1)

    def digits(n: int) -> list[int]:
        if 2 * n > len(every):  # most of them: cheaper to draw those left out
            left_out = set(rng.sample(every, len(every) - n))
            return [d for d in every if d not in left_out]
        return sorted(rng.sample(every, n))

    # in order as made: countries by code, and each one's numbers in order
    return [
        (f"{country.code}{d:03d}", country)
        for country, n in sorted(spread(count, rng).items(), key=lambda kv: kv[0].code)
        for d in digits(n)
    ]


def is_empty(ctx: Ctx) -> bool:
    return ctx.session.exec(select(CentreModel.id).limit(1)).first() is None


DEMO_STEPS = 3  # centres, people, invitations


def load_demo(ctx: Ctx, *, centres: int = 60, seed: int = 42, progress: Progress = unseen) -> str:
    """Fill an empty database; returns a one-line summary."""
    if not is_empty(ctx):
        raise Conflict("The database already has centres; demo data goes only into an empty one.")
    if centres > MOST_CENTRES:
        raise Invalid(
            f"The demo has at most {MOST_CENTRES:,} centres ({NUMBERS_PER_COUNTRY} in each of "
            f"its {len(COUNTRIES)} countries)."
        )
    with loading(ctx.session):
        return _fill(ctx, centres, random.Random(seed), progress)


def _fill(ctx: Ctx, centres: int, rng: random.Random, progress: Progress) -> str:
    now = ctx.now
    session = ctx.session
    bulk_insert(session, Associate, [{"name": n} for n in ASSOCIATES])
    associate_ids = dict(session.exec(select(Associate.name, Associate.id)).all())
    north, south = (associate_ids[n] for n in ASSOCIATES)

    anyone = {
        "status": AccountStatus.ACTIVE.value,
        "created_at": now,
        "centre_id": None,
        "associate_id": None,
        "suspended_at": None,
        "suspended_by": None,
        "suspension_reason": None,
    }

    def person(name: str, email: str, role: str, **extra: Any) -> dict[str, Any]:
        return (
            {"name": name, "email": email, "email_key": fold(email), "role": role} | anyone | extra
        )

    bulk_insert(
        session,
        User,
        [
            person("Sam Carter", SUPPORT, Role.SUPPORT.value),
            person("Alex Morgan", ASSOCIATE, Role.ASSOCIATE_COORDINATOR.value, associate_id=north),
            person(
                "Sofia Mendes",
                "associate.south@example.org",
                Role.ASSOCIATE_COORDINATOR.value,
                associate_id=south,
            ),
        ],
    )

    draw = rng.random

    def pick(choices: list[str]) -> str:
        return choices[int(draw() * len(choices))]  # cheaper than rng.choice

    # every name a country's schools and people may have, made once (not 100,000 times)
    schools = {c: [t.format(place=p) for t in c.names.schools for p in c.places] for c in COUNTRIES}
    full_names = {n: [f"{f} {la}" for f in n.first for la in n.last] for n in NAMES}

    numbered = centre_numbers(centres, rng)
    numbers = [number for number, _ in numbered]
    centre_rows = []
    taken: set[str] = set()
    for i, (number, country) in enumerate(numbered):
        name = pick(schools[country])
        for _ in range(3):  # a name not yet taken, while there are some
            if name not in taken:
                break
            name = pick(schools[country])
        taken.add(name)
        centre_rows.append(
            {
                "centre_number": number,
                "name": name,
                "name_key": fold(name),
                "country": country.name,
                "associate_id": north if i % 3 else south,
                "version": 1,
            }
        )
    # plain bulk inserts, then read the ids back: RETURNING over many batches is quadratic
    # in SQLAlchemy 2.1 (it splices every batch's rows together again)
    progress("Writing centres", 0, DEMO_STEPS)
    bulk_insert(session, CentreModel, centre_rows)
    centres_table = table_of(CentreModel)
    id_by_number = dict(
        session.execute(select(centres_table.c.centre_number, centres_table.c.id)).all()
    )
    ids = [id_by_number[n] for n in numbers]

    people: list[dict[str, Any]] = []
    coordinators: list[tuple[int, CentreStatus]] = []  # centre id, status
    administrator, teacher = Role.ADMINISTRATOR.value, Role.TEACHER.value
    for i, (centre_id, (number, country)) in enumerate(zip(ids, numbered, strict=True)):
        status = CYCLE[i % len(CYCLE)]
        if status is CentreStatus.NOT_ACTIVATED:
            continue
        domain = f"{number.lower()}.example.org"
        # three people named as people are there, no two alike
        named = full_names[country.names]
        staff: list[str] = []  # a list, not a set: the same seed, the same demo
        while len(staff) < 3:
            if (drawn := pick(named)) not in staff:
                staff.append(drawn)
        coordinator_name, admin_name, teacher_name = staff

        coordinator = person(
            coordinator_name, f"{COORDINATOR_MAILBOX}{domain}", administrator, centre_id=centre_id
        )
        if status in (CentreStatus.INVITED, CentreStatus.INVITATION_EXPIRED):
            coordinator["status"] = AccountStatus.INVITED.value
        if status is CentreStatus.SUSPENDED:
            coordinator |= {
                "status": AccountStatus.SUSPENDED.value,
                "suspended_at": now - timedelta(days=3),
                "suspended_by": SUPPORT,
                "suspension_reason": "The centre's fees for this year are overdue",
            }
        people.append(coordinator)
        coordinators.append((centre_id, status))
        people.append(person(admin_name, f"admin@{domain}", administrator, centre_id=centre_id))
        people.append(person(teacher_name, f"teacher@{domain}", teacher, centre_id=centre_id))
    progress("Writing people", 1, DEMO_STEPS)
    bulk_insert(session, User, people)
    users_table = table_of(User)

    # each centre's coordinator, filed in one statement: its user at the coordinator@ address
    coordinator_of = (
        select(users_table.c.id)
        .where(
            users_table.c.centre_id == centres_table.c.id,
            users_table.c.email_key.startswith(COORDINATOR_MAILBOX, autoescape=True),
        )
        .scalar_subquery()
    )
    session.execute(update(centres_table).values(coordinator_id=coordinator_of))
    coordinator_ids = dict(
        session.execute(
            select(centres_table.c.id, centres_table.c.coordinator_id).where(
                centres_table.c.coordinator_id.is_not(None)
            )
        ).all()
    )
    ttl = timedelta(hours=ctx.settings.invite_ttl_hours)
    invitations = []
    for centre_id, status in coordinators:
        if status is CentreStatus.INVITED:
            sent = now - timedelta(hours=2)
        elif status is CentreStatus.INVITATION_EXPIRED:
            sent = now - ttl - timedelta(days=1)
        else:
            continue
        invitations.append(
            {
                "user_id": coordinator_ids[centre_id],
                "centre_id": centre_id,
                # random, as a code's hash looks: no code was made, since no e-mail carries a
                # demo invitation's (a resend makes a working one)
                "code_hash": secrets.token_hex(32),
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
