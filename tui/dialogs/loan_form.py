"""Add or edit a loan: validation as you type and a live preview of payment, total cost and APR."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Static

from tracker.errors import BadInput
from tracker.i18n import _
from tracker.inputs import LoanInput, build_loan, loan_field_problem
from tracker.lpr import SHIPPED, Fixing
from tracker.models import KIND_LABELS, METHOD_LABELS, Loan
from tracker.money import fmt, to_str
from tracker.schedule import first_payment_date
from tracker.service.cost import quote_loan
from tracker.service.loans import add_loan, edit_loan, term_notice
from tracker.service.rates import lpr_fixings

from ..screens.base import OwnsWork
from ..widgets import Input, Select
from .base import Dialog

# the text inputs whose problems are shown beside them as the user types
TEXT_FIELDS = (
    "name",
    "lender",
    "principal",
    "rate",
    "term",
    "start",
    "first_due",
    "received",
    "fee_rate",
    "min_rate",
    "currency",
    "notes",
    "penalty",
    "paid_until",
)


class LoanFormScreen(OwnsWork, Dialog[int | None]):
    AUTO_FOCUS = "#name"
    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "save", _("Save"))]

    def __init__(self, loan: Loan | None = None) -> None:
        super().__init__()
        self.loan = loan
        self.fixings: tuple[Fixing, ...] = SHIPPED  # until the user's own fixings are read

    def _row(self, field: str, label: str, value: str = "", placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{field}"):
            yield Label(label, classes="form-label")
            yield Input(value=value, placeholder=placeholder, id=field, classes="form-input")
            yield Static("", id=f"{field}-error", classes="field-error", markup=False)

    def compose(self) -> ComposeResult:
        loan = self.loan
        cur = loan.currency if loan else "CNY"
        if loan is None:
            rate_unit, rate = "annual", ""
        elif loan.quoted_rate is not None:
            rate_unit, rate = loan.rate_unit, str(loan.quoted_rate)
        else:
            rate_unit, rate = "annual", str(loan.annual_rate)
        with Vertical(classes="dialog wide"):
            yield Static(
                _("Edit loan {name}").format(name=loan.name) if loan else _("Add a loan"), classes="dialog-title", markup=False
            )
            with VerticalScroll(id="loan-form"):
                yield from self._row("name", _("Name"), loan.name if loan else "", _("e.g. 房贷"))
                yield from self._row("lender", _("Lender"), loan.lender if loan else "", _("bank, platform or person"))
                with Horizontal(classes="form-row"):
                    yield Label(_("Method"), classes="form-label")
                    yield Select(
                        [(_(v), k) for k, v in METHOD_LABELS.items()],
                        value=loan.method if loan else "equal-installment",
                        allow_blank=False,
                        id="method",
                        compact=True,
                    )
                with Horizontal(classes="form-row"):
                    yield Label(_("Kind"), classes="form-label")
                    yield Select(
                        [(_(v), k) for k, v in KIND_LABELS.items()],
                        value=loan.kind if loan else "other",
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    )
                yield from self._row(
                    "principal", _("Principal"), to_str(loan.principal, cur) if loan else "", _("e.g. 12,000.00")
                )
                with Horizontal(classes="form-row"):
                    yield Label(_("Rate is quoted"), classes="form-label")
                    yield Select(
                        [(_("per year"), "annual"), (_("per month"), "monthly"), (_("per day"), "daily")],
                        value=rate_unit,
                        allow_blank=False,
                        id="rate_unit",
                        compact=True,
                    )
                yield from self._row("rate", _("Rate %"), rate, _("e.g. 4.9"))
                with Horizontal(classes="form-row", id="row-basis"):
                    yield Label(_("Interest"), classes="form-label")
                    yield Select(
                        [
                            (_("as the rate is quoted"), "auto"),
                            (_("monthly; part months by days (banks)"), "period"),
                            (_("by the day (platforms)"), "daily"),
                        ],
                        value=loan.interest_basis if loan else "auto",
                        allow_blank=False,
                        id="basis",
                        compact=True,
                    )
                yield from self._row(
                    "penalty",
                    _("Penalty %/year"),
                    str(loan.penalty_rate) if loan and loan.penalty_rate else "",
                    _("e.g. 7.35, if the contract has one"),
                )
                yield from self._row(
                    "fee_rate",
                    _("Monthly fee %"),
                    str(loan.fee_rate) if loan and loan.method == "flat-fee" else "",
                    _("e.g. 0.6"),
                )
                yield from self._row("min_rate", _("Minimum %"), str(loan.min_payment_rate) if loan else "10", "10")
                yield from self._row(
                    "term", _("Term (months)"), str(loan.term_months) if loan and loan.term_months else "", _("e.g. 360")
                )
                yield from self._row(
                    "start", _("Start date"), loan.start_date.isoformat() if loan else self.app.today.isoformat(), "YYYY-MM-DD"
                )  # type: ignore[attr-defined]
                yield from self._row(
                    "first_due",
                    _("First due"),
                    first_payment_date(loan).isoformat() if loan else "",
                    _("one month after start; a bullet: maturity"),
                )
                yield from self._row(
                    "received",
                    _("Received"),
                    to_str(loan.received, cur) if loan and loan.received else "",
                    _("if fees were deducted"),
                )
                with Horizontal(classes="form-row", id="row-autopay"):
                    yield Label(_("Auto-debit"), classes="form-label")
                    yield Checkbox(_("the bank deducts each installment (代扣)"), bool(loan and loan.autopay), id="autopay")
                yield from self._row(
                    "autopay_account",
                    _("Debited account"),
                    loan.autopay_account if loan else "",
                    _("e.g. ICBC card ****1234"),
                )
                yield from self._row("paid_until", _("Paid until"), "", _("optional, YYYY-MM-DD"))
                yield from self._row("currency", _("Currency"), cur, "CNY")
                yield from self._row("notes", _("Notes"), loan.notes if loan else "")
            yield Static(id="preview", classes="preview", markup=False)
            yield Static(id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self._update_visibility()
        self.refresh_preview()
        self.db(lpr_fixings, self.got_fixings)

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def _method(self) -> str:
        return str(self.query_one("#method", Select).value)

    def _update_visibility(self) -> None:
        method = self._method()
        self.query_one("#row-fee_rate").display = method == "flat-fee"
        self.query_one("#row-min_rate").display = method == "revolving"
        self.query_one("#row-term").display = method != "revolving"
        self.query_one("#row-basis").display = method not in ("flat-fee", "revolving")
        self.query_one("#row-autopay").display = method != "revolving"
        self.query_one("#row-autopay_account").display = method != "revolving" and self._autopay()

    def _autopay(self) -> bool:
        return self.query_one("#autopay", Checkbox).value

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update_visibility()
        self.refresh_preview()

    def to_input(self) -> LoanInput:
        method = self._method()
        unit = str(self.query_one("#rate_unit", Select).value)
        rate = self._value("rate")
        rates = {"rate": None, "monthly_rate": None, "daily_rate": None}
        if self._rate_changed(unit, rate) and (rate or method != "flat-fee"):
            rates[{"annual": "rate", "monthly": "monthly_rate", "daily": "daily_rate"}[unit]] = rate
        basis = str(self.query_one("#basis", Select).value)
        penalty = self._value("penalty")
        return LoanInput(
            interest_basis=None if basis == "auto" else basis,
            penalty_rate=penalty if penalty or (self.loan and self.loan.penalty_rate) else None,
            name=self._value("name"),
            lender=self._value("lender"),
            principal=self._value("principal"),
            term=self._value("term") if method != "revolving" else None,
            method=method,
            kind=str(self.query_one("#kind", Select).value),
            start=self._value("start"),
            first_due=self._value("first_due") or None,
            received=self._value("received") or None,
            fee_rate=self._value("fee_rate") if method == "flat-fee" else None,
            min_payment_rate=(self._value("min_rate") or None) if method == "revolving" else None,
            currency=self._value("currency") or "CNY",
            notes=self._value("notes"),
            autopay=self._autopay() and method != "revolving",
            autopay_account=self._value("autopay_account") if self._autopay() and method != "revolving" else None,
            **rates,
        )

    def _rate_changed(self, unit: str, rate: str) -> bool:
        """Editing: only a rate the user changed is sent (a rate change on a loan with repayments is refused)."""
        loan = self.loan
        if loan is None:
            return True
        shown = str(loan.quoted_rate) if loan.quoted_rate is not None else str(loan.annual_rate)
        return (unit, rate) != (
            loan.rate_unit if loan.quoted_rate is not None else "annual",
            shown,
        ) or loan.method != self._method()

    def _field_error(self, field: str) -> str:
        """The problem with one field on its own, if any: the service's own checks (an empty required field aside)."""
        value = self._value(field)
        method = self._method()
        required = {"name", "lender", "principal", "start"}
        if method != "revolving":
            required.add("term")
        if method != "flat-fee":
            required.add("rate")
        if method == "flat-fee":
            required.add("fee_rate")
        if field in required and not value:
            return _("required")
        return loan_field_problem(field, self.to_input(), self.app.today, paid_until=self._value("paid_until"))  # type: ignore[attr-defined]

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#form-error", Static).update("")  # an old refusal no longer applies
        field = event.input.id or ""
        if field in TEXT_FIELDS:
            self.query_one(f"#{field}-error", Static).update(self._field_error(field))
        self.refresh_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "method":
            self._update_visibility()
        self.refresh_preview()

    def refresh_preview(self) -> None:
        preview = self.query_one("#preview", Static)
        try:
            loan = build_loan(self.to_input(), self.loan, self.fixings)
        except BadInput as exc:
            preview.update(_("Preview: {problem}").format(problem=exc.message))
            preview.set_class(True, "incomplete")
            return
        preview.set_class(False, "incomplete")
        q = quote_loan(loan, self.fixings)
        cur = loan.currency
        pay = fmt(q.payment, cur, symbol=True)
        if q.last_payment != q.payment:
            pay += " → " + fmt(q.last_payment, cur, symbol=True)
        cost = q.cost
        apr = _("APR {apr}% · EAR {ear}%").format(apr=cost.apr, ear=cost.ear) if cost.apr is not None else _("APR not available")
        lines = [
            _("Payment {pay} · {n} installments · total cost {cost}").format(
                pay=pay, n=q.installments, cost=fmt(q.total_cost, cur, symbol=True)
            ),
            apr,
        ]
        notice = term_notice(loan)
        lines += [f"! {notice}"] if notice else []
        lines += ["! " + w.message for w in q.warnings]
        preview.update("\n".join(lines))

    def got_fixings(self, fixings: tuple[Fixing, ...]) -> None:
        """The LPR table with the user's own fixings: what the preview's warnings are measured against."""
        self.fixings = fixings
        self.refresh_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()  # Enter in a field saves, as in every other form

    def action_save(self) -> None:
        form_error = self.query_one("#form-error", Static)
        try:
            data = self.to_input()
            loan = build_loan(data, self.loan, self.fixings)
        except BadInput as exc:
            form_error.update(exc.message)
            return
        today = self.app.today  # type: ignore[attr-defined]
        editing = self.loan
        paid_until = self._value("paid_until")

        def save(store):
            if editing is not None:
                return edit_loan(store, editing.id or 0, data, today, paid_until=paid_until).loan.id
            return add_loan(store, loan, today, paid_until=paid_until).loan.id

        def done(loan_id: int) -> None:
            self.notify(_("Saved loan '{name}'.").format(name=loan.name))
            self.dismiss(loan_id)

        self.db(save, done, error=form_error.update)

    def action_cancel(self) -> None:
        self.dismiss(None)
