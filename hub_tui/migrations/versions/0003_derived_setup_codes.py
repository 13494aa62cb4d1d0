"""setup codes derived at send time; outbox messages know their invitation

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invitations", sa.Column("code_seed", sa.LargeBinary(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # a plain ADD COLUMN with its reference inline: rebuilding the table, as Alembic
        # does for a separate foreign key, cannot drop it while queued payloads point at it
        op.execute(
            "ALTER TABLE outbox_messages"
            " ADD COLUMN invitation_id INTEGER REFERENCES invitations (id)"
        )
        return
    op.add_column("outbox_messages", sa.Column("invitation_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_outbox_messages_invitation_id",
        "outbox_messages",
        "invitations",
        ["invitation_id"],
        ["id"],
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint("fk_outbox_messages_invitation_id", type_="foreignkey")
        batch_op.drop_column("invitation_id")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("code_seed")
