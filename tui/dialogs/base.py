"""What every dialog shares: a compact layout on a short terminal, and a footer with its own keys."""

from __future__ import annotations

from textual.screen import ModalScreen, ScreenResultType

from ..widgets import Footer, set_breakpoint_classes


class Dialog(ModalScreen[ScreenResultType]):
    """A dialog over a screen. At 80x24 (``-short``) its rows close up so its buttons stay on screen, and its
    footer lists its own keys (Escape, Ctrl+S): the footer of the screen beneath, whose keys do nothing while
    the dialog is open, is covered."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    # the field that takes the keys first, focused as the dialog is composed (a dialog names its own): "*", Textual's
    # default, would focus a scrolling form's container, and moving the focus on restyles the whole form twice
    AUTO_FOCUS = "Input, Select, TextArea, Checkbox, Button, DataTable"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_breakpoint_classes(self)

    def on_mount(self) -> None:
        self.mount(Footer(compact=True, show_command_palette=False))
