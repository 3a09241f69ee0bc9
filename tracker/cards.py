"""Credit cards by their bills: interest-free when a bill is paid in full by its due date (pure).

A card's month is its bill (账单): the statement's amount due (本期应还), dated on the bill
day, payable by the due day. Bills are cumulative: a bill's amount already holds whatever
was left unpaid of the one before, its interest and fees. So the balance owed is the latest
bill less what was paid since; each bill is judged by the payments made between its date and
the next bill's:

- paid in full by the due date: no interest (the interest-free period, 免息期);
- at least the minimum by the due date: no late fee, but interest, estimated here for the
  next bill at the card's daily rate: on the whole bill from the bill date (``full``, still
  the rule at most issuers) or only on the part unpaid at the due date (``unpaid``), up to
  each payment's day and, for what is still unpaid, to the next bill date;
- less than the minimum by the due date: overdue, with a late fee (违约金) of
  ``late_fee_rate`` percent of the unpaid minimum, and the days late.

The bank counts interest from each purchase's posting date; the tool sees the bill, not the
purchases, so it counts from the bill date: the estimate is a little below the bank's.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from msgspec import Struct

from .dates import add_months
from .models import Installment, InstallmentState, Loan, LoanState, Repayment
from .schedule import half_up

CARD_METHOD = "card"
CARD_INTEREST = ("full", "unpaid")
UTILISATION_WARN = Decimal("0.70")  # lenders read a card used above 70% of its limit as stretched


class Bill(Struct, frozen=True):
    """A credit card's monthly bill as its statement says it."""

    card_id: int
    date: dt.date
    amount: int  # 本期应还 as the statement says it
    minimum: int | None = None  # 最低还款 as the statement says it (None: computed)
    moved: int = 0  # moved off this bill into instalment loans (账单分期)
    id: int | None = None
    uid: str | None = None

    @property
    def owed(self) -> int:
        return self.amount - self.moved


class BillState(Struct, frozen=True):
    """A bill judged as of a day: its due date, minimum, what was paid against it and how."""

    bill: Bill
    due_date: dt.date
    minimum: int
    paid: int  # paid between this bill and the next (or today)
    paid_by_due: int
    status: str  # due, partial, paid, minimum, overdue
    interest_estimate: int  # on the next bill
    late_fee: int
    days_late: int

    @property
    def unpaid(self) -> int:
        return max(self.bill.owed - self.paid, 0)


class CardState(Struct, frozen=True):
    """A credit card as of a day: its bills judged, its payments, balance and available credit."""

    card: Loan
    today: dt.date
    bills: tuple[BillState, ...]
    payments: tuple[Repayment, ...]
    balance: int  # the latest bill less what was paid since (negative: paid beyond it, 溢缴款)
    overdue_amount: int  # unpaid minimum of a bill past its due date, with its late fee
    days_overdue: int
    held: int = 0  # instalment principal not yet due (账单分期): the issuer keeps it inside the limit

    @property
    def limit(self) -> int:
        return self.card.credit_limit or 0

    @property
    def used(self) -> int:
        """What takes up the limit: the balance, and the instalments still to come."""
        return max(self.balance, 0) + self.held

    @property
    def available(self) -> int:
        return self.limit - self.used

    @property
    def utilisation(self) -> Decimal:
        """What is used as a share of the limit, to four places (0.7123 = 71.23%)."""
        if not self.limit:
            return Decimal(0)
        return (Decimal(self.used) / Decimal(self.limit)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def over_warning_line(self) -> bool:
        """Used above 70% of the limit (exactly, not as rounded for display)."""
        return bool(self.limit) and self.used * 100 > self.limit * int(UTILISATION_WARN * 100)

    @property
    def latest(self) -> BillState | None:
        return self.bills[-1] if self.bills else None

    @property
    def next_due(self) -> BillState | None:
        """The latest bill, while it is not yet due and not paid in full."""
        last = self.latest
        if last is None or last.due_date < self.today or last.unpaid <= 0:
            return None
        return last


def due_date(card: Loan, bill_date: dt.date) -> dt.date:
    """The first due day after the bill date (the day clamped to the month's end)."""
    day = card.due_day or 1
    for months in (0, 1, 2):
        first = add_months(bill_date.replace(day=1), months)
        candidate = first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))
        if candidate > bill_date:
            return candidate
    raise AssertionError("unreachable: a due day is found within two months")


def next_bill_date(card: Loan, bill_date: dt.date) -> dt.date:
    """The bill after this one, on the card's bill day."""
    first = add_months(bill_date.replace(day=1), 1)
    return first.replace(day=min(card.bill_day or bill_date.day, calendar.monthrange(first.year, first.month)[1]))


def last_bill_date(card: Loan, today: dt.date) -> dt.date:
    """The latest bill day on or before ``today`` (the card's bill day, clamped to the month's end): the date of
    the bill a person has in hand. ``today`` for a card without a bill day."""
    if not card.bill_day:
        return today
    for months in (0, -1):
        first = add_months(today.replace(day=1), months)
        candidate = first.replace(day=min(card.bill_day, calendar.monthrange(first.year, first.month)[1]))
        if candidate <= today:
            return candidate
    raise AssertionError("unreachable: last month's bill day is before today")


def first_bill_date(card: Loan, start: dt.date) -> dt.date:
    """The card's first bill day on or after ``start`` (the day it was had since)."""
    day = last_bill_date(card, start)
    return day if day >= start else next_bill_date(card, day)


def daily_rate(card: Loan) -> Fraction:
    """A card's daily rate as a fraction (0.0005 for 0.05% a day)."""
    rate = card.quoted_rate if card.rate_unit == "daily" and card.quoted_rate is not None else card.annual_rate / 365
    return Fraction(rate) / 100


def default_minimum(card: Loan, owed: int, previous: BillState | None) -> int:
    """Issuers' rule: ``min_payment_rate`` percent of the bill, plus the last bill's interest and fees
    and any minimum it left unpaid; never more than the bill."""
    share = half_up(Fraction(owed) * Fraction(card.min_payment_rate) / 100)
    extra = 0
    if previous is not None:
        extra = previous.interest_estimate + previous.late_fee
        if previous.status == "overdue":
            extra += max(previous.minimum - previous.paid, 0)
    return min(share + extra, owed)


def evaluate_card(
    card: Loan, bills: list[Bill], payments: list[Repayment], today: dt.date, *, interest_to: dt.date | None = None
) -> CardState:
    """Every bill judged by the payments made for it, and the card's balance, as of ``today``. The latest
    bill's interest runs to the next bill date, or to ``interest_to`` when that comes first (a payoff's day)."""
    bills = sorted(bills, key=lambda b: b.date)
    payments = sorted((p for p in payments if p.date <= today), key=lambda p: (p.date, p.id or 0))
    rate = daily_rate(card)
    states: list[BillState] = []
    for k, bill in enumerate(bills):
        due = due_date(card, bill.date)
        end = bills[k + 1].date if k + 1 < len(bills) else None
        window = [p for p in payments if p.date > bill.date and (end is None or p.date <= end)]
        owed = bill.owed
        previous = states[-1] if states else None
        if bill.minimum is None:
            minimum = default_minimum(card, owed, previous)
        else:
            # a printed minimum is the rate's share of the bill plus interest and fees (default_minimum): what moved
            # into instalments (账单分期) takes its share out of it, the interest and fees stay
            moved_share = half_up(Fraction(bill.moved) * Fraction(card.min_payment_rate) / 100)
            minimum = min(max(bill.minimum - moved_share, 0), owed)
        paid = sum(p.amount for p in window)
        by_due = sum(p.amount for p in window if p.date <= due)
        interest = late_fee = late = 0
        if today <= due and by_due < owed:
            status = "partial" if paid else "due"
        elif by_due >= owed:
            status = "paid"
        else:
            status = "minimum" if by_due >= minimum else "overdue"
            horizon = end or next_bill_date(card, bill.date)
            charged_to = horizon if end is not None or interest_to is None else min(horizon, interest_to)
            units = 0  # amount x days, each part of the bill up to the day it was paid
            left = owed if card.card_interest != "unpaid" else owed - by_due
            for p in window:
                if card.card_interest == "unpaid" and p.date <= due:
                    continue
                part = min(p.amount, left)
                units += part * (min(p.date, charged_to) - bill.date).days
                left -= part
            units += left * (charged_to - bill.date).days
            interest = half_up(rate * units)
            if status == "overdue":
                late_fee = half_up(Fraction(minimum - by_due) * Fraction(card.late_fee_rate or 0) / 100)
                covered, running = None, 0
                for p in window:
                    running += p.amount
                    if running >= minimum:
                        covered = p.date
                        break
                late = ((covered or min(today, horizon)) - due).days
        states.append(BillState(bill, due, minimum, paid, by_due, status, interest, late_fee, late))
    balance = 0
    overdue = days = 0
    if states:
        last = states[-1]
        after = sum(p.amount for p in payments if p.date > last.bill.date)
        balance = last.bill.owed - after
        # the most recent bill past its due date decides whether the card is overdue now
        past = next((s for s in reversed(states) if s.due_date < today), None)
        if past is not None and past.status == "overdue":
            since = sum(p.amount for p in payments if p.date > past.bill.date)
            short = past.minimum - since
            if short > 0:
                overdue, days = short + past.late_fee, (today - past.due_date).days
    # the instalments not yet on a bill: due after today and after the latest bill's due date (the bill as printed
    # holds those up to it)
    billed_to = max(today, states[-1].due_date) if states else today
    held = sum(principal for due, principal in card.instalments if due > billed_to)
    return CardState(card, today, tuple(states), tuple(payments), balance, overdue, days, held)


def card_payoff(card: Loan, payments: list[Repayment] | tuple[Repayment, ...], day: dt.date) -> tuple[int, int, int]:
    """(balance, interest, late fee) that close the card on ``day``: the balance, and what the next bill will add
    for the latest bill not paid in full by its due date, its interest up to ``day`` (up to the next bill date at
    most: that bill, paid in full by its due date, is interest-free) and its late fee. Money paid beyond the
    balance (溢缴款) goes to them first."""
    st = evaluate_card(card, list(card.bills), list(payments), day, interest_to=day)
    if st.latest is None:
        return 0, 0, 0
    interest, fee = st.latest.interest_estimate, st.latest.late_fee
    credit = max(-st.balance, 0)
    take = min(credit, fee)
    fee, credit = fee - take, credit - take
    interest -= min(credit, interest)
    return max(st.balance, 0), interest, fee


def card_loan_state(card: Loan, payments: list[Repayment] | tuple[Repayment, ...], today: dt.date) -> LoanState:
    """The card as a LoanState, for every report that lists debts: one schedule line per bill."""
    st = evaluate_card(card, list(card.bills), list(payments), today)
    lines = []
    for n, b in enumerate(st.bills, start=1):
        inst = Installment(n, b.due_date, b.bill.owed, b.interest_estimate, b.late_fee, kind="bill", start=b.bill.date)
        status = {"partial": "partial", "due": "due", "paid": "paid", "minimum": "minimum", "overdue": "overdue"}[b.status]
        lines.append(InstallmentState(inst, min(b.paid, b.bill.owed), 0, 0, status, days_late=b.days_late))
    return LoanState(card, today, tuple(lines), st.payments, credit=max(-st.balance, 0), card=st)


def plan_loan(state: LoanState) -> Loan | None:
    """A card's balance as the payoff plan sees it: one payment due on the bill's due date.

    Paid in full by then it costs nothing (the interest-free period); a balance already carried
    past its due date costs the daily rate until the next due date. Whatever the plan leaves
    unpaid accrues the daily rate as penalty interest, as a card charges it.
    """
    cs, card = state.card, state.loan
    if cs is None or cs.balance <= 0 or not cs.bills:
        return None
    daily = card.quoted_rate if card.quoted_rate is not None else card.annual_rate / 365
    latest = cs.bills[-1]
    if cs.next_due is not None:
        start, due, rate = latest.bill.date, latest.due_date, Decimal(0)
    else:
        start, rate = state.today, daily
        due = due_date(card, next_bill_date(card, latest.bill.date))
        while due <= state.today:
            due = due_date(card, next_bill_date(card, due))
    return Loan(
        name=card.name,
        lender=card.lender,
        method="bullet",
        principal=cs.balance,
        annual_rate=rate * 365,
        start_date=start,
        first_due_date=due,
        term_months=1,
        kind="credit-card",
        currency=card.currency,
        rate_unit="daily",
        quoted_rate=rate,
        interest_basis="daily",
        penalty_rate=daily * 360,
        id=card.id,
    )
