"""SSH public keys: which key signs in which user (SPEC §6)."""

from __future__ import annotations

from pathlib import Path

import asyncssh
from sqlmodel import col, select

from hub_tui.errors import Conflict, Invalid, NotFound
from hub_tui.models import SshKey, User
from hub_tui.services import audit
from hub_tui.services.context import Ctx
from hub_tui.validation import lookup_key

MAX_KEY_FILE = 16_384


def parse_key(text: str) -> tuple[str, str]:
    """(the key in OpenSSH one-line form, its SHA256 fingerprint); `Invalid` if it is none."""
    try:
        key = asyncssh.import_public_key(text.strip())
    except (asyncssh.KeyImportError, ValueError):
        raise Invalid("That is not an SSH public key (expected e.g. ssh-ed25519 AAAA…).") from None
    key.set_comment(None)  # a comment is free text from outside: not kept
    return key.export_public_key("openssh").decode().strip(), key.get_fingerprint("sha256")


def read_key_file(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise Invalid(f"{path} is too large to be a public key.")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Cannot read {path}: {exc}") from None


def add_key(ctx: Ctx, user: User, key_text: str, *, actor: str | None = None) -> SshKey:
    """Let `key_text` sign `user` in. A key already held by anyone is refused."""
    public_key, fingerprint = parse_key(key_text)
    holder = ctx.session.exec(select(SshKey).where(col(SshKey.fingerprint) == fingerprint)).first()
    if holder is not None:
        whose = "you" if holder.user_id == user.id else "another user"
        raise Conflict(f"That key ({fingerprint}) already signs in {whose}.")
    key = SshKey(
        user_id=user.id or 0, fingerprint=fingerprint, public_key=public_key, added_at=ctx.now
    )
    ctx.session.add(key)
    ctx.session.flush()
    audit.record(ctx, "ssh_key.added", target=user.email, detail=fingerprint, actor=actor)
    return key


def add_key_for(ctx: Ctx, email: str, key_text: str) -> SshKey:
    """`hub-tui users add-key EMAIL KEYFILE`: an operator's (or support's) command."""
    if ctx.actor is not None and ctx.actor.role != "support":
        raise Invalid("Only support staff can add SSH keys for others.")
    user = ctx.session.exec(select(User).where(col(User.email_key) == lookup_key(email))).first()
    if user is None:
        raise NotFound(f"No hub user has the e-mail address {email.strip()!r}.")
    return add_key(ctx, user, key_text)
