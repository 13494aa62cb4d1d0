"""What the commands share: the settings and a lazily opened hub (`Runner`), and the
options several commands take (--user, --json/--csv, --limit)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click
from click.core import ParameterSource

from hub_tui.cli.output import out, progress_bar
from hub_tui.errors import HubError

if TYPE_CHECKING:  # the hub is opened only by commands that need the database
    from pathlib import Path

    from pydantic import ValidationError

    from hub_tui.config import Settings
    from hub_tui.progress import Progress
    from hub_tui.services.context import Ctx, Hub
    from hub_tui.services.imports import ImportResult

F = TypeVar("F", bound=Callable[..., Any])


class Importer(Protocol):
    def __call__(self, ctx: Ctx, path: Path, *, progress: Progress) -> ImportResult: ...


class BadSetting(HubError):
    """A HUB_* variable (or a line of .env) that the settings refuse."""


def setting_problem(exc: ValidationError) -> str:
    """One line naming the variable: `HUB_SMTP_PORT: Input should be a valid integer`."""
    from hub_tui.config import Settings

    errors = exc.errors()
    first = errors[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    field = Settings.model_fields.get(name)
    prefix = str(Settings.model_config.get("env_prefix", ""))
    if field is not None and field.alias:
        name = field.alias
    elif not name.upper().startswith(prefix):
        name = prefix + name
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"bad setting {name.upper()}: {first['msg']}{more}"


class Runner:
    """Settings and a lazily opened hub, shared by the commands (click's `ctx.obj`)."""

    def __init__(self, user: str | None = None) -> None:
        self.user_option = user  # --user, given before or after the command, or HUB_USER
        self._settings: Settings | None = None
        self._hub: Hub | None = None

    @property
    def settings(self) -> Settings:
        from pydantic import ValidationError

        from hub_tui.config import load_settings

        if self._settings is None:
            try:
                self._settings = load_settings()
            except ValidationError as exc:
                raise BadSetting(setting_problem(exc)) from None
        return self._settings

    @property
    def hub(self) -> Hub:
        from hub_tui.db import ensure_schema, make_engine
        from hub_tui.services.context import Hub

        if self._hub is None:
            engine = make_engine(self.settings.resolved_database_url)
            ensure_schema(engine)
            self._hub = Hub(self.settings, engine)
        return self._hub

    @property
    def email(self) -> str | None:
        return self.user_option or self.settings.user

    def as_caller(self, *, write: bool = False) -> AbstractContextManager[Ctx]:
        """As --user (or HUB_USER) when given, else as the operator at this machine."""
        email = self.email
        return self.hub.as_user(email, write=write) if email else self.hub.as_system(write=write)

    def as_user(self, *, write: bool = False) -> AbstractContextManager[Ctx]:
        """As --user (or HUB_USER), which must be given."""
        return self.hub.as_user(self.user(), write=write)

    def user(self) -> str:
        if not (email := self.email):
            raise HubError("Say who you are: --user EMAIL or HUB_USER.")
        return email


pass_runner = click.make_pass_decorator(Runner)

USER_HELP = "act as this user"


def _user_after_the_command(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # given here, it wins over the one before the command; from HUB_USER, it does not
    if value is not None and ctx.get_parameter_source("user") is ParameterSource.COMMANDLINE:
        ctx.find_object(Runner).user_option = value  # type: ignore[union-attr]


def user_option(f: F) -> F:
    """--user may stand after the command as well as before it."""
    return click.option(
        "--user",
        metavar="EMAIL",
        envvar="HUB_USER",
        show_envvar=True,
        expose_value=False,
        callback=_user_after_the_command,
        help=USER_HELP,
    )(f)


json_option = click.option("--json", "as_json", is_flag=True, help="machine-readable output")


def output_options(f: F) -> F:
    """--json or --csv (not both: see `output_format`)."""
    return json_option(
        click.option("--csv", "as_csv", is_flag=True, help="CSV for a spreadsheet")(f)
    )


def output_format(as_json: bool, as_csv: bool) -> str:
    """ "json", "csv" or "text". Both flags is wrong usage, said in the command's own context
    (so its usage is the one shown)."""
    if as_json and as_csv:
        ctx = click.get_current_context()
        raise click.UsageError("--json and --csv cannot be used together", ctx=ctx)
    return "json" if as_json else "csv" if as_csv else "text"


def limit_option(default: int, help: str | None = None) -> Callable[[F], F]:
    return click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        metavar="N",
        help=help,
    )


# a file to read (completed as a path); one that is missing or unreadable is a missing
# thing, refused with exit status 1 by the command that reads it, not wrong usage
A_FILE = click.Path()


def import_file(run: Runner, do: Importer, file: str, doing: str) -> int:
    """`centres import` or `users import`. Without --user it is the operator's own command,
    like `demo`; with one, the user must be support staff and is recorded as the importer."""
    from pathlib import Path

    from hub_tui.db import checkpoint

    with run.as_caller(write=True) as ctx, progress_bar(f"{doing} from {file}") as progress:
        result = do(ctx, Path(file), progress=progress)
    checkpoint(run.hub.engine)
    out(result.message)
    return 0
