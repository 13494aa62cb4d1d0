"""Terminal input through the real parser: a bracketed paste stays one paste."""

from __future__ import annotations

import pytest
from textual import events

from hub_tui.terminal import SUB, PasteKeepingParser

PASTE = "\x1b[200~Eve\x1b[31mMallory\x1b[201~"


def parse(*chunks: str) -> list[object]:
    parser = PasteKeepingParser()
    found: list[object] = []
    for chunk in (*chunks, ""):
        found.extend(parser.feed(chunk))
    return found


@pytest.mark.parametrize("cut", range(len(PASTE) + 1))
def test_an_esc_inside_a_paste_stays_in_the_paste_however_the_input_is_cut(cut: int) -> None:
    found = parse("a" + PASTE[:cut], PASTE[cut:] + "b")
    keys = [e.character for e in found if isinstance(e, events.Key)]
    pastes = [e.text for e in found if isinstance(e, events.Paste)]
    assert pastes == [f"Eve{SUB}[31mMallory"]
    assert keys == ["a", "b"]  # nothing of the paste arrived as keys


def test_keys_and_escape_outside_a_paste_are_as_before() -> None:
    found = parse("ab\x1b[A", "\x1b")
    assert [e.key for e in found if isinstance(e, events.Key)] == ["a", "b", "up", "escape"]


def test_a_paste_without_control_characters_is_unchanged() -> None:
    found = parse("\x1b[200~Eve Mallory\x1b[201~")
    assert [e.text for e in found if isinstance(e, events.Paste)] == ["Eve Mallory"]
