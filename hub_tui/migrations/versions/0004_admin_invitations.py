"""invitations for admin accounts: an invitation need not be for a centre

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PENDING = "used_at IS NULL AND revoked_at IS NULL"


def upgrade() -> None:
    # the partial index is made again by hand: a rebuilt SQLite table might not keep its WHERE
    op.drop_index("uq_invitations_pending", table_name="invitations")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.alter_column("centre_id", existing_type=sa.Integer(), nullable=True)
    for name, columns, where in (
        ("uq_invitations_pending", ["user_id", "centre_id"], PENDING),
        # one live invitation per admin account, too (NULL centres are all distinct)
        ("uq_invitations_pending_admin", ["user_id"], f"centre_id IS NULL AND {PENDING}"),
    ):
        op.create_index(
            name,
            "invitations",
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    op.drop_index("uq_invitations_pending_admin", table_name="invitations")
    op.execute("DELETE FROM invitations WHERE centre_id IS NULL")
    op.drop_index("uq_invitations_pending", table_name="invitations")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.alter_column("centre_id", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        "uq_invitations_pending",
        "invitations",
        ["user_id", "centre_id"],
        unique=True,
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )
