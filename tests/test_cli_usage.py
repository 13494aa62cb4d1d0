"""The command line's usage: --version, --help, usage errors in the subcommand's words, and
input that must not reach the terminal raw (not UTF-8; escape sequences); --csv."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from hub_tui.cli import main
from tests.conftest import Cli
from tests.world import SUPPORT, World

OSC52 = "\x1b]52;c;aGk=\x07"  # writes "hi" to the terminal's clipboard, if echoed raw
RUN = [sys.executable, "-m", "hub_tui"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"hub-tui {version('hub-tui')}\n", "")


def test_help_shows_the_environment_variables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "HUB_USER" in out and "_HUB_TUI_COMPLETE=bash_source" in out
    assert "HUB_DATABASE_URL" in out and "HUB_SMTP_HOST" in out
    code, out, _ = run(capsys, "centres", "list", "--help")
    assert code == 0 and "HUB_USER" in out and "--csv" in out


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (("centres", "list", "--limit", "0"), "Usage: hub-tui centres list [OPTIONS]\n"),
        (("coordinator", "change", "GB002"), "Usage: hub-tui coordinator change [OPTIONS] CENTRE"),
        (("audit", "--json", "--csv"), "Usage: hub-tui audit [OPTIONS]\n"),
        (("users", "add-key", "a@x.org"), "Usage: hub-tui users add-key"),
        (("coordinator",), "Usage: hub-tui coordinator [OPTIONS] COMMAND"),
    ],
)
def test_a_usage_error_shows_the_subcommands_usage(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], usage: str
) -> None:
    code, out, err = run(capsys, "--user", SUPPORT, *args)
    assert (code, out) == (2, "")
    assert err.startswith(usage) and "Error: " in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("centres", "list", "--search", "x\udced\udca0\udc80"),  # b"x\xed\xa0\x80" as Python has it
        ("--user", "\udcff@x.org", "centres", "list"),
        ("users", "add-key", "a@x.org", "key\udcff.pub"),
    ],
)
def test_an_argument_that_is_not_utf8_is_wrong_usage(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert "not valid UTF-8" in err and err.count("\n") == 1 and "\\x" in err


def test_bytes_that_are_not_utf8_in_argv(tmp_path: Path) -> None:
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}"}
    done = subprocess.run(
        [*RUN, "--user", SUPPORT, "centres", "list", "--search", b"x\xed\xa0\x80"],
        env=env,
        capture_output=True,
    )
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr
    assert b"'x\\xed\\xa0\\x80'" in done.stderr  # shown escaped, as the bytes it was
    assert not (tmp_path / "hub.db").exists()  # refused before anything was opened


@pytest.mark.parametrize(
    "args",
    [
        (OSC52,),  # no such command
        ("centres", "list", f"--x{OSC52}"),  # no such option
        ("centres", "list", "--status", OSC52),  # not a choice
        ("centres", "list", OSC52),  # an extra argument
        ("mail", "deliver", "--connections", OSC52),  # not a number
    ],
)
def test_an_escape_sequence_in_an_argument_is_not_echoed(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b]52" in err  # but shown, escaped: the user can see what was wrong


def test_a_bad_setting_names_its_variable(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUB_SMTP_PORT", "twenty-five")
    code, out, err = run(capsys, "--user", SUPPORT, "centres", "list")
    assert (code, out) == (1, "")
    assert err.startswith("hub-tui: bad setting HUB_SMTP_PORT: Input should be a valid integer")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("HUB_SMTP_PORT", "70000", "less than or equal to 65535"),
        ("HUB_SSH_IDLE_MINUTES", "0", "greater than 0"),
        ("HUB_SSH_IDLE_MINUTES", "nan", "a finite number"),
        ("HUB_SSH_IDLE_MINUTES", "-1", "greater than 0"),
        ("HUB_SSH_MAX_SESSIONS", "0", "greater than or equal to 1"),
        ("HUB_MAIL_LEASE_SECONDS", "1", "greater than or equal to 5"),
        ("HUB_LOG_LEVEL", "LOUD", "'DEBUG', 'INFO', 'WARNING' or 'ERROR'"),
    ],
)
def test_a_number_out_of_range_stops_with_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    problem: str,
) -> None:
    monkeypatch.setenv(variable, value)
    code, out, err = run(capsys, "--user", SUPPORT, "centres", "list")
    assert (code, out) == (1, "")
    assert err.startswith(f"hub-tui: bad setting {variable}: ") and problem in err
    assert err.count("\n") == 1


def test_an_empty_setting_means_not_set(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_SMTP_PORT", "")
    code, out, _ = cli("--user", SUPPORT, "centres", "list")
    assert code == 0 and "GB001" in out


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_centres_list_csv(cli, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = tmp_path / "c.csv"
    names.write_text(
        'FR001,"=HYPERLINK(""http://x"",""y"")",France,North\n'
        "FR002,@SUM(A1),France,North\n"
        "FR003,-2+3,France,North\n"
        "FR004,+33 Lycée,France,North\n"
    )
    assert cli("centres", "import", str(names))[0] == 0
    code, out, _ = cli("--user", SUPPORT, "centres", "list", "--csv")
    rows = read_csv(out)
    assert code == 0 and rows[0] == [
        "centre_number",
        "name",
        "country",
        "associate",
        "status",
        "coordinator_name",
        "coordinator_email",
        "coordinator_status",
    ]
    by_number = {r[0]: r for r in rows[1:]}
    assert [by_number[f"FR00{i}"][1] for i in range(1, 5)] == [
        '\'=HYPERLINK("http://x","y")',
        "'@SUM(A1)",
        "'-2+3",
        "'+33 Lycée",
    ]
    assert by_number[world.active][5:] == ["Cora Coord", world.coordinator, "active"]
    assert by_number[world.empty][4:] == ["not_activated", "", "", ""]
    assert len(rows) == 1 + 9  # the world's five (one the south's) and the four imported


def test_audit_csv(cli, world: World) -> None:  # type: ignore[no-untyped-def]
    u = ("--user", SUPPORT)
    assert cli(*u, "coordinator", "suspend", world.active, "--reason", "=fees")[0] == 0
    code, out, _ = cli(*u, "audit", "--csv", "--limit", "1")
    header, row = read_csv(out)
    assert code == 0 and header == ["at", "actor", "action", "centre", "target", "detail"]
    assert row[0].endswith("+00:00")
    assert row[1:] == [SUPPORT, "coordinator.suspended", world.active, world.coordinator, "'=fees"]
    code, out, _ = cli(*u, "audit", "--centre", world.empty, "--csv")
    assert (code, read_csv(out)) == (0, [["at", "actor", "action", "centre", "target", "detail"]])


@pytest.mark.parametrize("command", [("centres", "list"), ("audit",)])
def test_csv_and_json_together_is_wrong_usage(cli, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--user", SUPPORT, *command, "--csv", "--json")
    assert (code, out) == (2, "") and "--json and --csv" in err


def test_a_long_step_shows_no_spinner_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}"}
    done = subprocess.run([*RUN, "demo", "--centres", "5"], env=env, capture_output=True)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.startswith(b"Loaded demo data")


@pytest.mark.parametrize(
    "args",
    [
        ("centres", "import", "no-such.csv"),
        ("users", "import", "no-such.csv"),
        ("users", "add-key", SUPPORT, "no-such.pub"),
    ],
)
def test_a_missing_file_is_a_missing_thing(cli: Cli, args: tuple[str, ...]) -> None:
    code, out, err = cli("--user", SUPPORT, *args)
    assert (code, out) == (1, "")
    assert err.startswith("hub-tui: Cannot read no-such.") and err.count("\n") == 1


def test_an_escape_sequence_in_a_missing_files_name_is_not_echoed(cli: Cli) -> None:
    code, out, err = cli("--user", SUPPORT, "users", "add-key", SUPPORT, f"/no/{OSC52}.pub")
    assert (code, out) == (1, "")
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]52" in err
