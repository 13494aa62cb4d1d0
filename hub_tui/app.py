"""The Textual application: signs the user in, opens Associate Centres, delivers mail."""

from __future__ import annotations

from collections.abc import Iterator

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.cache import LRUCache
from textual.command import Provider
from textual.content import Content
from textual.css.model import RuleSet
from textual.screen import ModalScreen, Screen

from hub_tui.app_mail import BackgroundMail
from hub_tui.app_watch import WatchesAccount
from hub_tui.errors import HubError
from hub_tui.models import Role
from hub_tui.screens.navigation import open_named
from hub_tui.services.context import Hub

MAIL_AFTER_SECONDS = 1.0  # from the first page of centres shown to mail delivery started
WIDE_HEADER = 100  # columns from which the header names the e-mail address of who is signed in
# The CSS of the app, its screens and widgets, parsed once a process rather than once an
# app (the SSH sessions' template and the tests start one app after another); by the CSS
# variables (the theme's colours) it was parsed with.
Parsed = LRUCache[tuple[object, ...], list[RuleSet]]
PARSED_CSS: dict[tuple[tuple[str, str], ...], Parsed] = {}


def commands() -> type[Provider]:
    from hub_tui.commands import HubCommands  # loaded when the palette first opens

    return HubCommands


class HubApp(BackgroundMail, WatchesAccount):
    TITLE = "Administration"
    COMMANDS = App.COMMANDS | {commands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("m", "open('outbox')", "Mail outbox", id="app.outbox"),
        Binding("l", "open('audit')", "Audit log", id="app.audit"),
        Binding("p", "open('people')", "People", id="app.people"),  # support only
        # priority: focus moves before the app routes the next keys, so what is typed
        # straight after tab (in one burst, as over SSH) lands in the next field
        Binding("tab", "focus_next", show=False, priority=True, id="app.next"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="app.previous"),
    ]

    def __init__(self, hub: Hub, user_email: str, *, watches_account: bool = True) -> None:
        super().__init__()
        stylesheet = self.stylesheet
        variables = tuple(sorted(stylesheet._variables.items()))
        stylesheet._parse_cache = PARSED_CSS.setdefault(variables, LRUCache(256))
        self.hub = hub
        self.user_email = user_email
        self.role: str | None = None  # once signed in
        self.signed_in = ("", "")  # who, as the header shows it: in full, and short
        self.narrow = False  # the window is too narrow for the header in full
        self.refused = False  # told that they may not use it: the exit status says so too
        self.watches_account = watches_account  # else whoever runs it does (the SSH server)

    @work(thread=True, exit_on_error=False)
    def on_mount(self) -> None:  # signing in: off the event loop
        try:
            with self.hub.as_user(self.user_email) as ctx:
                signed_in = (ctx.signed_in_as, ctx.signed_in_short)
                role = ctx.actor_role
        except HubError as exc:
            self.call_from_thread(self._refuse, exc.message)
            return
        self.call_from_thread(self._open, signed_in, role)

    def _open(self, signed_in: tuple[str, str], role: str) -> None:
        from hub_tui.screens.centres import CentresScreen

        self.role = role
        self.signed_in = signed_in
        self.sub_title = self.signed_in_for(self.size.width)  # shown as Content: never markup
        self.push_screen(CentresScreen())
        if self.watches_account:
            self.watch_account()

    def on_centres_screen_opened(self) -> None:
        # mail can wait a moment: the first screen and its rows come first
        if self.hub.settings.deliver_mail:
            self.set_timer(MAIL_AFTER_SECONDS, self.start_mail)

    def refresh_css(self, animate: bool = True) -> None:
        # other variables (a new theme): this app's own parse, and what is shared kept as it is
        self.stylesheet._parse_cache = LRUCache(64)
        super().refresh_css(animate)

    def signed_in_for(self, width: int) -> str:
        return self.signed_in[0 if width >= WIDE_HEADER else 1]

    def on_resize(self, event: events.Resize) -> None:
        self.narrow = event.size.width < WIDE_HEADER  # self.size is still the old one
        self.sub_title = self.signed_in_for(event.size.width)

    def format_title(self, title: str, sub_title: str) -> Content:
        if self.narrow:  # the screen's own name: the whole path needs more room
            title = title.rsplit(" › ", 1)[-1]
        return super().format_title(title, sub_title)

    def _refuse(self, message: str) -> None:
        from hub_tui.screens.message import MessageScreen

        self.refused = True
        self.use_command_palette = False  # one message and nothing else
        self.push_screen(MessageScreen(message))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # screens open not over a dialog or form: its answer, or its save, must close it
        # and not whatever was opened on top meanwhile
        over_dialog = isinstance(self.screen, ModalScreen)
        if parameters == ("people",):  # the accounts of the people who sign in
            return self.role == Role.SUPPORT and not over_dialog
        if action in ("open", "command_palette", "help"):
            return self.role is not None and (action == "help" or not over_dialog)
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        from hub_tui.commands import useful  # with the palette, as it opens

        return useful(super().get_system_commands(screen))

    def action_help(self) -> None:
        from hub_tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_open(self, name: str) -> None:
        open_named(self, name)


def make_app(hub: Hub, user_email: str, *, watches_account: bool = True) -> HubApp:
    return HubApp(hub, user_email, watches_account=watches_account)
