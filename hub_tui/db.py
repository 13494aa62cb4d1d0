"""The engine, transactions and migrations.

SQLite writers take the write lock up front (`BEGIN IMMEDIATE`): a deferred
transaction that later upgrades to a write fails at once with "database is
locked", ignoring the busy timeout. Taking the lock is the only step that waits
for other writers (in WAL mode nothing after it does), so a writer that finds the
database busy waits there, before any statement of its own has run, and no unit
of work ever needs running twice.
"""

from __future__ import annotations

import gc
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlmodel import Session, SQLModel

from hub_tui.errors import Busy, HubError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration. Kept here so that start-up need not load Alembic to check it;
# a test holds it equal to the migration scripts' head.
SCHEMA_REVISION = "0006"
# tables the migrations make that no model maps: SQLite's trigram index of centre names
# (migration 0006), the table itself and those FTS5 keeps it in
UNMAPPED_PREFIX = "centre_name_trigrams"


def is_mapped(name: str | None, type_: str, parent_names: object) -> bool:
    """For comparing the database with the models: leave out what no model maps."""
    return not (type_ == "table" and (name or "").startswith(UNMAPPED_PREFIX))


BUSY_TIMEOUT_MS = 5000
# How long a SQLite writer waits for the write lock before answering "busy". A change holds
# the lock for 15-50 ms of work (50 in a program that has just started), but twenty programs
# starting at once on two cores stretch that tenfold, and the last in line waits 5-10 s
# (over 20 s on a machine busy with other work): 30 s lets such a burst take turns, yet a
# lock that someone keeps (an open `sqlite3` shell, a stuck program) is reported in half a
# minute.
WRITE_WAIT_SECONDS = 30.0
# Between tries the writer sleeps a step that doubles from the first to the longest, each
# sleep a random 50-100 % of the step: short steps because a write takes milliseconds,
# jitter so that writers who started together do not all look again in the same instant.
BACKOFF_FIRST_SECONDS = 0.002
BACKOFF_LONGEST_SECONDS = 0.05
_WRITE = "hub_write"
_WAIT = "hub_write_wait"


def make_engine(url: str) -> Engine:
    try:
        return _make_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:  # e.g. port "x"
        raise HubError(
            f"HUB_DATABASE_URL is not a database this program can use ({exc}); "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME."
        ) from exc


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from hub_tui.files import private_database

            private_database(Path(parsed.database).expanduser())
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    _tune_postgresql(engine)
    return engine


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # a row another transaction holds is waited for as long as SQLite waits, then
        # "busy", rather than for ever behind a transaction someone left open
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.commit()  # a SET in a transaction that is rolled back is undone


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(_WRITE, False):
            _begin_immediate(conn, wait=options.get(_WAIT, WRITE_WAIT_SECONDS))
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn: Connection, *, wait: float) -> None:
    """Take SQLite's write lock, trying again with jittered back-off for up to `wait` seconds;
    then the last "database is locked" is raised."""
    driver = conn.connection.driver_connection
    assert driver is not None
    deadline = time.monotonic() + wait
    step = BACKOFF_FIRST_SECONDS
    # each try fails at once rather than in SQLite's own busy handler, whose fixed steps
    # every waiter follows in lockstep and which gives up after BUSY_TIMEOUT_MS
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                left = deadline - time.monotonic()
                if not _is_busy(exc) or left <= 0:
                    raise
            time.sleep(min(left, step * random.uniform(0.5, 1.0)))
            step = min(step * 2, BACKOFF_LONGEST_SECONDS)
    finally:
        # later statements keep the usual wait, for the rare lock outside the writers' one
        # (another program recovering the log after a crash)
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _is_busy(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def transaction(
    engine: Engine, *, write: bool = True, wait: float = WRITE_WAIT_SECONDS
) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back (nothing kept) on any error.

    On SQLite a writer waits up to `wait` seconds for the write lock, then `Busy`. On
    PostgreSQL writers do not exclude each other; a row that another transaction holds is
    waited for up to lock_timeout (BUSY_TIMEOUT_MS), then `Busy`."""
    bind = engine.execution_options(**{_WRITE: write, _WAIT: wait})
    with _refusals(), Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def write_connection(bind: Engine | Connection) -> Iterator[Connection]:
    """A write transaction of Core statements only, as `transaction` but without the ORM's
    session: for the mail worker's small, frequent writes. Given a connection, the
    transaction is begun on it (and it stays open for the next)."""
    with _refusals():
        if isinstance(bind, Connection):
            with bind.begin():
                yield bind
            return
        with write_bind(bind) as conn, conn.begin():
            yield conn


def write_bind(engine: Engine) -> Connection:
    """A connection whose transactions are writes (`write_connection`), kept by its caller."""
    return engine.execution_options(**{_WRITE: True, _WAIT: WRITE_WAIT_SECONDS}).connect()


@contextmanager
def _refusals() -> Iterator[None]:
    """Database failures as the one line a person is shown; nothing was changed."""
    try:
        yield
    except OperationalError as exc:
        detail = short_error(exc)
        busy = any(word in detail for word in ("locked", "busy", "lock timeout"))
        what = "is busy" if busy else "could not be used"
        raise Busy(f"The database {what}; nothing was changed ({detail}).") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise Busy(
                f"Lost the database connection; nothing was changed ({short_error(exc)})."
            ) from exc
        raise


def short_error(exc: SQLAlchemyError) -> str:
    """The first line of what the database said."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- migrations ---------------------------------------------------------------


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # a write transaction: two programs starting on a new SQLite file take turns
    cfg.attributes["engine"] = engine.execution_options(**{_WRITE: True})
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's revision; None for a database never migrated. On every start: one
    plain SELECT, and the catalogue looked at only if that fails (no table yet)."""
    with engine.connect() as conn:  # a database that cannot be reached fails here, once
        try:
            return _revision(conn)
        except DBAPIError:
            conn.rollback()  # PostgreSQL takes no statement in a failed transaction
        if not inspect(conn).has_table("alembic_version"):
            return None
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    revision: str | None = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return revision


def upgrade(engine: Engine) -> None:
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise Busy(f"Cannot migrate the database: {short_error(exc)}") from exc


def ensure_schema(engine: Engine) -> None:
    """SQLite is migrated on start; a PostgreSQL database that is behind stops the program."""
    try:
        if current_revision(engine) == SCHEMA_REVISION:
            return
    except OperationalError as exc:
        raise Busy(f"Cannot open the database: {short_error(exc)}") from exc
    if is_sqlite(engine):
        upgrade(engine)
        return
    raise HubError("The database schema is out of date: run `hub-tui db upgrade` first.")


def table_of(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


# SQLite's page cache (KiB) while a load runs: the new rows' pages stay in memory until the
# commit writes them once, rather than spilling into the log and being written again
LOAD_CACHE_KIB = 128 * 1024
LOAD_STAGE = "hub_load"  # the temporary table a SQLite load passes through


@contextmanager
def loading(session: Session) -> Iterator[None]:
    """A load of many rows in the session's transaction (`bulk_insert` within): SQLite's page
    caches (the database's, and the temporary one the rows pass through) made large enough
    to hold what it writes, and Python's garbage collector paused, since the rows are
    millions of objects that live until the load ends and a collector would scan them again
    and again as they pile up."""
    driver = session.connection().connection.driver_connection
    sqlite = driver if isinstance(driver, sqlite3.Connection) else None
    caches: dict[str, int] = {}
    if sqlite is not None:
        for schema in ("main", "temp"):
            (caches[schema],) = sqlite.execute(f"PRAGMA {schema}.cache_size").fetchone()
            sqlite.execute(f"PRAGMA {schema}.cache_size=-{LOAD_CACHE_KIB}")
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:  # first: a PRAGMA that fails must not leave collection off
            gc.enable()
        if sqlite is not None:
            for schema, size in caches.items():
                sqlite.execute(f"PRAGMA {schema}.cache_size={size}")


def bulk_insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in the session's transaction, by the fastest
    path the database has: COPY on PostgreSQL; on SQLite, the raw cursor's executemany into a
    temporary table, then one INSERT … SELECT from it.

    On SQLite the rows go in as one statement, not one a row, for the table's triggers: the
    trigram index's (migration 0006) writes its pending terms out at the end of every
    statement, which makes 100,000 one-row inserts of centres ten times slower than one of
    100,000 rows. SQLAlchemy is left out of the loop: its executemany spends ~10 µs a row
    building parameters, more than SQLite spends storing one.
    """
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    table = table_of(model)
    keys = list(rows[0])
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[key].name) for key in keys)
    target = dialect.identifier_preparer.format_table(table)
    values = _bind_values(conn, table, keys, rows)
    driver = conn.connection.driver_connection
    assert driver is not None
    sqlite = dialect.name == "sqlite"
    statement = (
        f"INSERT INTO {target} ({names})" if sqlite else f"COPY {target} ({names}) FROM STDIN"
    )
    try:
        if sqlite:
            _sqlite_load(driver, target, names, values)
        else:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for record in values:
                    copy.write_row(record)
    except dialect.loaded_dbapi.Error as exc:  # the driver's own: said as SQLAlchemy's are
        raise DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error) from exc


def _bind_values(
    conn: Connection, table: Table, keys: list[str], rows: list[dict[str, Any]]
) -> list[Any]:
    """The rows as sequences in the order of `keys`, each value as its column's type binds it.

    A column's bind processor runs once for each distinct value (a load's times are mostly
    the same few): values that compare equal bind alike, as the same instant does whatever
    its time zone."""
    if len(keys) == 1:
        records: list[Any] = [(row[keys[0]],) for row in rows]
    else:
        records = list(map(itemgetter(*keys), rows))
    processors = [
        (index, cache(process))
        for index, key in enumerate(keys)
        if (process := table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))
    ]
    if processors:
        records = list(map(list, records))
        for index, bind in processors:
            for record in records:
                record[index] = bind(record[index])
    return records


def _sqlite_load(driver: sqlite3.Connection, target: str, names: str, values: list[Any]) -> None:
    cursor = driver.cursor()
    try:
        # no declared types: each value is converted once, by the target's own columns
        cursor.execute(f"CREATE TEMP TABLE {LOAD_STAGE} ({names})")
        marks = ", ".join("?" * len(values[0]))
        cursor.executemany(f"INSERT INTO temp.{LOAD_STAGE} VALUES ({marks})", values)
        # in rowid order: the rows are numbered in the order given
        cursor.execute(
            f"INSERT INTO {target} ({names}) SELECT {names} FROM temp.{LOAD_STAGE} ORDER BY rowid"
        )
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{LOAD_STAGE}")
        cursor.close()


def checkpoint(engine: Engine) -> None:
    """After a bulk load: fold SQLite's write-ahead log back into the database file, so the
    next program to open it need not read a log of hundreds of megabytes first."""
    if is_sqlite(engine):
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
