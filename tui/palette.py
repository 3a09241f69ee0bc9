"""Textual's command palette in the app's language, with a footer of its own keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette

from tracker.i18n import _

from .widgets import Footer


class Palette(CommandPalette):
    """The command palette (Ctrl+P). Its footer lists its own key, as a dialog's does: the footer of the screen
    beneath listed that screen's keys, which do nothing while it is open (a letter goes into the search). The
    arrows and Enter are the search field's; a footer shows only the keys of the screen itself."""

    BINDINGS = [Binding("escape", "escape", _("Close"))]  # Textual's own, in the app's language

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for commands…"), id="--command-palette")

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Footer(compact=True, show_command_palette=False)
