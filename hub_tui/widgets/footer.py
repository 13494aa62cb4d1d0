"""Textual's footer, made cheap to keep up to date: a screen asks for its keys again on
every change of focus or state, and Textual's footer then builds all its keys anew."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """A `Footer` that is rebuilt only when the keys it would show have changed, at most
    once a refresh, and whose keys start in the footer's style (Textual's start compact
    and then change, each change restyling the key)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: object = None  # the keys last built: see keys()
        self._rebuild_due = False

    def keys(self) -> object:
        """What the footer shows, as something to compare: the keys, whether each is
        enabled, and their tooltips."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self.keys()
        for widget in super().compose():
            # the command palette's key is not bound to the footer's style: it stays compact
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_due:
            self._rebuild_due = self.call_after_refresh(self._rebuild)  # False: not posted

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        if self.is_attached and self.keys() != self._shown:
            await self.recompose()
