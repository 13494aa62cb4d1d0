"""`hub-tui coordinator add|suspend|restore|resend|change`: a centre's school coordinator."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from hub_tui.cli.output import out
from hub_tui.cli.runner import Runner, pass_runner, user_option

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


@on_centre
@click.option("--reason", metavar="TEXT")
def suspend(run: Runner, centre: str, reason: str | None) -> int:
    """Suspend the coordinator: the whole centre loses access."""
    from hub_tui.services import coordinators as c

    return act(run, lambda ctx: c.suspend(ctx, centre_number=centre, reason=reason))


@on_centre
def restore(run: Runner, centre: str) -> int:
    """Restore a suspended coordinator."""
    from hub_tui.services import coordinators as c

    return act(run, lambda ctx: c.restore(ctx, centre_number=centre))


@on_centre
def resend(run: Runner, centre: str) -> int:
    """Send a new invitation (the old code stops working)."""
    from hub_tui.services import coordinators as c

    return act(run, lambda ctx: c.resend_invitation(ctx, centre_number=centre))


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
