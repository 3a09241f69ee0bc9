"""Record a repayment: defaults to the next amount due and today's date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, Static

from tracker.dates import parse_date
from tracker.errors import AlreadyRecorded, BadInput, TrackerError
from tracker.i18n import _
from tracker.ledger import payoff_quote
from tracker.money import fmt, parse_amount, to_str
from tracker.present.repayments import advance_text, latest_effect, prepay_lines, without_term
from tracker.service.repayments import record_repayment
from tracker.service.views import LoanView

from ..screens.base import OwnsWork
from ..widgets import Input
from .base import Dialog


def payoff_amount(view: LoanView, day) -> int:
    """What closes the loan on ``day`` (提前结清金额), from the ledger: principal, interest to that day, fees, penalty."""
    st = view.state
    return payoff_quote(st.loan, st.repayments, day).total


class RepayScreen(OwnsWork, Dialog[bool]):
    AUTO_FOCUS = "#amount"
    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "save", _("Save"))]

    def __init__(self, view: LoanView, *, payoff: bool = False) -> None:
        super().__init__()
        self.view = view
        self.payoff = payoff
        self.no_term = without_term(view.state)
        # a prepayment shortens the term or lowers the payment only where the payments are spread over months: one
        # repaid in one sum (bullet) has no payment to lower, and interest-only keeps its months anyway
        self.term_choice = view.state.loan.method in ("equal-installment", "equal-principal", "flat-fee")

    def compose(self) -> ComposeResult:
        st, loan = self.view.state, self.view.state.loan
        nxt = st.next_due
        if self.payoff:
            default = self._payoff_on(self.app.today)  # type: ignore[attr-defined]
        elif st.overdue_amount:
            default = st.overdue_amount
        else:
            default = nxt.unpaid if nxt else 0
        with Vertical(classes="dialog"):
            yield Static(_("Record a repayment to {name}").format(name=loan.name), classes="dialog-title", markup=False)
            if self.payoff:
                yield Static(
                    _(
                        "Paying off: the amount closes the loan on the date below (interest to that day, fees, penalty); "
                        "change the date and it follows."
                    ),
                    classes="hint",
                )
            for field, label, value in (
                (
                    "amount",
                    _("Amount ({currency})").format(currency=loan.currency),
                    to_str(default, loan.currency) if default else "",
                ),
                ("date", _("Date"), self.app.today.isoformat()),  # type: ignore[attr-defined]
                ("note", _("Note"), ""),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(value=value, id=field, classes="form-input")
                    yield Static("", id=f"{field}-error", classes="field-error", markup=False)
            if self.no_term:
                yield Static(_("What is beyond the bills due settles the coming bill and lowers the balance."), classes="hint")
            else:
                yield Checkbox(_("Extra goes to principal (prepayment)"), value=self.payoff, id="prepay")
                if self.term_choice:
                    yield Checkbox(_("Keep the term, lower the payment"), id="keep-term")
            yield Static(id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        loan = self.view.state.loan
        if event.input.id == "amount":
            self._check("#amount-error", lambda: parse_amount(event.value, loan.currency))
        elif event.input.id == "date":
            if self._check("#date-error", lambda: parse_date(event.value, _("date"))) and self.payoff:
                amount = self._payoff_on(parse_date(event.value, _("date")))
                if amount:
                    self.query_one("#amount", Input).value = to_str(amount, loan.currency)

    def _payoff_on(self, day) -> int:
        try:
            return payoff_amount(self.view, day)
        except TrackerError as exc:
            if self.is_mounted:
                self.query_one("#date-error", Static).update(exc.message)
            return 0

    def _check(self, target: str, parse) -> bool:
        try:
            parse()
        except BadInput as exc:
            self.query_one(target, Static).update(exc.message)
            return False
        self.query_one(target, Static).update("")
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self, again: bool = False) -> None:
        """Record the repayment. One of the same amount on the same day already recorded is asked about first: it is
        most likely the same payment twice; a yes records it as a second one (``again``)."""
        loan = self.view.state.loan
        amount = self.query_one("#amount", Input).value
        date = self.query_one("#date", Input).value
        note = self.query_one("#note", Input).value
        prepay = not self.no_term and self.query_one("#prepay", Checkbox).value
        keep = not self.no_term and self.term_choice and self.query_one("#keep-term", Checkbox).value
        today = self.app.today  # type: ignore[attr-defined]

        def save(store):
            try:
                return record_repayment(
                    store,
                    loan.id or 0,
                    amount,
                    today,
                    date=date,
                    note=note,
                    prepay=prepay,
                    keep_term=keep and prepay,
                    again=again,
                )
            except AlreadyRecorded as exc:
                return exc  # a question for the user, not a refusal: asked on the UI thread

        def done(result) -> None:
            if isinstance(result, AlreadyRecorded):
                from .confirm import ConfirmScreen

                same = result.repayment
                question = _(
                    "{name} already has a repayment of {amount} on {date} (repayment {id}). Is this a second one, to record"
                    " as well?"
                ).format(
                    name=loan.name, amount=fmt(same.amount, loan.currency, symbol=True), date=same.date.isoformat(), id=same.id
                )
                self.app.push_screen(
                    ConfirmScreen(question, _("Record again")), lambda yes: self.action_save(again=True) if yes else None
                )
                return
            rep, state = result
            effect = latest_effect(state, rep.id)
            lines = [_("Recorded {amount} to {name}.").format(amount=fmt(rep.amount, loan.currency, symbol=True), name=loan.name)]
            lines += prepay_lines(effect, loan.currency) if effect else []
            ahead = advance_text(state, rep)
            if ahead:
                lines.append(
                    ahead
                    + " "
                    + _(
                        "To lower the principal instead, which saves that interest, delete it (Ctrl+D on the Repayments "
                        "tab) and record it again with 'Extra goes to principal'."
                    )
                )
            self.notify("\n".join(lines), timeout=12 if effect or ahead else 5)
            self.dismiss(True)

        self.db(save, done, error=lambda message: self.query_one("#form-error", Static).update(message))

    def action_cancel(self) -> None:
        self.dismiss(False)
