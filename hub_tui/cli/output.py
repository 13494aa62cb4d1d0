"""Printing for the command line: every line made printable, JSON, CSV, a cut listing, and
a spinner on stderr while a long step runs."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from hub_tui.progress import Progress, unseen
from hub_tui.validation import printable

T = TypeVar("T")

# what a spreadsheet runs as a formula when a cell starts with it (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable_lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.splitlines())


def out(text: str) -> None:
    print(printable_lines(text))


def err(text: str) -> None:
    print(printable_lines(text), file=sys.stderr)


def out_json(data: Any) -> None:
    import json

    print(json.dumps(data, indent=2, ensure_ascii=True))


def shown(rows: list[T], limit: int, hint: str) -> list[T]:
    """The first `limit` of `rows` (asked for one more), saying on stderr if there are more:
    a listing cut short says so, and `--json` or `--csv` output stays a plain list."""
    if len(rows) > limit:
        print(f"(the first {limit} are shown; {hint})", file=sys.stderr)
    return rows[:limit]


class HasJson(Protocol):
    def to_json(self) -> dict[str, Any]: ...


def out_data(form: str, rows: Sequence[HasJson], columns: Sequence[str]) -> bool:
    """`rows` as JSON or CSV if `form` says so; False: the command prints its own text."""
    if form == "json":
        out_json([r.to_json() for r in rows])
    elif form == "csv":
        out_csv([r.to_json() for r in rows], columns)
    return form in ("json", "csv")


def flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """One level of nesting undone: {"coordinator": {"name": …}} → {"coordinator_name": …}."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping):
            flat |= {f"{key}_{k}": v for k, v in flatten(value).items()}
        else:
            flat[key] = value
    return flat


def csv_cell(value: Any) -> str:
    """None as empty; text a spreadsheet would run as a formula begun with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        text = "'" + text
    return printable(text)


def out_csv(items: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A header and a row an item, with the fields of the items' JSON flattened.

    `columns` is the header when nothing is listed, and the order of the known fields; a
    field an item has beyond them is added at the end. A nested object that is null in an
    item (a centre with no coordinator) leaves its columns empty."""
    import csv

    flat = [flatten(item) for item in items]
    header = list(columns)
    for row in flat:
        header += [k for k in row if k not in header]
    header = [k for k in header if k in columns or not _stands_for_columns(k, flat, header)]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(row.get(k)) for k in header] for row in flat)


def _stands_for_columns(key: str, rows: Sequence[Mapping[str, Any]], header: Sequence[str]) -> bool:
    """`key` is null wherever it is given, and is an object elsewhere, whose fields have
    columns of their own."""
    nested = any(h.startswith(f"{key}_") for h in header)
    return nested and all(row.get(key) is None for row in rows)


@contextmanager
def progress_bar(title: str) -> Iterator[Progress]:
    """How far a long step has got, on stderr, when stderr is a terminal; else nothing (a
    log or a pipe gets no animation)."""
    if not sys.stderr.isatty():
        yield unseen
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
    from rich.progress import Progress as Bar

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(printable(title), total=None)

        def report(what: str, done: int, total: int) -> None:
            bar.update(task, description=printable(f"{title}: {what}"), completed=done, total=total)

        yield report
