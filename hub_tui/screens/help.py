"""Keys help: the keys a person uses, by screen, read from the real bindings at that moment.

Only the bindings of the screen in front and of the app are shown; the widgets' own keys
(a table's cursor and scrolling, a text box's editing) are left out, but for the few that
everybody uses, named in FOCUS_KEYS and TABLE_KEYS. A key that applies on the screen but
not at this moment (dimmed in the footer) is marked "(not now)"; one that does not apply
at all there is not listed, as the footer does not show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from hub_tui.widgets.footer import KeysFooter
from hub_tui.widgets.table import Table

Named = tuple[tuple[tuple[str, ...], str], ...]  # (keys, what they do)
# keys of no screen's own, shown whenever they are bound and work
FOCUS_KEYS: Named = ((("tab", "shift+tab"), "Next / previous field or button"),)
# a focused table's own keys that a person moves by (its others are left out)
TABLE_KEYS: Named = (
    (("up", "down"), "Move through the table"),
    (("pageup", "pagedown"), "A page up / down"),
)
# Textual's own actions, in this app's words where Textual's are not a person's
WORDS = {"command_palette": "Command palette: go to a centre, open a screen"}
# what every Textual screen inherits (focus keys, copying a selection): not this screen's
INHERITED = frozenset(b.action for b in Screen.BINDINGS if isinstance(b, Binding))
EVERYWHERE = "Everywhere"


@dataclass
class Row:
    keys: list[str]  # as shown: ↑, ^p
    does: str
    enabled: bool
    action: str = ""

    @property
    def label(self) -> str:
        return " ".join(self.keys)

    @property
    def text(self) -> str:
        return self.does if self.enabled else f"{self.does} (not now)"


@dataclass
class Group:
    heading: str
    rows: list[Row] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # the keys listed, by their names

    def add(self, key: str, display: str, does: str, enabled: bool, action: str = "") -> None:
        """A row per thing done: keys that do the same (n and escape: No) share one."""
        self.keys.add(key)
        for row in self.rows:
            if row.does == does and row.enabled == enabled:
                row.keys.append(display)
                return
        self.rows.append(Row([display], does, enabled, action))


def screen_heading(screen: Screen[object]) -> str:
    """The last step of the screen's title (My Associate Centre), or what it is."""
    if screen.title:
        return screen.title.rsplit("›", 1)[-1].strip()
    return "This dialog" if isinstance(screen, ModalScreen) else "This screen"


def key_groups(screen: Screen[object]) -> list[Group]:
    """The keys of `screen` and of the app, as they stand now. Call it while `screen` is in
    front: over the help itself, the app's keys would not apply."""
    app = screen.app
    active = screen.active_bindings  # key -> what it does now, as check_action says
    here, everywhere = Group(screen_heading(screen)), Group(EVERYWHERE)
    last: list[tuple[str, ActiveBinding]] = []  # quitting, after everything else
    for key, bound in active.items():
        binding = bound.binding
        _, name, _ = parse(binding.action)
        if bound.node is screen and binding.action not in INHERITED and binding.description:
            display = app.get_key_display(binding)
            here.add(key, display, binding.description, bound.enabled, binding.action)
        elif bound.node is app and (does := WORDS.get(name, binding.description)):
            if name == "quit":
                last.append((key, bound))
            else:
                everywhere.add(key, app.get_key_display(binding), does, bound.enabled)
    if isinstance(screen.focused, DataTable) and screen.focused.show_cursor:
        add_named(here, screen, active, TABLE_KEYS)
    add_named(everywhere, screen, active, FOCUS_KEYS)
    for key, bound in last:
        binding = bound.binding
        everywhere.add(key, app.get_key_display(binding), binding.description, bound.enabled)
    order = declared_order(screen)
    here.rows.sort(key=lambda row: order.get(row.action, len(order)))
    return [group for group in (here, everywhere) if group.rows]


def declared_order(screen: Screen[object]) -> dict[str, int]:
    """Each action's place in the screen's BINDINGS, base classes' first: the screen's keys
    in the order it gives them, not in the order the focused widget's keys happen to be."""
    actions: list[str] = []
    for kind in reversed(type(screen).__mro__):
        for binding in vars(kind).get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.action not in actions:
                actions.append(binding.action)
    return {action: place for place, action in enumerate(actions)}


def add_named(
    group: Group, screen: Screen[object], active: dict[str, ActiveBinding], named: Named
) -> None:
    """Those of the `named` keys that are bound and work now (whoever binds them), unless
    the group already lists them with words of their own."""
    for keys, does in named:
        for key in keys:
            if key in active and active[key].enabled and key not in group.keys:
                group.add(key, screen.app.get_key_display(active[key].binding), does, True)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; height: auto; max-height: 90%; padding: 1 2; border: thick $primary;
        background: $surface;
    }
    HelpScreen .heading { margin-top: 1; text-style: bold; color: $accent; }
    HelpScreen DataTable { height: auto; }
    HelpScreen #closing { margin-top: 1; color: $text-muted; }
    """
    CLOSE = Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")
    BINDINGS = [CLOSE]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        # read now, while that screen is in front: what applies there, not over this one
        self.groups = key_groups(screen)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Content.styled("Keys", "bold"))
            for number, group in enumerate(self.groups):
                yield Label(Content(group.heading), classes="heading")
                table = Table(id=f"keys-{number}", cursor_type="none", show_header=False)
                table.can_focus = False  # read, not used: up and down scroll the list
                yield table
            keys = [self.app.get_key_display(Binding(k, "")) for k in self.CLOSE.key.split(",")]
            yield Static(Content(f"{', '.join(keys)}: close this list"), id="closing")
        yield KeysFooter()  # its own keys: those of the screen underneath do nothing here

    def on_mount(self) -> None:
        width = max((len(row.label) for group in self.groups for row in group.rows), default=1)
        for number, group in enumerate(self.groups):
            table = self.query_one(f"#keys-{number}", DataTable)
            table.add_column("Key", width=width)
            table.add_column("Does")
            # Text, not str: a description is never read as markup
            table.add_rows([(Text(row.label), Text(row.text)) for row in group.rows])
