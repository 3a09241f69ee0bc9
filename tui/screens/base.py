"""What every data screen shares: a header and footer, reload on return, Escape leaves a field, then goes back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, TextArea

from tracker.i18n import _

if TYPE_CHECKING:
    from ..app import DebtApp


class DataScreen(Screen):
    SCREEN_NAME = ""
    BINDINGS = [Binding("escape", "back", _("Back"))]

    @property
    def debt_app(self) -> DebtApp:
        return self.app  # type: ignore[return-value]

    def compose_header(self) -> ComposeResult:
        yield Header()

    def compose_footer(self) -> ComposeResult:
        yield Footer(compact=True, show_command_palette=False)  # Ctrl+P is in Help; at 80 columns it overran the line

    def on_screen_resume(self) -> None:
        # reached for the first time or again after a modal or another screen: read fresh data
        self.reload()

    def reload(self) -> None:  # pragma: no cover - each screen loads its own data
        """Start loading this screen's data in a worker."""

    def action_back(self) -> None:
        """Escape: out of a text field first (the screen's and the app's keys work again), then back."""
        if isinstance(self.focused, (Input, TextArea)):
            self.set_focus(None)
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
