"""Credit cards in the app: add a card, record a month's bill."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from tracker.cards import last_bill_date
from tracker.errors import BadInput
from tracker.i18n import _
from tracker.inputs import DEFAULT_DAILY_RATE, CardInput, build_card
from tracker.models import Loan
from tracker.money import fmt, to_str
from tracker.service.cards import add_card, edit_card, record_bill

from ..screens.base import OwnsWork
from ..widgets import Input, Select
from .base import Dialog


class _Form(OwnsWork, Dialog):
    """Rows of labelled inputs with an error line each; Ctrl+S saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel")), Binding("ctrl+s", "save", _("Save"))]

    def _row(self, field: str, label: str, value: str = "", placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{field}"):
            yield Label(label, classes="form-label")
            yield Input(value=value, placeholder=placeholder, id=field, classes="form-input")
            yield Static("", id=f"{field}-error", classes="field-error", markup=False)

    def _buttons(self) -> ComposeResult:
        yield Static(id="form-error", classes="field-error", markup=False)
        with Horizontal(classes="buttons"):
            yield Button(_("Save"), variant="primary", id="save")
            yield Button(_("Cancel"), id="cancel")

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class CardFormScreen(_Form):
    """A credit card, new or edited: limit, bill and due days, rate, minimum, interest rule."""

    AUTO_FOCUS = "#name"

    def __init__(self, card: Loan | None = None) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        c = self.card
        with Vertical(classes="dialog wide"):
            title = _("Edit card {name}").format(name=c.name) if c else _("Add a credit card")
            yield Static(title, classes="dialog-title", markup=False)
            yield from self._row("name", _("Name"), c.name if c else "", _("e.g. 招行信用卡"))
            yield from self._row("lender", _("Bank"), c.lender if c else "", _("the issuing bank"))
            yield from self._row(
                "limit", _("Credit limit"), to_str(c.credit_limit or 0, c.currency) if c else "", _("e.g. 20,000")
            )
            yield from self._row("bill_day", _("Bill day"), str(c.bill_day) if c else "", _("day of the month, e.g. 5"))
            yield from self._row("due_day", _("Due day"), str(c.due_day) if c else "", _("day of the month, e.g. 23"))
            rate = str(c.quoted_rate) if c and c.quoted_rate is not None else DEFAULT_DAILY_RATE
            yield from self._row("daily_rate", _("Rate %/day"), rate, DEFAULT_DAILY_RATE)
            yield from self._row("min_rate", _("Minimum %"), str(c.min_payment_rate) if c else "10", "10")
            with Horizontal(classes="form-row"):
                yield Label(_("Interest"), classes="form-label")
                yield Select(
                    [(_("on the whole bill"), "full"), (_("on the unpaid part"), "unpaid")],
                    value=c.card_interest if c else "full",
                    allow_blank=False,
                    id="interest",
                    compact=True,
                )
            yield from self._buttons()

    def action_save(self) -> None:
        today = self.app.today  # type: ignore[attr-defined]
        data = CardInput(
            name=self._value("name"),
            lender=self._value("lender"),
            limit=self._value("limit") or None,
            bill_day=self._value("bill_day") or None,
            due_day=self._value("due_day") or None,
            daily_rate=self._value("daily_rate") or None,
            min_rate=self._value("min_rate") or None,
            interest=str(self.query_one("#interest", Select).value),
        )
        editing = self.card
        try:
            card = build_card(data, today, editing)
        except BadInput as exc:
            self._error(exc.message)
            return

        def save(store):
            if editing is None:
                return add_card(store, card, today).loan.id
            return edit_card(store, editing.id or 0, data, today).loan.id

        def done(card_id: int) -> None:
            self.notify((_("Updated card {id}.") if editing else _("Added card {id}.")).format(id=card_id))
            self.dismiss(card_id)

        self.db(save, done, error=self._error)


class BillScreen(_Form):
    """A month's bill (本期应还) as the statement says: amount, date, the minimum if printed."""

    AUTO_FOCUS = "#amount"

    def __init__(self, card: Loan) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        today = self.app.today  # type: ignore[attr-defined]
        with Vertical(classes="dialog"):
            yield Static(_("Record a bill of {name}").format(name=self.card.name), classes="dialog-title", markup=False)
            yield from self._row(
                "amount", _("Amount ({currency})").format(currency=self.card.currency), "", _("the amount due, as printed")
            )
            # the latest bill day: the bill in hand (today's date was a day the card never bills on)
            yield from self._row("date", _("Bill date"), last_bill_date(self.card, today).isoformat(), "YYYY-MM-DD")
            yield from self._row("minimum", _("Minimum"), "", _("as printed, or leave empty"))
            yield from self._buttons()

    def action_save(self) -> None:
        card, today = self.card, self.app.today  # type: ignore[attr-defined]
        amount, date, minimum = self._value("amount"), self._value("date"), self._value("minimum") or None

        def save(store):
            return record_bill(store, card.id or 0, amount, today, date=date, minimum=minimum)

        def done(state) -> None:
            bill = state.card.bills[-1] if state.card and state.card.bills else None
            text = _("Recorded the bill.")
            if bill is not None:
                text += " " + _("Due {date}: {full} in full, at least {minimum}.").format(
                    date=bill.due_date.isoformat(),
                    full=fmt(bill.unpaid, card.currency, symbol=True),
                    minimum=fmt(bill.minimum, card.currency, symbol=True),
                )
            self.notify(text)
            self.dismiss(True)

        self.db(save, done, error=self._error)
