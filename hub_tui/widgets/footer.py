"""The keys of the screen in front, on the bottom line, as Textual's footer shows them."""

from __future__ import annotations

from typing import Any, NamedTuple

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

DIM = Style(dim=True)
DIVIDER = "▏"  # before the command palette's key, at the right


class Key(NamedTuple):
    key: str  # as bound: what a click presses
    display: str  # as shown
    description: str
    enabled: bool  # else shown dimmed: it applies here, but not now


class KeysFooter(Widget, can_focus=False):
    """The keys of the screen it is on, the command palette's at the right; a key that
    applies here but not now dimmed, and a click on a key presses it.

    One widget draws them all. Textual's footer is a widget a key, each styled, laid out
    and drawn, and built anew each time the keys change: a third of the widgets of a first
    screen, and a tenth of its CPU. This one draws its line again when they change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description", "keys-footer--divider"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .keys-footer--divider { color: $foreground 20%; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[tuple[Key, ...], Key | None] = ((), None)  # the keys, the palette's
        self.spans: list[tuple[int, int, Key]] = []  # where each key is drawn: x from, to

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.shown = self.keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def keys(self) -> tuple[tuple[Key, ...], Key | None]:
        """The keys to show, in the order bound, one for each action (its first key), as
        Textual's footer chooses them; and the command palette's, if it is offered."""
        app = self.app
        keys: dict[str, Key] = {}
        palette: Key | None = None
        for key, (_, binding, enabled, _) in self.screen.active_bindings.items():
            shown = Key(binding.key, app.get_key_display(binding), binding.description, enabled)
            if key == app.COMMAND_PALETTE_BINDING:
                palette = shown if app.ENABLE_COMMAND_PALETTE else None
            elif binding.show:
                keys.setdefault(binding.action, shown)
        return tuple(keys.values()), palette

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and (keys := self.keys()) != self.shown:
            self.shown = keys
            self.refresh()

    def render(self) -> Content:
        # where each key is drawn is noted as it is drawn: a click is looked up there
        keys, palette = self.shown
        key_style = self.get_visual_style("keys-footer--key")
        description_style = self.get_visual_style("keys-footer--description")
        right = Content()
        if palette is not None:  # compact: no room around its key
            right = Content.assemble(
                (DIVIDER, self.get_visual_style("keys-footer--divider")),
                drawn(palette, key_style, description_style, compact=True),
                " ",  # the footer's own padding
            )
        room = max(0, self.size.width - right.cell_length)
        line = Content()
        self.spans = []
        for key in keys:
            piece = drawn(key, key_style, description_style)
            start, end = line.cell_length, min(room, line.cell_length + piece.cell_length)
            if start < end:  # what does not fit is cut off, as in Textual's footer
                self.spans.append((start, end, key))
            line += piece
        line = line.truncate(room, pad=True)
        if palette is not None:
            self.spans.append((room, room + right.cell_length, palette))
        return line + right

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, key in self.spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return


def drawn(
    key: Key, key_style: Style, description_style: Style, *, compact: bool = False
) -> Content:
    """A key as Textual's footer draws it: compact (the palette's) without the room around
    its key; dimmed if it applies here but not now."""
    if not key.description:
        piece = Content.styled(key.display, key_style)
    elif compact:
        piece = Content.assemble(
            (key.display, key_style), (f" {key.description}", description_style)
        )
    else:
        piece = Content.assemble(
            (f" {key.display} ", key_style), (f"{key.description} ", description_style)
        )
    return piece if key.enabled else piece.stylize(DIM)
