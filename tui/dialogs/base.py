"""What every dialog shares: a compact layout on a short terminal, and a footer with its own keys."""

from __future__ import annotations

from textual.screen import ModalScreen, ScreenResultType

from ..widgets import Footer


class Dialog(ModalScreen[ScreenResultType]):
    """A dialog over a screen. At 80x24 (``-short``) its rows close up so its buttons stay on screen, and its
    footer lists its own keys (Escape, Ctrl+S): the footer of the screen beneath, whose keys do nothing while
    the dialog is open, is covered."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def on_mount(self) -> None:
        self.mount(Footer(compact=True, show_command_palette=False))
