"""`hub-tui users list|show|add|suspend|restore|import|add-key|remove-key`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from hub_tui.cli.output import out, out_data, out_json, shown
from hub_tui.cli.runner import (
    A_FILE,
    Runner,
    import_file,
    limit_option,
    output_format,
    output_options,
    pass_runner,
    user_option,
)
from hub_tui.models import ADMIN_ROLES, AccountStatus

if TYPE_CHECKING:
    from hub_tui.services.coordinators import Outcome

ROLES = click.Choice(sorted(r.value for r in ADMIN_ROLES))
# the columns of `users list --csv`: the fields of an account's JSON
COLUMNS = ("name", "email", "role", "status", "associate", "centre")


@click.group(no_args_is_help=False)
def users() -> None:
    """Support staff and associate coordinators; imports; SSH keys."""


def change(run: Runner, fn: Callable[..., Outcome], **how: Any) -> int:
    """One change to an account, as the acting user; its outcome in one line."""
    with run.as_user(write=True) as ctx:
        outcome = fn(ctx, **how)
    out(outcome.message)
    return 0


@users.command("list")
@click.option("--role", type=ROLES, help="only this role")
@click.option("--status", type=click.Choice([s.value for s in AccountStatus]), help="only these")
@limit_option(500)
@output_options
@user_option
@pass_runner
def list_(
    run: Runner, role: str | None, status: str | None, limit: int, as_json: bool, as_csv: bool
) -> int:
    """The accounts of support staff and associate coordinators (support only)."""
    from hub_tui.services.accounts import list_accounts

    form = output_format(as_json, as_csv)
    with run.as_user() as ctx:
        found = list_accounts(ctx, role=role, status=status, limit=limit + 1)
    rows = shown(found, limit, "use --limit, --role or --status to see others")
    if out_data(form, rows, COLUMNS):
        return 0
    for r in rows:
        where = f"  {r.associate}" if r.associate else ""
        out(f"{r.email}  {r.name}  {r.role}{where}  {r.status}  keys: {r.keys}")
    return 0


@users.command("show")
@click.argument("email", metavar="EMAIL")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@user_option
@pass_runner
def show(run: Runner, email: str, as_json: bool) -> int:
    """One account: its role, status, keys and suspension (support only)."""
    from hub_tui.formatting import role_label, utc_text
    from hub_tui.services.accounts import show_account

    with run.as_user() as ctx:
        a = show_account(ctx, email)
    if as_json:
        out_json(a.to_json())
        return 0
    lines = [f"{a.name} <{a.email}>", f"Role: {role_label(a.role)}    Status: {a.status}"]
    if a.associate:
        lines.append(f"Associate: {a.associate}")
    if a.centre:
        lines.append(f"Centre: {a.centre}")
    if s := (a.suspension or a.last_suspension):
        text = f"Suspended {utc_text(s.at)} by {s.by}" + (f": {s.reason}" if s.reason else "")
        if s.restored_at is not None:
            text += f"; restored {utc_text(s.restored_at)} by {s.restored_by}"
        lines.append(text)
    lines.append(f"SSH keys: {len(a.keys)}")
    lines += [f"  {fingerprint}" for fingerprint in a.keys]
    out("\n".join(lines))
    return 0


@users.command("add")
@click.option("--name", required=True, help="their full name")
@click.option("--email", required=True, help="their e-mail address: the invitation goes there")
@click.option("--role", type=ROLES, required=True)
@click.option("--associate", metavar="NAME", help="an associate coordinator's associate")
@user_option
@pass_runner
def add(run: Runner, name: str, email: str, role: str, associate: str | None) -> int:
    """Invite a new member of support staff or associate coordinator (support only)."""
    from hub_tui.services.accounts import add_account

    with run.as_user(write=True) as ctx:
        outcome = add_account(ctx, name=name, email=email, role=role, associate=associate)
    out(outcome.message)
    return 0


@users.command("resend")
@click.argument("email", metavar="EMAIL")
@user_option
@pass_runner
def resend(run: Runner, email: str) -> int:
    """A new invitation for an account not yet set up; the old code stops working."""
    from hub_tui.services import accounts

    return change(run, accounts.resend_invitation, email=email)


@users.command("suspend")
@click.argument("email", metavar="EMAIL")
@click.option("--reason", help="why, kept with the account")
@user_option
@pass_runner
def suspend(run: Runner, email: str, reason: str | None) -> int:
    """Stop an account signing in anywhere; its live sessions end (support only)."""
    from hub_tui.services import accounts

    return change(run, accounts.suspend_account, email=email, reason=reason)


@users.command("restore")
@click.argument("email", metavar="EMAIL")
@user_option
@pass_runner
def restore(run: Runner, email: str) -> int:
    """Let a suspended account sign in again (support only)."""
    from hub_tui.services import accounts

    return change(run, accounts.restore_account, email=email)


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
