"""Input rules that need no database."""

from __future__ import annotations

import pytest

from hub_tui.errors import Invalid
from hub_tui.validation import clean_centre_number, clean_email, clean_name, printable


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
