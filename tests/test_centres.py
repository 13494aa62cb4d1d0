"""Listing and searching centres, and the derived status."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import insert

from hub_tui.errors import Invalid
from hub_tui.models import Centre
from hub_tui.services.centres import list_centres
from hub_tui.services.context import Hub
from hub_tui.validation import fold
from tests.world import SUPPORT, World


def add_centres(hub: Hub, rows: list[tuple[str, str]]) -> None:
    with hub.as_system(write=True) as ctx:
        ctx.session.execute(
            insert(Centre),
            [
                {
                    "centre_number": n,
                    "name": name,
                    "name_key": fold(name),
                    "country": "X",
                    "associate_id": 1,
                    "version": 1,
                }
                for n, name in rows
            ],
        )


def numbers(hub: Hub, **kw: object) -> list[str]:
    with hub.as_user(SUPPORT) as ctx:
        return [r.centre_number for r in list_centres(ctx, **kw)]  # type: ignore[arg-type]


@pytest.fixture
def many(hub: Hub, world: World) -> World:
    add_centres(
        hub,
        [
            ("GB042", "Harrow 100% School"),
            ("GB420", "Big_Name College"),
            ("GB421", "GB042 Annex"),
            ("AB123", "Zoë's École"),
            ("XY999", "Schoolhouse"),
            ("GA500", "Percent Place"),
        ],
    )
    return world


def test_exact_number_first_then_prefix_then_names(hub: Hub, many: World) -> None:
    assert numbers(hub, search="gb042") == ["GB042", "GB421"]
    assert numbers(hub, search="GB42") == ["GB420", "GB421"]
    assert numbers(hub, search="gb0") == ["GB001", "GB002", "GB003", "GB010", "GB042", "GB421"]
    assert numbers(hub, search="G")[:3] == ["GA500", "GB001", "GB002"]


def test_names_match_as_case_insensitive_substrings(hub: Hub, many: World) -> None:
    assert numbers(hub, search="SCHOOL") == ["GB002", "GB042", "IN100", "XY999"]
    assert numbers(hub, search="école") == ["AB123"]
    assert numbers(hub, search="ZOË") == ["AB123"]


def test_percent_and_underscore_are_literal(hub: Hub, many: World) -> None:
    assert numbers(hub, search="100%") == ["GB042"]
    assert numbers(hub, search="%") == ["GB042"]
    assert numbers(hub, search="b_g") == []
    assert numbers(hub, search="Big_") == ["GB420"]


def test_paging_continues_after_the_last_number(hub: Hub, many: World) -> None:
    first = numbers(hub, limit=3)
    second = numbers(hub, limit=3, after=first[-1])
    everything = numbers(hub, limit=100)
    assert first + second == everything[:6]
    assert everything == sorted(everything)


def test_paging_backwards_and_the_last_page(hub: Hub, many: World) -> None:
    everything = numbers(hub, limit=100)
    assert numbers(hub, last=True, limit=3) == everything[-3:]
    assert numbers(hub, before=everything[-3], limit=3) == everything[-6:-3]
    assert numbers(hub, before=everything[1], limit=3) == everything[:1]


def test_status_filter(hub: Hub, world: World) -> None:
    assert numbers(hub, status="active") == [world.active, world.south]
    assert numbers(hub, status="invited") == [world.invited]
    assert numbers(hub, status="not_activated") == [world.empty, world.other_empty]
    with time_machine.travel(timedelta(hours=49)):
        assert numbers(hub, status="invitation_expired") == [world.invited]
    with pytest.raises(Invalid):
        numbers(hub, status="bogus")


def test_limit_applies_to_searches(hub: Hub, many: World) -> None:
    assert len(numbers(hub, search="G", limit=2)) == 2


def names_containing(hub: Hub, text: str) -> list[str]:
    """What a name search must find: every centre whose name holds `text`, by number."""
    from sqlmodel import select

    with hub.as_system() as ctx:
        rows = ctx.session.exec(select(Centre.centre_number, Centre.name_key)).all()
    return sorted(n for n, key in rows if fold(text) in key)[:100]


@pytest.mark.parametrize("text", ["academy", "quetta", "inter", "hull gr", "école", "xyz"])
def test_a_name_search_finds_the_same_whether_few_or_many_names_hold_it(
    hub: Hub, text: str
) -> None:
    """Many centres: a common name is found by reading names in order, a rare one from
    the trigram index (SQLite); either way, exactly the centres whose names hold it."""
    from hub_tui.demo import load_demo

    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=4_000)
    add_centres(hub, [("ZZ998", "Hull Grammar École"), ("ZZ999", "Quetta Academy")])
    assert numbers(hub, search=text) == names_containing(hub, text)


def test_the_name_index_follows_names_as_they_change(hub: Hub, many: World) -> None:
    from sqlalchemy import update

    assert numbers(hub, search="schoolhouse") == ["XY999"]
    with hub.as_system(write=True) as ctx:  # as any writer would: straight to the table
        ctx.session.execute(
            update(Centre)
            .where(Centre.centre_number == "XY999")  # type: ignore[arg-type]
            .values(name="Lighthouse", name_key=fold("Lighthouse"))
        )
    assert numbers(hub, search="schoolhouse") == []
    assert numbers(hub, search="lighthouse") == ["XY999"]
    add_centres(hub, [("QQ001", 'The "Quoted" School')])
    assert numbers(hub, search='"quoted"') == ["QQ001"]  # quotes are text, not syntax
