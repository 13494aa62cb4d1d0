"""The `hub-tui` command line: a click application, one module a command group.

Exit 0 done; 1 refused by a rule or a missing thing (one line on stderr); 2 wrong usage
(the usage of the command that was wrong, then the problem). Without a command: the TUI.

Click rather than typer: click is small, typed, and gives completion and the environment
variables in --help; typer would be a layer over click for little gain here.

Shell completion, the click way (bash; zsh_source and fish_source for those shells):

    eval "$(_HUB_TUI_COMPLETE=bash_source hub-tui)"

A command's module is imported only when it runs (`Commands.get_command`), and each
command imports what it needs inside its function: `hub-tui centres show X` starts as fast
as it did on argparse (371 ms before, 373 ms after, median of 25 each, run in turn), and
nothing but the TUI imports Textual.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from hub_tui.cli.output import err, printable_lines
from hub_tui.cli.runner import USER_HELP, Runner
from hub_tui.errors import HubError
from hub_tui.validation import printable

PROG = "hub-tui"
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EPILOG = """\b
Settings come from HUB_* environment variables (or a .env file), among them
HUB_DATABASE_URL, HUB_SMTP_HOST, HUB_SMTP_PORT, HUB_MAIL_FROM, HUB_INVITE_TTL_HOURS,
HUB_SSH_HOST, HUB_SSH_PORT, HUB_SECRET_KEY_FILE and HUB_LOG_LEVEL; docs/configuration.md
has them all.

\b
Shell completion (bash): eval "$(_HUB_TUI_COMPLETE=bash_source hub-tui)"
"""


# each command's module, imported only when that command is run (or --help lists them all)
COMMANDS = {
    "audit": "audit",
    "centres": "centres",
    "coordinator": "coordinator",
    "db": "db",
    "demo": "db",
    "invite": "invite",
    "mail": "mail",
    "ssh": "ssh",
    "users": "users",
}


class Commands(click.Group):
    """The top-level group: its commands loaded lazily, and what a command raises said in
    one line with its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
        command: click.Command = getattr(module, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        from pydantic import ValidationError
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().invoke(ctx)
        except HubError as exc:
            return refused(exc.message)
        except OSError as exc:  # a folder that cannot be made, a file that cannot be read
            if isinstance(exc, BrokenPipeError):  # `hub-tui … | head`: the reader has gone
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return 0
            return refused(str(exc))
        except ValidationError as exc:  # the settings' are caught as they load: BadSetting
            first = exc.errors()[0]
            return refused(f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
        except SQLAlchemyError as exc:  # e.g. a file that is not a database; a clash mid-import
            from hub_tui.db import short_error

            return refused(f"database error: {short_error(exc)}")
        except KeyboardInterrupt:
            return 130


def refused(message: str) -> int:
    err(f"{PROG}: {message}")
    return 1


@click.group(
    cls=Commands,
    invoke_without_command=True,
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@click.version_option(package_name="hub-tui", prog_name=PROG, message="%(prog)s %(version)s")
@click.option(
    "--user",
    metavar="EMAIL",
    envvar="HUB_USER",
    show_envvar=True,
    help=f"{USER_HELP} (before or after the command)",
)
@click.option(
    "--demo-if-empty",
    is_flag=True,
    help="the TUI, after loading the demo data if the database has none (as `make run`)",
)
@click.pass_context
def hub(ctx: click.Context, user: str | None, demo_if_empty: bool) -> int | None:
    """Administer a School Support Hub's school coordinators.

    Without a command: the TUI, as --user.
    """
    ctx.obj = run = Runner(user)
    if ctx.invoked_subcommand is not None:
        if demo_if_empty:
            raise click.UsageError("--demo-if-empty goes with the TUI, not with a command")
        gc.enable()  # the program has loaded (see main): a command collects as usual
        return None
    from hub_tui.tui import open_tui, starting

    if demo_if_empty:  # one program, not three: `make run` opens as fast as `hub-tui` does
        from hub_tui.cli.db import load

        run.user()  # refused before anything is written
        gc.enable()  # a load makes garbage: collected, not frozen in with the program
        if (summary := load(run, if_empty=True)) is not None:
            print(summary)
        run.hub.engine.dispose()  # the TUI opens its own

    with starting():  # the settings, too, load as fast as they can
        from hub_tui import logs

        email = run.user()
        logs.to_file(run.settings.log_file, run.settings.log_level)  # the screen is stderr
    return open_tui(run.settings, email)


def not_utf8(arg: str) -> str | None:
    """How to show `arg` if it is not valid UTF-8 (Python decodes such an argv with
    surrogateescape, leaving lone surrogates); None if it is."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return repr(arg.encode("utf-8", "surrogateescape"))[1:]
        except UnicodeEncodeError:
            return ascii(arg)
    return None


def show_usage_error(exc: click.UsageError) -> None:
    """As click shows it, but no control character in what the user typed reaches the
    terminal raw (an argument may carry ESC sequences: OSC 52 writes the clipboard)."""
    lines = []
    if exc.ctx is not None:
        lines += [exc.ctx.get_usage(), f"Try '{exc.ctx.command_path} --help' for help.", ""]
    lines.append(f"Error: {printable(exc.format_message())}")
    print(printable_lines("\n".join(lines)), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on `argv` (default: sys.argv[1:]) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    for arg in args:
        if (shown := not_utf8(arg)) is not None:
            err(f"{PROG}: an argument is not valid UTF-8: {shown}")
            return 2
    collecting = gc.isenabled()
    gc.disable()  # while the program loads: see hub_tui.tui.starting
    try:
        code = hub.main(args, prog_name=PROG, standalone_mode=False)
    except click.UsageError as exc:
        show_usage_error(exc)
        return exc.exit_code
    except click.ClickException as exc:
        err(f"{PROG}: {exc.format_message()}")
        return exc.exit_code
    except click.Abort:  # ^C outside a command
        return 130
    finally:
        if collecting:
            gc.enable()
    return code if isinstance(code, int) else 0


def run() -> None:
    """The `hub-tui` script."""
    sys.exit(main())
