"""`ssh setup@HOST`: the invited person types the setup code from their e-mail, and the key
they connected with becomes their sign-in key. No Textual: a prompt and a line."""

from __future__ import annotations

from dataclasses import dataclass

from hub_tui.errors import HubError
from hub_tui.services import invitations
from hub_tui.services.context import Hub

TRIES = 3
WRONG = "That code does not set up an account. Check it against your invitation e-mail."
TOO_MANY = "Too many wrong codes. Ask for a new invitation if yours no longer works."
MAX_LINE = 200


@dataclass(frozen=True)
class SetUp:
    name: str
    centre: str


def accept(hub: Hub, code: str, public_key: str) -> SetUp | None:
    """The account set up with this key, or None: one answer for every wrong code
    (unknown, used, replaced, expired), so a guesser learns nothing."""
    try:
        with hub.as_system(write=True) as ctx:
            user, centre = invitations.accept(ctx, code, ssh_key=public_key)
            return SetUp(user.name, centre.centre_number)
    except HubError:
        return None


class LineEditor:
    """Enough of a line editor for a code typed at a raw terminal: echo, backspace, enter."""

    def __init__(self, echo: bool) -> None:
        self.echo = echo
        self.line = bytearray()
        self.after_cr = False

    def feed(self, data: bytes) -> tuple[bytes, list[str | None]]:
        """(what to echo, the lines finished: None for ctrl+c or ctrl+d)."""
        shown = bytearray()
        done: list[str | None] = []
        for byte in data:
            after_cr, self.after_cr = self.after_cr, byte == 13
            if byte in (3, 4):  # ctrl+c, ctrl+d
                done.append(None)
            elif byte in (13, 10):
                if byte == 10 and after_cr:
                    continue  # the \n of a \r\n
                done.append(self.line.decode("utf-8", "replace"))
                self.line.clear()
                shown += b"\r\n"
            elif byte in (8, 127):
                if self.line:
                    self.line.pop()
                    shown += b"\b \b"
            elif 32 <= byte < 127 and len(self.line) < MAX_LINE:
                self.line.append(byte)
                shown.append(byte)
        return (bytes(shown) if self.echo else b""), done
