"""Collection messages: paste a message to see its red flags and advice; the contact timeline and evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from tracker.i18n import _
from tracker.paths import evidence_dir
from tracker.present.messages import channel_text, contact_about, verdict_text
from tracker.safe_text import is_safe, mask_numbers, visible

from ..widgets import DataTable, Indented, Input, TextArea, fill_table, safe_text
from .base import DataScreen

VERDICT_STYLE = {"likely-scam": "bold white on red", "suspicious": "bold black on yellow", "no-red-flags": "bold white on green"}


class MessagesScreen(DataScreen):
    SCREEN_NAME = "messages"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # a short terminal gets a smaller message box
    BINDINGS = [
        Binding("ctrl+g", "check", _("Check"), tooltip=_("Check the message now (it is also checked as you type)")),
        Binding(
            "ctrl+s", "save", _("Save"), tooltip=_("Keep the message in the timeline, with its verdict and the time it came")
        ),
        Binding("ctrl+o", "add_evidence", _("Add evidence")),
        Binding("ctrl+n", "new", _("New message"), tooltip=_("Empty the box, the sender and the time for the next message")),
        # the hint above the box names it; the footer keeps room for the rest at 80 columns
        Binding("w", "write", _("Write"), tooltip=_("Type or paste a message to check"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result = None
        self._pending = None
        self.ledger = None  # the user's loans, for the triage to compare a message with (loaded with the timeline)
        self.saved: tuple[str, str | None, int | None] | None = None  # the text and sender last kept, and its contact

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if not is_safe(area.text, multiline=True):
            # pasted control or direction characters are shown, never sent to the terminal on each redraw
            area.text = visible(area.text, multiline=True)
            return  # the change this makes comes back here
        if event.text_area.text.strip():
            self._check_soon()  # as the user types or pastes, once they pause

    def on_input_changed(self, event: Input.Changed) -> None:
        """A sender or a time typed in: the message is checked again once they pause."""
        if event.input.id in ("sender", "received") and self.query_one("#message-text", TextArea).text.strip():
            self._check_soon()

    def _check_soon(self) -> None:
        """Check the message once the typing pauses (a keystroke before then starts the wait again)."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(0.6, self.action_check)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Horizontal(id="messages"):
            with Vertical(id="message-left"):
                yield Static(
                    _("Paste a message (collection SMS, app notice) or press w to type one; links are never opened."),
                    classes="hint",
                )
                # the verdict first: on a short terminal it stays on screen, above the box
                yield Indented(id="verdict")
                yield TextArea(id="message-text")
                with Horizontal(classes="form-row", id="sender-row"):
                    yield Label(_("Sender"), classes="form-label")
                    yield Input(placeholder=_("e.g. 95555 or 13800138000"), id="sender", classes="form-input")
                with Horizontal(classes="form-row", id="received-row"):
                    # when it came: a collection message at night breaks the collection rules (blank: now)
                    yield Label(_("Received at"), classes="form-label")
                    yield Input(placeholder=_("e.g. 23:40 (blank: now)"), id="received", classes="form-input")
                yield Static(id="highlighted")
            with VerticalScroll(id="message-right"):
                yield Indented(id="advice")
        yield Static(_("Timeline: Enter on a contact corrects or deletes it"), classes="section-title")
        yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form-row", id="evidence-row"):
            yield Label(_("Evidence file"), classes="form-label")
            yield Input(
                placeholder=_("its path, then Enter: added to the selected contact"),
                id="evidence-path",
                classes="form-input",
            )
            yield Static("", id="evidence-error", classes="field-error", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one("#contacts", DataTable)
        fill_table(table, self.timeline_columns(), [])
        # the timeline has the focus, so the app's keys (d, l, i…) still switch screens; w or a paste writes
        table.focus()

    def action_write(self) -> None:
        self.query_one("#message-text", TextArea).focus()

    def action_back(self) -> None:
        """Escape in the message box or a field leaves it for the timeline (the app's keys work again); then goes back."""
        if isinstance(self.focused, (TextArea, Input)):
            self.query_one("#contacts", DataTable).focus()
            return
        super().action_back()

    def on_paste(self, event: events.Paste) -> None:
        """A message pasted anywhere on the screen goes into the message box."""
        area = self.query_one("#message-text", TextArea)
        if self.focused is not area and event.text.strip():
            event.stop()
            area.focus()
            area.insert(event.text)

    def reload(self) -> None:
        today = self.debt_app.today

        def load(store):
            from tracker.service.messages import ledger_witness, list_contacts

            contacts, counts = list_contacts(store)
            return contacts, counts, ledger_witness(store, today)

        self.load(load, self.show_contacts)

    def show_contacts(self, data) -> None:
        contacts, counts, self.ledger = data
        rows = [
            (
                str(c.id),
                [
                    str(c.id),
                    c.happened_at.strftime("%Y-%m-%d %H:%M"),
                    channel_text(c.channel),
                    c.sender,
                    mask_numbers(contact_about(c)),
                    Text(
                        verdict_text(c.verdict),
                        style={"likely-scam": "bold red", "suspicious": "yellow"}.get(c.verdict or "", ""),
                    ),
                    str(counts.get(c.id, 0)),
                ],
            )
            for c in reversed(contacts)
        ]
        # at 80 columns the verdict stays whole: the file count and the channel go first, the summary is cut with "…"
        fill_table(
            self.query_one("#contacts", DataTable), self.timeline_columns(), rows, drop=("files", "channel"), shrink="about"
        )

    @staticmethod
    def timeline_columns() -> list[tuple[str, str]]:
        return [
            (_("ID"), "id"),
            (_("When"), "when"),
            (_("Channel"), "channel"),
            (_("Sender"), "from"),
            (_("About / summary"), "about"),
            (_("Verdict"), "verdict"),
            (_("Files"), "files"),
        ]

    # -- checking ------------------------------------------------------------------
    def action_check(self) -> None:
        from tracker.errors import BadInput
        from tracker.inputs import read_message
        from tracker.present.messages import ledger_text, outweighed_text, triage_headline
        from tracker.triage import shown_evidence, triage

        try:
            message = read_message(self.query_one("#message-text", TextArea).text)
            received = self.received()
        except BadInput as exc:
            self.result = None  # nor is an earlier verdict's advice left beside what is wrong
            self.query_one("#verdict", Indented).show([(0, 0, Text(exc.message, style="red"))])
            self.query_one("#advice", Indented).show([])
            self.query_one("#highlighted", Static).update("")
            return
        self.result = triage(message, self.query_one("#sender", Input).value.strip() or None, self.ledger, received)
        r = self.result
        verdict = [(0, 1, Text(f" {triage_headline(r)} ", style=VERDICT_STYLE[r.verdict]))]
        ledger = ledger_text(r)
        if ledger:  # what the user's own ledger says: the witness no scammer can fake
            verdict.append((1, 0, Text(ledger, style="bold")))
        self.query_one("#verdict", Indented).show(verdict)
        shown = Text(mask_numbers(message))  # the same length: the spans stay on their words
        for f in r.flags:
            for start, end in f.spans:
                shown.stylize("bold reverse red", start, end)
        self.query_one("#highlighted", Static).update(safe_text(shown))
        advice: list[tuple[int, int, Text]] = []  # (indent, later lines' further indent, text)
        outweighed = outweighed_text(r)
        if outweighed:
            advice.append((0, 0, Text(outweighed, style="dim")))
        for f in r.flags:
            flag = Text(f"● {f.title}", style="bold yellow" if outweighed else "bold red")
            quotes = "」「".join(mask_numbers(e) for e in shown_evidence(f))
            if quotes:
                flag.append(f"  「{quotes}」")
            advice += [(0, 2, flag), (2, 0, Text(f.message, style="dim"))]
        if r.advice:
            advice += [(0, 0, Text()), (0, 0, Text(_("What to do"), style="bold"))]
            for n, a in enumerate(r.advice, start=1):
                number = f"{n}. "
                advice.append((0, len(number), Text(number + a.step)))
                if a.detail:
                    advice.append((len(number), 0, Text(a.detail, style="dim")))
        self.query_one("#advice", Indented).show(advice)

    def received(self) -> dt.datetime | None:
        """When the message arrived, as typed (a time is today's); None when blank. BadInput when it is no time."""
        from tracker.inputs import parse_received

        raw = self.query_one("#received", Input).value.strip()
        return parse_received(raw, self.debt_app.today, _("received")) if raw else None

    def action_new(self) -> None:
        """An empty box, sender and time, and no verdict: ready for the next message (the timeline keeps the last)."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.query_one("#message-text", TextArea).text = ""
        self.query_one("#sender", Input).value = ""
        self.query_one("#received", Input).value = ""
        for part in ("#verdict", "#advice"):
            self.query_one(part, Indented).show([])
        self.query_one("#highlighted", Static).update("")
        self.result = None
        self.saved = None
        self.query_one("#message-text", TextArea).focus()

    def action_save(self) -> None:
        from tracker.service.messages import save_sms

        self.action_check()  # what is kept is the verdict on the box's text, sender and time as they are now
        if self.result is None:
            return
        text = self.query_one("#message-text", TextArea).text.strip()
        sender = self.query_one("#sender", Input).value.strip() or None
        if self.saved is not None and self.saved[:2] == (text, sender):  # Ctrl+S again: not a second contact
            self.notify(_("Already saved as contact {id}.").format(id=self.saved[2]))
            return
        result = self.result
        when = self.received() or dt.datetime.combine(self.debt_app.today, dt.datetime.now().time().replace(microsecond=0))

        def saved(contact) -> None:
            self.saved = (text, sender, contact.id)
            self.notify(_("Saved as contact {id}.").format(id=contact.id))
            self.reload()

        self.db(lambda store: save_sms(store, text, sender, when, result), saved)

    def action_add_evidence(self) -> None:
        from tracker.service.evidence import add_files

        table = self.query_one("#contacts", DataTable)
        error = self.query_one("#evidence-error", Static)
        raw = self.query_one("#evidence-path", Input).value.strip()
        if not raw:
            error.update(_("type a file path first"))
            self.query_one("#evidence-path", Input).focus()
            return
        contact_id = None
        if table.row_count:
            contact_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0) or None
        path = Path(raw).expanduser()
        folder = evidence_dir(self.debt_app.db_path)
        now = dt.datetime.combine(self.debt_app.today, dt.datetime.now().time().replace(microsecond=0))

        def done(items) -> None:
            error.update("")
            self.query_one("#evidence-path", Input).value = ""
            self.notify(_("Stored {name} (sha256 {hash}…).").format(name=items[0].original_name, hash=items[0].sha256[:12]))
            self.reload()

        self.db(lambda store: add_files(store, folder, [path], now, contact_id=contact_id), done, error=error.update)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "contacts":
            return
        from ..dialogs.contact import ContactScreen

        cid = int(event.row_key.value or 0)

        def opened(data) -> None:
            contact, files = data
            self.app.push_screen(ContactScreen(contact, files), lambda changed: self.reload() if changed else None)

        from tracker.service.messages import contact_and_files

        self.db(lambda store: contact_and_files(store, cid), opened)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "evidence-path":
            self.action_add_evidence()
        else:
            self.action_check()
