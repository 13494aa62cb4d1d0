"""The SSH server's host key: made on the first start and kept."""

from __future__ import annotations

from pathlib import Path

import asyncssh

from hub_tui.errors import HubError
from hub_tui.files import create_once


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's host key: made on the first start (mode 0600) and kept, so that clients
    that trusted it once keep trusting it."""
    if not path.exists():
        create_once(path, asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    try:
        return asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise HubError(
            f"Cannot use the host key {path} ({exc}): fix it, or move it away to make a new one "
            "(clients will then be told the host key changed)."
        ) from None
