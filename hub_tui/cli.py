"""The `hub-tui` command line. Exit 0 done, 1 refused by a rule, 2 wrong usage."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from hub_tui.config import Settings, load_settings
from hub_tui.errors import HubError
from hub_tui.models import CentreStatus, MailStatus, person_label

R = TypeVar("R")
T = TypeVar("T")

if TYPE_CHECKING:  # the hub is opened only by commands that need the database
    from hub_tui.services.context import Ctx, Hub

Handler = Callable[["Runner", argparse.Namespace], int]


class Runner:
    """Settings and a lazily opened hub, shared by the command handlers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._hub: Hub | None = None

    @property
    def hub(self) -> Hub:
        from hub_tui.db import ensure_schema, make_engine
        from hub_tui.services.context import Hub

        if self._hub is None:
            engine = make_engine(self.settings.resolved_database_url)
            ensure_schema(engine)
            self._hub = Hub(self.settings, engine)
        return self._hub

    def as_caller(
        self, args: argparse.Namespace, *, write: bool = False
    ) -> AbstractContextManager[Ctx]:
        """As --user (or HUB_USER) when given, else as the operator at this machine."""
        email = getattr(args, "user", None) or self.settings.user
        return self.hub.as_user(email, write=write) if email else self.hub.as_system(write=write)

    def user(self, args: argparse.Namespace) -> str:
        email = getattr(args, "user", None) or self.settings.user
        if not email:
            raise HubError("Say who you are: --user EMAIL or HUB_USER.")
        return str(email)


def printable_lines(text: str) -> str:
    from hub_tui.validation import printable

    return "\n".join(printable(line) for line in text.splitlines())


def out(text: str) -> None:
    print(printable_lines(text))


def out_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=True))


# -- handlers -----------------------------------------------------------------


def cmd_tui(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.app import run_tui

    return run_tui(run.hub, run.user(args))


def cmd_db_upgrade(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.db import make_engine, upgrade

    upgrade(make_engine(run.settings.resolved_database_url))
    print("The database is up to date.")
    return 0


def cmd_demo(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.db import checkpoint
    from hub_tui.demo import is_empty, load_demo

    with run.hub.as_system(write=True) as ctx:
        if args.if_empty and not is_empty(ctx):
            print("The database already has data; demo not loaded.")
            return 0
        message = load_demo(ctx, centres=args.centres)
    checkpoint(run.hub.engine)
    print(message)
    return 0


def cmd_centres_list(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.services.centres import list_centres

    with run.hub.as_user(run.user(args)) as ctx:
        found = list_centres(ctx, search=args.search, status=args.status, limit=args.limit + 1)
    rows = shown(found, args.limit, "use --limit or --search to see others")
    if args.json:
        out_json([r.to_json() for r in rows])
        return 0
    table = [("NUMBER", "NAME", "COUNTRY", "COORDINATOR", "STATUS")] + [
        (r.centre_number, r.name, r.country, r.coordinator.name if r.coordinator else "—", r.status)
        for r in rows
    ]
    widths = [min(40, max(len(row[i]) for row in table)) for i in range(5)]
    for row in table:
        out("  ".join(cell[:w].ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def shown(rows: list[T], limit: int, hint: str) -> list[T]:
    """The first `limit` of `rows` (asked for one more), saying on stderr if there are more:
    a listing cut short says so, and `--json` output stays a plain list."""
    if len(rows) > limit:
        print(f"(the first {limit} are shown; {hint})", file=sys.stderr)
    return rows[:limit]


def cmd_centres_show(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.services.centres import centre_detail

    with run.hub.as_user(run.user(args)) as ctx:
        detail = centre_detail(ctx, args.centre)
    if args.json:
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
    if detail.invitation:
        expired = row.status == CentreStatus.INVITATION_EXPIRED
        lines.append(detail.invitation.describe(expired=expired))
    if s := detail.suspension:
        lines.append(s.describe())
    lines.append(f"People ({detail.people_with_access} of {len(detail.people)} with access):")
    lines += [
        f"  {'*' if p.is_coordinator else ' '} {person_label(p.person.name, p.person.email)}  "
        f"{p.person.role}, {p.person.status}, {'access' if p.has_access else 'no access'}"
        for p in detail.people
    ]
    out("\n".join(lines))
    return 0


def _import(kind: str) -> Handler:
    def handler(run: Runner, args: argparse.Namespace) -> int:
        from hub_tui.db import checkpoint
        from hub_tui.services import imports

        do = imports.import_centres if kind == "centres" else imports.import_users
        # without --user it is the operator's own command, like `demo`; with one, the user
        # must be support staff and is recorded as the importer
        with run.as_caller(args, write=True) as ctx:
            result = do(ctx, Path(args.file))
        checkpoint(run.hub.engine)
        out(result.message)
        return 0

    return handler


def _coordinator(action: str) -> Handler:
    def handler(run: Runner, args: argparse.Namespace) -> int:
        from hub_tui.services import coordinators as c

        with run.hub.as_user(run.user(args), write=True) as ctx:
            number = args.centre
            if action == "add":
                outcome = c.add_coordinator(
                    ctx, centre_number=number, name=args.name, email=args.email
                )
            elif action == "suspend":
                outcome = c.suspend(ctx, centre_number=number, reason=args.reason)
            elif action == "restore":
                outcome = c.restore(ctx, centre_number=number)
            elif action == "resend":
                outcome = c.resend_invitation(ctx, centre_number=number)
            elif args.existing:
                outcome = c.change_to_existing(ctx, centre_number=number, email=args.existing)
            else:
                outcome = c.change_to_new(
                    ctx, centre_number=number, name=args.name, email=args.email
                )
        out(outcome.message)
        return 0

    return handler


def cmd_invite_accept(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.services.invitations import accept
    from hub_tui.services.keys import read_key_file

    key = read_key_file(Path(args.ssh_key)) if args.ssh_key else None
    with run.hub.as_system(write=True) as ctx:
        user, centre = accept(ctx, args.code, ssh_key=key)
    out(f"Welcome, {user.name}: your account for {centre.centre_number} is set up.")
    if key:
        out("Your SSH key now signs you in.")
    return 0


def cmd_users_add_key(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.services.keys import add_key_for, read_key_file

    key_text = read_key_file(Path(args.keyfile))
    with run.as_caller(args, write=True) as ctx:
        key = add_key_for(ctx, args.email, key_text)
    out(f"The key {key.fingerprint} now signs in {args.email.strip()}.")
    return 0


def cmd_users_remove_key(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.services.keys import read_key_file, remove_key_for

    key = args.key if args.key.startswith("SHA256:") else read_key_file(Path(args.key))
    with run.as_caller(args, write=True) as ctx:
        fingerprint = remove_key_for(ctx, args.email, key)
    out(f"The key {fingerprint} no longer signs in {args.email.strip()}.")
    return 0


def cmd_ssh_serve(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.ssh.server import serve

    return serve(run.hub, host=args.host, port=args.port)


def cmd_mail_list(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.formatting import utc_text
    from hub_tui.services.outbox import list_mail

    with run.hub.as_user(run.user(args)) as ctx:
        found = list_mail(ctx, status=args.status, limit=args.limit + 1)
    rows = shown(found, args.limit, "use --limit or --status to see others")
    if args.json:
        out_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        when = f" next {utc_text(r.next_attempt_at)}" if r.next_attempt_at else ""
        if r.claimed_until:
            when = f" by {r.claimed_by} until {r.claimed_until:%H:%M:%S} UTC"
        error = f"  [{r.last_error}]" if r.last_error else ""
        out(f"{r.status:<7} {r.attempts}x{when}  {r.kind:<15} {r.to}  {r.subject}{error}")
    return 0


def cmd_mail_deliver(run: Runner, args: argparse.Namespace) -> int:
    import asyncio
    from collections.abc import Coroutine

    from hub_tui.mail.transport import describe
    from hub_tui.mail.worker import Deliverer, Report
    from hub_tui.signals import on_stop_signals

    deliverer = Deliverer(run.hub.engine, run.settings)
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

    if not args.once:
        asyncio.run(
            until_stopped(deliverer.run_forever(connections=args.connections, on_report=summary))
        )
        return 0
    report = asyncio.run(until_stopped(deliverer.deliver_due(connections=args.connections)))
    summary(report)
    if report.stopped:
        raise HubError("Stopped; what was not sent stays queued.")
    if report.unreachable:
        raise HubError(
            f"Could not reach the mail server ({report.unreachable}); "
            "the messages stay queued and will be retried."
        )
    return 0


def cmd_audit(run: Runner, args: argparse.Namespace) -> int:
    from hub_tui.formatting import utc_text
    from hub_tui.services import audit
    from hub_tui.services.centres import find_centre

    with run.hub.as_user(run.user(args)) as ctx:
        centre_id = find_centre(ctx, args.centre).id if args.centre else None
        found = audit.list_events(ctx, centre_id=centre_id, limit=args.limit + 1)
    rows = shown(found, args.limit, "use --limit or --centre to see others")
    if args.json:
        out_json([r.to_json() for r in rows])
        return 0
    for r in rows:
        out(
            f"{utc_text(r.at)}  {r.actor}  {r.action}  {r.centre or '-'}  {r.target or ''}"
            + (f"  ({r.detail})" if r.detail else "")
        )
    return 0


# -- parser -------------------------------------------------------------------


def at_least(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high}")
        return value

    return parse


positive = at_least(1)
port_number = at_least(1, 65535)


def build_parser() -> argparse.ArgumentParser:
    # --user may stand before or after the command: the leaves get a copy that keeps
    # the top-level value unless given
    user = argparse.ArgumentParser(add_help=False)
    user.add_argument(
        "--user",
        metavar="EMAIL",
        default=argparse.SUPPRESS,
        help="act as this user (default: HUB_USER)",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="machine-readable output")

    parser = argparse.ArgumentParser(
        prog="hub-tui",
        description="Administer a School Support Hub's school coordinators.",
        parents=[user],
    )
    parser.set_defaults(handler=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def leaf(
        group: Any, name: str, handler: Handler, help: str, *parents: argparse.ArgumentParser
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(name, help=help, parents=list(parents))
        p.set_defaults(handler=handler)
        return p

    def group(name: str, help: str) -> Any:
        p = sub.add_parser(name, help=help)
        p.set_defaults(handler=lambda _r, _a, p=p: _usage(p))
        return p.add_subparsers(title="commands", metavar="COMMAND")

    p = leaf(sub, "demo", cmd_demo, "load demo data into an empty database")
    p.add_argument(
        "--centres",
        type=at_least(len(CentreStatus)),
        default=60,
        metavar="N",
        help="how many centres (at least one in each status)",
    )
    p.add_argument("--if-empty", action="store_true", help="do nothing if there is data")

    db = group("db", "the database")
    leaf(db, "upgrade", cmd_db_upgrade, "apply migrations")

    centres = group("centres", "list, show and import centres")
    p = leaf(centres, "list", cmd_centres_list, "list or search centres", user, as_json)
    p.add_argument("--search", metavar="TEXT")
    p.add_argument("--status", choices=[s.value for s in CentreStatus])
    p.add_argument("--limit", type=positive, default=100, metavar="N")
    p = leaf(centres, "show", cmd_centres_show, "one centre and its people", user, as_json)
    p.add_argument("centre", metavar="CENTRE")
    p = leaf(
        centres, "import", _import("centres"), "import centre_number,name,country,associate", user
    )
    p.add_argument("file", metavar="FILE.csv")

    users = group("users", "import users, add and remove SSH keys")
    p = leaf(
        users, "import", _import("users"), "import name,email,role,centre_number,associate", user
    )
    p.add_argument("file", metavar="FILE.csv")
    p = leaf(users, "add-key", cmd_users_add_key, "let an SSH public key sign EMAIL in", user)
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("keyfile", metavar="KEYFILE")
    p = leaf(users, "remove-key", cmd_users_remove_key, "stop a key signing EMAIL in", user)
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("key", metavar="FINGERPRINT|KEYFILE", help="SHA256:… or the public key file")

    coord = group("coordinator", "change a centre's school coordinator")
    for action, help in (
        ("add", "add a school coordinator (activate the centre)"),
        ("suspend", "suspend the coordinator: the whole centre loses access"),
        ("restore", "restore a suspended coordinator"),
        ("resend", "send a new invitation (the old code stops working)"),
        ("change", "change the coordinator"),
    ):
        p = leaf(coord, action, _coordinator(action), help, user)
        p.add_argument("centre", metavar="CENTRE")
        if action == "add":
            p.add_argument("--name", required=True)
            p.add_argument("--email", required=True)
        elif action == "suspend":
            p.add_argument("--reason", metavar="TEXT")
        elif action == "change":
            p.set_defaults(check=check_change)
            p.add_argument(
                "--existing", metavar="EMAIL", help="an active administrator of the centre"
            )
            p.add_argument("--name")
            p.add_argument("--email")

    invite = group("invite", "invitations")
    p = leaf(invite, "accept", cmd_invite_accept, "set up an invited account")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--ssh-key", metavar="FILE", help="the public key to sign in with over SSH")

    mail = group("mail", "the outbox")
    p = leaf(mail, "list", cmd_mail_list, "list messages", user, as_json)
    p.add_argument("--status", choices=[s.value for s in MailStatus])
    p.add_argument("--limit", type=positive, default=500, metavar="N", help="newest N (500)")
    p = leaf(mail, "deliver", cmd_mail_deliver, "deliver the outbox")
    p.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    p.add_argument(
        "--connections",
        type=positive,
        default=1,
        metavar="N",
        help="parallel SMTP connections (default 1)",
    )

    ssh = group("ssh", "the SSH front end")
    p = leaf(ssh, "serve", cmd_ssh_serve, "serve the TUI over SSH")
    p.add_argument("--host", metavar="H", help="address to listen on (default: HUB_SSH_HOST)")
    p.add_argument("--port", type=port_number, metavar="P", help="port (default: HUB_SSH_PORT)")

    p = leaf(sub, "audit", cmd_audit, "the audit log", user, as_json)
    p.add_argument("--centre", metavar="CENTRE")
    p.add_argument("--limit", type=positive, default=500, metavar="N", help="newest N (500)")
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: choose a command", file=sys.stderr)
    return 2


def check_change(args: argparse.Namespace) -> str | None:
    if args.existing and (args.name or args.email):
        return "coordinator change takes --existing EMAIL or --name and --email, not both"
    if not args.existing and not (args.name and args.email):
        return "coordinator change needs --existing EMAIL, or both --name and --email"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = args.check(args) if hasattr(args, "check") else None
    if problem:
        parser.error(problem)
    try:
        run = Runner(load_settings())
        code: int = args.handler(run, args)
        return code
    except HubError as exc:
        print(printable_lines(f"hub-tui: {exc.message}"), file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be made, a file that cannot be read
        if isinstance(exc, BrokenPipeError):  # `hub-tui … | head`: the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        print(printable_lines(f"hub-tui: {exc}"), file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(
            f"hub-tui: bad configuration: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}",
            file=sys.stderr,
        )
        return 1
    except SQLAlchemyError as exc:  # e.g. a file that is not a database; a clash mid-import
        from hub_tui.db import short_error

        print(printable_lines(f"hub-tui: database error: {short_error(exc)}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
