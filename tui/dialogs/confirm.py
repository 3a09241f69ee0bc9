"""Small modal dialogs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tracker.i18n import _

from .base import Dialog


class ConfirmScreen(Dialog[bool]):
    """Yes or no; Escape is no."""

    AUTO_FOCUS = "#no"

    BINDINGS = [Binding("escape", "no", _("Cancel")), Binding("y", "yes", _("Yes"))]  # "y": named after the action

    def __init__(self, question: str, action: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.action_label = action or _("Delete")
        # the footer names the key by what it does, as the button does ("y Delete", not "y Yes"): the binding is
        # this dialog's own copy (Textual copies the class's bindings for each screen), so only its text changes
        self._bindings.key_to_bindings["y"] = [Binding("y", "yes", self.action_label)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.action_label, variant="error", id="yes")
                yield Button(_("Cancel"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
