"""The rules for changing a centre's coordinator, on every configured database."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func
from sqlmodel import col, select

from hub_tui.errors import Busy, Conflict, HubError, Invalid, NotFound, Stale
from hub_tui.models import AccountStatus, AuditEvent, CentreStatus, Invitation, OutboxMessage, User
from hub_tui.rules import APPLIES_TO, Action
from hub_tui.services import coordinators as c
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Ctx, Hub
from tests.world import NORTH_AC, SOUTH_AC, SUPPORT, World, centre, user


def counts(hub: Hub) -> tuple[int, int, int, int]:
    """Users, invitations, mail and audit events: what a refused change must not touch."""
    with hub.as_system() as ctx:
        s = ctx.session
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(m)).one()
            for m in (User, Invitation, OutboxMessage, AuditEvent)
        )


def outbox(hub: Hub) -> list[OutboxMessage]:
    with hub.as_system() as ctx:
        return list(ctx.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def detail(hub: Hub, number: str, actor: str = SUPPORT):  # type: ignore[no-untyped-def]
    with hub.as_user(actor) as ctx:
        return centre_detail(ctx, number)


def test_add_coordinator_invites_a_new_administrator(hub: Hub, world: World) -> None:
    with hub.as_user(NORTH_AC, write=True) as ctx:
        outcome = c.add_coordinator(
            ctx, centre_number="gb001", name="Ann Lee", email="Ann.Lee@Example.org"
        )
    assert "Ann.Lee@example.org" in outcome.message
    d = detail(hub, world.empty)
    assert d.row.status == "invited"
    assert d.row.coordinator is not None and d.row.coordinator.email == "Ann.Lee@example.org"
    assert d.invitation is not None
    assert d.invitation.expires_at - d.invitation.sent_at == pytest.approx(
        __import__("datetime").timedelta(hours=48)
    )
    ann = user(hub, "Ann.Lee@example.org")
    assert (ann.role, ann.status) == ("administrator", "invited")
    mail = outbox(hub)[-1]
    assert (mail.kind, mail.to_email, mail.status) == (
        "invitation",
        "Ann.Lee@example.org",
        "queued",
    )
    assert "Setup code: " in mail.body_text and "GB001" in mail.body_text
    assert "Nora North" in mail.body_text  # who invited them


def test_a_centre_with_a_coordinator_cannot_be_activated_again(hub: Hub, world: World) -> None:
    before = counts(hub)
    with pytest.raises(Conflict), hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.active, name="X", email="x@x.org")
    assert counts(hub) == before


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("Ann", "not-an-email", "email"),
        ("", "ann@x.org", "name"),
        ("x" * 101, "ann@x.org", "name"),
        ("Eve\x1b]0;pwned\x07", "eve@x.org", "name"),
        ("Eve\r\nBcc: all@x.org", "eve@x.org", "name"),
        ("Eve\u202e", "eve@x.org", "name"),
        ("Dup", "COORD@GB002.example.org", "email"),  # taken, in another case
    ],
)
def test_bad_forms_change_nothing(
    hub: Hub, world: World, name: str, email: str, field: str
) -> None:
    before = counts(hub)
    with pytest.raises(HubError) as refused, hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.empty, name=name, email=email)
    assert refused.value.field == field
    assert counts(hub) == before
    assert detail(hub, world.empty).row.status == "not_activated"


def test_unicode_forms_of_one_address_are_one_user(hub: Hub, world: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.empty, name="Ève", email="ÉVE@x.org")
    for twin in ("éve@x.org", "e\u0301ve@X.ORG"):
        with pytest.raises(Conflict), hub.as_user(SUPPORT, write=True) as ctx:
            c.add_coordinator(ctx, centre_number=world.other_empty, name="Eve", email=twin)


def test_database_refuses_duplicate_email_keys_by_itself(hub: Hub, world: World) -> None:
    from sqlalchemy.exc import IntegrityError

    taken = user(hub, world.coordinator)
    with pytest.raises(IntegrityError), hub.as_system(write=True) as ctx:
        ctx.session.add(
            User(
                name="Twin",
                email="x@x.org",
                email_key=taken.email_key,
                role="teacher",
                status="active",
                created_at=taken.created_at,
            )
        )
        ctx.session.flush()


def test_unknown_and_malformed_centres(hub: Hub, world: World) -> None:
    with pytest.raises(NotFound, match="No centre ZZ999"), hub.as_user(SUPPORT, write=True) as ctx:
        c.suspend(ctx, centre_number="ZZ999")
    with pytest.raises(Invalid, match="not a centre number"), hub.as_user(SUPPORT) as ctx:
        centre_detail(ctx, "G-42")


def test_suspend_cuts_off_everyone_and_restore_gives_it_back(hub: Hub, world: World) -> None:
    assert detail(hub, world.active).people_with_access == 4
    with hub.as_user(NORTH_AC, write=True) as ctx:
        outcome = c.suspend(ctx, centre_number=world.active, reason="Fees unpaid [/b]")
    assert "4 people" in outcome.message
    d = detail(hub, world.active)
    assert d.row.status == "suspended"
    assert d.people_with_access == 0 and not any(p.has_access for p in d.people)
    assert d.suspension is not None
    assert (d.suspension.by, d.suspension.reason) == (NORTH_AC, "Fees unpaid [/b]")

    with hub.as_user(SUPPORT, write=True) as ctx:
        c.restore(ctx, centre_number=world.active)
    d = detail(hub, world.active)
    assert (d.row.status, d.people_with_access) == ("active", 4)
    # when, why and by whom stay on the centre after the restore
    assert d.suspension is not None and not d.suspension.current
    assert (d.suspension.by, d.suspension.reason, d.suspension.restored_by) == (
        NORTH_AC,
        "Fees unpaid [/b]",
        SUPPORT,
    )
    assert d.to_json()["suspension"] is None
    assert d.to_json()["last_suspension"]["reason"] == "Fees unpaid [/b]"
    with hub.as_user(SUPPORT) as ctx:
        from hub_tui.services.audit import list_events

        actions = [e.action for e in list_events(ctx, centre_id=d.row.id)]
    assert actions[:2] == ["coordinator.restored", "coordinator.suspended"]


def test_suspend_and_restore_refuse_the_wrong_state(hub: Hub, world: World) -> None:
    for action, number in [
        (c.restore, world.active),
        (c.suspend, world.empty),
        (c.suspend, world.invited),
    ]:
        with pytest.raises(Conflict), hub.as_user(SUPPORT, write=True) as ctx:
            action(ctx, centre_number=number)


def test_an_invited_person_has_no_access_but_the_others_do(hub: Hub, world: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_new(ctx, centre_number=world.active, name="Newt", email="newt@x.org")
    d = detail(hub, world.active)
    access = {p.person.email: p.has_access for p in d.people}
    assert access == {
        "newt@x.org": False,
        world.coordinator: True,
        world.admin: True,
        "t1@gb002.example.org": True,
        "t2@gb002.example.org": True,
    }


def test_change_to_an_existing_administrator(hub: Hub, world: World) -> None:
    assert [p.email for p in detail(hub, world.active).eligible_coordinators] == [world.admin]
    with hub.as_user(SUPPORT, write=True) as ctx:
        outcome = c.change_to_existing(
            ctx, centre_number=world.active, email="ADMIN@gb002.example.org"
        )
    assert world.admin in outcome.message
    d = detail(hub, world.active)
    assert d.row.coordinator is not None and d.row.coordinator.email == world.admin
    previous = user(hub, world.coordinator)
    assert (previous.role, previous.status) == ("administrator", "active")  # stays an admin
    mail = outbox(hub)[-1]
    assert (mail.kind, mail.to_email) == ("now_coordinator", world.admin)
    assert "now the school coordinator" in mail.subject


@pytest.mark.parametrize(
    "email",
    [
        "coord@gb002.example.org",  # already the coordinator
        "t1@gb002.example.org",  # a teacher
        "coord@in100.example.org",  # another centre's administrator
        "nobody@x.org",
    ],
)
def test_change_to_existing_refuses_people_who_cannot_be_it(
    hub: Hub, world: World, email: str
) -> None:
    before = counts(hub)
    with pytest.raises(HubError), hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_existing(ctx, centre_number=world.active, email=email)
    assert counts(hub) == before


def test_change_to_new_person_replacing_a_pending_invitation(hub: Hub, world: World) -> None:
    old = user(hub, "ivy@gb003.example.org")
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_new(ctx, centre_number=world.invited, name="Nell", email="nell@x.org")
    with hub.as_system() as ctx:
        ivy_invites = ctx.session.exec(select(Invitation).where(Invitation.user_id == old.id)).all()
    assert ivy_invites and all(i.revoked_at is not None for i in ivy_invites)
    d = detail(hub, world.invited)
    assert d.row.coordinator is not None and d.row.coordinator.email == "nell@x.org"
    assert d.row.status == "invited"
    *_, invited, revoked = outbox(hub)  # Nell's invitation, and Ivy told hers is withdrawn
    assert (invited.kind, invited.to_email) == ("invitation", "nell@x.org")
    assert (revoked.kind, revoked.to_email) == ("invitation_revoked", "ivy@gb003.example.org")
    assert user(hub, "ivy@gb003.example.org").centre_id == centre(hub, world.invited).id


def test_resend_issues_a_new_window(hub: Hub, world: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.resend_invitation(ctx, centre_number=world.invited)
    with hub.as_system() as ctx:
        invites = ctx.session.exec(select(Invitation).order_by(col(Invitation.id))).all()
    assert [i.revoked_at is None for i in invites] == [False, True]
    assert len([m for m in outbox(hub) if m.kind == "invitation"]) == 2
    with pytest.raises(Conflict), hub.as_user(SUPPORT, write=True) as ctx:
        c.resend_invitation(ctx, centre_number=world.active)


def test_associate_coordinators_see_and_change_only_their_own(hub: Hub, world: World) -> None:
    with hub.as_user(SOUTH_AC) as ctx:
        from hub_tui.services.centres import list_centres

        assert [r.centre_number for r in list_centres(ctx)] == [world.south]
        with pytest.raises(NotFound):
            centre_detail(ctx, world.active)
    before = counts(hub)
    with pytest.raises(NotFound), hub.as_user(SOUTH_AC, write=True) as ctx:
        c.suspend(ctx, centre_number=world.active)
    with pytest.raises(NotFound), hub.as_user(NORTH_AC, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.south, name="X", email="x@x.org")
    assert counts(hub) == before


def test_people_without_admin_rights_cannot_act(hub: Hub, world: World) -> None:
    from hub_tui.errors import Forbidden

    for who in (world.coordinator, "t1@gb002.example.org", "ghost@x.org"):
        with pytest.raises(Forbidden), hub.as_user(who):
            pass


def test_a_stale_view_is_refused_and_nothing_is_overwritten(hub: Hub, world: World) -> None:
    seen_by_a = detail(hub, world.active).row.version
    seen_by_b = detail(hub, world.active, NORTH_AC).row.version
    with hub.as_user(NORTH_AC, write=True) as ctx:
        c.suspend(ctx, centre_number=world.active, reason="B was first", expected_version=seen_by_b)
    before = counts(hub)
    with pytest.raises(Stale) as refused, hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_existing(
            ctx, centre_number=world.active, email=world.admin, expected_version=seen_by_a
        )
    assert "coordinator suspended by north@example.org" in refused.value.message
    assert counts(hub) == before
    d = detail(hub, world.active)
    assert d.row.coordinator is not None and d.row.coordinator.email == world.coordinator
    assert d.suspension is not None and d.suspension.reason == "B was first"


def test_concurrent_changes_from_one_view_let_exactly_one_win(hub: Hub, world: World) -> None:
    version = detail(hub, world.active).row.version
    results: list[str] = []
    start = threading.Barrier(2)

    def attempt(reason: str) -> None:
        start.wait()
        try:
            with hub.as_user(SUPPORT, write=True) as ctx:
                c.suspend(ctx, centre_number=world.active, reason=reason, expected_version=version)
            results.append("ok")
        except Stale:
            results.append("stale")

    threads = [threading.Thread(target=attempt, args=(r,)) for r in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale"]
    with hub.as_system() as ctx:
        suspended = ctx.session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "coordinator.suspended")
        ).one()
    assert suspended == 1


def test_a_change_that_fails_halfway_leaves_nothing_behind(hub: Hub, world: World) -> None:
    before = counts(hub)
    with pytest.raises(RuntimeError), hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.empty, name="Half", email="half@x.org")
        raise RuntimeError("crash before commit")
    assert counts(hub) == before
    assert detail(hub, world.empty).row.status == "not_activated"


def test_the_audit_log_is_append_only(hub: Hub, world: World) -> None:
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DatabaseError

    for stmt in (update(AuditEvent).values(actor="someone else"), delete(AuditEvent)):
        with pytest.raises(DatabaseError, match="append-only"), hub.as_system(write=True) as ctx:
            ctx.session.execute(stmt)
    assert counts(hub)[3] > 0


def test_a_suspended_admin_cannot_sign_in(hub: Hub, world: World) -> None:
    from hub_tui.errors import Forbidden

    with hub.as_system(write=True) as ctx:
        ac = ctx.session.exec(select(User).where(User.email == NORTH_AC)).one()
        ac.status = AccountStatus.SUSPENDED
        ctx.session.add(ac)
    with pytest.raises(Forbidden, match="suspended"), hub.as_user(NORTH_AC):
        pass


def test_a_busy_database_refuses_with_a_clear_message_and_changes_nothing(
    hub: Hub, world: World
) -> None:
    """Another program holds the write lock (SQLite) or the rows (PostgreSQL), and keeps it:
    after a bounded wait the change is refused, never left hanging."""
    if hub.engine.dialect.name == "sqlite":
        holder = sqlite3.connect(str(hub.engine.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = hub.engine.raw_connection()  # type: ignore[assignment]
        holder.cursor().execute("LOCK TABLE users IN EXCLUSIVE MODE")  # reads still go
    try:
        started = time.monotonic()
        refused = pytest.raises(Busy, match="The database is busy; nothing was changed")
        impatient = Hub(hub.settings, hub.engine, write_wait=1)  # SQLite's wait: 30 s, normally
        with refused, impatient.as_user(SUPPORT, write=True) as ctx:
            c.suspend(ctx, centre_number=world.active, reason="x")
        assert time.monotonic() - started < 30
    finally:
        holder.rollback()
        holder.close()
    assert detail(hub, world.active).row.status == "active"


def _try(hub: Hub, action: Action, number: str) -> HubError | None:
    """Run `action` on a centre; the refusal, or None if it was done."""
    email = f"nia.{number.lower()}@new.example.org"
    run: Callable[[Ctx], object] = {
        Action.SUSPEND: lambda ctx: c.suspend(ctx, centre_number=number),
        Action.RESTORE: lambda ctx: c.restore(ctx, centre_number=number),
        Action.RESEND: lambda ctx: c.resend_invitation(ctx, centre_number=number),
        Action.ADD: lambda ctx: c.add_coordinator(
            ctx, centre_number=number, name="Nia New", email=email
        ),
        Action.CHANGE: lambda ctx: c.change_to_new(
            ctx, centre_number=number, name="Nia New", email=email
        ),
    }[action]
    try:
        with hub.as_user(SUPPORT, write=True) as ctx:
            run(ctx)
    except HubError as exc:
        return exc
    return None


@pytest.mark.parametrize("action", list(Action))
def test_each_change_is_refused_exactly_where_the_table_says(
    hub: Hub, world: World, action: Action
) -> None:
    """One table says which statuses each change applies to; the views offer, and the
    services refuse, by it, in every status."""
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.suspend(ctx, centre_number=world.south)
    with (
        time_machine.travel(datetime.now(UTC) - timedelta(hours=49)),
        hub.as_user(SUPPORT, write=True) as ctx,
    ):  # an invitation that has run out by now
        c.add_coordinator(
            ctx, centre_number=world.other_empty, name="Old Invite", email="old@x.example.org"
        )
    numbers = [world.empty, world.active, world.invited, world.south, world.other_empty]
    shown = {number: detail(hub, number) for number in numbers}
    assert {d.row.status for d in shown.values()} == set(CentreStatus)
    applies = {n for n, d in shown.items() if d.row.status in APPLIES_TO[action]}
    for number, d in shown.items():
        assert (action in d.actions) == (number in applies)
    for number in set(numbers) - applies:
        before = counts(hub)
        refusal = _try(hub, action, number)
        assert isinstance(refusal, Conflict) and number in refusal.message, refusal
        if number == world.empty:  # whatever was asked, there is nobody to change
            assert refusal.message == f"{number} has no school coordinator; add one first."
        assert counts(hub) == before
    for number in applies:
        assert _try(hub, action, number) is None


def test_counts_of_people_read_as_words(hub: Hub, world: World) -> None:
    shown = detail(hub, world.invited)
    assert len(shown.people) == 1
    assert shown.access_summary == "1 person at this centre; 0 with hub access."
    assert detail(hub, world.active).actions == [Action.SUSPEND, Action.CHANGE]
