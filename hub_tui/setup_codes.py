"""Setup codes, derived when a message is sent, so that no code is ever stored.

An invitation keeps a random seed and the hash of its code. The code itself is an HMAC of
the seed under the installation's secret key, a file outside the database: the database,
its write-ahead log, its free pages, a backup or a `pg_dump` hold seeds but no key, so
none of them can give a code back. The e-mail waiting in the outbox holds `CODE_SLOT`
where the code goes; the worker that sends it puts the code in, and only the SMTP server
or the Maildir ever sees it. Checking a code needs only its hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache
from pathlib import Path

from hub_tui.errors import HubError
from hub_tui.files import create_once, readable_by_others

CODE_BYTES = 20  # 160 bits
SEED_BYTES = 16
KEY_BYTES = 32
# where a message's code goes: the shape of a code, in digits no code has (base32 has
# none of 0, 1, 8, 9), so no code and no slot can be mistaken for each other
CODE_SLOT = "-".join(["0000"] * (CODE_BYTES * 8 // 5 // 4))
_SLOT = CODE_SLOT.encode()
_CONTEXT = b"hub-tui setup code\x00"


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def derive(key: bytes, seed: bytes) -> str:
    digest = hmac.new(key, _CONTEXT + seed, hashlib.sha256).digest()[:CODE_BYTES]
    raw = base64.b32encode(digest).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    # a 160-bit random code needs no slow hash: guessing it is hopeless either way
    return hashlib.sha256(normalise(code).encode()).hexdigest()


class WrongKey(Exception):
    """The code this host derives does not match the invitation's: another key made it."""


def fill(raw: bytes, *, key: bytes, seed: bytes, code_hash: str) -> bytes:
    """The message as it is sent: its code put in where `CODE_SLOT` holds its place."""
    code = derive(key, seed)
    if not hmac.compare_digest(hash_code(code), code_hash):
        raise WrongKey
    return raw.replace(_SLOT, code.encode())


@cache
def installation_key(path: Path) -> bytes:
    """The secret key in `path`: made on first start (0600), then read by every process
    and every host of the installation (which must share the one file)."""
    try:
        if not path.exists():
            create_once(path, secrets.token_hex(KEY_BYTES).encode() + b"\n")
        if readable_by_others(path):
            path.chmod(0o600)
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise HubError(
            f"Cannot use the secret key file {path} ({exc}); HUB_SECRET_KEY_FILE chooses it."
        ) from None
    if len(key) < KEY_BYTES:
        raise HubError(
            f"The secret key file {path} holds {len(key)} bytes, fewer than {KEY_BYTES}: "
            "copy the installation's key there (HUB_SECRET_KEY_FILE chooses the file)."
        )
    return key
