"""A loan's rate change from a date (a repricing, a renegotiated rate), as `debt loan rate` records it."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.dates import add_months, parse_date
from tracker.i18n import _
from tracker.models import Loan
from tracker.money import parse_percent, percent_str
from tracker.service.rates import change_rate

from .form import FieldForm


class RateChangeForm(FieldForm):
    """A new annual rate from a day: the periods that start on or after it are charged it; installments already paid
    are never rewritten (the loan form's rate, which would rewrite them, is refused once a loan has repayments)."""

    def __init__(self, loan: Loan) -> None:
        super().__init__()
        self.loan = loan
        self.TITLE_TEXT = _("Rate change for {name}").format(name=loan.name)
        self.checks = {
            "rate": lambda text: parse_percent(text, _("rate"), maximum=Decimal(1000)),
            "from": lambda text: parse_date(text, _("rate change date")),
        }

    def compose_fields(self) -> ComposeResult:
        today = self.app.today  # type: ignore[attr-defined]
        yield Static(
            _(
                "Now {rate}% a year. Periods that start on or after the day are charged the new rate; installments "
                "already paid stay as they were."
            ).format(rate=percent_str(self.loan.rate_on(today))),
            classes="hint",
        )
        yield from self.field("rate", _("New rate %"), "", "3.2")
        yield from self.field("from", _("From"), add_months(today.replace(day=1), 1).isoformat(), "YYYY-MM-DD")

    def save(self) -> None:
        rate, start, loan_id = self.value("rate"), self.value("from"), self.loan.id or 0
        today = self.app.today  # type: ignore[attr-defined]

        def done(result) -> None:
            _before, after = result
            day = parse_date(start)
            self.notify(
                _("{name}: {rate}% from {date}.").format(
                    name=after.loan.name, rate=percent_str(after.loan.rate_on(day)), date=day.isoformat()
                )
            )
            self.dismiss(True)

        self.run(lambda store: change_rate(store, loan_id, rate, start, today), done)
