"""reminders and expiry notices: when each was written, and an index for the sweep

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hub_tui.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PENDING = "used_at IS NULL AND revoked_at IS NULL"
# the sweep's: what is still to remind, and to tell of, by deadline (each holds only the
# rows a sweep may yet write for, so one with nothing due reads next to nothing)
SWEEP_INDEXES = {
    "ix_invitations_to_remind": f"{PENDING} AND reminded_at IS NULL",
    "ix_invitations_to_notice": f"{PENDING} AND expiry_noticed_at IS NULL",
}


def upgrade() -> None:
    # plain ADD COLUMNs: no table is rebuilt
    op.add_column("invitations", sa.Column("reminded_at", UTCDateTime(), nullable=True))
    op.add_column("invitations", sa.Column("expiry_noticed_at", UTCDateTime(), nullable=True))
    # invitations that ran out before there were notices count as told: the first sweep
    # after the upgrade catches up on what falls due from now on, not on years of history
    invitations = sa.table(
        "invitations",
        sa.column("expires_at", UTCDateTime()),
        sa.column("expiry_noticed_at", UTCDateTime()),
    )
    op.get_bind().execute(
        invitations.update()
        .where(invitations.c.expires_at <= datetime.now(UTC))
        .values(expiry_noticed_at=invitations.c.expires_at)
    )
    for name, where in SWEEP_INDEXES.items():
        op.create_index(
            name,
            "invitations",
            ["expires_at"],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for name in SWEEP_INDEXES:
        op.drop_index(name, table_name="invitations")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("expiry_noticed_at")
        batch_op.drop_column("reminded_at")
