"""on SQLite, a trigram index of centre names: a search for a name that few centres have
is answered from it, not by reading every name

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# kept in step with centres by triggers, whatever writes to it. A later migration that
# rebuilds the centres table on SQLite (batch mode) must make these triggers again.
TRIGGERS = {
    "centres_name_trigrams_insert": "AFTER INSERT ON centres BEGIN "
    "INSERT INTO centre_name_trigrams(rowid, name_key) VALUES (new.id, new.name_key); END",
    "centres_name_trigrams_delete": "AFTER DELETE ON centres BEGIN "
    "INSERT INTO centre_name_trigrams(centre_name_trigrams, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "centres_name_trigrams_update": "AFTER UPDATE OF name_key ON centres BEGIN "
    "INSERT INTO centre_name_trigrams(centre_name_trigrams, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO centre_name_trigrams(rowid, name_key) VALUES (new.id, new.name_key); END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's planner answers the search well enough from the table
    op.execute(
        "CREATE VIRTUAL TABLE centre_name_trigrams USING fts5("
        "name_key, content='centres', content_rowid='id', tokenize='trigram')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO centre_name_trigrams(centre_name_trigrams) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE centre_name_trigrams")
