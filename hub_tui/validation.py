"""Checks for everything people type: names, e-mail addresses, centre numbers.

Each function returns the cleaned value or raises `Invalid` with a message for a person.
"""

from __future__ import annotations

import re
import unicodedata

from hub_tui.errors import Invalid
from hub_tui.limits import NAME_MAX

CENTRE_NUMBER = re.compile(r"[A-Z]{2}[0-9]{3}", re.ASCII)
# An address whose key is its own casefold, valid or not: ASCII, one @, no punycode (which
# the full check turns into Unicode). Keys of addresses like it are found without the check.
PLAIN_ADDRESS = re.compile(r"(?!.*xn--)[a-z0-9._%+-]+@[a-z0-9.-]+", re.ASCII | re.IGNORECASE)


def describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _unprintable(text: str) -> str | None:
    """The first character that must never reach a terminal or a mail header, if any."""
    if text.isprintable():  # the common case, checked at C speed
        return None
    for char in text:
        # isprintable() is False for control (Cc), format (Cf, e.g. U+202E), line and
        # paragraph separators and unassigned code points; plain space is allowed.
        if not char.isprintable():
            return char
    return None


def clean_text(value: str, *, field: str, label: str, max_length: int) -> str:
    text = value.strip()
    if not text:
        raise Invalid(f"{label} must not be empty.", field=field)
    if len(text) > max_length:
        raise Invalid(f"{label} must be at most {max_length} characters.", field=field)
    bad = _unprintable(text)
    if bad is not None:
        raise Invalid(f"{label} contains a control character ({describe_char(bad)}).", field=field)
    return text


def clean_name(value: str) -> str:
    return clean_text(value, field="name", label="Name", max_length=NAME_MAX)


def clean_email(value: str) -> tuple[str, str]:
    """Return (address as it will be shown, the key that must be unique)."""
    raw = value.strip()
    if not raw:
        raise Invalid("Email must not be empty.", field="email")
    bad = _unprintable(raw)
    if bad is not None:
        raise Invalid(f"Email contains a control character ({describe_char(bad)}).", field="email")
    # here, not at the top: its tables cost a tenth of a second, which the first frame of
    # the TUI would otherwise wait for
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(raw, check_deliverability=False, strict=True)
    except EmailNotValidError as exc:
        raise Invalid(f"Email is not valid: {exc}", field="email") from None
    return result.normalized, fold(result.normalized)


def fold(text: str) -> str:
    """The key two texts are compared by: NFKC, then Unicode case folding.

    Ann@X.org = ann@x.org and ÉVE@x.org = éve@x.org, precomposed or not.
    """
    return unicodedata.normalize("NFKC", text).casefold()


def lookup_key(value: str) -> str:
    """The uniqueness key of an address typed to find someone; never raises."""
    if PLAIN_ADDRESS.fullmatch(address := value.strip()):  # the common case: at sign-in
        return fold(address)
    try:
        return clean_email(value)[1]
    except Invalid:
        return fold(value.strip())


def clean_centre_number(value: str) -> str:
    number = value.strip().upper()
    if not CENTRE_NUMBER.fullmatch(number):
        raise Invalid(
            f"{value.strip()!r} is not a centre number (two letters and three digits, e.g. GB042).",
            field="centre_number",
        )
    return number


def printable(text: str) -> str:
    """Text safe to write to a terminal: anything non-printable shown as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
