"""How long work tells how far it has got: (what, done, total), shown by whoever asked."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def unseen(what: str, done: int, total: int) -> None:
    """For callers that show no progress (the screens, tests, a pipe)."""
