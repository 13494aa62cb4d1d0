"""SSH public keys: which key signs in which user."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from sqlmodel import col, select

from hub_tui.errors import Conflict, Forbidden, Invalid, NotFound
from hub_tui.models import Role, SshKey, User
from hub_tui.services import audit
from hub_tui.services.context import Ctx
from hub_tui.validation import lookup_key

MAX_KEY_FILE = 16_384


def parse_key(text: str) -> tuple[str, str]:
    """(the key in OpenSSH one-line form, its SHA256 fingerprint); `Invalid` if it is none."""
    import asyncssh  # here: 0.2 s to import, and the TUI's first screen needs no keys

    try:
        key = asyncssh.import_public_key(text.strip())
    except (asyncssh.KeyImportError, ValueError):
        raise Invalid("That is not an SSH public key (expected e.g. ssh-ed25519 AAAA…).") from None
    key.set_comment(None)  # a comment is free text from outside: not kept
    return key.export_public_key("openssh").decode().strip(), key.get_fingerprint("sha256")


def read_key_file(path: Path) -> str:
    try:
        with path.open("rb") as file:  # read no more than a key could be: /dev/zero has no size
            data = file.read(MAX_KEY_FILE + 1)
        if len(data) > MAX_KEY_FILE:
            raise Invalid(f"{path} is too large to be a public key.")
        return data.decode("utf-8")
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
    return add_key(ctx, _key_owner(ctx, email, "add"), key_text)


def remove_key_for(ctx: Ctx, email: str, key: str) -> str:
    """`hub-tui users remove-key EMAIL FINGERPRINT|KEYFILE-TEXT`: the key no longer signs
    EMAIL in (and a live SSH session with it is closed). Returns the fingerprint."""
    user = _key_owner(ctx, email, "remove")
    fingerprint = key.strip() if key.strip().startswith("SHA256:") else parse_key(key)[1]
    held = ctx.session.exec(
        select(SshKey).where(col(SshKey.fingerprint) == fingerprint, col(SshKey.user_id) == user.id)
    ).first()
    if held is None:
        raise NotFound(f"The key {fingerprint} does not sign in {user.email}.")
    ctx.session.delete(held)
    audit.record(ctx, "ssh_key.removed", target=user.email, detail=fingerprint)
    return fingerprint


def _key_owner(ctx: Ctx, email: str, verb: str) -> User:
    if ctx.actor is not None and ctx.actor.role != Role.SUPPORT:
        raise Forbidden(f"Only support staff can {verb} SSH keys for others.")
    user = ctx.session.exec(select(User).where(col(User.email_key) == lookup_key(email))).first()
    if user is None:
        raise NotFound(f"No hub user has the e-mail address {email.strip()!r}.")
    return user


def key_holder(ctx: Ctx, fingerprint: str) -> User | None:
    """The user whom this key signs in, if any."""
    return holders(ctx, [fingerprint]).get(fingerprint)


def holders(ctx: Ctx, fingerprints: Collection[str]) -> dict[str, User]:
    """Each of these keys that still signs someone in, with whom it signs in."""
    if not fingerprints:
        return {}
    rows = ctx.session.exec(
        select(SshKey.fingerprint, User).join(User, col(SshKey.user_id) == col(User.id))
        .where(col(SshKey.fingerprint).in_(fingerprints))
    ).all()  # fmt: skip
    return {fingerprint: user for fingerprint, user in rows}
