"""The Textual app: a thin App that owns the database path and the screens."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from tracker.errors import TrackerError
from tracker.i18n import N_, _
from tracker.service.database import ChangeWatch, open_store
from tracker.wrap import install as install_line_breaking

from .commands import DebtCommands
from .screens import SCREENS

if TYPE_CHECKING:
    from tracker.store import Store

install_line_breaking()  # Chinese lines break by character, never before "，" or after "“" (Textual and Rich)


# Textual's own palette commands, as its App.get_system_commands words them (their translations are in the catalog)
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
)


class DebtApp(App[None]):
    """debt-tracker in the terminal. Database work runs in thread workers; each opens its own connection.

    One more connection lives as long as the app, on the UI thread, only to tell whether the file changed
    (``data_token``): a screen shown again reads its data again only if it did.
    """

    CSS_PATH = "app.tcss"
    TITLE = "debt-tracker"
    COMMANDS = App.COMMANDS | {DebtCommands}
    # Help and Quit before the screens: a footer too long for the terminal is cut at its end, and on every screen
    # these two must show (the screens are all named in Help)
    BINDINGS = [
        *(entry.binding() for entry in SCREENS if entry.name == "help"),
        Binding("q", "quit", _("Quit")),
        *(entry.binding() for entry in SCREENS if entry.name != "help"),
        Binding("ctrl+r,f5", "refresh", _("Refresh"), show=False),
        Binding("ctrl+t", "toggle_dark", _("Light/dark"), show=False),
    ]

    def __init__(self, db_path: Path, today: dt.date, *, note: str = "") -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.today = today
        self.note = note
        self.sub_title = _("as of {date}").format(date=today.isoformat()) + (f" {note}" if note else "")
        self.changes = ChangeWatch(self.db_path)
        self._views: tuple[object, dt.date, list] | None = None  # keep_views

    def action_command_palette(self) -> None:
        """Textual's command palette, in the app's language and with a footer of its own keys (``Palette``)."""
        from .palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette())

    def search_themes(self) -> None:
        """Textual's theme picker (the palette's Theme), its search field's placeholder in the app's language."""
        from textual.theme import ThemeProvider

        from .palette import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def get_system_commands(self, screen):
        """Textual's palette commands in the app's language (``TEXTUAL_COMMANDS``), with a screenshot saved where
        it can be (Downloads may not exist). Textual's "Keys" panel is left out: Help (?) lists every key of the
        screen, in the app's language, and says what the screen is for."""
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            if command.title not in ("Screenshot", "Keys"):
                yield command._replace(title=_(command.title), help=_(command.help))
        yield SystemCommand(_("Screenshot"), _("Save an SVG picture of this screen"), self.save_private_screenshot)

    def save_private_screenshot(self) -> None:
        """An SVG of the screen in ~/Downloads, or the home folder when there is none; private (0600): it shows your debts."""
        from tracker.files import write_private

        folder = Path.home() / "Downloads"
        if not folder.is_dir():
            folder = Path.home()
        path = folder / f"debt-tracker-{dt.datetime.now():%Y%m%d-%H%M%S}.svg"
        try:
            write_private(path, self.export_screenshot())
        except TrackerError as exc:  # the disk is full, the folder read-only
            self.notify(exc.message, title=_("Not done"), severity="error")
            return
        self.notify(_("Saved a picture of the screen to {path}").format(path=path))

    def notify(
        self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False
    ) -> None:
        """Notifications carry the user's own text (loan names, file names): shown as typed, not as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- data ----------------------------------------------------------------------
    def open_store(self) -> Store:
        """A connection for the calling thread (SQLite connections stay in their thread)."""
        return open_store(self.db_path, self.today)

    def data_token(self) -> object:
        """Equal to an earlier one only if nothing has written the database in between (this app's workers,
        `debt` in another terminal, cron); None when that cannot be told. A cheap question: no query."""
        return self.changes.token()

    def keep_views(self, token: object, views: list) -> None:
        """Every loan's view (``service.views.loan_views``) as read by a load that started at ``token``: a
        screen opened before anything writes the database shows them without reading them again."""
        self._views = None if token is None else (token, self.today, views)

    def kept_views(self) -> tuple[object, list] | None:
        """The views kept and the token they were read at, while nothing has written the database since."""
        kept = self._views
        if kept is None:
            return None
        token, today, views = kept
        if today != self.today or token != self.data_token():
            return None
        return token, views

    def on_app_focus(self) -> None:
        # back from another window, where `debt repay` may have run: the screen reads again if the file changed
        reload = getattr(self.screen, "reload_if_changed", None)
        if reload:
            reload()

    def on_unmount(self) -> None:
        self.changes.close()

    # -- navigation ----------------------------------------------------------------
    def on_mount(self) -> None:
        from .screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())

    def action_show(self, name: str) -> None:
        from .screens import make_screen

        current = self.screen
        if getattr(current, "SCREEN_NAME", None) == name:
            return
        if name == "help":  # help opens over the screen it is asked from: Escape goes back to it
            self.push_screen(make_screen(name))
            return
        # screens reached from the top bar replace one another; Escape returns to the dashboard
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name == "dashboard":
            if len(self.screen_stack) > 1 and getattr(self.screen, "SCREEN_NAME", None) != "dashboard":
                self.pop_screen()
            return
        self.push_screen(make_screen(name))

    def action_add_loan(self) -> None:
        from .dialogs.loan_form import LoanFormScreen

        def saved(loan_id: int | None) -> None:
            if loan_id:
                from .screens.loan_detail import LoanDetailScreen

                self.push_screen(LoanDetailScreen(loan_id))

        self.push_screen(LoanFormScreen(), saved)

    def action_add_card(self) -> None:
        from .dialogs.card_forms import CardFormScreen

        def saved(card_id: int | None) -> None:
            if card_id:
                from .screens.loan_detail import LoanDetailScreen

                self.push_screen(LoanDetailScreen(card_id))

        self.push_screen(CardFormScreen(), saved)

    def action_refresh(self) -> None:
        refresh = getattr(self.screen, "reload", None)
        if refresh:
            refresh()
        self.notify(_("Refreshed"), timeout=1.5)

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def settle_process() -> None:
    """Before the app runs in a process of its own (``debt``, ``debt demo``): what is made by then (Textual,
    the program's modules) lives as long as the process, and the collector's full passes leave it out. It
    was most of each pass: 40 to 70 ms each, several of them while a 1,000-loan list opened."""
    gc.freeze()


def make_app(db_path: Path, today: dt.date, *, note: str = "", theme: str | None = None) -> DebtApp:
    """The factory the CLI, the demo and the tests share."""
    app = DebtApp(db_path, today, note=note)
    if theme:
        app.theme = theme
    return app
