"""Text from the database, made safe for a table cell or a dropdown."""

from __future__ import annotations

from rich.text import Text

from hub_tui.validation import printable


def cell(value: str, width: int | None = None) -> Text:
    """At most `width` cells wide, if given, ending in … when cut."""
    # Text, not str: a str would be read as markup; printable() in case a row came in by
    # some road other than hub-tui's own checks (which refuse control characters)
    text = Text(printable(value), no_wrap=True)
    if width is not None:
        text.truncate(width, overflow="ellipsis")
    return text
