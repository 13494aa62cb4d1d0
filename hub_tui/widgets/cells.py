"""Text from the database, made safe for a table cell or a dropdown."""

from __future__ import annotations

from rich.text import Text

from hub_tui.validation import printable


def cell(value: str) -> Text:
    # Text, not str: a str would be read as markup; printable() in case a row came in by
    # some road other than hub-tui's own checks (which refuse control characters)
    return Text(printable(value), no_wrap=True)
