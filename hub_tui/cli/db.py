"""`hub-tui db upgrade` and `hub-tui demo`."""

from __future__ import annotations

import click

from hub_tui.cli.output import progress_bar
from hub_tui.cli.runner import Runner, pass_runner
from hub_tui.models import CentreStatus


@click.group(no_args_is_help=False)
def db() -> None:
    """The database."""


@db.command()
@pass_runner
def upgrade(run: Runner) -> int:
    """Apply migrations."""
    from hub_tui.db import make_engine, upgrade

    upgrade(make_engine(run.settings.resolved_database_url))
    print("The database is up to date.")
    return 0


@click.command(short_help="Load demo data into an empty database.")
@click.option(
    "--centres",
    type=click.IntRange(min=len(CentreStatus)),
    default=60,
    show_default=True,
    metavar="N",
    help="how many centres (at least one in each status)",
)
@click.option("--if-empty", is_flag=True, help="do nothing if there is data")
@pass_runner
def demo(run: Runner, centres: int, if_empty: bool) -> int:
    """Load demo data into an empty database."""
    from hub_tui.db import checkpoint
    from hub_tui.demo import is_empty, load_demo

    with run.hub.as_system(write=True) as ctx:
        if if_empty and not is_empty(ctx):
            print("The database already has data; demo not loaded.")
            return 0
        with progress_bar(f"Loading {centres:,} demo centres") as progress:
            message = load_demo(ctx, centres=centres, progress=progress)
    checkpoint(run.hub.engine)
    print(message)
    return 0
