"""`hub-tui mail list|deliver`: the outbox."""

from __future__ import annotations

from typing import TypeVar

import click

from hub_tui.cli.output import out, out_json, shown
from hub_tui.cli.runner import Runner, json_option, limit_option, pass_runner, user_option
from hub_tui.errors import HubError
from hub_tui.models import MailStatus

R = TypeVar("R")


@click.group(no_args_is_help=False)
def mail() -> None:
    """The outbox."""


@mail.command("list")
@click.option("--status", type=click.Choice([s.value for s in MailStatus]))
@limit_option(500, "newest N")
@json_option
@user_option
@pass_runner
def list_(run: Runner, status: str | None, limit: int, as_json: bool) -> int:
    """List messages, newest first."""
    from hub_tui.formatting import utc_text
    from hub_tui.services.outbox import list_mail

    with run.as_user() as ctx:
        found = list_mail(ctx, status=status, limit=limit + 1)
    rows = shown(found, limit, "use --limit or --status to see others")
    if as_json:
        out_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        when = f" next {utc_text(r.next_attempt_at)}" if r.next_attempt_at else ""
        if r.claimed_until:
            when = f" by {r.claimed_by} until {r.claimed_until:%H:%M:%S} UTC"
        error = f"  [{r.last_error}]" if r.last_error else ""
        out(f"{r.status:<7} {r.attempts}x{when}  {r.kind:<20} {r.to}  {r.subject}{error}")
    return 0


@mail.command()
@click.option("--once", is_flag=True, help="deliver what is due, then exit")
@click.option(
    "--connections",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="parallel SMTP connections",
)
@pass_runner
def deliver(run: Runner, once: bool, connections: int) -> int:
    """Deliver the outbox: what is due, or (without --once) until stopped."""
    import asyncio
    import sys
    from collections.abc import Coroutine

    from hub_tui import logs
    from hub_tui.delivery import deliverer as make_deliverer
    from hub_tui.mail.transport import describe
    from hub_tui.mail.worker import Report
    from hub_tui.signals import on_stop_signals

    logs.to_stderr(run.settings.log_level)
    deliverer = make_deliverer(run.hub)
    print(describe(run.settings), file=sys.stderr)

    def summary(report: Report) -> None:
        out(f"Sent {report.sent}, failed {report.failed}, to retry later {report.retrying}.")
        for error in report.errors:
            out(f"  {error}")

    async def until_stopped(work: Coroutine[object, object, R]) -> R:
        """`work`, stopped by SIGTERM or SIGINT (a service manager stopping the worker): no
        new message is begun, the one being sent is finished and every outcome recorded,
        and claimed messages not yet tried are given back at once."""
        on_stop_signals(deliverer.stop)
        return await work

    if not once:
        asyncio.run(
            until_stopped(deliverer.run_forever(connections=connections, on_report=summary))
        )
        return 0
    report = asyncio.run(until_stopped(deliverer.deliver_due(connections=connections)))
    summary(report)
    if report.stopped:
        raise HubError("Stopped; what was not sent stays queued.")
    if report.unreachable:
        raise HubError(
            f"Could not reach the mail server ({report.unreachable}); "
            "the messages stay queued and will be retried."
        )
    return 0
