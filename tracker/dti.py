"""Debt-to-income: monthly obligations against monthly income, history and projection (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from msgspec import Struct

from .i18n import _
from .models import Income, LoanState
from .schedule import half_up

DEFAULT_CAUTION = Decimal("0.40")
DEFAULT_WARN = Decimal("0.50")  # keep debt payments within half of monthly income
FOUR = Decimal("0.0001")
HORIZON_MONTHS = 600


class MonthDTI(Struct, frozen=True):
    """One month's debt-to-income ratio: the income, the debt payments and their status."""

    month: dt.date  # the first day of the month
    income: int
    obligations: int
    ratio: Decimal | None  # None when there is no income
    status: str  # ok, caution, warning, no-income


class Burden:
    """The open loans' payments falling in each month: what the ratio counts.

    This one works from loan states; reads.StoredBurden gives the same from the stored state.
    """

    currency = "CNY"  # the incomes' currency: what the ratio counts

    def __init__(self, states: list[LoanState]) -> None:
        self.states = states

    def of(self, month: dt.date) -> list[tuple[Any, int]]:
        """(the loan's state or summary, its payment) for the month, largest first."""
        return contributions(self.states, month, self.currency)

    def total(self, month: dt.date) -> int:
        """What all of the month's payments add up to (what the ratio counts)."""
        return sum(amount for _item, amount in self.of(month))

    def left_out(self) -> dict[str, int]:
        """The open loans in other currencies than the incomes' CNY, by currency: not counted (not added at face value)."""
        out: dict[str, int] = {}
        for st in self.states:
            if st.status != "closed" and st.loan.currency != self.currency:
                out[st.loan.currency] = out.get(st.loan.currency, 0) + 1
        return out

    def until(self) -> dt.date | None:
        """The last day a payment falls due (``dt.date.min``: none), or None while a card carries a balance:
        its minimum runs on with no end."""
        counted = [st for st in self.states if st.status != "closed" and st.loan.currency == self.currency]
        last = cards_until(counted)
        if last is None:
            return None
        for st in counted:
            if st.card is None:
                last = max([last, *(s.installment.due_date for s in st.schedule if s.installment.kind == "installment")])
        return last


def cards_until(items: list[Any]) -> dt.date | None:
    """The last day the cards among ``items`` (loan states or summaries; ``dt.date.min``: none) ask a payment: a
    card's last bill's due date, or the month its balance is paid off by paying that bill's minimum each month
    (``card_run_down``); None while one's minimum does not cover its interest: it runs on with no end."""
    last = dt.date.min
    for item in items:
        if item.card is not None:
            bills = item.card.bills
            if bills:
                last = max(last, bills[-1].due_date)
            if item.card.balance > 0:
                months = card_run_down(item)
                if months is None:
                    return None
                if bills and months:
                    last = max(last, bills[-1].due_date + relativedelta(months=len(months)))
    return last


MAX_RUN_DOWN = 600  # months: a balance a minimum payment has not cleared in fifty years runs on with no end


def card_run_down(st: Any) -> tuple[int, ...] | None:
    """What a card asks each month after its latest bill, were that bill's minimum paid every month on: the balance
    grows by a month of interest at the card's daily rate and falls by the payment until it is paid (the last
    payment is what is left). None when the payment does not cover a month's interest: the balance never falls."""
    bills = st.card.bills
    if not bills or st.card.balance <= 0:
        return ()
    from .cards import daily_rate

    return _run_down(st.card.balance, bills[-1].minimum, daily_rate(st.loan) * 30)


@lru_cache(maxsize=1024)
def _run_down(balance: int, pay: int, monthly: Fraction) -> tuple[int, ...] | None:
    out = []
    while balance > 0:
        interest = half_up(balance * monthly)
        if pay <= interest or len(out) >= MAX_RUN_DOWN:
            return None
        balance += interest
        step = min(pay, balance)
        out.append(step)
        balance -= step
    return tuple(out)


def _burden(states: list[LoanState] | Burden) -> Burden:
    return states if isinstance(states, Burden) else Burden(states)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month + relativedelta(day=31)


def income_in(incomes: list[Income], month: dt.date) -> int:
    """Sum of the incomes active at any point in the month."""
    end = month_end(month)
    return sum(i.amount for i in incomes if i.start_date <= end and (i.end_date is None or i.end_date >= month))


def contributions(states: list[LoanState], month: dt.date, currency: str = "CNY") -> list[tuple[LoanState, int]]:
    """Each loan's installments falling due in the month (revolving: the minimum payment), largest first.

    An installment counts what was still to pay when the month began: a part paid in advance is
    not that month's burden. A loan paid off since counts too (its months before the payoff asked
    what they asked; after it, nothing is left to ask); a card by its bills while it is open.
    Incomes are in CNY, so loans in other currencies are left out rather than added at face value.
    """
    end = month_end(month)
    out = []
    for st in states:
        if st.loan.currency != currency:
            continue
        if st.card is not None:
            if st.status == "closed":
                continue
            amount = card_minimum(st, month, end)
            if amount:
                out.append((st, amount))
            continue
        amount = sum(
            st.unpaid_as_of(n, month)
            for n, s in enumerate(st.schedule)
            if s.installment.kind == "installment" and month <= s.installment.due_date <= end
        )
        if amount:
            out.append((st, amount))
    return sorted(out, key=lambda pair: -pair[1])


def card_minimum(st: LoanState, month: dt.date, end: dt.date) -> int:
    """A card's payment for a month: the minimum of the bill due in it; beyond the latest bill, the latest bill's
    minimum each month while the balance it leaves lasts (``card_run_down``: a balance paid down, not a minimum
    asked for ever), or for ever when that minimum does not cover the interest."""
    bills = st.card.bills
    due_in = [b for b in bills if month <= b.due_date <= end]
    if due_in:
        return due_in[-1].minimum
    if bills and bills[-1].due_date < month and st.card.balance > 0:
        months = card_run_down(st)
        if months is None:
            return min(bills[-1].minimum, st.card.balance)
        last = bills[-1].due_date
        k = (month.year - last.year) * 12 + month.month - last.month  # months after the latest bill's
        return months[k - 1] if 0 < k <= len(months) else 0
    return 0


def above_line(warn: Decimal) -> str:
    """What the warning status means, worded from the user's line (dti.warn), not a fixed "half"."""
    return _("Your debt payments are more than {line:.0%} of your income.").format(line=warn)


def classify(ratio: Decimal | None, caution: Decimal, warn: Decimal) -> str:
    if ratio is None:
        return "no-income"
    if ratio <= caution:
        return "ok"
    if ratio <= warn:
        return "caution"
    return "warning"


def ratio_of(obligations: int, income: int) -> Decimal | None:
    if income <= 0:
        return None
    return Decimal(obligations) / Decimal(income)  # exact: statuses compare this; shown rounded to 4 decimals


def month_dti(
    states: list[LoanState] | Burden, incomes: list[Income], month: dt.date, caution: Decimal, warn: Decimal, extra: int = 0
) -> MonthDTI:
    income = income_in(incomes, month)
    obligations = _burden(states).total(month) + extra
    exact = ratio_of(obligations, income)
    shown = None if exact is None else exact.quantize(FOUR, rounding=ROUND_HALF_UP)
    return MonthDTI(month, income, obligations, shown, classify(exact, caution, warn))


def series(
    states, incomes, month: dt.date, months: int, caution: Decimal, warn: Decimal
) -> tuple[list[MonthDTI], list[MonthDTI]]:
    """The ``months`` months before and after ``month``."""
    states = _burden(states)
    history = [month_dti(states, incomes, month - relativedelta(months=k), caution, warn) for k in range(months, 0, -1)]
    projection = [month_dti(states, incomes, month + relativedelta(months=k), caution, warn) for k in range(1, months + 1)]
    return history, projection


def back_below(states, incomes, month: dt.date, caution: Decimal, warn: Decimal) -> dt.date | None:
    """The first month after ``month`` from which the ratio stays at or below the warning line (None if
    not within the schedules): a month below the line followed by one above it again is not the answer,
    and a month without debt payments is below it, with or without income. Past the last payment due
    nothing is owed, so the months are read up to it only (``until`` may say a later day: the answer is
    the same)."""
    states = _burden(states)
    end = states.until()
    back = None
    for k in range(1, HORIZON_MONTHS + 1):
        first = month + relativedelta(months=k)
        if end is not None and first > end:  # nothing is owed from here on: no month above the line
            return back or first
        m = month_dti(states, incomes, first, caution, warn)
        if m.status in ("ok", "caution") or m.obligations == 0:  # no debt payment is no burden, income or not
            back = back or m.month
        else:
            back = None
    return back
