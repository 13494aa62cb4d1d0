"""reminders and expiry notices: when each was written, and an index for the sweep

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub_tui.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PENDING = "used_at IS NULL AND revoked_at IS NULL"


def upgrade() -> None:
    # plain ADD COLUMNs: no table is rebuilt
    op.add_column("invitations", sa.Column("reminded_at", UTCDateTime(), nullable=True))
    op.add_column("invitations", sa.Column("expiry_noticed_at", UTCDateTime(), nullable=True))
    op.create_index(
        "ix_invitations_pending_expiry",
        "invitations",
        ["expires_at"],
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )


def downgrade() -> None:
    op.drop_index("ix_invitations_pending_expiry", table_name="invitations")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("expiry_noticed_at")
        batch_op.drop_column("reminded_at")
