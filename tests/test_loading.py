"""Bulk loads (imports and the demo) go by the database's fastest path and leave it as the
row-at-a-time path would: every name in the trigram index, its triggers in place, the same
values stored, and nothing at all from a file with a bad row."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path
from string import ascii_uppercase
from typing import Any

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from hub_tui.db import bulk_insert, is_sqlite, loading, table_of
from hub_tui.demo import COORDINATOR_MAILBOX, CYCLE, load_demo
from hub_tui.models import Associate, Centre, CentreStatus, User
from hub_tui.services import imports
from hub_tui.services.centres import list_centres
from hub_tui.services.context import Hub
from tests.world import SUPPORT, World

RARE = "Qwxyzzy Folk High School"  # a name no other centre's is like


def write_centres(tmp_path: Path, count: int, *, last: str | None = None) -> Path:
    """`count` good centre rows (FA000 … FA999, FB000 …), and `last` after them."""
    rows = [
        f"F{ascii_uppercase[i // 1000]}{i % 1000:03d},School {i},France,Loire" for i in range(count)
    ]
    path = tmp_path / "centres.csv"
    path.write_text("\n".join([*rows, *([last] if last else [])]) + "\n", encoding="utf-8")
    return path


def trigram_ids(hub: Hub, phrase: str) -> list[int]:
    with hub.as_system() as ctx:
        found = ctx.session.execute(
            text("SELECT rowid FROM centre_name_trigrams WHERE centre_name_trigrams MATCH :p"),
            {"p": f'"{phrase}"'},
        )
        return sorted(row[0] for row in found)


def test_an_imported_rare_name_is_found_and_the_index_holds_every_name(
    hub: Hub, world: World, tmp_path: Path
) -> None:
    path = write_centres(tmp_path, 1500, last=f"FT001,{RARE},Norway,Fjord")
    with hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, path)
    with hub.as_user(SUPPORT) as ctx:
        found = list_centres(ctx, search="wxyzzy folk")
    assert [(r.centre_number, r.name) for r in found] == [("FT001", RARE)]
    if not is_sqlite(hub.engine):
        return  # PostgreSQL keeps no trigram index
    with hub.as_system() as ctx:
        rare_id = ctx.session.exec(select(Centre.id).where(Centre.centre_number == "FT001")).one()
        # FTS5's own check that the index holds exactly what the centres table does
        ctx.session.execute(
            text(
                "INSERT INTO centre_name_trigrams(centre_name_trigrams, rank) "
                "VALUES ('integrity-check', 1)"
            )
        )
    assert trigram_ids(hub, "wxyzzy folk") == [rare_id]
    assert len(trigram_ids(hub, "school 14")) == 111  # 14, 140-149, 1400-1499


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_trigram_triggers_work_after_a_load(hub: Hub, world: World, tmp_path: Path) -> None:
    with hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, write_centres(tmp_path, 20))
    with hub.as_system() as ctx:
        triggers = ctx.session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'centres'")
        )
        assert {row[0] for row in triggers} == {
            "centres_name_trigrams_insert",
            "centres_name_trigrams_delete",
            "centres_name_trigrams_update",
        }
        assert ctx.session.execute(text("SELECT count(*) FROM temp.sqlite_master")).scalar() == 0
    # a centre added and one renamed the ordinary way are indexed by the triggers
    with hub.as_system(write=True) as ctx:
        north = ctx.session.exec(select(Associate).where(Associate.name == "North")).one()
        assert north.id is not None
        added = Centre(
            centre_number="NO001",
            name=RARE,
            name_key=RARE.casefold(),
            country="Norway",
            associate_id=north.id,
        )
        ctx.session.add(added)
        renamed = ctx.session.exec(select(Centre).where(Centre.centre_number == "FA007")).one()
        renamed.name, renamed.name_key = "Zanzibar Lycée", "zanzibar lycée"
        ctx.session.flush()
        added_id, renamed_id = added.id, renamed.id
    assert trigram_ids(hub, "wxyzzy") == [added_id]
    assert trigram_ids(hub, "zanzibar") == [renamed_id]
    assert renamed_id not in trigram_ids(hub, "school 7")  # its old name is gone


def test_a_bad_row_at_the_end_of_a_big_file_imports_nothing(
    hub: Hub, world: World, tmp_path: Path
) -> None:
    with hub.as_system() as ctx:
        before = ctx.session.exec(select(func.count()).select_from(Centre)).one()
    path = write_centres(tmp_path, 20_000, last="FZ001,Bad\x07Bell,France,Loire")
    with pytest.raises(imports.ImportRejected) as rejected, hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, path)
    assert rejected.value.problems == [
        "line 20001: Centre name contains a control character (U+0007)."
    ]
    with hub.as_system() as ctx:
        assert ctx.session.exec(select(func.count()).select_from(Centre)).one() == before
        assert ctx.session.exec(select(Associate).where(Associate.name == "Loire")).first() is None
    assert gc.isenabled()  # the load's pause of the collector ends with it, even so


def test_a_bulk_insert_stores_what_the_orm_stores(hub: Hub, world: World) -> None:
    """COPY (PostgreSQL) and the staged insert (SQLite) against the ORM's own INSERT, for
    the values that need care: times, NULLs, quotes, backslashes, tabs, non-ASCII."""
    at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    fields: dict[str, Any] = {
        "name": 'Zoë "Q" O\'Neil \\ back\tslash',
        "role": "support",
        "status": "suspended",
        "created_at": at,
        "centre_id": None,
        "associate_id": None,
        "suspended_at": at.replace(microsecond=0),
        "suspended_by": SUPPORT,
        "suspension_reason": "ünïcödé, \\N and commas",
    }
    with hub.as_system(write=True) as ctx:
        ctx.session.add(User(email="orm@x.org", email_key="orm@x.org", **fields))
        with loading(ctx.session):
            bulk_insert(
                ctx.session, User, [{"email": "bulk@x.org", "email_key": "bulk@x.org", **fields}]
            )
    users = table_of(User)
    with hub.as_system() as ctx:
        stored = {
            row.email: {key: getattr(row, key) for key in fields}
            for row in ctx.session.exec(
                select(User).where(col(User.email).in_(["orm@x.org", "bulk@x.org"]))
            )
        }
        as_text = users.c.email.type
        raw = ctx.session.execute(
            select(func.cast(users.c.created_at, as_text), func.cast(users.c.suspended_at, as_text))
            .where(users.c.email.in_(["orm@x.org", "bulk@x.org"]))
            .order_by(users.c.email)
        ).all()
    assert stored["bulk@x.org"] == stored["orm@x.org"]
    assert stored["bulk@x.org"]["created_at"] == at
    assert tuple(raw[0]) == tuple(raw[1])  # stored alike, not only read back alike


def test_rows_are_numbered_in_the_order_of_the_file(hub: Hub, world: World, tmp_path: Path) -> None:
    path = tmp_path / "centres.csv"
    path.write_text("ZZ999,Last,France,Loire\nAA000,First,France,Loire\nMM500,Mid,Fr,Loire\n")
    with hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, path)
    with hub.as_system() as ctx:
        numbers = ctx.session.exec(
            select(Centre.centre_number)
            .where(col(Centre.centre_number).in_(["ZZ999", "AA000", "MM500"]))
            .order_by(col(Centre.id))
        ).all()
    assert numbers == ["ZZ999", "AA000", "MM500"]


def test_the_demo_files_each_centre_under_its_coordinator(hub: Hub) -> None:
    with hub.as_system(write=True) as ctx:
        load_demo(ctx, centres=40)
    with hub.as_system() as ctx:
        centres = ctx.session.exec(select(Centre)).all()
        users = {u.id: u for u in ctx.session.exec(select(User))}
        with_coordinator = 0
        for centre in centres:
            coordinators = ctx.session.exec(
                select(User.email).where(
                    User.centre_id == centre.id,
                    col(User.email).startswith(COORDINATOR_MAILBOX),
                )
            ).all()
            if not coordinators:  # not activated: nobody there
                assert centre.coordinator_id is None
                continue
            with_coordinator += 1
            assert centre.coordinator_id is not None
            coordinator = users[centre.coordinator_id]
            assert coordinator.centre_id == centre.id
            assert (
                coordinator.email
                == f"{COORDINATOR_MAILBOX}{centre.centre_number.lower()}.example.org"
            )
    not_activated = sum(1 for i in range(40) if CYCLE[i % len(CYCLE)] is CentreStatus.NOT_ACTIVATED)
    assert with_coordinator == 40 - not_activated
    assert gc.isenabled()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("text", "problems"),
    [
        # a header only on line 1; after a blank line it is a row like any other
        (
            "\ncentre_number,name,country,associate\nFR001,A,France,West\n",
            ["line 2: 'centre_number' is not a centre number"],
        ),
        # a quoted field over two lines: rows after it are reported by their own lines
        (
            'FR001,"Two\nLines",France,West\n\nFR002,,France,West\n',
            [
                "line 2: Centre name contains a control character (U+000A)",
                "line 4: Centre name must not be empty",
            ],
        ),
    ],
)
def test_bad_rows_are_reported_by_their_lines(
    hub: Hub, world: World, tmp_path: Path, text: str, problems: list[str]
) -> None:
    path = tmp_path / "centres.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(imports.ImportRejected) as rejected, hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, path)
    found = rejected.value.problems
    assert len(found) == len(problems)
    assert all(p.startswith(q) for p, q in zip(found, problems, strict=True)), found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_header_on_line_1_is_skipped_with_its_spaces(
    hub: Hub, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "centres.csv"
    path.write_text(" Centre_Number , name,country,associate \nFR001,A,France,West\n")
    with hub.as_system(write=True) as ctx:
        assert imports.import_centres(ctx, path).imported == 1


def test_a_clash_in_a_load_is_the_databases_refusal_and_writes_nothing(
    hub: Hub, world: World
) -> None:
    """Two imports checked at once can both find a number free: the load that comes second
    is refused as any write is (an IntegrityError, said in one line), not by a driver's
    own exception, and nothing of it stays."""
    fresh = {"email": "new@x.org", "email_key": "new@x.org", "name": "New", "role": "support",
             "status": "active", "created_at": datetime(2026, 3, 4, tzinfo=UTC)}  # fmt: skip
    taken = {**fresh, "email": "Taken@x.org", "email_key": SUPPORT}
    with pytest.raises(IntegrityError), hub.as_system(write=True) as ctx, loading(ctx.session):
        bulk_insert(ctx.session, User, [fresh, taken])
    with hub.as_system() as ctx:
        assert ctx.session.exec(select(User).where(User.email == "new@x.org")).first() is None
    assert gc.isenabled()
