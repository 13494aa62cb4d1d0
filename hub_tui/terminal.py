"""Reading the terminal: a bracketed paste arrives whole, control characters and all.

Textual's parser reads an ESC inside a paste as the start of a key sequence, so a pasted
`Eve<ESC>[31m` arrives as keys (`^[31m` typed into the box) around a paste of what came
before. Here each ESC inside a paste becomes SUB (U+001A) before the parser sees it: the
paste stays one Paste event, which the text boxes refuse for its control character.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.message import Message

START = "\x1b[200~"  # what the terminal sends before a paste ...
END = "\x1b[201~"  # ... and after it
ESC = "\x1b"
SUB = "\x1a"  # "substitute": for a character that cannot be taken as it is


class PasteKeepingParser(XTermParser):
    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self.pasting = False
        self.tail = ""  # the last characters passed on, in which a START may have begun
        self.held = ""  # the start of what may be an END, until the rest arrives

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: whatever was held back first
            if self.held:
                yield from super().feed(self.held)
                self.held = ""
            yield from super().feed("")
            return
        yield from super().feed(self.guard(data))

    def guard(self, data: str) -> str:
        """`data` with each ESC inside a paste made SUB (the END marker's own ESC kept)."""
        text, self.held = self.held + data, ""
        out: list[str] = []
        at = 0
        while at < len(text):
            if not self.pasting:
                seen = self.tail + text[at:]
                found = seen.find(START)
                if found < 0:
                    out.append(text[at:])
                    self.tail = seen[-(len(START) - 1) :]
                    break
                begins = at + found + len(START) - len(self.tail)  # after START, in text
                out.append(text[at:begins])
                at, self.pasting, self.tail = begins, True, ""
                continue
            found = text.find(END, at)
            if found < 0:
                rest = text[at:]
                cut = rest.rfind(ESC)
                if cut >= 0 and END.startswith(rest[cut:]):  # END may be split: wait for it
                    rest, self.held = rest[:cut], rest[cut:]
                out.append(rest.replace(ESC, SUB))
                break
            out.append(text[at:found].replace(ESC, SUB) + END)
            at, self.pasting = found + len(END), False
        return "".join(out)


def keep_pastes_whole() -> None:
    """Make the terminal driver read input with PasteKeepingParser: it makes its parser by
    this name in its module (Textual 8), each time its input thread starts."""
    setattr(linux_driver, "XTermParser", PasteKeepingParser)  # noqa: B010 (not in its __all__)
