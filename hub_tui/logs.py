"""Logging, set up once at the entry point: servers to stderr, the TUI to a file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from hub_tui.files import private_dir

CRASHED = "hub-tui stopped unexpectedly; the error is in the log."
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def to_stderr(level: str) -> None:
    """For `ssh serve` and `mail deliver`: a service manager collects stderr."""
    _configure(logging.StreamHandler(sys.stderr), level)


def to_file(path: Path, level: str) -> None:
    """For the TUI (and each SSH session's TUI): stderr is the screen it draws on. A file
    that cannot be opened (another user's) costs the log, never the TUI."""
    handler: logging.Handler
    try:
        private_dir(path.parent)
        path.touch(mode=0o600, exist_ok=True)  # names and e-mail addresses: the owner's only
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    _configure(handler, level)


def _configure(handler: logging.Handler, level: str) -> None:
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    for old in root.handlers[:]:  # a second call replaces, never doubles, the output
        if getattr(old, "hub_tui", False):
            root.removeHandler(old)
    handler.hub_tui = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for chatty in ("asyncssh", "alembic"):  # each migration on start would fill the log
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
