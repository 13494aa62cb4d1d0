"""Text from the database, made safe for a table cell or a dropdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from hub_tui.validation import printable


def cell(value: str, width: int | None = None) -> Text:
    """At most `width` cells wide, if given, ending in … when cut."""
    # Text, not str: a str would be read as markup; printable() in case a row came in by
    # some road other than hub-tui's own checks (which refuse control characters)
    text = Text(printable(value), no_wrap=True)
    if width is not None:
        text.truncate(width, overflow="ellipsis")
    return text


def fill(table: DataTable[Any], headings: Sequence[str], rows: Sequence[Sequence[Text]]) -> None:
    """`rows` in `table`, under columns as wide as their widest cell. The widths are given,
    not left to the table: it measures them later, when idle, and a header drawn in between
    can keep the old widths and cut every cell to them (seen in Textual 8.2 under load)."""
    table.clear(columns=True)
    for i, heading in enumerate(headings):
        width = max([len(heading), *(r[i].cell_len for r in rows)])
        table.add_column(Text(heading), width=width)
    table.add_rows(rows)
