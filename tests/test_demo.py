"""The demo data hangs together: a centre's number begins with its country's code, and its
school and people are named as they are in that country; and it keeps what it promises
(every status, two associates, the two sign-ins, people at activated centres)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlmodel import col, select

from hub_tui.demo import ASSOCIATE, MOST_CENTRES, SUPPORT, centre_numbers, load_demo
from hub_tui.demo.countries import COUNTRIES, Country
from hub_tui.errors import Invalid
from hub_tui.models import Associate, Centre, Role, User
from hub_tui.services.centres import list_centres
from hub_tui.services.context import Hub

BY_NAME = {country.name: country for country in COUNTRIES}


def school_names(country: Country) -> set[str]:
    return {t.format(place=p) for t in country.names.schools for p in country.places}


def people_names(country: Country) -> set[str]:
    return {f"{first} {last}" for first in country.names.first for last in country.names.last}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_each_centre_is_named_as_in_its_country(hub: Hub) -> None:
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=60)
    with hub.as_user(SUPPORT) as ctx:
        rows = list_centres(ctx, limit=100)
    people: dict[int, list[str]] = {}  # by centre
    staff: Counter[tuple[int, str]] = Counter()  # (centre, role): how many
    with hub.as_system() as ctx:
        for u in ctx.session.exec(select(User).where(col(User.centre_id).is_not(None))):
            assert u.centre_id is not None
            people.setdefault(u.centre_id, []).append(u.name)
            staff[(u.centre_id, u.role)] += 1
    assert len(rows) == 60 and len({r.name for r in rows}) == 60  # no two schools alike
    assert len({r.country for r in rows}) > 10  # from all over
    for row in rows:
        country = BY_NAME[row.country]
        assert row.centre_number.startswith(country.code), row
        assert row.name in school_names(country), row
        named = people.get(row.id, [])
        assert all(name in people_names(country) for name in named), (row, named)
        assert len(set(named)) == len(named)  # nobody at a centre shares a name
        if row.status == "active":  # an activated centre has more people than its coordinator
            assert staff[(row.id, Role.ADMINISTRATOR)] >= 2 and staff[(row.id, Role.TEACHER)]
    assert {r.status for r in rows} == {
        "not_activated",
        "invited",
        "invitation_expired",
        "active",
        "suspended",
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_sign_ins_and_associates_it_promises(hub: Hub) -> None:
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=5)  # the fewest: one in each status
    with hub.as_system() as ctx:
        s = ctx.session
        assert len(s.exec(select(Associate)).all()) >= 2
        support = s.exec(select(User).where(User.email == SUPPORT)).one()
        associate = s.exec(select(User).where(User.email == ASSOCIATE)).one()
    assert support.role == Role.SUPPORT and associate.role == Role.ASSOCIATE_COORDINATOR
    with hub.as_user(SUPPORT) as ctx:
        assert len({r.status for r in list_centres(ctx)}) == 5


def test_the_same_seed_makes_the_same_numbers_and_many_still_fit() -> None:
    assert centre_numbers(60, random.Random(7)) == centre_numbers(60, random.Random(7))
    many = centre_numbers(100_000, random.Random(42))
    numbers = [number for number, _ in many]
    assert len(set(numbers)) == 100_000 and numbers == sorted(numbers)
    assert all(number.startswith(country.code) for number, country in many)
    assert all(1 <= int(number[2:]) <= 999 for number in numbers)  # GB001 to GB999
    assert len(centre_numbers(MOST_CENTRES, random.Random(1))) == MOST_CENTRES


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_more_centres_than_the_numbers_is_refused(hub: Hub) -> None:
    with pytest.raises(Invalid, match="at most"), hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=MOST_CENTRES + 1)
    with hub.as_system() as ctx:
        assert ctx.session.exec(select(Centre)).first() is None
        assert ctx.session.exec(select(User)).first() is None
