"""Reminders, expiry notices and the notices of a change, on every configured database:
time moved with time-machine, mail delivered to a real aiosmtpd."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
import time_machine
from sqlmodel import col, select

from hub_tui.config import Settings
from hub_tui.errors import HubError
from hub_tui.models import AccountStatus, Invitation, OutboxMessage, User
from hub_tui.services import coordinators as c
from hub_tui.services import invitations
from hub_tui.services.context import Hub
from hub_tui.services.sweep import Swept, sweep
from tests.conftest import Cli
from tests.smtp_servers import smtp_server
from tests.test_mail import deliver, smtp_settings
from tests.world import SUPPORT, World

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ANN = "ann@x.org"


@pytest.fixture
def calm(hub: Hub, world: World, settings: Settings) -> World:
    """The world with its own set-up mail delivered (to a Maildir) and Ivy's invitation,
    sent at the real time, out of the way of the times these tests travel to."""
    deliver(hub.engine, settings)
    with hub.as_system(write=True) as ctx:
        for invitation in ctx.session.exec(select(Invitation)):
            invitation.revoked_at = START
            ctx.session.add(invitation)
    return world


def mail(hub: Hub, kind: str | None = None) -> list[OutboxMessage]:
    with hub.as_system() as ctx:
        stmt = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return list(ctx.session.exec(stmt).all())


def swept(hub: Hub) -> Swept:
    with hub.as_system(write=True) as ctx:
        return sweep(ctx)


def invite_ann(hub: Hub, calm: World) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=calm.empty, name="Ann Lee", email=ANN)


def delivered(hub: Hub, settings: Settings) -> list[EmailMessage]:
    with smtp_server() as (server, port):
        deliver(hub.engine, smtp_settings(settings, port))
    return list(server.messages)


def code_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    line = next(x for x in body.get_content().splitlines() if x.startswith("Setup code: "))
    return str(line.removeprefix("Setup code: "))


def test_the_reminder_goes_once_at_the_hour_with_a_code_that_works(
    hub: Hub, calm: World, settings: Settings
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=23, minutes=59))  # 24 h before the deadline: not yet
        assert swept(hub) == Swept(0, 0)
        clock.move_to(START + timedelta(hours=24))
        assert swept(hub) == Swept(1, 0)
        assert swept(hub) == Swept(0, 0)  # a second sweep, or a restart: not again
        messages = delivered(hub, settings)
        [reminder] = [m for m in messages if m["Subject"].startswith("Reminder")]
        assert reminder["Subject"] == ("Reminder: set up your hub account by 2026-12-03 09:00 UTC")
        assert reminder["To"] == f"Ann Lee <{ANN}>"
        assert reminder["Auto-Submitted"] == "auto-generated"
        assert "noreply@" in reminder["From"]
        assert reminder.get_body(("html",)) is not None
        with hub.as_system(write=True) as ctx:
            invitations.accept(ctx, code_in(reminder))  # its code sets the account up
        clock.move_to(START + timedelta(hours=49))
        assert swept(hub) == Swept(0, 0)  # accepted: no expiry notice either


def test_no_reminder_for_an_invitation_accepted_or_withdrawn_before_the_hour(
    hub: Hub, calm: World, settings: Settings
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        [invitation_mail] = delivered(hub, settings)
        with hub.as_system(write=True) as ctx:
            invitations.accept(ctx, code_in(invitation_mail))
        with hub.as_user(SUPPORT, write=True) as ctx:  # Ivy's is withdrawn by a change
            c.change_to_new(ctx, centre_number=calm.invited, name="Nell", email="nell@x.org")
        clock.move_to(START + timedelta(hours=30))
        assert swept(hub).reminders == 1  # Nell's only: she was invited at START too
        [reminder] = mail(hub, "reminder")
        assert reminder.to_email == "nell@x.org"


def test_a_resend_starts_a_new_window_and_a_short_invitation_gets_no_reminder(
    hub: Hub, calm: World, settings: Settings
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=25))
        assert swept(hub).reminders == 1
        with hub.as_user(SUPPORT, write=True) as ctx:
            c.resend_invitation(ctx, centre_number=calm.empty)  # 48 h from now
        assert swept(hub).reminders == 0
        clock.move_to(START + timedelta(hours=25 + 24))
        assert swept(hub).reminders == 1
        assert len(mail(hub, "reminder")) == 2
    short = settings.model_copy(update={"invite_ttl_hours": 12.0})
    hub_short = Hub(short, hub.engine)
    with time_machine.travel(START + timedelta(days=10), tick=False) as clock:
        with hub_short.as_user(SUPPORT, write=True) as ctx:
            c.add_coordinator(ctx, centre_number=calm.other_empty, name="Sol", email="sol@x.org")
        clock.move_to(START + timedelta(days=10, hours=11))
        assert swept(hub_short).reminders == 0  # sent 12 h before its deadline: none
    assert [m.to_email for m in mail(hub, "reminder")] == [ANN, ANN]


def test_the_expiry_notice_goes_once_to_the_sender(
    hub: Hub, calm: World, settings: Settings
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=48, seconds=1))
        assert swept(hub).expiry_notices == 1
        assert swept(hub).expiry_notices == 0
        invitation, notice = delivered(hub, settings)
    assert invitation["To"] == f"Ann Lee <{ANN}>"
    assert [m.to_email for m in mail(hub, "invitation_expired")] == [SUPPORT]
    text = notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert notice["Subject"] == f"Invitation not taken up: Ann Lee <{ANN}>"
    assert "Ashford Academy (GB001)" in text and "expired at 2026-12-03 09:00 UTC" in text
    assert "hub-tui coordinator resend GB001" in text


def test_no_expiry_notice_for_an_invitation_resent_in_time(hub: Hub, calm: World) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=47))
        with hub.as_user(SUPPORT, write=True) as ctx:
            c.resend_invitation(ctx, centre_number=calm.empty)
        clock.move_to(START + timedelta(hours=49))
        swept(hub)
    assert [m.to_email for m in mail(hub, "invitation_expired")] == []


def test_a_sweep_after_three_days_of_nothing_sends_what_was_missed_once(
    hub: Hub, calm: World
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(days=3))
        # the reminder's hour passed unseen: its code no longer works, so it goes no more;
        # the sender hears that the invitation ran out
        assert swept(hub) == Swept(0, 1)
        assert swept(hub) == Swept(0, 0)
    assert [m.kind for m in mail(hub)][-1:] == ["invitation_expired"]


def test_two_workers_sweeping_at_once_write_each_reminder_once(hub: Hub, calm: World) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=30))
        barrier = threading.Barrier(4)
        results: list[Swept] = []

        def one() -> None:
            barrier.wait()
            results.append(swept(hub))

        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sum(r.reminders for r in results) == 1
    assert len(mail(hub, "reminder")) == 1


@pytest.mark.parametrize("reason", ["unpaid fees", None])
def test_the_coordinator_hears_of_a_suspension_and_a_restore(
    hub: Hub, calm: World, settings: Settings, reason: str | None
) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.suspend(ctx, centre_number=calm.active, reason=reason)
        c.restore(ctx, centre_number=calm.active)
    suspended, restored = delivered(hub, settings)
    assert suspended["To"] == restored["To"] == f"Cora Coord <{calm.coordinator}>"
    assert suspended["Subject"] == (
        "Your School Support Hub account for Bangor Grammar School (GB002) is suspended"
    )
    text = suspended.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert ("The reason given: unpaid fees" in text) == (reason is not None)
    assert "Sam Support <support@example.org> suspended your account" in text
    assert restored["Subject"].endswith("is restored")


def test_a_refused_or_rolled_back_change_sends_no_notice(hub: Hub, calm: World) -> None:
    before = len(mail(hub))
    with pytest.raises(HubError), hub.as_user(SUPPORT, write=True) as ctx:
        c.restore(ctx, centre_number=calm.active)  # not suspended: refused
    with pytest.raises(RuntimeError), hub.as_user(SUPPORT, write=True) as ctx:
        c.suspend(ctx, centre_number=calm.active)
        raise RuntimeError("something after the change fails: all of it is undone")
    assert len(mail(hub)) == before
    with hub.as_system() as ctx:
        cora = ctx.session.exec(select(User).where(User.email == calm.coordinator)).one()
    assert cora.status == AccountStatus.ACTIVE


def test_a_person_who_sets_up_their_account_gets_a_confirmation(
    hub: Hub, calm: World, settings: Settings
) -> None:
    invite_ann(hub, calm)
    [invitation_mail] = delivered(hub, settings)
    with hub.as_system(write=True) as ctx:
        invitations.accept(ctx, code_in(invitation_mail))
    [confirmation] = delivered(hub, settings)
    assert confirmation["To"] == f"Ann Lee <{ANN}>"
    assert confirmation["Subject"] == "Your School Support Hub account is set up"
    assert "Your account for GB001" in confirmation.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_each_notice_kind_can_be_switched_off(hub: Hub, calm: World, settings: Settings) -> None:
    quiet = Hub(
        settings.model_copy(update={"notices_off": "account_suspended, reminder"}), hub.engine
    )
    with time_machine.travel(START, tick=False) as clock:
        with quiet.as_user(SUPPORT, write=True) as ctx:
            c.add_coordinator(ctx, centre_number=calm.empty, name="Ann Lee", email=ANN)
            c.suspend(ctx, centre_number=calm.active)
            c.restore(ctx, centre_number=calm.active)
        clock.move_to(START + timedelta(hours=30))
        assert swept(quiet).reminders == 0
    kinds = [m.kind for m in mail(hub) if m.status == "queued"]
    assert kinds == ["invitation", "account_restored"]


def test_an_unknown_notice_kind_is_a_bad_setting() -> None:
    with pytest.raises(ValueError, match="unknown notice 'birthday'"):
        Settings(_env_file=None, notices_off="reminder,birthday")


def test_mail_deliver_sweeps_first(
    hub: Hub, calm: World, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker of `mail deliver` (as the TUI's and ssh serve's) sweeps before sending."""
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=30))
        with smtp_server() as (server, port):
            monkeypatch.setenv("HUB_SMTP_HOST", "127.0.0.1")
            monkeypatch.setenv("HUB_SMTP_PORT", str(port))
            code, out, err = cli("mail", "deliver", "--once")
            assert code == 0, err
    subjects = sorted(str(m["Subject"]) for m in server.messages)
    assert subjects == [
        "Reminder: set up your hub account by 2026-12-03 09:00 UTC",
        "Set up your School Support Hub account for Ashford Academy (GB001)",
    ]
    code, out, _ = cli("--user", SUPPORT, "mail", "list")
    assert "reminder" in out.splitlines()[0]  # shown by kind


def test_no_reminders_when_they_are_switched_off(hub: Hub, calm: World, settings: Settings) -> None:
    off = Hub(settings.model_copy(update={"invite_reminder_hours": 0.0}), hub.engine)
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(off, calm)
        clock.move_to(START + timedelta(hours=47))
        assert swept(off) == Swept(0, 0)


def test_a_queued_reminder_is_withdrawn_when_its_code_stops_working(hub: Hub, calm: World) -> None:
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=30))
        assert swept(hub).reminders == 1
        with hub.as_user(SUPPORT, write=True) as ctx:
            c.resend_invitation(ctx, centre_number=calm.empty)
    [reminder] = mail(hub, "reminder")
    assert reminder.status == "failed"
    assert reminder.last_error == "not sent: a newer invitation replaced it"


def test_invitations_too_short_for_a_reminder_keep_no_other_waiting(
    hub: Hub, calm: World, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hub_tui.services.sweep.SWEEP_BATCH", 2)
    short = Hub(settings.model_copy(update={"invite_ttl_hours": 20.0}), hub.engine)
    with time_machine.travel(START, tick=False) as clock:
        with short.as_user(SUPPORT, write=True) as ctx:  # sooner deadlines: first in line
            c.add_coordinator(ctx, centre_number=calm.other_empty, name="Sol", email="s@x.org")
            c.resend_invitation(ctx, centre_number=calm.invited)
        clock.move_to(START - timedelta(hours=10))
        invite_ann(hub, calm)  # sent 10 h earlier, due 38 h from START
        clock.move_to(START + timedelta(hours=15))
        reminders = [swept(hub).reminders for _ in range(3)]
    assert sum(reminders) == 1
    assert [m.to_email for m in mail(hub, "reminder")] == [ANN]


def test_expiry_notices_switched_back_on_send_no_flood(
    hub: Hub, calm: World, settings: Settings
) -> None:
    off = Hub(settings.model_copy(update={"notices_off": "invitation_expired"}), hub.engine)
    with time_machine.travel(START, tick=False) as clock:
        invite_ann(hub, calm)
        clock.move_to(START + timedelta(hours=49))
        assert swept(off).expiry_notices == 0
        assert swept(hub).expiry_notices == 0  # on again: what expired meanwhile is old news
