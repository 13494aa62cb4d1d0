"""`hub-tui db upgrade` and `hub-tui demo`."""

from __future__ import annotations

import click

from hub_tui.cli.output import progress_bar
from hub_tui.cli.runner import Runner, pass_runner
from hub_tui.models import CentreStatus

DEMO_CENTRES = 60


@click.group(no_args_is_help=False)
def db() -> None:
    """The database."""


@db.command()
@pass_runner
def upgrade(run: Runner) -> int:
    """Apply migrations."""
    from hub_tui.db import SCHEMA_REVISION, current_revision, make_engine, upgrade

    engine = make_engine(run.settings.resolved_database_url)
    if current_revision(engine) != SCHEMA_REVISION:  # else no need to load Alembic
        upgrade(engine)
    print("The database is up to date.")
    return 0


@click.command(short_help="Load demo data into an empty database.")
@click.option(
    "--centres",
    type=click.IntRange(min=len(CentreStatus)),
    default=DEMO_CENTRES,
    show_default=True,
    metavar="N",
    help="how many centres (at least one in each status)",
)
@click.option("--if-empty", is_flag=True, help="do nothing if there is data")
@pass_runner
def demo(run: Runner, centres: int, if_empty: bool) -> int:
    """Load demo data into an empty database."""
    print(
        load(run, centres, if_empty=if_empty) or "The database already has data; demo not loaded."
    )
    return 0


def load(run: Runner, centres: int = DEMO_CENTRES, *, if_empty: bool = False) -> str | None:
    """The demo loaded, with a progress bar on a terminal: its summary; None if `if_empty`
    and the database has data."""
    from hub_tui.db import checkpoint
    from hub_tui.demo import is_empty, load_demo

    with run.hub.as_system(write=True) as ctx:
        if if_empty and not is_empty(ctx):
            return None
        with progress_bar(f"Loading {centres:,} demo centres") as progress:
            message = load_demo(ctx, centres=centres, progress=progress)
    checkpoint(run.hub.engine)
    return message
