"""Delivering the outbox to real SMTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine
from sqlmodel import col, select

from hub_tui.config import Settings
from hub_tui.mail import queue
from hub_tui.mail.worker import Deliverer, Report
from hub_tui.models import MailStatus, OutboxMessage, OutboxPayload, utcnow
from hub_tui.services import coordinators as c
from hub_tui.services.context import Hub
from tests.smtp_servers import free_port, scripted_server, smtp_server
from tests.world import SUPPORT, World, queue_many

CODE_LINE = "Setup code: "
MANY = 400  # messages for several workers to share (the crash tests drain 1,000)


def smtp_settings(settings: Settings, port: int, **kw: object) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_timeout_seconds": 2.0, **kw}
    )


def deliver(engine: Engine, settings: Settings, **kw: object) -> Report:
    deliverer = Deliverer(engine, settings, rng=random.Random(7))
    return asyncio.run(deliverer.deliver_due(**kw))  # type: ignore[arg-type]


def messages(hub: Hub) -> list[OutboxMessage]:
    with hub.as_system() as ctx:
        return list(ctx.session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def payload(hub: Hub, outbox_id: int | None) -> bytes | None:
    with hub.as_system() as ctx:
        found = ctx.session.get(OutboxPayload, outbox_id)
        return found.raw if found else None


def activate(hub: Hub, world: World, email: str = "ann@x.org") -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=world.empty, name="Ann Lee", email=email)


@pytest.fixture
def quiet(hub: Hub, world: World, settings: Settings) -> World:
    """The world with its own set-up mail already delivered (to a Maildir)."""
    deliver(hub.engine, settings)
    return world


def test_invitation_headers_and_body(hub: Hub, quiet: World, settings: Settings) -> None:
    # headers are fixed when the message is queued: a retry sends the same message
    public = {"mail_reply_to": "help@x.org", "ssh_public_host": "hub.example.org", "ssh_port": 22}
    activate(Hub(settings.model_copy(update=public), hub.engine), quiet)
    with smtp_server() as (server, port):
        report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.sent == 1 and report.unreachable is None
    [msg] = server.messages
    queued = messages(hub)[-1]
    assert msg["From"] == "School Support Hub <noreply@cambridgeinternational.org>"
    assert msg["To"] == "Ann Lee <ann@x.org>"
    assert msg["Reply-To"] == "help@x.org"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"] == queued.message_id
    assert msg["Date"] is not None
    assert msg["Subject"] == "Set up your School Support Hub account for Ashford Academy (GB001)"
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Dear Ann Lee,")
    assert (
        "Sam Support <support@example.org> has made you the school coordinator of "
        "Ashford Academy (GB001)" in text
    )
    assert "UTC" in text and "ssh -p 22 setup@hub.example.org" in text
    code = next(line for line in text.splitlines() if line.startswith(CODE_LINE))[len(CODE_LINE) :]
    assert f"hub-tui invite accept {code}" in text and code in html
    # once delivered, the outbox keeps no copy of the code
    assert queued.status == "sent" and code not in queued.body_text
    assert "Setup code: [setup code]" in queued.body_text
    assert code not in (queued.body_html or "") and payload(hub, queued.id) is None


def test_now_coordinator_message(hub: Hub, quiet: World, settings: Settings) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_existing(ctx, centre_number=quiet.active, email=quiet.admin)
    with smtp_server() as (server, port):
        deliver(hub.engine, smtp_settings(settings, port))
    by_to = {m["To"]: m for m in server.messages}  # and the coordinator replaced is told
    msg, replaced = by_to[f"Adam Admin <{quiet.admin}>"], by_to[f"Cora Coord <{quiet.coordinator}>"]
    assert msg["To"] == f"Adam Admin <{quiet.admin}>"
    assert msg["Subject"] == "You are now the school coordinator of Bangor Grammar School (GB002)"
    assert replaced["To"] == f"Cora Coord <{quiet.coordinator}>"
    assert replaced["Subject"] == "No longer school coordinator of Bangor Grammar School (GB002)"
    assert "has made you the school coordinator" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_names_needing_quotes_and_unicode_survive(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(
            ctx, centre_number=quiet.empty, name='Zoë "Z" [/b], Jr', email="zoe@x.org"
        )
    with smtp_server() as (server, port):
        deliver(hub.engine, smtp_settings(settings, port))
    [msg] = server.messages
    assert msg["To"].addresses[0].display_name == 'Zoë "Z" [/b], Jr'
    assert msg["To"].addresses[0].addr_spec == "zoe@x.org"


def test_a_non_ascii_address_goes_as_smtputf8(hub: Hub, quiet: World, settings: Settings) -> None:
    activate(hub, quiet, email="éve@x.org")
    with smtp_server(utf8=False) as (old, port):
        report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.failed == 1 and old.messages == []
    assert "SMTPUTF8" in (messages(hub)[-1].last_error or "")
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.change_to_new(ctx, centre_number=quiet.empty, name="Éve", email="éve2@x.org")
    with smtp_server() as (server, port):  # éve2's invitation, and éve told hers is withdrawn
        assert deliver(hub.engine, smtp_settings(settings, port)).sent == 2
    to = sorted(m["To"].addresses[0].addr_spec for m in server.messages)
    assert to == ["éve2@x.org", "éve@x.org"]


FAULTS = [
    # (how the server misbehaves, status afterwards, text of last_error, server unreachable)
    ("greet421", "queued", "421", True),
    ("rcpt451", "queued", "451", False),
    ("rcpt550", "failed", "550", False),
    ("data552", "failed", "552", False),
    ("refused", "queued", "connection failed", True),
    ("drop_after_data", "queued", "connection failed", True),
    ("silent", "queued", "time-out", True),
]


@pytest.mark.parametrize(("fault", "status", "error", "unreachable"), FAULTS)
def test_fault_matrix(
    hub: Hub,
    quiet: World,
    settings: Settings,
    fault: str,
    status: str,
    error: str,
    unreachable: bool,
) -> None:
    activate(hub, quiet)
    started = utcnow()
    fast = {"smtp_timeout_seconds": 0.5}
    if fault in ("rcpt451", "rcpt550", "data552"):
        with smtp_server() as (server, port):
            reply = {
                "rcpt451": "451 4.3.0 Try again later",
                "rcpt550": "550 5.1.1 No such user",
                "data552": "552 5.3.4 Message too big",
            }[fault]
            if fault.startswith("rcpt"):
                server.rcpt_reply = reply
            else:
                server.data_reply = reply
            report = deliver(hub.engine, smtp_settings(settings, port))
            assert server.messages == []
    elif fault == "refused":
        report = deliver(hub.engine, smtp_settings(settings, free_port()))
    else:
        with scripted_server(fault) as port:
            report = deliver(hub.engine, smtp_settings(settings, port, **fast))
    m = messages(hub)[-1]
    assert (m.status, m.attempts) == (status, 1)
    assert m.last_error is not None and error in m.last_error
    assert (report.unreachable is not None) == unreachable
    if status == "queued":
        assert m.next_attempt_at > started + timedelta(seconds=20)  # backed off, not hammering
        assert payload(hub, m.id) is not None  # still needed for the retry


def test_a_server_that_refuses_us_fails_no_message_for_good(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    """A refused sender (or a wrong password) is the session's fault, not the messages'."""
    activate(hub, quiet)
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=quiet.other_empty, name="Bo", email="bo@x.org")
    with smtp_server() as (server, port):
        server.mail_reply = "553 5.7.1 Sender address rejected"
        report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.unreachable is not None and report.failed == 0
    assert [m.status for m in messages(hub)[-2:]] == ["queued", "queued"]
    assert sorted(m.attempts for m in messages(hub)[-2:]) == [0, 1]  # the run stopped


def test_retries_back_off_further_each_time_then_give_up(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    activate(hub, quiet)
    delays = []
    with smtp_server() as (server, port):
        server.rcpt_reply = "451 4.3.0 Greylisted"
        limited = smtp_settings(settings, port, mail_max_attempts=4)
        with time_machine.travel(utcnow(), tick=False) as clock:
            for _ in range(3):
                deliver(hub.engine, limited)
                m = messages(hub)[-1]
                assert m.status == "queued"
                delays.append(m.next_attempt_at - utcnow())
                clock.move_to(m.next_attempt_at)
            deliver(hub.engine, limited)
    assert delays[0] < delays[1] < delays[2]
    m = messages(hub)[-1]
    assert (m.status, m.attempts) == ("failed", 4)
    assert m.last_error is not None and m.last_error.startswith("gave up after 4 attempts")
    assert server.messages == []


def test_nothing_is_retried_before_its_time(hub: Hub, quiet: World, settings: Settings) -> None:
    activate(hub, quiet)
    deliver(hub.engine, smtp_settings(settings, free_port()))
    with smtp_server() as (server, port):
        report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.sent == 0 and server.messages == []


def test_server_down_during_activation_then_delivered_exactly_once(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    port = free_port()
    activate(hub, quiet)  # the change is committed whatever the mail server does
    report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.unreachable and messages(hub)[-1].status == "queued"
    with time_machine.travel(utcnow() + timedelta(hours=1)), smtp_server(port) as (server, _):
        first = deliver(hub.engine, smtp_settings(settings, port))
        again = deliver(hub.engine, smtp_settings(settings, port))
    assert (first.sent, again.sent) == (1, 0)
    assert [m["To"] for m in server.messages] == ["Ann Lee <ann@x.org>"]
    assert messages(hub)[-1].attempts == 2


def test_a_replaced_invitation_is_not_sent(hub: Hub, quiet: World, settings: Settings) -> None:
    activate(hub, quiet)
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.resend_invitation(ctx, centre_number=quiet.empty)
    with smtp_server() as (server, port):
        assert deliver(hub.engine, smtp_settings(settings, port)).sent == 1
    first, second = messages(hub)[-2:]
    assert (first.status, first.last_error) == (
        "failed",
        "not sent: a newer invitation replaced it",
    )
    assert payload(hub, first.id) is None and second.status == "sent"
    assert [m["Message-ID"] for m in server.messages] == [second.message_id]


def test_nothing_is_sent_for_a_rolled_back_change(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    with pytest.raises(RuntimeError), hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=quiet.empty, name="Ann", email="ann@x.org")
        raise RuntimeError("rolled back")
    with smtp_server() as (server, port):
        report = deliver(hub.engine, smtp_settings(settings, port))
    assert report.sent == 0 and server.messages == []


def test_a_dead_workers_claim_runs_out_and_another_sends_it(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    activate(hub, quiet)
    lease = timedelta(minutes=5)
    [claimed] = queue.claim_due(hub.engine, worker="dead", limit=10, lease=lease)
    assert queue.claim_due(hub.engine, worker="other", limit=10, lease=lease) == []
    with smtp_server() as (server, port):
        assert deliver(hub.engine, smtp_settings(settings, port)).sent == 0
        with time_machine.travel(utcnow() + lease + timedelta(seconds=1)):
            assert deliver(hub.engine, smtp_settings(settings, port)).sent == 1
    assert server.message_ids() == [messages(hub)[-1].message_id]
    # the dead worker, should it wake, cannot record anything over the new outcome
    late = queue.Attempt(claimed, MailStatus.FAILED, utcnow(), "late")
    assert queue.settle(hub.engine, [late], worker="dead") == 0
    assert messages(hub)[-1].status == "sent"


def test_without_smtp_mail_goes_to_a_maildir_beside_the_database(
    hub: Hub, quiet: World, settings: Settings, database_url: str
) -> None:
    import mailbox

    activate(hub, quiet)
    report = deliver(hub.engine, settings)
    assert report.sent == 1
    box = mailbox.Maildir(settings.maildir, create=False)
    subjects = [m["Subject"] for m in box]
    assert "Set up your School Support Hub account for Ashford Academy (GB001)" in subjects
    if database_url.startswith("sqlite"):
        assert settings.maildir.parent == Path(database_url.removeprefix("sqlite:///")).parent


def test_several_worker_processes_send_each_message_exactly_once(
    hub: Hub, quiet: World, database_url: str, tmp_path: Path
) -> None:
    queue_many(hub, MANY)
    with smtp_server() as (server, port):
        env = {
            **os.environ,
            "HUB_DATABASE_URL": database_url,
            "HUB_SMTP_HOST": "127.0.0.1",
            "HUB_SMTP_PORT": str(port),
        }
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "hub_tui",
                    "mail",
                    "deliver",
                    "--once",
                    "--connections",
                    "2",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], outputs
    ids = server.message_ids()
    assert len(ids) == MANY and len(set(ids)) == MANY
    assert {m.status for m in messages(hub)} == {"sent"}
    sent_by_worker = [int(out.split()[1].rstrip(",")) for out, _ in outputs]
    assert sum(sent_by_worker) == MANY


def test_mail_deliver_once_exits_1_when_the_server_is_down(
    hub: Hub, quiet: World, database_url: str
) -> None:
    activate(hub, quiet)
    env = {
        **os.environ,
        "HUB_DATABASE_URL": database_url,
        "HUB_SMTP_HOST": "127.0.0.1",
        "HUB_SMTP_PORT": str(free_port()),
    }
    done = subprocess.run(
        [sys.executable, "-m", "hub_tui", "mail", "deliver", "--once"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Could not reach the mail server" in done.stderr and "Traceback" not in done.stderr
    assert messages(hub)[-1].status == "queued"


STOPPABLE = {
    "mail deliver --once": (["mail", "deliver", "--once"], 1),  # "Stopped": not all was tried
    "mail deliver": (["mail", "deliver"], 0),
    "ssh serve": (["ssh", "serve", "--port", str(free_port())], 0),
}


@pytest.mark.parametrize("command", list(STOPPABLE))
def test_a_stopped_worker_finishes_its_message_and_gives_back_the_rest(
    hub: Hub, quiet: World, database_url: str, command: str
) -> None:
    """SIGTERM (a service manager stopping the worker) lets the message being sent finish
    and records it, and releases the other claims at once: another worker need not wait."""
    argv, status = STOPPABLE[command]
    with hub.as_user(SUPPORT, write=True) as ctx:
        for i, number in enumerate((quiet.empty, quiet.other_empty)):
            c.add_coordinator(ctx, centre_number=number, name="Ann", email=f"ann{i}@x.org")
        c.resend_invitation(ctx, centre_number=quiet.invited)
    with smtp_server() as (server, port):
        server.data_seconds = 0.5
        env = {
            **os.environ,
            "HUB_DATABASE_URL": database_url,
            "HUB_SMTP_HOST": "127.0.0.1",
            "HUB_SMTP_PORT": str(port),
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "hub_tui", *argv],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        while server.data_started < 2 and time.monotonic() < deadline:
            time.sleep(0.02)  # the first is in, and answered; the second is being sent
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=20)
    assert worker.returncode == status and "Traceback" not in err, err
    assert status == 0 or "Stopped" in err
    mail = messages(hub)[-3:]
    # the second was being sent: it was finished and recorded, so it cannot go twice; the
    # third, never begun, is free for another worker now
    assert [m.status for m in mail[:2]] == ["sent", "sent"]
    assert server.message_ids() == [m.message_id for m in mail[:2]]
    assert (mail[2].status, mail[2].claimed_until, mail[2].attempts) == ("queued", None, 0)


def test_an_hour_without_the_mail_server_fails_nothing(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    activate(hub, quiet)
    down = smtp_settings(settings, free_port())
    with time_machine.travel(utcnow(), tick=False) as clock:
        start = utcnow()
        while utcnow() < start + timedelta(hours=2):
            assert deliver(hub.engine, down).unreachable is not None
            clock.move_to(messages(hub)[-1].next_attempt_at)
    m = messages(hub)[-1]
    assert m.status == "queued" and m.attempts >= 8
    assert payload(hub, m.id) is not None  # the setup code is kept for when it comes back


def test_a_cut_listing_says_so(hub: Hub, quiet: World, cli) -> None:  # type: ignore[no-untyped-def]
    queue_many(hub, 3)
    code, out, err = cli("--user", SUPPORT, "mail", "list", "--limit", "2", "--json")
    assert code == 0 and len(json.loads(out)) == 2 and "the first 2 are shown" in err
    code, out, err = cli("--user", SUPPORT, "mail", "list", "--limit", "500")
    assert code == 0 and len(out.splitlines()) == len(messages(hub)) and err == ""
    activate(hub, quiet)  # a second event for the audit log
    code, out, err = cli("--user", SUPPORT, "audit", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1 and "the first 1 are shown" in err


def test_a_claimed_message_is_shown_as_sending_by_its_worker(hub: Hub, quiet: World, cli) -> None:  # type: ignore[no-untyped-def]
    activate(hub, quiet)
    assert queue.claim_due(hub.engine, worker="host:42", limit=5, lease=timedelta(minutes=1))
    _, out, _ = cli("--user", SUPPORT, "mail", "list", "--json")
    newest = json.loads(out)[0]
    assert (newest["status"], newest["claimed_by"]) == ("sending", "host:42")
    assert newest["next_attempt_at"] is None and newest["claimed_until"]
    _, out, _ = cli("--user", SUPPORT, "mail", "list")
    assert out.splitlines()[0].startswith("sending") and "by host:42 until" in out
    with time_machine.travel(utcnow() + timedelta(minutes=2)):  # the claim ran out: a dead worker
        _, out, _ = cli("--user", SUPPORT, "mail", "list", "--json")
    assert json.loads(out)[0]["status"] == "queued"


@pytest.mark.asyncio
async def test_quitting_the_tui_finishes_the_message_being_sent(
    hub: Hub, quiet: World, settings: Settings
) -> None:
    """ctrl+q while an e-mail is being sent: it goes, is recorded, and nothing else begins."""
    from hub_tui.app import make_app
    from hub_tui.services.context import Hub as HubOf

    with hub.as_user(SUPPORT, write=True) as ctx:
        for i, number in enumerate((quiet.empty, quiet.other_empty)):
            c.add_coordinator(ctx, centre_number=number, name="Ann", email=f"ann{i}@x.org")
    with smtp_server() as (server, port):
        server.data_seconds = 0.8
        app = make_app(HubOf(smtp_settings(settings, port), hub.engine), SUPPORT)
        async with app.run_test() as pilot:
            deadline = time.monotonic() + 20
            while server.data_started < 1 and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            await pilot.press("ctrl+q")
            while app.is_running and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            assert not app.is_running
    mail = messages(hub)[-2:]
    assert [m.status for m in mail] == ["sent", "queued"]
    assert server.message_ids() == [mail[0].message_id]
    assert (mail[1].claimed_until, mail[1].attempts) == (None, 0)
