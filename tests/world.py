"""A small, known set of associates, people and centres for tests to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import select

from hub_tui.db import table_of
from hub_tui.mail import compose
from hub_tui.models import (
    AccountStatus,
    Associate,
    Centre,
    OutboxMessage,
    OutboxPayload,
    Role,
    User,
)
from hub_tui.services import coordinators, outbox
from hub_tui.services.context import Hub
from hub_tui.validation import fold

SUPPORT = "support@example.org"
NORTH_AC = "north@example.org"
SOUTH_AC = "south@example.org"


@dataclass(frozen=True)
class World:
    """Centre numbers by the state they start in."""

    empty: str = "GB001"  # north, no coordinator
    active: str = "GB002"  # north, active coordinator, one more admin, two teachers
    invited: str = "GB003"  # north, coordinator invited
    south: str = "IN100"  # south, active coordinator
    other_empty: str = "GB010"  # north, no coordinator
    coordinator: str = "coord@gb002.example.org"
    admin: str = "admin@gb002.example.org"


def build_world(hub: Hub) -> World:
    w = World()
    with hub.as_system(write=True) as ctx:
        s = ctx.session
        north, south = Associate(name="North"), Associate(name="South")
        s.add_all([north, south])
        s.flush()
        centres = {}
        for number, name, associate in [
            (w.empty, "Ashford Academy", north),
            (w.active, "Bangor Grammar School", north),
            (w.invited, "Cairo College", north),
            (w.other_empty, "Ely Academy", north),
            (w.south, "Delhi Public School", south),
        ]:
            centre = Centre(
                centre_number=number,
                name=name,
                name_key=fold(name),
                country="UK",
                associate_id=(north.id if associate is north else south.id) or 0,
            )
            s.add(centre)
            centres[number] = centre
        s.flush()

        def person(
            name: str,
            email: str,
            role: Role,
            *,
            centre: Centre | None = None,
            associate_id: int | None = None,
        ) -> User:
            return coordinators.create_user(
                ctx,
                name=name,
                email=email,
                role=role,
                status=AccountStatus.ACTIVE,
                centre=centre,
                associate_id=associate_id,
            )

        person("Sam Support", SUPPORT, Role.SUPPORT)
        person("Nora North", NORTH_AC, Role.ASSOCIATE_COORDINATOR, associate_id=north.id)
        person("Sid South", SOUTH_AC, Role.ASSOCIATE_COORDINATOR, associate_id=south.id)
        active = centres[w.active]
        coord = person("Cora Coord", w.coordinator, Role.ADMINISTRATOR, centre=active)
        person("Adam Admin", w.admin, Role.ADMINISTRATOR, centre=active)
        person("Tess Teacher", "t1@gb002.example.org", Role.TEACHER, centre=active)
        person("Tom Teacher", "t2@gb002.example.org", Role.TEACHER, centre=active)
        active.coordinator_id = coord.id
        south_centre = centres[w.south]
        south_coord = person(
            "Sunil", "coord@in100.example.org", Role.ADMINISTRATOR, centre=south_centre
        )
        south_centre.coordinator_id = south_coord.id
        s.add_all([active, south_centre])
    with hub.as_user(SUPPORT, write=True) as ctx:
        coordinators.add_coordinator(
            ctx, centre_number=w.invited, name="Ivy Invitee", email="ivy@gb003.example.org"
        )
    return w


def user(hub: Hub, email: str) -> User:
    with hub.as_system() as ctx:
        found = ctx.session.exec(select(User).where(User.email == email)).one()
        ctx.session.expunge(found)
        return found


def centre(hub: Hub, number: str) -> Centre:
    with hub.as_system() as ctx:
        found = ctx.session.exec(select(Centre).where(Centre.centre_number == number)).one()
        ctx.session.expunge(found)
        return found


HOURS_48 = timedelta(hours=48)


def queue_many(hub: Hub, count: int) -> None:
    """`count` messages due now. The first is queued as the services queue one; the rest are
    its copies, each with a Message-ID of its own (rendering each would take seconds)."""
    with hub.as_system(write=True) as ctx:
        message = compose.now_coordinator(
            to_name="Person", centre_name="Centre", centre_number="GB001", changed_by="Support"
        )
        first = outbox.enqueue(ctx, message, to_name="Person", to_email="p0@x.org", centre_id=None)
        ctx.session.flush()
        raw = ctx.session.get_one(OutboxPayload, first.id).raw
        fields = first.model_dump(exclude={"id", "message_id", "to_email"})
        ids = [outbox.new_message_id(ctx.settings.mail_from) for _ in range(1, count)]
        made = ctx.session.execute(
            insert(table_of(OutboxMessage)).returning(
                table_of(OutboxMessage).c.id, sort_by_parameter_order=True
            ),
            [{**fields, "message_id": m, "to_email": f"p{i}@x.org"} for i, m in enumerate(ids, 1)],
        ).scalars()
        copies = [
            {"outbox_id": outbox_id, "raw": raw.replace(first.message_id.encode(), m.encode())}
            for outbox_id, m in zip(made, ids, strict=True)
        ]
        if copies:
            ctx.session.execute(insert(table_of(OutboxPayload)), copies)
