"""A statement's unmatched row assigned to a loan, and the list of remembered matching rules."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Static

from tracker.i18n import _
from tracker.money import fmt
from tracker.present.deletions import delete_rule_question, deleted_rule_text, rule_words
from tracker.safe_text import visible
from tracker.service.statements import delete_rule

from ..screens.base import OwnsWork
from ..widgets import DataTable, Select, fill_table, safe_text
from .base import Dialog
from .confirm import ConfirmScreen


class AssignScreen(OwnsWork, Dialog[tuple[int, bool] | None]):
    """Which loan an unmatched row repays; optionally remember it as a rule."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "assign", _("Assign"))]

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
            self.action_assign()
        else:
            self.dismiss(None)

    def action_assign(self) -> None:
        """Assign (the button, or Ctrl+S as in every form)."""
        value = self.query_one("#loan", Select).value
        if value is Select.NULL:
            self.notify(_("Choose a loan first."), severity="warning")
            return
        self.dismiss((int(value), self.query_one("#remember", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RulesScreen(OwnsWork, Dialog[bool]):
    """Every statement-matching rule; Delete (or Ctrl+D) removes the highlighted one after asking."""

    AUTO_FOCUS = "#rules"

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
        words = rule_words(cp, desc, method)
        question = delete_rule_question(rid, words, loan_id)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def done(_result: None) -> None:
                self.rules = [r for r in self.rules if r[0] != rid]
                self.changed = True
                self.notify(deleted_rule_text(rid, words, loan_id))
                self._show()

            self.db(lambda store: delete_rule(store, rid), done)

        self.app.push_screen(ConfirmScreen(visible(question)), confirmed)
