"""The small form dialog the income and credit-check forms share: labelled inputs, each problem shown beside
its field as you type, the store's refusal below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Label, Static

from tracker.errors import BadInput
from tracker.i18n import _

from ..screens.base import OwnsWork
from ..widgets import Input
from .base import Dialog

CSS_PATH = "../health.tcss"


class FieldForm(OwnsWork, Dialog[bool]):
    """A small form dialog: labelled inputs, each problem shown beside its field as you type, the store's refusal below."""

    CSS_PATH = CSS_PATH
    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "save", _("Save"))]
    TITLE_TEXT = ""
    AUTO_FOCUS = "Input"  # the field focused first (a form names its own); its first field
    # field id -> parse function raising BadInput; filled in by subclasses
    checks: dict[str, Callable[[str], Any]] = {}

    def field(
        self, field: str, label: str, value: str = "", placeholder: str = "", suggestions: list[str] | None = None
    ) -> ComposeResult:
        suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        with Horizontal(classes="form-row", id=f"row-{field}"):
            yield Label(label, classes="form-label")
            yield Input(value=value, placeholder=placeholder, id=field, classes="form-input", suggester=suggester)
            yield Static("", id=f"{field}-error", classes="field-error", markup=False)

    def compose_fields(self) -> ComposeResult:  # pragma: no cover - each form has its own fields
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog health-form"):
            yield Static(self.TITLE_TEXT, classes="dialog-title", markup=False)
            yield from self.compose_fields()
            yield Static(id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def check(self, field: str) -> bool:
        parse = self.checks.get(field)
        if parse is None:
            return True
        target = self.query_one(f"#{field}-error", Static)
        box = self.query_one(f"#{field}", Input)
        try:
            parse(box.value)
        except BadInput as exc:
            target.update(exc.message)
            box.add_class("-invalid")
            return False
        target.update("")
        box.remove_class("-invalid")
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.check(event.input.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        # every field is checked so that all problems show at once
        if all([self.check(f) for f in self.checks]):
            self.save()

    def save(self) -> None:  # pragma: no cover - each form saves its own way
        """Start the store call in a worker; dismiss on success."""

    def run(self, fn: Callable[[Any], Any], done: Callable[[Any], Any]) -> None:
        """Run fn(store) in a worker; a refusal from the store is shown in the dialog."""
        self.db(fn, done, error=self.refused)

    def refused(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def action_cancel(self) -> None:
        self.dismiss(False)
