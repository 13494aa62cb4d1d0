"""Setup codes: 48 hours to the second, single use, resend voids the old one, only a hash kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
import time_machine
from sqlalchemy import text
from sqlmodel import select

from hub_tui.errors import HubError
from hub_tui.models import Invitation, OutboxMessage, OutboxPayload
from hub_tui.services import coordinators as c
from hub_tui.services.centres import centre_detail
from hub_tui.services.context import Hub
from hub_tui.services.invitations import accept
from hub_tui.setup_codes import fill, installation_key
from tests.world import SUPPORT, World, user

SENT = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def invite(hub: Hub, number: str, email: str) -> str:
    """Add a coordinator at SENT and return the setup code from their e-mail."""
    with time_machine.travel(SENT, tick=False), hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number=number, name="Ann", email=email)
    return latest_code(hub, email)


def latest_code(hub: Hub, email: str) -> str:
    """The setup code in the newest message to `email`, as the worker will send it (what
    the database holds has only a slot where the code goes)."""
    with hub.as_system() as ctx:
        found = ctx.session.exec(
            select(OutboxPayload.raw, Invitation.code_seed, Invitation.code_hash)
            .join(OutboxMessage, OutboxMessage.id == OutboxPayload.outbox_id)  # type: ignore[arg-type]
            .join(Invitation, Invitation.id == OutboxMessage.invitation_id)  # type: ignore[arg-type]
            .where(OutboxMessage.to_email == email)
            .order_by(OutboxMessage.id.desc())  # type: ignore[union-attr]
        ).first()
    assert found is not None
    raw, seed, code_hash = found
    assert seed is not None
    key = installation_key(hub.settings.secret_key_path)
    message = message_from_bytes(fill(raw, key=key, seed=seed, code_hash=code_hash), policy=default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    line = re.search(r"^Setup code: (\S+)\r?$", body.get_content(), re.MULTILINE)
    assert line
    return str(line.group(1))


def try_accept(hub: Hub, code: str, at: datetime) -> None:
    with time_machine.travel(at, tick=False), hub.as_system(write=True) as ctx:
        accept(ctx, code)


def status(hub: Hub, number: str) -> str:
    with hub.as_user(SUPPORT) as ctx:
        return centre_detail(ctx, number).row.status


def test_code_works_one_second_before_48_hours(hub: Hub, world: World) -> None:
    code = invite(hub, world.empty, "ann@x.org")
    try_accept(hub, code, SENT + timedelta(hours=48) - timedelta(seconds=1))
    assert user(hub, "ann@x.org").status == "active"
    assert status(hub, world.empty) == "active"


def test_code_is_refused_one_second_after_48_hours(hub: Hub, world: World) -> None:
    code = invite(hub, world.empty, "ann@x.org")
    with time_machine.travel(SENT + timedelta(hours=48, seconds=1), tick=False):
        assert status(hub, world.empty) == "invitation_expired"
    with pytest.raises(HubError, match="expired"):
        try_accept(hub, code, SENT + timedelta(hours=48, seconds=1))
    assert user(hub, "ann@x.org").status == "invited"


def test_status_is_invited_until_the_deadline(hub: Hub, world: World) -> None:
    invite(hub, world.empty, "ann@x.org")
    with time_machine.travel(SENT + timedelta(hours=47, minutes=59), tick=False):
        assert status(hub, world.empty) == "invited"


def test_a_used_code_is_refused(hub: Hub, world: World) -> None:
    code = invite(hub, world.empty, "ann@x.org")
    try_accept(hub, code, SENT + timedelta(hours=1))
    with pytest.raises(HubError, match="already been used"):
        try_accept(hub, code, SENT + timedelta(hours=2))


def test_resending_makes_the_old_code_worthless(hub: Hub, world: World) -> None:
    old = invite(hub, world.empty, "ann@x.org")
    later = SENT + timedelta(hours=47)
    with time_machine.travel(later, tick=False), hub.as_user(SUPPORT, write=True) as ctx:
        c.resend_invitation(ctx, centre_number=world.empty)
    new = latest_code(hub, "ann@x.org")
    assert new != old
    with pytest.raises(HubError, match="replaced"):
        try_accept(hub, old, later + timedelta(minutes=1))
    # the new window runs 48 hours from the resend, past the first deadline
    try_accept(hub, new, later + timedelta(hours=47))
    assert user(hub, "ann@x.org").status == "active"


def test_unknown_and_empty_codes_change_nothing(hub: Hub, world: World) -> None:
    invite(hub, world.empty, "ann@x.org")
    for bad in ("AAAA-BBBB", "", "  -- "):
        with pytest.raises(HubError):
            try_accept(hub, bad, SENT + timedelta(hours=1))
    assert user(hub, "ann@x.org").status == "invited"


def test_a_code_is_accepted_in_any_case_and_spacing(hub: Hub, world: World) -> None:
    code = invite(hub, world.empty, "ann@x.org")
    try_accept(hub, " " + code.lower().replace("-", " ") + " ", SENT + timedelta(hours=1))
    assert user(hub, "ann@x.org").status == "active"


def test_only_a_hash_of_the_code_is_stored(hub: Hub, world: World) -> None:
    code = invite(hub, world.empty, "ann@x.org")
    bare = code.replace("-", "")
    assert len(bare) * 5 >= 128  # base32: 5 bits a character
    with hub.as_system() as ctx:
        invitation = ctx.session.exec(
            select(Invitation).order_by(Invitation.id.desc())  # type: ignore[union-attr]
        ).first()
        assert invitation is not None
        assert code not in invitation.code_hash and bare not in invitation.code_hash
        # nowhere in the invitations or users tables, nor the outbox's readable copy
        for table in ("invitations", "users"):
            for row in ctx.session.execute(text(f"SELECT * FROM {table}")):
                joined = " ".join(str(v) for v in row)
                assert bare not in joined.upper().replace("-", "")
        mail = ctx.session.exec(select(OutboxMessage)).all()
        assert mail and all(code not in f"{m.body_text} {m.body_html}" for m in mail)
