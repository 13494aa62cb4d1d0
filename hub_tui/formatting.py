"""How times, counts and names are written for a person to read: one place for each."""

from __future__ import annotations

from datetime import datetime


def utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
