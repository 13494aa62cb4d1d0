"""Changes to many centres at once through the command line, on every configured database."""

from __future__ import annotations

import json

from sqlmodel import col, select

from hub_tui.models import AuditEvent, Invitation
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from tests.conftest import Cli
from tests.world import NORTH_AC, SUPPORT, World


def statuses(hub: Hub, *numbers: str) -> list[str]:
    with hub.as_user(SUPPORT) as ctx:
        return [centre_detail(ctx, n).row.status for n in numbers]


def test_bulk_suspend_then_restore_changes_each_centre_and_says_so(
    cli: Cli, hub: Hub, world: World
) -> None:
    code, out, err = cli("--user", SUPPORT, "coordinator", "suspend", world.active, world.south,
                         "--reason", "audit")  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split("  ")[:2] for line in lines] == [
        [world.active, "done"],
        [world.south, "done"],
    ]
    assert statuses(hub, world.active, world.south) == ["suspended", "suspended"]
    with hub.as_user(SUPPORT) as ctx:
        assert centre_detail(ctx, world.active).people_with_access == 0
    code, out, _ = cli(
        "--user", SUPPORT, "coordinator", "restore", "--status", "suspended", "--json"
    )
    assert code == 0
    assert {r["centre_number"] for r in json.loads(out)} == {world.active, world.south}
    assert statuses(hub, world.active, world.south) == ["active", "active"]
    with hub.as_system() as ctx:
        events = ctx.session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("bulk."))
        ).all()
    assert [(e.action, e.detail) for e in events] == [
        ("bulk.suspend", "2 centres, 0 refused"),
        ("bulk.restore", "2 centres, 0 refused"),
    ]


def test_one_refusal_undoes_nothing_else_and_the_exit_status_says_so(
    cli: Cli, hub: Hub, world: World
) -> None:
    code, out, _ = cli("--user", SUPPORT, "coordinator", "suspend", world.active, world.empty,
                       world.south, "--json")  # fmt: skip
    results = json.loads(out)
    assert code == 1
    assert [(r["centre_number"], r["ok"]) for r in results] == [
        (world.active, True), (world.empty, False), (world.south, True),
    ]  # fmt: skip
    assert results[1]["message"] == f"{world.empty} has no school coordinator; add one first."
    assert statuses(hub, world.active, world.empty, world.south) == [
        "suspended", "not_activated", "suspended",
    ]  # fmt: skip


def test_bulk_resend_makes_one_new_invitation_per_centre(cli: Cli, hub: Hub, world: World) -> None:
    with hub.as_system() as ctx:
        before = {i.id for i in ctx.session.exec(select(Invitation))}
    code, out, err = cli("--user", SUPPORT, "coordinator", "resend", "--status", "invited")
    assert code == 0, err
    assert out.startswith(f"{world.invited}  done  New invitation sent")
    with hub.as_system() as ctx:
        invitations = list(ctx.session.exec(select(Invitation)))
    new = [i for i in invitations if i.id not in before]
    assert len(new) == 1 and new[0].revoked_at is None
    assert all(i.revoked_at is not None for i in invitations if i.id in before)


def test_an_associates_bulk_change_never_touches_another_associates_centre(
    cli: Cli, hub: Hub, world: World
) -> None:
    code, out, _ = cli("--user", NORTH_AC, "coordinator", "suspend", "--status", "active", "--json")
    assert code == 0
    assert [r["centre_number"] for r in json.loads(out)] == [world.active]  # not IN100
    code, out, _ = cli("--user", NORTH_AC, "coordinator", "suspend", world.south, "--json")
    assert code == 1 and json.loads(out)[0]["message"] == f"No centre {world.south}."
    assert statuses(hub, world.south) == ["active"]


def test_centres_and_a_status_are_one_or_the_other(cli: Cli, world: World) -> None:
    for args in ((), (world.active, "--status", "active")):
        code, _, err = cli("--user", SUPPORT, "coordinator", "restore", *args)
        assert code == 2 and "give CENTRE... or --status, one or the other" in err


def test_a_stopped_bulk_change_leaves_the_centres_after_it_as_they_were(
    hub: Hub, world: World
) -> None:
    from hub_tui.rules import Action
    from hub_tui.services import bulk

    asked: list[int] = []

    def stop() -> bool:  # asked before each centre: stop after the first
        asked.append(1)
        return len(asked) > 1

    results = bulk.change_each(
        hub, SUPPORT, Action.SUSPEND, [world.active, world.south], reason="x", stop=stop
    )
    assert [(r.centre_number, r.ok, r.message == bulk.STOPPED) for r in results] == [
        (world.active, True, False),
        (world.south, False, True),
    ]
    assert statuses(hub, world.active, world.south) == ["suspended", "active"]
