"""The accounts of support staff and associate coordinators, through the command line,
with real mail to aiosmtpd, on every configured database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncssh
import pytest
import time_machine
from sqlalchemy import func
from sqlmodel import select

from hub_tui.models import AuditEvent, Invitation, OutboxMessage, User
from hub_tui.services.context import Hub
from tests.conftest import Cli
from tests.smtp_servers import smtp_server
from tests.world import NORTH_AC, SOUTH_AC, SUPPORT, World

NEW = "ann@assoc.example.org"
AC = ("--role", "associate_coordinator")


def counts(hub: Hub) -> tuple[int, ...]:
    """Users, invitations, mail and audit events: what a refused change must not touch."""
    with hub.as_system() as ctx:
        return tuple(
            int(ctx.session.exec(select(func.count()).select_from(m)).one())
            for m in (User, Invitation, OutboxMessage, AuditEvent)
        )


def status(hub: Hub, email: str) -> str:
    with hub.as_system() as ctx:
        return ctx.session.exec(select(User.status).where(User.email == email)).one()


def delivered_code(cli: Cli, monkeypatch: pytest.MonkeyPatch, to: str) -> str:
    """Deliver the outbox to a real SMTP server; the setup code in the message to `to`."""
    with smtp_server() as (server, port):
        monkeypatch.setenv("HUB_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("HUB_SMTP_PORT", str(port))
        code, _, err = cli("mail", "deliver", "--once")
        assert code == 0, err
    [message] = [m for m in server.messages if to in str(m["To"])]
    assert "administration as an associate coordinator for North" in str(
        message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    )
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    line = next(x for x in body.splitlines() if x.startswith("Setup code: "))
    return str(line.removeprefix("Setup code: "))


def test_the_whole_lifecycle_of_an_associate_coordinators_account(
    cli: Cli, hub: Hub, world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, out, err = cli(
        "--user", SUPPORT, "users", "add", "--name", "Ann Assoc", "--email", NEW,
        "--role", "associate_coordinator", "--associate", "North",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Invitation sent to {NEW} for their associate coordinator account")
    assert status(hub, NEW) == "invited"

    setup_code = delivered_code(cli, monkeypatch, NEW)
    key = asyncssh.generate_private_key("ssh-ed25519")
    key_file = tmp_path / "ann.pub"
    key_file.write_bytes(key.export_public_key())
    code, out, err = cli("invite", "accept", setup_code, "--ssh-key", str(key_file))
    assert code == 0, err
    assert out.startswith("Welcome, Ann Assoc: your associate coordinator account is set up.")

    code, out, _ = cli("--user", SUPPORT, "users", "show", NEW, "--json")
    shown = json.loads(out)
    assert shown["status"] == "active" and shown["associate"] == "North"
    assert shown["keys"] == [key.get_fingerprint("sha256")] and shown["suspension"] is None

    code, out, _ = cli("--user", NEW, "centres", "list", "--json")
    assert code == 0 and {c["associate"] for c in json.loads(out)} == {"North"}

    code, out, _ = cli("--user", SUPPORT, "users", "suspend", NEW, "--reason", "left the trust")
    assert code == 0 and status(hub, NEW) == "suspended"
    code, out, err = cli("--user", NEW, "centres", "list")
    assert (code, out) == (1, "") and "is suspended; it cannot sign in" in err
    shown = json.loads(cli("--user", SUPPORT, "users", "show", NEW, "--json")[1])
    assert shown["suspension"]["reason"] == "left the trust"
    assert shown["suspension"]["by"] == SUPPORT

    code, out, _ = cli("--user", SUPPORT, "users", "restore", NEW)
    assert code == 0 and status(hub, NEW) == "active"
    assert cli("--user", NEW, "centres", "list")[0] == 0

    code, out, _ = cli("--user", SUPPORT, "audit", "--json")
    actions = [e["action"] for e in json.loads(out) if e["target"] == NEW]
    assert actions[:4] == [
        "account.restored",
        "account.suspended",
        "ssh_key.added",
        "invitation.accepted",
    ]
    assert "account.added" in actions


def test_the_list_shows_admins_only_with_their_keys(cli: Cli, world: World) -> None:
    code, out, _ = cli("--user", SUPPORT, "users", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and {a["email"] for a in listed} == {SUPPORT, NORTH_AC, SOUTH_AC}
    assert {tuple(a) for a in listed} == {
        ("name", "email", "role", "status", "associate", "centre")
    }
    code, out, _ = cli("--user", SUPPORT, "users", "list", "--role", "support", "--csv")
    assert out.splitlines() == [
        "name,email,role,status,associate,centre",
        f"Sam Support,{SUPPORT},support,active,,",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("users", "list"),
        ("users", "show", SUPPORT),
        ("users", "add", "--name", "X Y", "--email", "x@y.org", "--role", "support"),
        ("users", "suspend", SOUTH_AC),
        ("users", "restore", SOUTH_AC),
    ],
)
def test_an_associate_coordinator_cannot_manage_accounts(
    cli: Cli, hub: Hub, world: World, args: tuple[str, ...]
) -> None:
    before = counts(hub)
    code, out, err = cli("--user", NORTH_AC, *args)
    assert (code, out) == (1, "")
    assert err == "hub-tui: Only support staff can manage the accounts of support and associates.\n"
    assert counts(hub) == before


def test_nobody_suspends_themselves_and_the_last_support_stays(
    cli: Cli, hub: Hub, world: World
) -> None:
    before = counts(hub)
    code, _, err = cli("--user", SUPPORT, "users", "suspend", SUPPORT)
    assert code == 1 and "cannot suspend your own account" in err
    # a second member of support, who then tries to suspend the first: the last one stays
    cli("--user", SUPPORT, "users", "add", "--name", "Sue Second", "--email", "sue@x.org",
        "--role", "support")  # fmt: skip
    with hub.as_system(write=True) as ctx:
        sue = ctx.session.exec(select(User).where(User.email == "sue@x.org")).one()
        sue.status = "active"  # as if she had set up her account
        ctx.session.add(sue)
    assert cli("--user", "sue@x.org", "users", "suspend", SUPPORT)[0] == 0
    code, _, err = cli("--user", "sue@x.org", "users", "suspend", "sue@x.org")
    assert code == 1 and "cannot suspend your own account" in err
    assert cli("--user", "sue@x.org", "users", "restore", SUPPORT)[0] == 0
    assert cli("--user", SUPPORT, "users", "suspend", "sue@x.org")[0] == 0
    # now Sam is the only active member of support: nobody else could suspend him, and
    # he cannot suspend himself
    assert status(hub, SUPPORT) == "active"
    assert counts(hub)[0] == before[0] + 1


def test_the_last_active_support_account_cannot_be_suspended(hub: Hub, world: World) -> None:
    from hub_tui.errors import Conflict
    from hub_tui.services.accounts import suspend_account

    # an operator's command (no signed-in user) may try what no person could
    with (
        pytest.raises(Conflict, match="last active support account"),
        hub.as_system(write=True) as ctx,
    ):
        suspend_account(ctx, email=SUPPORT)
    assert status(hub, SUPPORT) == "active"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("users", "suspend", "nobody@x.org"), "No hub user has the e-mail address"),
        (("users", "restore", "nobody@x.org"), "No hub user has the e-mail address"),
        (("users", "show", "nobody@x.org"), "No hub user has the e-mail address"),
        (
            ("users", "add", "--name", "A B", "--email", "ab@x.org", *AC),
            "An associate coordinator needs their associate.",
        ),
        (
            ("users", "add", "--name", "A B", "--email", "ab@x.org", *AC, "--associate", "Nowhere"),
            "No associate 'Nowhere'.",
        ),
        (
            ("users", "add", "--name", "A B", "--email", "NORTH@EXAMPLE.ORG", "--role", "support"),
            "Another user already has the e-mail address",
        ),
        (
            ("users", "add", "--name", "[b]A\x1b[31m", "--email", "ab@x.org", "--role", "support"),
            "Name",
        ),
        (("users", "suspend", "coord@gb002.example.org"), "school accounts are managed through"),
        (("users", "restore", SUPPORT), "is not suspended"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_changes_nothing(
    cli: Cli, hub: Hub, world: World, args: tuple[str, ...], problem: str
) -> None:
    before = counts(hub)
    code, out, err = cli("--user", SUPPORT, *args)
    assert (code, out) == (1, ""), err
    assert problem in err and err.count("\n") == 1 and "\x1b" not in err
    assert counts(hub) == before


def test_a_role_that_does_not_exist_is_wrong_usage(cli: Cli, hub: Hub, world: World) -> None:
    before = counts(hub)
    code, _, err = cli("--user", SUPPORT, "users", "add", "--name", "A B", "--email", "a@b.org",
                       "--role", "boss")  # fmt: skip
    assert code == 2 and "'boss' is not one of" in err
    assert counts(hub) == before


def test_an_admin_invitation_expires_after_48_hours(
    cli: Cli, hub: Hub, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("--user", SUPPORT, "users", "add", "--name", "Ann Assoc", "--email", NEW,
        "--role", "associate_coordinator", "--associate", "North")  # fmt: skip
    setup_code = delivered_code(cli, monkeypatch, NEW)
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=48, minutes=1)):
        code, _, err = cli("invite", "accept", setup_code)
    assert code == 1 and "That setup code expired at" in err
    assert status(hub, NEW) == "invited"


def test_a_resent_admin_invitation_voids_the_old_code(
    cli: Cli, hub: Hub, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("--user", SUPPORT, "users", "add", "--name", "Ann Assoc", "--email", NEW,
        "--role", "associate_coordinator", "--associate", "North")  # fmt: skip
    old = delivered_code(cli, monkeypatch, NEW)
    code, out, err = cli("--user", SUPPORT, "users", "resend", NEW)
    assert code == 0 and out.startswith(f"New invitation sent to {NEW}"), err
    new = delivered_code(cli, monkeypatch, NEW)
    assert new != old
    code, _, err = cli("invite", "accept", old)
    assert code == 1 and "replaced by a newer invitation" in err
    assert cli("invite", "accept", new)[0] == 0
    code, _, err = cli("invite", "accept", new)
    assert code == 1 and "already been used" in err
    code, _, err = cli("--user", SUPPORT, "users", "resend", NEW)
    assert code == 1 and "has already set up their account" in err
