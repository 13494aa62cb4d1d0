"""A PostgreSQL schema of one's own, for a test or a benchmark run."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

# what a schema holds, so that a change to it shows: its objects, each with its name,
# columns, defaults and (for triggers) whether it is on; rows are left out
CATALOGUE = """
SELECT md5(string_agg(entry, ',' ORDER BY entry)) FROM (
    SELECT format('class %s %s %s', oid, relname, relkind)
    FROM pg_class WHERE relnamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('column %s %s %s %s %s %s %s', a.attrelid, a.attnum, a.attname, a.atttypid,
                  a.atttypmod, a.attnotnull, a.attcollation)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = CAST(:schema AS regnamespace) AND NOT a.attisdropped
  UNION ALL
    SELECT format('default %s %s', d.oid, d.adbin::text)
    FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    WHERE c.relnamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('constraint %s %s', oid, conname)
    FROM pg_constraint WHERE connamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('trigger %s %s %s', t.oid, t.tgname, t.tgenabled)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('function %s %s %s', oid, proname, md5(prosrc))
    FROM pg_proc WHERE pronamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('type %s %s %s', oid, typname, typtype)
    FROM pg_type WHERE typnamespace = CAST(:schema AS regnamespace)
  UNION ALL
    SELECT format('enum %s %s', enumtypid, enumlabel)
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    WHERE t.typnamespace = CAST(:schema AS regnamespace)
) AS objects (entry)
"""
LOCK_WAIT = "10s"  # for a process that outlived its test to let go of the schema
VERSION_TABLE = "alembic_version"  # the one table the migrations fill
TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = :s"


def new_schema_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def schema_url(url: str, schema: str) -> str:
    """`url` with `schema` as its search_path."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema(url: str, *, prefix: str = "t") -> Iterator[str]:
    """A new, empty schema, dropped afterwards; yields a URL whose search_path is it."""
    schema = new_schema_name(prefix)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield schema_url(url, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class MigratedSchemas:
    """Migrated schemas for one process's tests, as new to each test as a schema made for
    it, but cheaper: the last test's, emptied and renamed.

    Making a schema costs 150-300 ms, nearly all of it PostgreSQL creating each table's
    and index's files; truncating the tables a test wrote makes new files only for those
    (~70 ms). Truncated, not deleted from: a table's rows then lie where they would in a
    new one, in the order they were written, and a query without ORDER BY sees them so.
    The new name cuts off, as dropping the schema did, whatever still holds the old one
    (a process that outlived its test). A test that changed more than rows leaves the
    schema to be dropped, and a new one is made."""

    def __init__(self, url: str, migrate: Callable[[str], None]) -> None:
        self.url = url
        self.migrate = migrate
        self.admin = create_engine(url)
        self.made = 0  # schemas made so far
        self.warned = False  # that schemas cannot be emptied: said once
        self._make()

    def _make(self) -> None:
        self.schema = new_schema_name("t")
        with self.admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {self.schema}"))
        self.migrate(schema_url(self.url, self.schema))
        with self.admin.begin() as conn:
            self.catalogue = self._catalogue(conn)
            self.tables = self._column(conn, TABLES)
            self.sequences = conn.execute(
                text("SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = :s"),
                {"s": self.schema},
            ).all()
            self.versions = self._versions(conn)
            filled = set(self._written(conn)) - {VERSION_TABLE}
        assert not filled, f"the migrations write to {filled}: emptying must put that back"
        self.made += 1

    def _column(self, conn: Connection, query: str) -> list[str]:
        return list(conn.execute(text(query), {"s": self.schema}).scalars())

    def _catalogue(self, conn: Connection) -> str:
        return str(conn.execute(text(CATALOGUE), {"schema": self.schema}).scalar())

    def _versions(self, conn: Connection) -> list[str]:
        return self._column(conn, f"SELECT version_num FROM {self.schema}.{VERSION_TABLE}")

    def _written(self, conn: Connection) -> list[str]:
        """The tables that have been written to (rolled back or deleted included)."""
        return self._column(
            conn,
            f"{TABLES} AND pg_relation_size(format('%I.%I', schemaname, tablename)) > 0",
        )

    @contextmanager
    def lent(self) -> Iterator[str]:
        """A URL for a migrated schema of a name never used before."""
        yield schema_url(self.url, self.schema)
        try:
            recycled = self._recycled()
        except DBAPIError:  # e.g. a table the test dropped, or a lock not given up in time
            recycled = False
        if not recycled:
            try:
                with self.admin.begin() as conn:
                    conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
                    conn.execute(text(f"DROP SCHEMA {self.schema} CASCADE"))
            except DBAPIError:  # still held by a process that outlived its test: left behind
                pass
            self._make()

    def _recycled(self) -> bool:
        """Empty the schema and rename it; False, and it is left as it is, if the test
        changed more than rows."""
        schema, name = self.schema, new_schema_name("t")
        with self.admin.connect() as conn:
            # first: whatever is still at work in the schema is waited for, then finds
            # the name it used gone
            tables = ", ".join(f"{schema}.{table}" for table in self.tables)
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            conn.exec_driver_sql(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
            if self._catalogue(conn) != self.catalogue:
                conn.rollback()
                return False
            written = [t for t in self._written(conn) if t != VERSION_TABLE]
            if self._versions(conn) != self.versions:
                written.append(VERSION_TABLE)
            # replica: no trigger fires, so neither does the audit log's refusal to be emptied
            statements = ["SET LOCAL session_replication_role = replica"]
            if written:
                statements.append(f"TRUNCATE {', '.join(f'{schema}.{t}' for t in written)} CASCADE")
            if VERSION_TABLE in written:
                statements += [
                    f"INSERT INTO {schema}.{VERSION_TABLE} VALUES ('{v}')" for v in self.versions
                ]
            statements += [
                f"SELECT setval('{schema}.{sequence}', {start}, false)"
                for sequence, start in self.sequences
            ]
            statements.append(f"ALTER SCHEMA {schema} RENAME TO {name}")
            try:
                conn.exec_driver_sql(";\n".join(statements))
            except DBAPIError as exc:  # e.g. not allowed to set the role: a new schema each time
                conn.rollback()
                if not self.warned:
                    self.warned = True
                    warnings.warn(f"each test migrates a new schema: {exc.orig}", stacklevel=1)
                return False
            conn.commit()
        self.schema = name
        return True

    def close(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {self.schema} CASCADE"))
        self.admin.dispose()
