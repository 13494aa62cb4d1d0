"""`hub-tui invite accept CODE`."""

from __future__ import annotations

import click

from hub_tui.cli.output import out
from hub_tui.cli.runner import A_FILE, Runner, pass_runner


@click.group(no_args_is_help=False)
def invite() -> None:
    """Invitations."""


@invite.command()
@click.argument("code", metavar="CODE")
@click.option("--ssh-key", metavar="FILE", type=A_FILE, help="the public key to sign in with")
@pass_runner
def accept(run: Runner, code: str, ssh_key: str | None) -> int:
    """Set up an invited account."""
    from pathlib import Path

    from hub_tui.services.invitations import accept
    from hub_tui.services.keys import read_key_file

    key = read_key_file(Path(ssh_key)) if ssh_key else None
    with run.hub.as_system(write=True) as ctx:
        accepted = accept(ctx, code, ssh_key=key)
    out(f"Welcome, {accepted.user.name}: {accepted.account} is set up.")
    if key:
        out("Your SSH key now signs you in.")
    return 0
