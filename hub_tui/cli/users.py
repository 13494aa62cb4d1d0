"""`hub-tui users import|add-key|remove-key`."""

from __future__ import annotations

import click

from hub_tui.cli.output import out
from hub_tui.cli.runner import A_FILE, Runner, import_file, pass_runner, user_option


@click.group(no_args_is_help=False)
def users() -> None:
    """Import users, add and remove SSH keys."""


@users.command("import")
@click.argument("file", metavar="FILE.csv", type=A_FILE)
@user_option
@pass_runner
def import_(run: Runner, file: str) -> int:
    """Import name,email,role,centre_number,associate."""
    from hub_tui.services.imports import import_users

    return import_file(run, import_users, file, "Importing users")


@users.command("add-key")
@click.argument("email", metavar="EMAIL")
@click.argument("keyfile", metavar="KEYFILE", type=A_FILE)
@user_option
@pass_runner
def add_key(run: Runner, email: str, keyfile: str) -> int:
    """Let an SSH public key sign EMAIL in."""
    from pathlib import Path

    from hub_tui.services.keys import add_key_for, read_key_file

    key_text = read_key_file(Path(keyfile))
    with run.as_caller(write=True) as ctx:
        key = add_key_for(ctx, email, key_text)
    out(f"The key {key.fingerprint} now signs in {email.strip()}.")
    return 0


@users.command("remove-key")
@click.argument("email", metavar="EMAIL")
@click.argument("key", metavar="FINGERPRINT|KEYFILE")
@user_option
@pass_runner
def remove_key(run: Runner, email: str, key: str) -> int:
    """Stop a key signing EMAIL in: its SHA256:… fingerprint, or the public key file."""
    from pathlib import Path

    from hub_tui.services.keys import read_key_file, remove_key_for

    which = key if key.startswith("SHA256:") else read_key_file(Path(key))
    with run.as_caller(write=True) as ctx:
        fingerprint = remove_key_for(ctx, email, which)
    out(f"The key {fingerprint} no longer signs in {email.strip()}.")
    return 0
