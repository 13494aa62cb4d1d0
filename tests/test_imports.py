"""CSV imports check every row first; any bad row means nothing is imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from hub_tui.models import Centre, User
from hub_tui.services import imports
from hub_tui.services.context import Hub
from tests.world import World


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def count(hub: Hub, model: type) -> int:
    with hub.as_system() as ctx:
        return int(ctx.session.exec(select(func.count()).select_from(model)).one())


def test_centres_import_with_header_and_new_associate(
    hub: Hub, world: World, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "centre_number,name,country,associate\n"
        'fr001,Lycée Hugo,France,West\nFR002,"Comma, School",France,North\n',
    )
    with hub.as_system(write=True) as ctx:
        result = imports.import_centres(ctx, path)
    assert result.imported == 2
    with hub.as_system() as ctx:
        rows = ctx.session.exec(select(Centre).where(Centre.centre_number.startswith("FR"))).all()
        assert sorted((r.centre_number, r.name) for r in rows) == [
            ("FR001", "Lycée Hugo"),
            ("FR002", "Comma, School"),
        ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("FR001,Lycée,France\n", "line 1: expected 4 columns"),
        ("FR001,A,France,West\nFR001,B,France,West\n", "line 2: centre FR001 appears twice"),
        ("GB001,Again,UK,North\n", "line 1: centre GB001 already exists"),
        ("F1001,A,France,West\n", "line 1: 'F1001' is not a centre number"),
        ("FR001,,France,West\n", "line 1: Centre name must not be empty"),
        ("FR001,Bad\x1b[31m,France,West\n", "line 1: Centre name contains a control character"),
    ],
)
def test_a_bad_centre_row_imports_nothing(
    hub: Hub, world: World, tmp_path: Path, text: str, problem: str
) -> None:
    before = count(hub, Centre)
    path = write(
        tmp_path, "FR009,Good School,France,West\n" * 0 + text + "FR010,Fine,France,West\n"
    )
    with pytest.raises(imports.ImportRejected) as rejected, hub.as_system(write=True) as ctx:
        imports.import_centres(ctx, path)
    assert problem in rejected.value.message
    assert count(hub, Centre) == before


def test_users_import(hub: Hub, world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name,email,role,centre_number,associate\n"
        "Ada,ada@x.org,teacher,gb001,\n"
        "Bea,bea@x.org,associate_coordinator,,South\n"
        "Cy,cy@x.org,support,,\n",
    )
    with hub.as_system(write=True) as ctx:
        assert imports.import_users(ctx, path).imported == 3
    with hub.as_system() as ctx:
        ada = ctx.session.exec(select(User).where(User.email == "ada@x.org")).one()
        assert (ada.role, ada.status, ada.centre_id is not None) == ("teacher", "active", True)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Ada,ADA@x.org,teacher,GB001,\nAda2,ada@X.org,teacher,GB001,\n",
            "line 3: the e-mail address",
        ),
        ("Dup,COORD@gb002.example.org,teacher,GB001,\n", "already has the e-mail address"),
        ("Ada,ada@x.org,teacher,ZZ001,\n", "no centre ZZ001"),
        ("Ada,ada@x.org,teacher,,\n", "needs a centre_number"),
        ("Ada,ada@x.org,wizard,GB001,\n", "unknown role 'wizard'"),
        ("Ada,ada@x.org,associate_coordinator,,Nowhere\n", "no associate 'Nowhere'"),
        ("Ada\u202e,ada@x.org,teacher,GB001,\n", "control character"),
        ("Ada,not-an-email,teacher,GB001,\n", "Email is not valid"),
        ("Ada,ada@x.org,teacher\n", "expected 5 columns"),
    ],
)
def test_a_bad_user_row_imports_nothing(
    hub: Hub, world: World, tmp_path: Path, text: str, problem: str
) -> None:
    before = count(hub, User)
    path = write(tmp_path, "Zed,zed@x.org,teacher,GB001,\n" + text)
    with pytest.raises(imports.ImportRejected) as rejected, hub.as_system(write=True) as ctx:
        imports.import_users(ctx, path)
    assert problem in rejected.value.message
    assert count(hub, User) == before


def test_a_long_import_says_how_far_it_has_got(hub: Hub, world: World, tmp_path: Path) -> None:
    rows = [f"FR{i:03d},School {i},France,North" for i in range(1, 999)]
    path = write(tmp_path, "\n".join(rows) + "\n")
    reports: list[tuple[str, int, int]] = []
    with hub.as_system(write=True) as ctx:
        imports.import_centres(
            ctx, path, progress=lambda what, done, total: reports.append((what, done, total))
        )
    assert reports[0] == ("Checking rows", 0, 998)
    assert reports[-1] == ("Writing", 998, 998)
    assert count(hub, Centre) == 5 + 998
