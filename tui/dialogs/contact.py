"""Correct a contact of the timeline: its time, channel, sender and summary, its evidence files' notes; delete it."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from tracker.errors import BadInput
from tracker.i18n import _
from tracker.inputs import CHANNELS, parse_datetime
from tracker.models import Contact, Evidence
from tracker.paths import evidence_dir
from tracker.present.deletions import delete_contact_question, remove_evidence_question
from tracker.present.messages import channel_text
from tracker.service.evidence import edit_note, remove
from tracker.service.messages import delete_contact, edit_contact

from ..widgets import DataTable, Input, Select
from .card_forms import _Form
from .confirm import ConfirmScreen


class ContactScreen(_Form):
    """One contact, opened from the timeline with Enter. Dismisses with True when anything changed."""

    AUTO_FOCUS = "#summary"

    BINDINGS = [
        *_Form.BINDINGS,
        Binding("ctrl+d", "delete_contact", _("Delete contact")),
        Binding("delete", "remove_file", _("Remove file"), show=False),
    ]

    def __init__(self, contact: Contact, files: list[Evidence]) -> None:
        super().__init__()
        self.contact = contact
        self.files = files
        self.changed = False

    def compose(self) -> ComposeResult:
        c = self.contact
        with VerticalScroll(classes="dialog wide contact-form"):
            yield Static(_("Contact {id}").format(id=c.id), classes="dialog-title", markup=False)
            yield from self._row("when", _("When"), c.happened_at.strftime("%Y-%m-%d %H:%M"), "YYYY-MM-DD HH:MM")
            with Horizontal(classes="form-row"):
                yield Label(_("Channel"), classes="form-label")
                yield Select(
                    [(channel_text(ch), ch) for ch in CHANNELS], value=c.channel, allow_blank=False, id="channel", compact=True
                )
            yield from self._row("sender", _("Sender"), c.sender)
            yield from self._row("summary", _("Summary"), c.summary, _("what was said or demanded"))
            yield Static(_("Evidence files: Enter in the note saves it, Delete removes the highlighted file"), classes="hint")
            yield DataTable(id="files", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="form-row"):
                yield Label(_("File note"), classes="form-label")
                yield Input(id="file-note", classes="form-input", placeholder=_("what the highlighted file shows"))
            yield Static(id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Delete contact"), variant="error", id="delete")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        table = self.query_one("#files", DataTable)
        for key, label in (("id", _("ID")), ("name", _("Name")), ("note", _("Note")), ("sha", "SHA-256")):
            table.add_column(label, key=key)
        self._show_files()

    def _show_files(self) -> None:
        table = self.query_one("#files", DataTable)
        table.clear()
        for e in self.files:
            table.add_row(str(e.id), e.original_name, e.note, e.sha256[:12] + "…", key=str(e.id))
        table.display = bool(self.files)
        self.query_one("#file-note", Input).disabled = not self.files
        self._note_of_highlighted()

    def _highlighted(self) -> Evidence | None:
        table = self.query_one("#files", DataTable)
        if not self.files or not table.row_count:
            return None
        return self.files[min(table.cursor_row, len(self.files) - 1)]

    def _note_of_highlighted(self) -> None:
        item = self._highlighted()
        self.query_one("#file-note", Input).value = item.note if item else ""

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._note_of_highlighted()

    # Textual also runs the base class's handler of a message unless prevent_default() is called
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()
        if event.button.id == "delete":
            self.action_delete_contact()
        elif event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.prevent_default()
        if event.input.id == "file-note":
            self._save_note()
        else:
            self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(self.changed)

    # -- the contact -----------------------------------------------------------------
    def action_save(self) -> None:
        today = self.app.today  # type: ignore[attr-defined]
        try:
            when = parse_datetime(self._value("when"), _("When"))
        except BadInput as exc:
            self._error(exc.message)
            return
        cid, channel = self.contact.id or 0, str(self.query_one("#channel", Select).value)
        sender, summary = self._value("sender"), self._value("summary")

        def save(store):
            return edit_contact(store, cid, channel=channel, sender=sender, summary=summary, when=when, today=today)

        def done(contact: Contact) -> None:
            self.notify(_("Updated contact {id}.").format(id=contact.id))
            self.dismiss(True)

        self.db(save, done, error=self._error)

    def action_delete_contact(self) -> None:
        c = self.contact
        question = delete_contact_question(c)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def done(_result: None) -> None:
                self.notify(_("Deleted contact {id}; its evidence files are kept.").format(id=c.id))
                self.dismiss(True)

            self.db(lambda store: delete_contact(store, c.id or 0), done, error=self._error)

        self.app.push_screen(ConfirmScreen(question), confirmed)

    # -- its files -----------------------------------------------------------------
    def _save_note(self) -> None:
        item = self._highlighted()
        if item is None:
            return
        note = self.query_one("#file-note", Input).value.strip()

        def done(updated: Evidence) -> None:
            self.files = [updated if e.id == updated.id else e for e in self.files]
            self.changed = True
            self._error("")
            self.notify(_("Updated the note of evidence {id}.").format(id=updated.id))
            self._show_files()

        self.db(lambda store: edit_note(store, item.id or 0, note), done, error=self._error)

    def action_remove_file(self) -> None:
        item = self._highlighted()
        if item is None or self.focused is not self.query_one("#files", DataTable):
            return
        question = remove_evidence_question(item)
        folder = evidence_dir(self.app.db_path)  # type: ignore[attr-defined]
        now = dt.datetime.combine(self.app.today, dt.datetime.now().time().replace(microsecond=0))  # type: ignore[attr-defined]

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def done(_removed: Evidence) -> None:
                self.files = [e for e in self.files if e.id != item.id]
                self.changed = True
                self.notify(_("Removed evidence {id}.").format(id=item.id))
                self._show_files()

            self.db(lambda store: remove(store, folder, item.id or 0, now), done, error=self._error)

        self.app.push_screen(ConfirmScreen(question, _("Remove")), confirmed)
