"""Keys that move a cursor, bound so that they act in the order typed."""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

# key -> the action of a table or list that it stands for
CURSOR_MOVES = {
    "up": "cursor_up",
    "down": "cursor_down",
    "pageup": "page_up",
    "pagedown": "page_down",
}


def priority_moves(prefix: str, moves: Mapping[str, str] = CURSOR_MOVES) -> list[Binding]:
    """A binding of each key to `move('ACTION')` (the screen's action_move does it on its
    table or list), with ids PREFIX.ACTION. Priority: the app acts on each key as it
    comes, so in a burst (down down enter) enter acts on the row moved to; the widget's
    own bindings would act only once the key had reached it, after the enter."""
    return [
        Binding(key, f"move('{move}')", show=False, priority=True, id=f"{prefix}.{move}")
        for key, move in moves.items()
    ]
