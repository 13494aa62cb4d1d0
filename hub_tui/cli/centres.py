"""`hub-tui centres list|show|import`."""

from __future__ import annotations

import click

from hub_tui.cli.output import out, out_data, out_json, shown
from hub_tui.cli.runner import (
    A_FILE,
    Runner,
    import_file,
    json_option,
    limit_option,
    output_format,
    output_options,
    pass_runner,
    user_option,
)
from hub_tui.models import CentreStatus, person_label

# the columns of `centres list --csv`: the fields of a row's JSON, the coordinator's flattened
COLUMNS = (
    *("centre_number", "name", "country", "associate", "status"),
    *("coordinator_name", "coordinator_email", "coordinator_status"),
)


@click.group(no_args_is_help=False)
def centres() -> None:
    """List, show and import centres."""


@centres.command("list")
@click.option("--search", metavar="TEXT", help="a centre number, or words of its name")
@click.option("--status", type=click.Choice([s.value for s in CentreStatus]))
@limit_option(100)
@output_options
@user_option
@pass_runner
def list_(
    run: Runner, search: str | None, status: str | None, limit: int, as_json: bool, as_csv: bool
) -> int:
    """List or search centres."""
    from hub_tui.services.centres import list_centres

    form = output_format(as_json, as_csv)
    with run.as_user() as ctx:
        found = list_centres(ctx, search=search, status=status, limit=limit + 1)
    rows = shown(found, limit, "use --limit or --search to see others")
    if out_data(form, rows, COLUMNS):
        return 0
    table = [("NUMBER", "NAME", "COUNTRY", "COORDINATOR", "STATUS")] + [
        (r.centre_number, r.name, r.country, r.coordinator.name if r.coordinator else "—", r.status)
        for r in rows
    ]
    widths = [min(40, max(len(row[i]) for row in table)) for i in range(5)]
    for row in table:
        out("  ".join(cell[:w].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


@centres.command()
@click.argument("centre", metavar="CENTRE")
@json_option
@user_option
@pass_runner
def show(run: Runner, centre: str, as_json: bool) -> int:
    """One centre and its people."""
    from hub_tui.services.centres import centre_detail

    with run.as_user() as ctx:
        detail = centre_detail(ctx, centre)
    if as_json:
        out_json(detail.to_json())
        return 0
    row = detail.row
    coordinator = row.coordinator
    lines = [
        f"{row.centre_number}  {row.name}",
        f"Country: {row.country}    Associate: {row.associate}    Status: {row.status}",
        "School coordinator: "
        + (
            f"{person_label(coordinator.name, coordinator.email)} ({coordinator.status})"
            if coordinator
            else "none"
        ),
    ]
    if detail.invitation_text:
        lines.append(detail.invitation_text)
    if s := detail.suspension:
        lines.append(s.describe())
    lines.append(f"People: {detail.access_summary}")
    lines += [
        f"  {'*' if p.is_coordinator else ' '} {person_label(p.person.name, p.person.email)}  "
        f"{p.person.role}, {p.person.status}, {'access' if p.has_access else 'no access'}"
        for p in detail.people
    ]
    out("\n".join(lines))
    return 0


@centres.command("import")
@click.argument("file", metavar="FILE.csv", type=A_FILE)
@user_option
@pass_runner
def import_(run: Runner, file: str) -> int:
    """Import centre_number,name,country,associate."""
    from hub_tui.services.imports import import_centres

    return import_file(run, import_centres, file, "Importing centres")
