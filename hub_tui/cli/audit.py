"""`hub-tui audit`: the audit log."""

from __future__ import annotations

import click

from hub_tui.cli.output import out, out_data, shown
from hub_tui.cli.runner import (
    Runner,
    limit_option,
    output_format,
    output_options,
    pass_runner,
    user_option,
)

# the columns of `audit --csv`: the fields of an event's JSON
COLUMNS = ("at", "actor", "action", "centre", "target", "detail")


@click.command()
@click.option("--centre", metavar="CENTRE", help="only this centre's events")
@limit_option(500, "newest N")
@output_options
@user_option
@pass_runner
def audit(run: Runner, centre: str | None, limit: int, as_json: bool, as_csv: bool) -> int:
    """The audit log, newest first."""
    from hub_tui.formatting import utc_text
    from hub_tui.services.audit import list_events
    from hub_tui.services.centres import find_centre

    form = output_format(as_json, as_csv)
    with run.as_user() as ctx:
        centre_id = find_centre(ctx, centre).id if centre else None
        found = list_events(ctx, centre_id=centre_id, limit=limit + 1)
    rows = shown(found, limit, "use --limit or --centre to see others")
    if out_data(form, rows, COLUMNS):
        return 0
    for r in rows:
        out(
            f"{utc_text(r.at)}  {r.actor}  {r.action}  {r.centre or '-'}  {r.target or ''}"
            + (f"  ({r.detail})" if r.detail else "")
        )
    return 0
