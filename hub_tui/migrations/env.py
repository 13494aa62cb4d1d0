"""Alembic environment: the engine comes from `hub_tui.db.alembic_config`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

import hub_tui.models  # noqa: F401  (registers the tables)
from hub_tui.db import is_mapped
from hub_tui.errors import HubError

engine: Engine = context.config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.driver_connection
    if sqlite:
        # SQLite's own procedure for rebuilding a table that others refer to: references
        # off (outside the transaction, where the pragma has effect), then checked below
        driver.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=is_mapped,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise HubError(
                    "The upgrade would leave references that point nowhere; nothing was changed."
                )
        connection.commit()
    finally:  # the connection goes back to the pool as every other one is
        if sqlite:
            driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
