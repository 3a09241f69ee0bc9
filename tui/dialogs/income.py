"""Add a monthly income, or end one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.dates import parse_date
from tracker.dti import month_start
from tracker.i18n import _
from tracker.inputs import clean_text
from tracker.models import Income
from tracker.money import parse_amount
from tracker.service.health import add_income, end_income

from ..widgets import money
from .form import FieldForm


def _optional_date(what: str) -> Callable[[str], Any]:
    return lambda text: parse_date(text, what) if text.strip() else None


class IncomeForm(FieldForm):
    """Add a monthly income from a date, optionally until a date."""

    def __init__(self) -> None:
        super().__init__()
        self.TITLE_TEXT = _("Add a monthly income")
        self.checks = {
            "source": lambda text: clean_text(text, _("source"), required=True),
            "amount": lambda text: parse_amount(text, what=_("monthly amount")),
            "start": lambda text: parse_date(text, _("from")),
            "end": _optional_date(_("to")),
        }

    def compose_fields(self) -> ComposeResult:
        today = self.app.today  # type: ignore[attr-defined]
        yield from self.field("source", _("Source"), placeholder=_("e.g. 工资 salary"))
        yield from self.field("amount", _("Monthly (CNY)"), placeholder="12,000.00")
        yield from self.field("start", _("From"), month_start(today).isoformat())
        yield from self.field("end", _("To"), placeholder=_("empty: open-ended"))
        yield Static(_("A raise is a new income from its date; end the old one the day before."), classes="hint")

    def save(self) -> None:
        source, amount, start, end = (self.value(f) for f in ("source", "amount", "start", "end"))
        today = self.app.today  # type: ignore[attr-defined]

        def done(income: Income) -> None:
            self.notify(_("Added {source}: {amount} a month.").format(source=income.source, amount=money(income.amount)))
            self.dismiss(True)

        self.run(lambda store: add_income(store, source, amount, start=start, end=end.strip() or None, today=today), done)


class EndIncomeForm(FieldForm):
    """Set the last day an income counts."""

    def __init__(self, income: Income) -> None:
        super().__init__()
        self.income = income
        self.TITLE_TEXT = _("End income {source}").format(source=income.source)
        self.checks = {"end": lambda text: parse_date(text, _("last day"))}

    def compose_fields(self) -> ComposeResult:
        today = self.app.today  # type: ignore[attr-defined]
        default = self.income.end_date or today
        yield Static(
            _("{amount} a month since {start}. The income counts in every month up to its last day.").format(
                amount=money(self.income.amount), start=self.income.start_date.isoformat()
            ),
            classes="hint",
        )
        yield from self.field("end", _("Last day"), default.isoformat())

    def save(self) -> None:
        end, income_id = self.value("end"), self.income.id or 0

        def done(income: Income) -> None:
            self.notify(
                _("{source} now ends on {date}.").format(
                    source=income.source, date=income.end_date.isoformat() if income.end_date else "-"
                )
            )
            self.dismiss(True)

        self.run(lambda store: end_income(store, income_id, end), done)
