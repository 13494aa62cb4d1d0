"""`hub-tui coordinator add|suspend|restore|resend|change`: a centre's school coordinator
(suspend, restore and resend on several centres at once, too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from hub_tui.cli.output import out, out_json, progress_bar
from hub_tui.cli.runner import Runner, pass_runner, user_option
from hub_tui.models import CentreStatus

STATUSES = [s.value for s in CentreStatus]

if TYPE_CHECKING:
    from hub_tui.services.context import Ctx
    from hub_tui.services.coordinators import Outcome


@click.group(no_args_is_help=False)
def coordinator() -> None:
    """Change a centre's school coordinator."""


def on_centre(f: Callable[..., int]) -> click.Command:
    """A `coordinator` command: on one CENTRE, as --user."""
    return coordinator.command()(
        click.argument("centre", metavar="CENTRE")(user_option(pass_runner(f)))
    )


def act(run: Runner, change: Callable[[Ctx], Outcome]) -> int:
    """`change`, as --user; its message is said once it is committed."""
    with run.as_user(write=True) as ctx:
        outcome = change(ctx)
    out(outcome.message)
    return 0


@on_centre
@click.option("--name", required=True)
@click.option("--email", required=True)
def add(run: Runner, centre: str, name: str, email: str) -> int:
    """Add a school coordinator (activate the centre)."""
    from hub_tui.services import coordinators as c

    return act(
        run, lambda ctx: c.add_coordinator(ctx, centre_number=centre, name=name, email=email)
    )


def on_centres(f: Callable[..., int]) -> click.Command:
    """A `coordinator` command on one CENTRE, several, or every centre of a --status."""
    f = click.argument("centres", metavar="CENTRE...", nargs=-1)(f)
    f = click.option(
        "--status",
        type=click.Choice(STATUSES),
        help="every centre of this status that you may see, instead of CENTRE...",
    )(f)
    f = click.option("--json", "as_json", is_flag=True, help="machine-readable output")(f)
    return coordinator.command()(user_option(pass_runner(f)))


def act_on_each(
    run: Runner,
    action: str,
    centres: tuple[str, ...],
    status: str | None,
    as_json: bool,
    reason: str | None = None,
) -> int:
    """One centre: as a single change. Several, or --status: each in its own transaction,
    a line (or a JSON object) for each, and exit 0 only if every one was changed."""
    from hub_tui.rules import Action
    from hub_tui.services import bulk

    context = click.get_current_context()
    if bool(centres) == bool(status):
        raise click.UsageError("give CENTRE... or --status, one or the other", ctx=context)
    kind = Action(action)
    if len(centres) == 1 and not as_json:
        return act(run, lambda ctx: bulk.change_one(ctx, kind, centres[0], reason=reason))
    numbers = bulk.centres_of(run.hub, run.user(), numbers=centres, status=status)
    with progress_bar(f"{kind.value} {len(numbers):,} centres") as progress:
        results = bulk.change_each(
            run.hub, run.user(), kind, numbers, reason=reason, progress=progress
        )
    if as_json:
        out_json([r.to_json() for r in results])
    else:
        for r in results:
            out(f"{r.centre_number}  {'done' if r.ok else 'refused'}  {r.message}")
    return 0 if all(r.ok for r in results) else 1


@on_centres
@click.option("--reason", metavar="TEXT", help="why, kept with each account")
def suspend(
    run: Runner, centres: tuple[str, ...], status: str | None, as_json: bool, reason: str | None
) -> int:
    """Suspend the coordinator: the whole centre loses access."""
    return act_on_each(run, "suspend", centres, status, as_json, reason)


@on_centres
def restore(run: Runner, centres: tuple[str, ...], status: str | None, as_json: bool) -> int:
    """Restore a suspended coordinator."""
    return act_on_each(run, "restore", centres, status, as_json)


@on_centres
def resend(run: Runner, centres: tuple[str, ...], status: str | None, as_json: bool) -> int:
    """Send a new invitation (the old code stops working)."""
    return act_on_each(run, "resend", centres, status, as_json)


@on_centre
@click.option("--existing", metavar="EMAIL", help="an active administrator of the centre")
@click.option("--name", help="a new coordinator's name (with --email)")
@click.option("--email", help="a new coordinator's e-mail address (with --name)")
def change(
    run: Runner, centre: str, existing: str | None, name: str | None, email: str | None
) -> int:
    """Change the coordinator: to an administrator of the centre, or to a new person."""
    from hub_tui.services import coordinators as c

    if existing and (name or email):
        raise click.UsageError(
            "coordinator change takes --existing EMAIL or --name and --email, not both",
            ctx=click.get_current_context(),
        )
    if existing:
        return act(run, lambda ctx: c.change_to_existing(ctx, centre_number=centre, email=existing))
    if not (name and email):
        raise click.UsageError(
            "coordinator change needs --existing EMAIL, or both --name and --email",
            ctx=click.get_current_context(),
        )
    return act(run, lambda ctx: c.change_to_new(ctx, centre_number=centre, name=name, email=email))
