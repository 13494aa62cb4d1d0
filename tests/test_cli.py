"""The command line: exit codes, one-line refusals, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from hub_tui.models import OutboxMessage
from hub_tui.services.context import Hub
from tests.world import NORTH_AC, SOUTH_AC, SUPPORT, World, user


def test_centres_list_json(cli, world: World) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--user", SUPPORT, "centres", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    by_number = {r["centre_number"]: r for r in rows}
    assert by_number[world.active]["coordinator"] == {
        "name": "Cora Coord",
        "email": world.coordinator,
        "status": "active",
    }
    assert by_number[world.empty]["coordinator"] is None
    assert set(rows[0]) >= {
        "centre_number",
        "name",
        "country",
        "associate",
        "status",
        "coordinator",
    }


def test_user_option_after_the_command_and_from_environment(cli, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("centres", "list", "--user", SOUTH_AC, "--json")
    assert [r["centre_number"] for r in json.loads(out)] == [world.south]
    monkeypatch.setenv("HUB_USER", NORTH_AC)
    code, out, _ = cli("centres", "list", "--search", "in1", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_centres_show_json(cli, world: World) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--user", SUPPORT, "centres", "show", world.invited.lower(), "--json")
    data = json.loads(out)
    assert code == 0 and data["status"] == "invited"
    assert data["invitation"]["expires_at"].endswith("+00:00")
    assert data["suspension"] is None and data["people_with_access"] == 0
    assert data["people"][0] | {} == {
        "name": "Ivy Invitee",
        "email": "ivy@gb003.example.org",
        "role": "administrator",
        "status": "invited",
        "has_access": False,
        "is_coordinator": True,
    }


def test_the_coordinator_commands(cli, hub: Hub, world: World) -> None:  # type: ignore[no-untyped-def]
    u = ("--user", SUPPORT)
    assert (
        cli(*u, "coordinator", "add", world.empty, "--name", "Ann", "--email", "ann@x.org")[0] == 0
    )
    code, out, _ = cli(*u, "coordinator", "suspend", world.active, "--reason", "fees")
    assert code == 0 and "4 people" in out
    data = json.loads(cli(*u, "centres", "show", world.active, "--json")[1])
    assert data["suspension"]["reason"] == "fees" and data["suspension"]["by"] == SUPPORT
    assert cli(*u, "coordinator", "restore", world.active)[0] == 0
    assert cli(*u, "coordinator", "resend", world.invited)[0] == 0
    assert cli(*u, "coordinator", "change", world.active, "--existing", world.admin)[0] == 0
    assert (
        cli(*u, "coordinator", "change", world.active, "--name", "Nu", "--email", "nu@x.org")[0]
        == 0
    )
    assert user(hub, "nu@x.org").status == "invited"
    events = json.loads(cli(*u, "audit", "--json")[1])
    assert [e["action"] for e in events[:6]] == [
        "coordinator.changed",
        "coordinator.changed",
        "invitation.resent",
        "coordinator.restored",
        "coordinator.suspended",
        "coordinator.added",
    ]
    assert set(events[0]) >= {"at", "actor", "action", "centre", "target"}
    mail = json.loads(cli(*u, "mail", "list", "--json")[1])
    # newest first: each change's e-mails, notices to the people it affects included
    assert [(m["kind"], m["to"]) for m in mail[:8]] == [
        ("coordinator_replaced", f"Adam Admin <{world.admin}>"),
        ("invitation", "Nu <nu@x.org>"),
        ("now_coordinator", f"Adam Admin <{world.admin}>"),
        ("coordinator_replaced", f"Cora Coord <{world.coordinator}>"),
        ("invitation", "Ivy Invitee <ivy@gb003.example.org>"),
        ("account_restored", f"Cora Coord <{world.coordinator}>"),
        ("account_suspended", f"Cora Coord <{world.coordinator}>"),
        ("invitation", "Ann <ann@x.org>"),
    ]
    assert set(mail[0]) >= {
        "message_id",
        "to",
        "subject",
        "kind",
        "status",
        "attempts",
        "last_error",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("coordinator", "add", "GB001", "--name", "A", "--email", "coord@GB002.example.org"),
            "already has the e-mail address",
        ),
        (("coordinator", "suspend", "ZZ999"), "No centre ZZ999"),
        (("coordinator", "suspend", "ZZ99"), "is not a centre number"),
        (("coordinator", "restore", "GB002"), "is not suspended"),
        (
            ("coordinator", "add", "GB001", "--name", "Eve\x1b[2J", "--email", "e@x.org"),
            "control character",
        ),
        (("centres", "show", "IN100"), "No centre IN100"),  # another associate's
    ],
)
def test_refusals_are_one_line_and_exit_1(cli, hub: Hub, args, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--user", NORTH_AC, *args)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    with hub.as_system() as ctx:
        assert (
            ctx.session.exec(
                select(OutboxMessage).where(OutboxMessage.to_email == "e@x.org")
            ).first()
            is None
        )


@pytest.mark.parametrize(
    "args",
    [
        ("coordinator", "change", "GB002"),
        ("coordinator", "change", "GB002", "--existing", "a@x.org", "--name", "A"),
        ("centres", "list", "--limit", "0"),
        ("ssh", "serve", "--port", "70000"),
        ("frobnicate",),
        ("coordinator",),
    ],
)
def test_wrong_usage_exits_2(cli, args) -> None:  # type: ignore[no-untyped-def]
    assert cli("--user", SUPPORT, *args)[0] == 2


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("HUB_DATABASE_URL", "garbage"),
        ("HUB_DATABASE_URL", "mysql://x@y/z"),  # a driver that is not installed
        ("HUB_DATABASE_URL", "postgresql+psycopg://u@h:notaport/db"),
        ("HUB_DATABASE_URL", "a file that is not a database"),
        ("HUB_INVITE_TTL_HOURS", "-5"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_1(cli, monkeypatch, tmp_path, setting, value) -> None:  # type: ignore[no-untyped-def]
    if value == "a file that is not a database":
        (tmp_path / "notes.csv").write_text("centre_number,name\n")
        value = f"sqlite:///{tmp_path / 'notes.csv'}"
    monkeypatch.setenv(setting, value)
    code, out, err = cli("--user", SUPPORT, "centres", "list")
    assert code == 1 and out == ""
    assert err.startswith("hub-tui: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_user_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("centres", "list")
    assert code == 1 and "--user" in err
    code, _, err = cli("--user", "t1@gb002.example.org", "centres", "list")
    assert code == 1 and "no admin rights" in err


def test_invite_accept(cli, hub: Hub, world: World) -> None:  # type: ignore[no-untyped-def]
    from tests.test_invitations import latest_code

    code = latest_code(hub, "ivy@gb003.example.org")
    assert cli("invite", "accept", code)[0] == 0
    assert user(hub, "ivy@gb003.example.org").status == "active"
    code2, _, err = cli("invite", "accept", code)
    assert code2 == 1 and "already been used" in err


def test_imports_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "c.csv"
    good.write_text("centre_number,name,country,associate\nFR001,Lycée,France,West\n")
    assert cli("centres", "import", str(good))[0] == 0
    bad = tmp_path / "u.csv"
    bad.write_text("Ann,ann@x.org,teacher,FR001,\nBob,bob@x.org,teacher,XX001,\n")
    code, _, err = cli("users", "import", str(bad))
    assert code == 1 and "line 2: no centre XX001" in err


def test_demo_then_list(tmp_path: Path) -> None:
    """A fresh database, as `make run` makes it: migrated on first use, demo loaded once."""
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    run = [sys.executable, "-m", "hub_tui"]
    first = subprocess.run(
        [*run, "demo", "--centres", "25"], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    again = subprocess.run([*run, "demo"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already has centres" in again.stderr
    assert "Traceback" not in again.stderr
    listed = subprocess.run(
        [*run, "--user", "associate@example.org", "centres", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    statuses = {r["status"] for r in json.loads(listed.stdout)}
    assert statuses == {"not_activated", "invited", "invitation_expired", "active", "suspended"}
    assert {r["associate"] for r in json.loads(listed.stdout)} == {"Northern Schools Network"}


def test_imports_with_a_user_need_support_and_record_who(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "c.csv"
    good.write_text("FR001,Lycée,France,West\n")
    code, _, err = cli("--user", NORTH_AC, "centres", "import", str(good))
    assert code == 1 and "Only support staff" in err
    assert cli("--user", SUPPORT, "centres", "import", str(good))[0] == 0
    events = json.loads(cli("--user", SUPPORT, "audit", "--json")[1])
    assert (events[0]["action"], events[0]["actor"]) == ("centres.imported", SUPPORT)


def test_a_closed_pipe_is_not_an_error(cli, database_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    many = tmp_path / "many.csv"
    many.write_text(
        "".join(f"FR{i:03d},A school with a long name {i},France,West\n" for i in range(1000))
    )
    assert cli("centres", "import", str(many))[0] == 0
    env = {**os.environ, "HUB_DATABASE_URL": database_url}
    done = subprocess.run(  # far more than a pipe holds, so the writer meets a closed pipe
        f"{sys.executable} -m hub_tui --user {SUPPORT} centres list --limit 2000 | head -c 10",
        shell=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert len(done.stdout) == 10 and done.stderr == ""


def test_demo_if_empty_goes_with_the_tui_and_asks_who_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hub_tui.cli import main

    path = tmp_path / "empty.db"
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("HUB_USER", raising=False)
    assert main(["--demo-if-empty", "centres", "list"]) == 2
    assert "--demo-if-empty goes with the TUI" in capsys.readouterr().err
    assert main(["--demo-if-empty"]) == 1  # nobody named: refused before the demo is written
    assert "Say who you are" in capsys.readouterr().err
    assert not path.exists() or sqlite_count(path, "centres") == 0


def sqlite_count(path: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
