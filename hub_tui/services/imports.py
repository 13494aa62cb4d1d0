"""CSV imports. Every row is checked first; a file with any bad row imports nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select

from hub_tui.db import bulk_insert, loading
from hub_tui.errors import Forbidden, HubError, Invalid
from hub_tui.limits import ASSOCIATE_MAX, CENTRE_NAME_MAX, COUNTRY_MAX
from hub_tui.models import AccountStatus, Associate, Centre, Role, User
from hub_tui.progress import Progress, unseen
from hub_tui.services import audit
from hub_tui.services.context import Ctx
from hub_tui.validation import (
    clean_centre_number,
    clean_email,
    clean_name,
    clean_text,
    fold,
)

CENTRE_COLUMNS = ("centre_number", "name", "country", "associate")
USER_COLUMNS = ("name", "email", "role", "centre_number", "associate")
MAX_REPORTED = 50


class ImportRejected(Invalid):
    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  {p}" for p in shown) + (f"\n  … and {more} more" if more else "")
        super().__init__(f"{path}: {len(problems)} bad row(s); nothing was imported.\n{lines}")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    imported: int
    message: str


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Cannot read {path}: {exc}") from None


def _records(text: str, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """(index among the file's records, fields stripped) of each data row: blank rows and a
    header (line 1 equal to `columns`) are left out."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = [next(reader, [])]
    if reader.line_num == 1 and tuple(f.strip().lower() for f in records[0]) == columns:
        records[0] = []  # the header, on line 1
    records.extend(reader)
    stripped = [list(map(str.strip, fields)) for fields in records]
    return [(index, fields) for index, fields in enumerate(stripped) if any(fields)]


def _line_numbers(text: str) -> list[int]:
    """The line each of the file's records ends on (a quoted field may hold line breaks):
    counted only to report a file's bad rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    return [reader.line_num for _ in reader]


PROGRESS_EVERY = 2000  # rows between reports of how far the check has got


def _check_rows(
    path: Path,
    columns: tuple[str, ...],
    check: Callable[[list[str]], dict[str, Any]],
    progress: Progress,
) -> list[dict[str, Any]]:
    text = _read(path)
    rows = _records(text, columns)
    good: list[dict[str, Any]] = []
    problems: list[tuple[int, str]] = []  # (index of the record, what is wrong)
    for done, (index, fields) in enumerate(rows):
        if done % PROGRESS_EVERY == 0:
            progress("Checking rows", done, len(rows))
        if len(fields) != len(columns):
            problems.append(
                (
                    index,
                    f"expected {len(columns)} columns ({','.join(columns)}), found {len(fields)}",
                )
            )
            continue
        try:
            good.append(check(fields))
        except HubError as exc:
            problems.append((index, exc.message))
    if problems:
        lines = _line_numbers(text)
        raise ImportRejected(path, [f"line {lines[index]}: {p}" for index, p in problems])
    if not good:
        raise Invalid(f"{path}: no rows to import.")
    progress("Writing", len(rows), len(rows))
    return good


def _require_support(ctx: Ctx) -> None:
    if ctx.actor is not None and ctx.actor.role != Role.SUPPORT:
        raise Forbidden("Only support staff can import centres and users.")


def import_centres(ctx: Ctx, path: Path, *, progress: Progress = unseen) -> ImportResult:
    _require_support(ctx)
    existing = set(ctx.session.exec(select(Centre.centre_number)).all())
    associates = {a.name: a.id for a in ctx.session.exec(select(Associate)).all()}
    in_file: set[str] = set()

    def check(fields: list[str]) -> dict[str, Any]:
        number = clean_centre_number(fields[0])
        if number in existing:
            raise Invalid(f"centre {number} already exists")
        if number in in_file:
            raise Invalid(f"centre {number} appears twice in the file")
        in_file.add(number)
        name = clean_text(fields[1], field="name", label="Centre name", max_length=CENTRE_NAME_MAX)
        return {
            "centre_number": number,
            "name": name,
            "name_key": fold(name),
            "country": clean_text(
                fields[2], field="country", label="Country", max_length=COUNTRY_MAX
            ),
            "associate": clean_text(
                fields[3], field="associate", label="Associate", max_length=ASSOCIATE_MAX
            ),
            "version": 1,
        }

    with loading(ctx.session):
        rows = _check_rows(path, CENTRE_COLUMNS, check, progress)
        new_associates = sorted({r["associate"] for r in rows} - associates.keys())
        if new_associates:
            bulk_insert(ctx.session, Associate, [{"name": n} for n in new_associates])
            associates = {a.name: a.id for a in ctx.session.exec(select(Associate)).all()}
        for row in rows:
            row["associate_id"] = associates[row.pop("associate")]
        bulk_insert(ctx.session, Centre, rows)
    audit.record(ctx, "centres.imported", detail=f"{len(rows)} centres from {path.name}")
    return ImportResult(len(rows), f"Imported {len(rows)} centres from {path}.")


def import_users(ctx: Ctx, path: Path, *, progress: Progress = unseen) -> ImportResult:
    _require_support(ctx)
    centres = dict(ctx.session.exec(select(Centre.centre_number, Centre.id)).all())
    associates = dict(ctx.session.exec(select(Associate.name, Associate.id)).all())
    taken = set(ctx.session.exec(select(User.email_key)).all())
    in_file: set[str] = set()

    def check(fields: list[str]) -> dict[str, Any]:
        name_text, email_text, role_text, number_text, associate_text = fields
        name = clean_name(name_text)
        address, key = clean_email(email_text)
        if key in taken:
            raise Invalid(f"another user already has the e-mail address {address}")
        if key in in_file:
            raise Invalid(f"the e-mail address {address} appears twice in the file")
        in_file.add(key)
        try:
            role = Role(role_text.lower())
        except ValueError:
            raise Invalid(
                f"unknown role {role_text!r}; use one of {', '.join(r.value for r in Role)}"
            ) from None
        centre_id = associate_id = None
        if role in (Role.ADMINISTRATOR, Role.TEACHER):
            if not number_text:
                raise Invalid(f"a {role.value} needs a centre_number")
            number = clean_centre_number(number_text)
            if number not in centres:
                raise Invalid(f"no centre {number}")
            centre_id = centres[number]
        if role is Role.ASSOCIATE_COORDINATOR:
            if associate_text not in associates:
                raise Invalid(f"no associate {associate_text!r}")
            associate_id = associates[associate_text]
        return {
            "name": name,
            "email": address,
            "email_key": key,
            "role": role.value,
            "centre_id": centre_id,
            "associate_id": associate_id,
            "status": AccountStatus.ACTIVE.value,
            "created_at": ctx.now,
        }

    with loading(ctx.session):
        rows = _check_rows(path, USER_COLUMNS, check, progress)
        bulk_insert(ctx.session, User, rows)
    audit.record(ctx, "users.imported", detail=f"{len(rows)} users from {path.name}")
    return ImportResult(len(rows), f"Imported {len(rows)} users from {path}.")
