"""Textual's command palette in the app's language, with a footer of its own keys."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tracker.i18n import _

from .widgets import Footer


class Palette(CommandPalette):
    """The command palette (Ctrl+P). Its footer lists its own key, as a dialog's does: the footer of the screen
    beneath listed that screen's keys, which do nothing while it is open (a letter goes into the search). The
    arrows and Enter are the search field's; a footer shows only the keys of the screen itself."""

    BINDINGS = [Binding("escape", "escape", _("Close"))]  # Textual's own, in the app's language

    def __init__(self, *, providers=None, placeholder: str | None = None) -> None:
        super().__init__(
            providers=providers,
            placeholder=_("Search for commands…") if placeholder is None else placeholder,
            id="--command-palette",
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own, with its line in the app's language: after a short wait, a search that found nothing says so
        (an empty search lists what there is, and says nothing)."""
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_("No matches found"), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Footer(compact=True, show_command_palette=False)
