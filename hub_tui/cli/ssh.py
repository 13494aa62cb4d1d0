"""`hub-tui ssh serve`."""

from __future__ import annotations

import click

from hub_tui.cli.runner import Runner, pass_runner


@click.group(no_args_is_help=False)
def ssh() -> None:
    """The SSH front end."""


@ssh.command()
@click.option("--host", metavar="H", help="address to listen on (default: HUB_SSH_HOST)")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    metavar="P",
    help="port (default: HUB_SSH_PORT)",
)
@pass_runner
def serve(run: Runner, host: str | None, port: int | None) -> int:
    """Serve the TUI over SSH."""
    from hub_tui import logs
    from hub_tui.ssh.server import serve

    logs.to_stderr(run.settings.log_level)
    return serve(run.hub, host=host, port=port)
