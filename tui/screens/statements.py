"""Import a statement: matched and unmatched rows, assign the unmatched to a loan, record the accepted ones."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from tracker.i18n import _, ngettext
from tracker.money import fmt
from tracker.present import stand_in_short
from tracker.safe_text import visible
from tracker.statement_import import ImportPreview, add_rule, preview, read_file, record, rematch, review

from ..widgets import DataTable, Select, fill_table, safe_text
from .base import DataScreen, OwnsWork
from .modals import ConfirmScreen


class AssignScreen(OwnsWork, ModalScreen[tuple[int, bool] | None]):
    """Which loan an unmatched row repays; optionally remember it as a rule."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, row, loans: list[tuple[int, str]], suggestion: int | None) -> None:
        super().__init__()
        self.row = row
        self.loans = loans
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(classes="dialog"):
            yield Static(_("Which loan does this repay?"), classes="dialog-title", markup=False)
            yield Static(
                safe_text(
                    f"{row.when:%Y-%m-%d}  {fmt(row.amount, row.currency, symbol=True)}  {row.counterparty} {row.description}"
                )
            )
            yield Select([(name, loan_id) for loan_id, name in self.loans], value=self.suggestion or Select.NULL, id="loan")
            yield Checkbox(
                safe_text(_("Remember: rows from '{who}' repay this loan").format(who=row.counterparty or row.description)),
                id="remember",
            )
            with Horizontal(classes="buttons"):
                yield Button(_("Assign"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            value = self.query_one("#loan", Select).value
            if value is Select.NULL:
                self.notify(_("Choose a loan first."), severity="warning")
                return
            self.dismiss((int(value), self.query_one("#remember", Checkbox).value))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RulesScreen(OwnsWork, ModalScreen[bool]):
    """Every statement-matching rule; Delete (or Ctrl+D) removes the highlighted one after asking."""

    BINDINGS = [
        Binding("escape", "close", _("Close")),
        Binding("delete,ctrl+d", "delete_rule", _("Delete rule")),
    ]

    def __init__(self, rules: list[tuple[int, int, str | None, str | None, str | None]], loans: list[tuple[int, str]]) -> None:
        super().__init__()
        self.rules = rules
        self.names = dict(loans)
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(_("Statement-matching rules"), classes="dialog-title", markup=False)
            yield Static(_("Rows whose text contains these words are sent to the loan."), classes="hint")
            yield DataTable(id="rules", cursor_type="row", zebra_stripes=True)
            yield Static(id="rules-empty", classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Delete rule"), variant="error", id="delete")
                yield Button(_("Close"), id="close")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#rules", DataTable).focus()

    def _show(self) -> None:
        columns = [
            (_("ID"), "id"),
            (_("Loan"), "loan"),
            (_("Counterparty"), "cp"),
            (_("Description"), "desc"),
            (_("Method"), "m"),
        ]
        rows = [
            (str(rid), [str(rid), self.names.get(loan_id, f"#{loan_id}"), cp or "", desc or "", method or ""])
            for rid, loan_id, cp, desc, method in self.rules
        ]
        fill_table(self.query_one("#rules", DataTable), columns, rows)
        self.query_one("#rules-empty", Static).update("" if self.rules else _("No rules yet: assign a row and tick Remember."))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "delete":
            self.action_delete_rule()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_delete_rule(self) -> None:
        table = self.query_one("#rules", DataTable)
        if not self.rules or not table.row_count:
            return
        rid, loan_id, cp, desc, method = self.rules[min(table.cursor_row, len(self.rules) - 1)]
        words = ", ".join(w for w in (cp, desc, method) if w)
        question = _("Delete rule {id} ('{words}' to loan {loan})?").format(id=rid, words=words, loan=loan_id)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def done(_result: None) -> None:
                self.rules = [r for r in self.rules if r[0] != rid]
                self.changed = True
                self.notify(
                    _("Deleted rule {id}; statement rows like '{words}' are no longer sent to loan {loan}.").format(
                        id=rid, words=words, loan=loan_id
                    )
                )
                self._show()

            self.db(lambda store: store.delete_match_rule(rid), done)

        self.app.push_screen(ConfirmScreen(visible(question)), confirmed)


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

        self.db(lambda store: (store.match_rules(), [(ln.id or 0, ln.name) for ln in store.loans()]), opened)

    def _rules_closed(self, changed: bool | None) -> None:
        if changed and self.plan is not None:  # the rows a deleted rule matched are unmatched again
            plan, today = self.plan, self.debt_app.today
            self.db(lambda store: review(store, rematch(store, plan), today), self.show_plan)

    def __init__(self) -> None:
        super().__init__()
        self.plan: ImportPreview | None = None
        self.loans: list[tuple[int, str]] = []

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

    def on_mount(self) -> None:
        self._fill([], [])
        self.query_one("#statement-path", Input).focus()

    def _fill(self, to_record, unmatched) -> None:
        columns = [(_("Date"), "date"), (_("Loan"), "loan"), (_("Amount"), "amount"), (_("Row"), "row")]
        fill_table(self.query_one("#to-record", DataTable), columns, to_record, shrink="row")
        hint_columns = [(_("Date"), "date"), (_("Suggested loan"), "loan"), (_("Amount"), "amount"), (_("Row"), "row")]
        fill_table(self.query_one("#unmatched", DataTable), hint_columns, unmatched, shrink="row")

    def reload(self) -> None:
        self.load(lambda store: [(ln.id or 0, ln.name) for ln in store.loans()], self._loans)

    def _loans(self, loans) -> None:
        self.loans = loans

    def action_focus_path(self) -> None:
        self.query_one("#statement-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        summary = self.query_one("#statement-summary", Static)

        today = self.debt_app.today

        def load(store):
            return review(store, preview(store, read_file(path)), today)

        self.db(load, self.show_plan, error=lambda message: summary.update(Text(message, style="red")))

    def show_plan(self, plan: ImportPreview) -> None:
        self.plan = plan
        names = dict(self.loans)
        self.query_one("#statement-summary", Static).update(
            _("{source} statement: {rows} rows, {n} to record, {u} unmatched, {d} already imported.").format(
                source=plan.statement.source,
                rows=len(plan.statement.rows),
                n=len(plan.to_record),
                u=len(plan.still_unmatched),
                d=len(plan.result.duplicates),
            )
            + "".join(
                "\n"
                + _("Bill of {date} for {name}: {amount}").format(
                    date=b.date.isoformat(), name=names.get(b.card_id, ""), amount=fmt(b.amount)
                )
                for b in plan.bills
            )
            + "".join("\n! " + note for note in plan.bill_notes)
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
                            f"{row.counterparty} {row.description}".strip(),
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
                    f"{row.counterparty} {row.description}".strip(),
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
                with store.write():
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
            self.notify(ngettext("Recorded {n} repayment.", "Recorded {n} repayments.", n).format(n=n))
            self.plan = None
            self._fill([], [])
            self.query_one("#statement-summary", Static).update(
                ngettext("Recorded {n} repayment.", "Recorded {n} repayments.", n).format(n=n)
            )

        summary = self.query_one("#statement-summary", Static)
        self.db(lambda store: record(store, plan, today), done, error=lambda m: summary.update(Text(m, style="red")))
