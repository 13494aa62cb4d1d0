"""A choice of one of a few values: a box that shows the value, and a list that opens
over the screen to choose another."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList

from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.moves import CURSOR_MOVES, priority_moves

ARROW = "▼"


class Choice(Widget, can_focus=True):
    """Shown as Textual's Select shows its value, and chosen from a list as in Select; the
    list is made only when it opens. (Select is six widgets from the start, its hidden list
    among them, each styled and laid out: a tenth of the first screen's CPU.)"""

    ALLOW_SELECT = False
    BINDINGS = [Binding("enter,down,space,up", "open_list", "Show menu", show=False)]
    DEFAULT_CSS = """
    Choice {
        height: auto;
        border: tall $border-blurred;
        color: $foreground;
        background: $surface;
        padding: 0 2;
        pointer: pointer;
        &:focus { border: tall $border; background-tint: $foreground 5%; }
        .choice--arrow { color: $foreground 50%; }
    }
    """
    COMPONENT_CLASSES = {"choice--arrow"}

    expanded: var[bool] = var(False)  # the list is open

    class Changed(Message):
        """Another value was chosen."""

        def __init__(self, choice: Choice, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: list[tuple[str, str]], value: str, **kwargs: Any) -> None:
        """`options`: (label, value) pairs; `value`: one of them, chosen to start with."""
        super().__init__(**kwargs)
        self.options = options
        self.value = value

    @property
    def label(self) -> str:
        return next(label for label, value in self.options if value == self.value)

    def render(self) -> Content:
        room = max(0, self.content_size.width - 2)  # the arrow, with a space before it
        return Content.assemble(
            Content(self.label).truncate(room, pad=True),
            " ",
            (ARROW, self.get_visual_style("choice--arrow")),
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    async def action_open_list(self) -> None:
        """The list, over the screen below the box, with the value highlighted: awaited, so
        that keys typed straight after (as over a slow link) go to it."""
        self.expanded = True
        await self.app.push_screen(ChoiceList(self), self.chosen)

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.action_open_list()

    def chosen(self, value: str | None) -> None:
        if value is not None and value != self.value:
            self.value = value
            self.refresh()
            self.post_message(self.Changed(self, value))
        self.expanded = False


class ChoiceList(ModalScreen[str | None]):
    """A Choice's values, placed under its box, as Select's list is."""

    DEFAULT_CSS = """
    ChoiceList {
        background: transparent;
        align: left top;
        OptionList {
            height: auto;
            max-height: 12;
            border: tall $border;
            background: $surface;
            & > .option-list--option { padding: 0 1; }
        }
    }
    """
    # priority, all of them: the app acts on each key as it comes, in the order typed (the
    # list's own bindings would act only once the key reached it, after an enter typed later)
    BINDINGS = [
        Binding("enter", "choose", "Choose", priority=True, id="choice.choose"),
        Binding("escape", "dismiss_list", "Close", priority=True, id="choice.close"),
        *priority_moves("choice", {**CURSOR_MOVES, "home": "first", "end": "last"}),
    ]

    def __init__(self, choice: Choice) -> None:
        super().__init__()
        self.choice = choice
        self.closing = False

    def compose(self) -> ComposeResult:
        values = [value for _, value in self.choice.options]
        options = OptionList(*(label for label, _ in self.choice.options))
        options.highlighted = values.index(self.choice.value)
        region = self.choice.region
        options.styles.width = region.width
        options.styles.offset = (region.x, region.bottom)
        yield options
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))  # now: the keys typed after f come next

    def close(self, value: str | None) -> None:
        """Closed with `value` (None: nothing chosen), once: a click and a key in one burst
        would otherwise both dismiss it, and the second would close the screen below."""
        if not self.closing:
            self.closing = True
            self.dismiss(value)

    def action_choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        self.close(None if index is None else self.choice.options[index][1])

    def action_move(self, move: str) -> None:
        getattr(self.query_one(OptionList), f"action_{move}")()

    def action_dismiss_list(self) -> None:
        self.close(None)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.close(self.choice.options[event.option_index][1])

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # outside the list: closed, nothing chosen
            self.close(None)
