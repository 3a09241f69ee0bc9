"""Import a statement: matched and unmatched rows, assign the unmatched to a loan, record the accepted ones."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Static

from tracker.i18n import _, ngettext
from tracker.money import fmt
from tracker.present.repayments import stand_in_short
from tracker.present.statements import bill_line, row_text, statement_summary, typed_text
from tracker.service.statements import ImportPreview, add_rule, list_rules, preview, read_file, record, rematch, review
from tracker.service.views import list_loans

from ..dialogs.statement_rules import AssignScreen, RulesScreen
from ..widgets import DataTable, Input, fill_table
from .base import DataScreen


class StatementsScreen(DataScreen):
    SCREEN_NAME = "statements"
    BINDINGS = [
        Binding("ctrl+s", "record", _("Record")),
        Binding("ctrl+o", "focus_path", _("Open file")),
        Binding("ctrl+l", "rules", _("Rules")),
    ]

    def action_rules(self) -> None:
        def opened(data) -> None:
            rules, loans = data
            self.app.push_screen(RulesScreen(rules, loans), self._rules_closed)

        self.db(lambda store: (list_rules(store), [(ln.id or 0, ln.name) for ln in list_loans(store)]), opened)

    def _rules_closed(self, changed: bool | None) -> None:
        if changed and self.plan is not None:  # the rows a deleted rule matched are unmatched again
            plan, today = self.plan, self.debt_app.today
            self.db(lambda store: review(store, rematch(store, plan), today), self.show_plan)

    def __init__(self) -> None:
        super().__init__()
        self.plan: ImportPreview | None = None
        self.loans: list[tuple[int, str]] = []
        self.statement_path: Path | None = None  # the statement on screen, read again once its rows are recorded

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Horizontal(classes="form-row", id="statement-row"):
            yield Label(_("Statement file"), classes="form-label")
            yield Input(
                placeholder=_("path to the statement file, then Enter"),
                id="statement-path",
                classes="form-input",
            )
        # what files it reads, below the box rather than in its placeholder: at 80 columns that was cut
        yield Static(
            _("Alipay or WeChat Pay bills and bank statements, as CSV or XLSX."),
            id="statement-summary",
            classes="hint",
            markup=False,
        )
        yield Static(_("To record"), classes="section-title")
        yield DataTable(id="to-record", cursor_type="row", zebra_stripes=True)
        yield Static(_("Look like repayments but match no loan: Enter assigns one"), classes="section-title")
        yield DataTable(id="unmatched", cursor_type="row", zebra_stripes=True)
        yield from self.compose_footer()

    # the path box has the focus when the screen opens (on_mount); after a dialog, the focus stays where the
    # person left it: Textual would otherwise give a screen with no focus its first field, and a key typed next
    # (q, say) would land in the path
    AUTO_FOCUS = ""

    def on_mount(self) -> None:
        self._fill([], [])
        self.query_one("#statement-path", Input).focus()

    def _fill(self, to_record, unmatched) -> None:
        columns = [(_("Date"), "date"), (_("Loan"), "loan"), (_("Amount"), "amount"), (_("Row"), "row")]
        fill_table(self.query_one("#to-record", DataTable), columns, to_record, shrink="row")
        hint_columns = [(_("Date"), "date"), (_("Suggested loan"), "loan"), (_("Amount"), "amount"), (_("Row"), "row")]
        fill_table(self.query_one("#unmatched", DataTable), hint_columns, unmatched, shrink="row")

    def reload(self) -> None:
        self.load(lambda store: [(ln.id or 0, ln.name) for ln in list_loans(store)], self._loans)

    def _loans(self, loans) -> None:
        self.loans = loans

    def action_focus_path(self) -> None:
        self.query_one("#statement-path", Input).focus()

    def action_back(self) -> None:
        """Escape in the path box leaves it for the rows (the unmatched ones first: Enter assigns one), if any."""
        if isinstance(self.focused, Input):
            for table_id in ("#unmatched", "#to-record"):
                table = self.query_one(table_id, DataTable)
                if table.row_count:
                    table.focus()
                    return
        super().action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.open_statement(Path(event.value.strip()).expanduser())

    def open_statement(self, path: Path, recorded: str = "") -> None:
        """Read the statement at ``path`` and show what it would record (``recorded``: what was just recorded
        from it, said first: the rows recorded are then known and left out, the others stay to assign)."""
        summary = self.query_one("#statement-summary", Static)
        today = self.debt_app.today

        def load(store):
            return review(store, preview(store, read_file(path)), today)

        def failed(message: str) -> None:
            self.statement_path = None
            summary.update(Text(message, style="red"))

        # the statement on screen until now is gone: nothing of it may be recorded under another file's name
        self.plan, self.statement_path = None, path
        self._fill([], [])
        summary.update(_("Reading {path}…").format(path=path))
        self.db(load, lambda plan: self.show_plan(plan, recorded), error=failed)

    def show_plan(self, plan: ImportPreview, said: str = "") -> None:
        """The statement's rows to record and the unmatched ones (``said``: a line to show first)."""
        self.plan = plan
        names = dict(self.loans)
        # a bill is proposed for a card the statement pays: it is in the currency of those rows
        currency = {loan_id: row.currency for loan_id, row in plan.to_record}
        self.query_one("#statement-summary", Static).update(
            "\n".join(
                [
                    *([said] if said else []),
                    statement_summary(plan),
                    *([typed] if (typed := typed_text(plan, names)) else []),
                    *(bill_line(b, names.get(b.card_id, ""), currency[b.card_id]) for b in plan.bills),
                    *("! " + note for note in plan.bill_notes),
                ]
            )
        )
        to_record = [
            (
                None,
                [
                    f"{row.when:%Y-%m-%d}",
                    names.get(loan_id, str(loan_id)),
                    Text(fmt(row.amount, row.currency), justify="right"),
                    " · ".join(
                        x
                        for x in (
                            row_text(row),
                            stand_in_short(plan.deductions[n]) if n in plan.deductions else "",
                        )
                        if x
                    ),
                ],
            )
            for n, (loan_id, row) in enumerate(plan.to_record)
        ]
        unmatched = [
            (
                str(n),
                [
                    f"{row.when:%Y-%m-%d}",
                    Text(names.get(hint, ""), style="dim"),
                    Text(fmt(row.amount, row.currency), justify="right"),
                    row_text(row),
                ],
            )
            for n, (row, hint) in enumerate(plan.still_unmatched)
        ]
        self._fill(to_record, unmatched)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "unmatched" or self.plan is None:
            return
        row, hint = self.plan.still_unmatched[int(event.row_key.value or 0)]

        def assigned(choice: tuple[int, bool] | None) -> None:
            if choice is None or self.plan is None:
                return
            loan_id, remember = choice
            self.plan.assigned.append((loan_id, row))
            self.show_plan(self.plan)
            plan, today = self.plan, self.debt_app.today
            if not remember:
                self.db(lambda store: review(store, plan, today), self.show_plan)
                return
            who = row.counterparty

            def remembered(store):
                add_rule(store, loan_id, who or None, None if who else row.description, None)
                # the other rows from the same counterparty now match the rule too
                return review(store, rematch(store, plan), today)

            self.db(remembered, self.show_plan)

        self.app.push_screen(AssignScreen(row, self.loans, hint), assigned)

    def action_record(self) -> None:
        if self.plan is None or not self.plan.to_record:
            self.notify(_("Nothing to record: open a statement first."), severity="warning")
            return
        plan, today = self.plan, self.debt_app.today

        def done(n: int) -> None:
            said = ngettext("Recorded {n} repayment.", "Recorded {n} repayments.", n).format(n=n)
            self.notify(said)
            self.plan = None
            self._fill([], [])
            self.query_one("#statement-summary", Static).update(said)
            if self.statement_path is not None:  # the rows left unassigned stay on screen, to assign next
                self.open_statement(self.statement_path, said)

        summary = self.query_one("#statement-summary", Static)
        self.db(lambda store: record(store, plan, today), done, error=lambda m: summary.update(Text(m, style="red")))
