"""Input rules that need no database."""

from __future__ import annotations

import random

import pytest

from hub_tui.errors import Invalid
from hub_tui.validation import (
    PLAIN_ADDRESS,
    clean_centre_number,
    clean_email,
    clean_name,
    fold,
    lookup_key,
    printable,
)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "x" * 101,
        "Eve\x1b[2J",
        "Eve\r\nBcc: x@y.org",
        "Eve\u202eevil",
        "A\u200bB",
        "Eve\x00",
        "Tab\there",
    ],
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(Invalid) as refused:
        clean_name(name)
    assert refused.value.field == "name"


@pytest.mark.parametrize(
    "name", ["[@click=app.quit]Eve[/]", "Ann [/", "[bold]x", "Zoë O'Brien", "x" * 100, "  Padded  "]
)
def test_names_that_look_like_markup_are_kept_as_typed(name: str) -> None:
    assert clean_name(name) == name.strip()


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "a@b",
        "a b@x.org",
        "a@@x.org",
        "x" * 65 + "@x.org",
        "a@x.org\nBcc: b@x.org",
        "eve\x1b@x.org",
        "a@" + "x" * 250 + ".org",
    ],
)
def test_bad_emails_are_refused(email: str) -> None:
    with pytest.raises(Invalid) as refused:
        clean_email(email)
    assert refused.value.field == "email"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ann@X.org", "ann@x.org"),
        ("ÉVE@x.org", "éve@x.org"),
        ("e\u0301ve@x.org", "éve@x.org"),
        ("  bob@EXAMPLE.org ", "BOB@example.ORG"),
    ],
)
def test_email_keys_fold_case_and_unicode_forms(a: str, b: str) -> None:
    assert clean_email(a)[1] == clean_email(b)[1]


def test_centre_numbers_are_upper_cased_and_checked() -> None:
    assert clean_centre_number(" gb042 ") == "GB042"
    for bad in ["GB42", "GB0420", "G1042", "ＧＢ042", "GB０42", "", "%B042"]:
        with pytest.raises(Invalid):
            clean_centre_number(bad)


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    assert printable("Eve\x1b[2J\u202e") == "Eve\\x1b[2J\\u202e"
    assert printable("Zoë") == "Zoë"


def full_key(value: str) -> str:
    """The key as the full check of an address makes it, or its casefold if it fails."""
    try:
        return clean_email(value)[1]
    except Invalid:
        return fold(value.strip())


def test_a_plain_address_is_looked_up_by_the_key_the_full_check_gives() -> None:
    """Sign-in looks an ASCII address up without the check (a tenth of a second to load):
    the key must be the same, for addresses valid or not."""
    rng = random.Random(7)
    parts = ["ann", "B", "x.y", "a..b", "_", "%", "+tag", "-", ".", "xn--", "9", "Éve", " "]
    tried = 0
    for _ in range(3000):
        local = "".join(rng.choice(parts) for _ in range(rng.randint(1, 3)))
        domain = "".join(rng.choice(["Example", ".org", ".", "-", "xn--mnchen-3ya", "co"])
                         for _ in range(rng.randint(1, 4)))  # fmt: skip
        address = rng.choice(["", " "]) + local + rng.choice(["@", "@@", ""]) + domain
        tried += bool(PLAIN_ADDRESS.fullmatch(address.strip()))
        assert lookup_key(address) == full_key(address), address
    assert tried > 300  # many took the short way
