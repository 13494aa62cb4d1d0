"""A one-line text box that refuses pastes it cannot hold and applies keys in order.

Textual's `Input` keeps the first line of a paste and drops the rest without a word, and
takes a tab, ESC or other control character in a paste as text. `TextInput` refuses such
a paste whole (nothing is inserted), from the terminal or from the app's clipboard
(ctrl+v), and posts `TextInput.Refused` for whoever holds the box to show beside it.

`Input`'s editing keys (backspace, ctrl+u, delete, left, home, enter, ...) are its
bindings, and Textual runs a widget's bindings only once the key has bubbled up from the
widget to the app, one message queue at a time. Keys that arrive in one burst (a slow
link, SSH, a fast typist) are meanwhile taken by the box from its own queue, so `abc`,
backspace, `k`, `l` became `abck`: the backspace was applied last. Worse, the app looks
the binding up from whichever widget has the focus by then: after `tab` in the same burst,
that is the next box, so the backspace edited the wrong field. `TextInput` runs its own
bindings as each key reaches it, in the order the keys arrived.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.binding import BindingsMap
from textual.message import Message
from textual.widgets import Input

REFUSED = "Not pasted: the text has line breaks or control characters."

# Cc: control characters (line breaks, tab, ESC, ...); Cf: invisible format characters
# (bidi overrides, zero-width ones); Zl, Zp: the Unicode line and paragraph separators
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def refused_paste(text: str) -> bool:
    """Whether a paste holds anything a one-line box must not take."""
    return any(unicodedata.category(c) in REFUSED_CATEGORIES for c in text)


class TextInput(Input):
    class Refused(Message):
        """A paste was refused: nothing of it was inserted. Show `message` beside the box."""

        def __init__(self, text_input: TextInput, message: str) -> None:
            super().__init__()
            self.text_input = text_input
            self.message = message

        @property
        def control(self) -> TextInput:
            return self.text_input

    async def _on_key(self, event: events.Key) -> None:
        # Input's own _on_key runs after this one: it restarts the blink, and inserts a
        # printable key. Here, the keys bound on the box itself are acted on at once.
        if event.is_printable:
            return
        for binding in self._own_bindings().key_to_bindings.get(event.key, ()):
            # a priority binding was tried by the app before the key was sent here
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()  # done: the app must not run it again
                return

    def _own_bindings(self) -> BindingsMap:
        """This box's bindings as the app would find them, with the app's keymap applied.
        Not the screen's binding chain: that starts from the focused widget, and a tab
        later in the burst may already have moved the focus on."""
        bindings = self._bindings.copy()
        if self.app._keymap:
            bindings.apply_keymap(self.app._keymap)
        return bindings

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # not Input's: it keeps the first line and drops the rest
        self.paste(event.text)

    def action_paste(self) -> None:
        """ctrl+v: the app's clipboard, which text selected on the screen may have filled."""
        self.paste(self.app.clipboard)

    def paste(self, text: str) -> None:
        """Put `text` in at the cursor (over the selection), or refuse it whole."""
        if not text:
            return
        if refused_paste(text):
            self.post_message(self.Refused(self, REFUSED))
            return
        self.replace(text, *self.selection)
